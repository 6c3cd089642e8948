"""The engine and its journal: nothing goes out without a durable `sending` mark."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.journal import Journal, JournalError
from tests.core.send.engine_support import Campaign, address, engine, run


class _DiskFullBeforeData(Journal):
    """The real journal, except that the commit guarding DATA fails as on a full disk."""

    def commit(self, upto: int | None = None) -> None:
        if upto is not None:
            raise JournalError("Cannot write the send journal: database or disk is full.")
        super().commit(upto)


async def test_a_failed_sending_commit_stops_the_send_before_data(tmp_path: Path, smtp_server):
    campaign = Campaign(tmp_path, 3)
    campaign.journal.close()
    campaign.journal = _DiskFullBeforeData.open(campaign.path)

    with pytest.raises(JournalError, match="disk is full"):
        await run(engine(campaign, smtp_server))

    assert smtp_server.commands_named("DATA") == [] and smtp_server.messages == []
    assert smtp_server.commands_named("RSET")  # the open transaction was abandoned cleanly


async def test_every_outcome_is_on_disk_when_run_returns(tmp_path: Path, smtp_server):
    campaign = Campaign(tmp_path, 5)
    smtp_server.on("rcpt", "550 5.1.1 No such user", address=address(4))

    finished = await run(engine(campaign, smtp_server, connections=2))

    with Journal.open_readonly(campaign.path) as view:  # another connection: committed only
        on_disk = {str(state): count for state, count in view.counts().items() if count}
    assert on_disk == {"sent": 4, "failed": 1} == {k: v for k, v in finished.counts.items() if v}
