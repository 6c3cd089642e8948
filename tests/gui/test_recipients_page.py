"""Recipients page: open, sheet and header row, roles, problems filter, exclusion, counts."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt

from app.core.model import Role
from tests.gui.helpers import people, write_workbook


def test_counts_valid_invalid_and_duplicate_rows(window, run, tmp_path):
    page = window.recipients_page
    assert run(page.open_file(people(tmp_path / "p.xlsx", 4, bad=2, duplicate=1)))
    assert page.counts == {"rows": 7, "valid": 4, "invalid": 2, "duplicate": 1, "excluded": 0}
    assert "4 valid, 2 invalid, 1 duplicate" in page.counts_label.text()


def test_problems_only_shows_just_the_rows_with_problems(window, run, tmp_path):
    page = window.recipients_page
    run(page.open_file(people(tmp_path / "p.xlsx", 5, bad=2)))
    assert page.visible_rows() == 7
    page.problems_only.setChecked(True)
    assert page.visible_rows() == 2
    page.search.setText("broken1")
    assert page.visible_rows() == 1
    page.search.setText("")
    page.problems_only.setChecked(False)
    assert page.visible_rows() == 7


def test_detected_roles_are_shown_and_can_be_changed(window, run, tmp_path):
    page = window.recipients_page
    run(page.open_file(people(tmp_path / "p.xlsx", 3)))
    assert page.role_combos[Role.EMAIL].currentText() == "Email"
    assert page.role_combos[Role.NAME].currentText() == "Name"
    run(window.session.set_role(Role.NAME, "City"))
    assert window.session.mapping.name == "City"
    assert page.role_combos[Role.NAME].currentText() == "City"


def test_excluding_selected_rows_updates_the_counts(window, run, tmp_path):
    page = window.recipients_page
    run(page.open_file(people(tmp_path / "p.xlsx", 4)))
    selection = page.table.selectionModel()
    for row in (0, 1):
        selection.select(
            page.table.model().index(row, 0),
            QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
        )
    page.exclude_button.click()
    assert window.session.excluded == {2, 3}
    assert page.counts["excluded"] == 2 and page.counts["valid"] == 2


def test_sheet_and_header_row_can_be_chosen(window, run, tmp_path):
    path = write_workbook(
        tmp_path / "two.xlsx",
        [["Email"], ["a@example.com"]],
        sheets={
            "Later": [
                ["Title line"],
                ["Mail", "Name"],
                ["b@example.com", "B"],
                ["c@example.com", "C"],
            ]
        },
    )
    page = window.recipients_page
    run(page.open_file(path))
    assert [page.sheet_combo.itemText(i) for i in range(page.sheet_combo.count())] == [
        "People",
        "Later",
    ]
    page.sheet_combo.setCurrentText("Later")
    page.header_spin.setValue(2)
    run(page.reload_now())
    table = window.session.table
    assert table.sheet == "Later" and table.header_row == 2
    assert table.headers == ("Mail", "Name")
    assert page.counts["rows"] == 2


def test_an_unreadable_file_is_reported_in_words(window, run, tmp_path, monkeypatch):
    messages = []
    monkeypatch.setattr(window, "_show_error", messages.append)
    window.session.failed.disconnect()
    window.session.failed.connect(messages.append)
    bogus = tmp_path / "fake.xlsx"
    bogus.write_text("not a workbook")
    assert not run(window.recipients_page.open_file(bogus))
    assert messages and "fake.xlsx" in messages[0]


def test_loading_100000_rows_keeps_the_event_loop_turning(window, run, tmp_path):
    """The figures (worst stall) are printed by benchmarks/gui_latency.py; here: it loads and
    the loop keeps ticking while it does (a blocking load would tick only once or twice)."""
    import asyncio

    path = tmp_path / "big.csv"
    lines = ["Email,Name", *(f"p{i}@example.com,N{i}" for i in range(100_000))]
    path.write_text("\n".join(lines), encoding="utf-8")
    ticks = 0

    async def scenario() -> None:
        nonlocal ticks
        task = asyncio.ensure_future(window.recipients_page.open_file(path))
        while not task.done():
            await asyncio.sleep(0.01)
            ticks += 1
        await task

    run(scenario(), timeout=60)
    assert window.recipients_page.counts["rows"] == 100_000
    assert ticks >= 10


def test_excluded_rows_are_saved_in_the_campaign_file_and_restored_on_open(
    demo_window, run, tmp_path
):
    from app.core.campaign import load_campaign_file

    window = demo_window
    window.session.set_excluded([3, 5], True)
    target = tmp_path / "saved" / "campaign.toml"
    target.parent.mkdir()
    assert window._save_to(target)
    assert load_campaign_file(target).exclude_rows == (3, 5)

    window.session.set_excluded([3, 5], False)
    window.session.set_dirty(False)
    run(window.open_path(target))

    page = window.recipients_page
    assert window.session.excluded == {3, 5}
    assert page.counts["excluded"] == 2
    unchecked = [
        page.model.index(r, 0).data()
        for r in range(page.model.rowCount())
        if page.model.index(r, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    ]
    assert len(unchecked) == 2


def test_rows_on_the_do_not_email_list_are_marked_and_counted_apart(window, run, tmp_path):
    from app.core.do_not_email import DoNotEmailList, Reason

    listed = DoNotEmailList.load()
    listed.add("PERSON1@example.com", Reason.HARD_BOUNCE)
    listed.save()
    page = window.recipients_page
    assert run(page.open_file(people(tmp_path / "p.xlsx", 3)))
    assert page.counts["do_not_email"] == 1 and page.counts["valid"] == 2
    assert "1 on the do-not-email list" in page.counts_label.text()
    model = page.table.model()
    found = [model.index(r, 1).data() for r in range(model.rowCount())]
    assert found[1] == "problem: on the do-not-email list" and found[0] != found[1]
    problems = window.session.problems_by_row()[3]
    assert [p.kind for p in problems] == ["do-not-email"]


def test_the_window_never_sends_to_an_address_on_the_do_not_email_list(window, run, tmp_path):
    import asyncio
    import time
    from dataclasses import replace

    from app.core.do_not_email import DoNotEmailList, Reason
    from app.gui.profiles import Profile, ProfileStore
    from tests.support.smtp_server import SmtpTestServer

    listed = DoNotEmailList.load()
    listed.add("person2@example.com", Reason.UNSUBSCRIBED)
    listed.save()
    server = SmtpTestServer()
    port = run(server.start())
    try:
        ProfileStore().save(Profile(name="loopback", host="127.0.0.1", port=port, security="none"))
        run(window.recipients_page.open_file(people(tmp_path / "p.xlsx", 4)))
        session = window.session
        session.update_draft(sender="Shop <shop@example.com>", subject="Hi", body="<p>Hi</p>")
        session.set_send_config(replace(session.config.send, profile="loopback"))
        session.save(tmp_path / "campaign.toml")
        window.go_to(3)
        page = window.send_page
        page.load_limits()

        async def send_all() -> None:
            await page.start_send()
            deadline = time.monotonic() + 20
            while page.controller.running and time.monotonic() < deadline:
                await asyncio.sleep(0.02)

        run(send_all())
        sent_to = sorted(a for m in server.messages for a in m.rcpt_tos)
        assert sent_to == ["person0@example.com", "person1@example.com", "person3@example.com"]
    finally:
        run(server.stop())
