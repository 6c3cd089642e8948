"""Run as `python -m tests.core.journal.holder JOURNAL ACTION`: a real second Herald process.

hold     open the journal and keep it open
sending  claim the first row, commit `sending` (as before DATA), then wait to be killed
churn    keep moving rows pending -> sending -> sent until killed (for copies taken mid-run)
held     row 2 sent (outcome held, not yet committed), then killed before the next commit
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

from app.core.journal import Journal


def main(path: Path, action: str) -> None:
    journal = Journal.open(path)
    now = dt.datetime.now(dt.UTC)
    if action == "sending":
        row = journal.claim_next(now)
        assert row is not None
        journal.mark_sending(row, row.message_id)
    if action == "held":
        row = journal.claim_next(now)
        assert row is not None
        journal.mark_sending(row, row.message_id)
        journal.mark_sent(row, 250, "2.0.0 OK")  # held until the next durable write
    print("READY", flush=True)
    if action == "churn":
        while (row := journal.claim_next(now)) is not None:
            journal.mark_sending(row, row.message_id)
            journal.mark_sent(row, 250, "2.0.0 OK")
    time.sleep(120)


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2])
