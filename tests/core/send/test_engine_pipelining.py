"""The engine over a pipelining server: the `sending` mark is on disk before any message body
leaves, and every reply of the pipelined group gets the same verdict as one by one."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import pytest

from app.core.journal import Journal, JournalError
from app.core.send.events import Failed, Sent
from tests.core.send.engine_support import Campaign, address, engine, of_type, run


class _WatchedJournal(Journal):
    """The real journal, noting how many messages the server had received at each durable
    `sending` commit (the engine commits with `upto` before a body may go)."""

    server: Any = None
    seen: ClassVar[list[int]] = []

    def commit(self, upto: int | None = None) -> None:
        if upto is not None:
            self.seen.append(self.server.message_count)
        super().commit(upto)


class _DiskFullBeforeData(Journal):
    def commit(self, upto: int | None = None) -> None:
        if upto is not None:
            raise JournalError("Cannot write the send journal: database or disk is full.")
        super().commit(upto)


async def test_the_sending_mark_is_durable_before_each_body_leaves(
    tmp_path: Path, smtp_server_factory
):
    server = await smtp_server_factory(pipelining=True)
    campaign = Campaign(tmp_path, 4)
    campaign.journal.close()
    campaign.journal = _WatchedJournal.open(campaign.path)
    campaign.journal.server = server
    _WatchedJournal.seen.clear()

    finished = await run(engine(campaign, server))

    assert finished.counts["sent"] == 4
    # the k-th mark was made durable when the server had only the k-1 earlier messages
    assert campaign.journal.seen == [0, 1, 2, 3]


async def test_a_failed_sending_commit_sends_no_body_and_hangs_up(
    tmp_path: Path, smtp_server_factory
):
    server = await smtp_server_factory(pipelining=True)
    campaign = Campaign(tmp_path, 2)
    campaign.journal.close()
    campaign.journal = _DiskFullBeforeData.open(campaign.path)

    with pytest.raises(JournalError, match="disk is full"):
        await run(engine(campaign, server))

    # the group (with DATA) had gone: closing, not RSET, ends it without a message
    assert server.messages == [] and server.message_count == 0
    assert server.commands_named("RSET") == [] and server.commands_named("QUIT") == []
    assert server.current_connections == 0


async def test_pipelined_refusals_settle_rows_like_one_by_one(tmp_path: Path, smtp_server_factory):
    server = await smtp_server_factory(pipelining=True)
    server.on("rcpt", "550 5.1.1 No such user", address=address(3))
    server.on("data", "554 5.7.1 Message refused", nth=3)  # the third DATA with a recipient
    campaign = Campaign(tmp_path, 6)
    events: list = []

    finished = await run(engine(campaign, server, events=events, max_attempts=1))

    failed = {e.row: e.stage for e in of_type(events, Failed)}
    assert failed == {3: "rcpt", 5: "data"}  # rows 2, 4: the first and second DATA
    assert finished.counts["sent"] == len(of_type(events, Sent)) == len(server.messages) == 4
    with Journal.open_readonly(campaign.path) as view:
        assert view.counts()["sending"] == 0
