"""A field that no column has makes the whole template unusable, said once with its line."""

from __future__ import annotations

import pytest

from app.core.model import InputError, ProblemKind, Template
from app.core.templates import compile_template

COLUMNS = ("Email", "Name", "Company", "First name")


def _unknown(body: str, subject: str = "Hi") -> dict[str, tuple[str, int]]:
    return compile_template(Template(subject=subject, body=body), COLUMNS).unknown_fields()


@pytest.mark.parametrize(
    "body",
    [
        "{{ Name }} {{ row['First name'] }} {{ row.Company }}",
        "{% for x in range(3) %}{{ loop.index }}{{ x }}{% endfor %}",
        "{% set greeting = 'Hi' %}{{ greeting }}",
        "{% macro m(who) %}{{ who }}{% endmacro %}{{ m(Name) }}",
        '{{ Nickname|default("friend") }} {{ row.Title|d("") }}',
        "{% if Phone is defined %}{{ Phone }}{% endif %}",
        '{{ row.get("Fax", "") }}',
    ],
    ids=["columns", "loop", "set", "macro", "default", "defined", "get"],
)
def test_columns_locals_and_guarded_names_are_not_unknown(body: str) -> None:
    assert _unknown(body) == {}


def test_each_unknown_field_is_found_once_with_its_part_and_first_line() -> None:
    body = "<p>{{ Nmae }}</p>\n<p>{{ Nmae }} {{ row['Compnay'] }}</p>\n"
    assert _unknown(body, subject="{{ Frist }}") == {
        "Frist": ("subject", 1),
        "Nmae": ("body", 1),
        "Compnay": ("body", 2),
    }


def test_check_fields_refuses_with_a_did_you_mean_and_the_columns() -> None:
    compiled = compile_template(Template(subject="Hi", body="\n{{ Compnay }}"), COLUMNS)

    with pytest.raises(InputError) as caught:
        compiled.check_fields()

    problem = caught.value.problem
    assert problem.kind is ProblemKind.TEMPLATE_ERROR
    assert (problem.row, problem.line) == (None, 2)
    assert problem.message.count("Compnay") == 1
    assert "did you mean `Company`?" in problem.message
    assert "Columns: Email, Name, Company, First name" in problem.message
