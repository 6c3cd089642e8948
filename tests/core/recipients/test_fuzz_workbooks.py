"""A bounded, seeded fuzz run: 500 mutants of real openpyxl workbooks through `herald check`.

Every mutant must end with exit 0, 1 or 2 and print no traceback. The same mutants (and
more) are run by benchmarks/fuzz_workbooks.py; a failing index can be replayed alone with
tests.support.workbook_fuzz.mutant(seed_workbooks(), SEED, index).
"""

from __future__ import annotations

from pathlib import Path

from tests.support.workbook_fuzz import fuzz
from tests.support.zip_surgery import MUTATIONS

SEED = 1
MUTANTS = 500


def test_500_mutants_of_real_workbooks_exit_0_1_or_2_without_a_traceback(tmp_path: Path) -> None:
    result = fuzz(tmp_path, seed=SEED, start=0, count=MUTANTS)

    assert result.mutants == MUTANTS
    assert [(index, name) for index, name, _ in result.failures] == [], result.failures[0][2]
    assert set(result.exits) <= {0, 1, 2}
    # the mutants really damage files (many refused) and leave some readable
    assert result.exits[2] >= MUTANTS // 3
    assert result.exits[0] + result.exits[1] >= MUTANTS // 10
    assert len(result.by_mutation) == len(MUTATIONS)  # every kind of mutation was tried
