"""The safety page as staff and managers use it: a day's checks entered item
by item, a night round by two staff, a hazard opened and closed (overdue ones
marked), an incident and a visitor, a month signed off, and a signed month
amended with a reason that appears in the printed log.

Real windows under the offscreen platform, a copy of a demo station, no fixed
waits.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import delete, select

from station_app.db.models import SafetyAmendment, SafetyCheck, SafetyLogSignoff
from station_app.domain.clock import china_date
from station_app.domain.enums import IncidentKind, Role, SafetyCheckKind
from station_app.domain.permissions import Permission
from station_app.gui.feedback import INVALID
from station_app.gui.form_dialog import FormDialog
from station_app.gui.formatting import set_day, set_moment
from station_app.gui.main_window import MainWindow
from station_app.gui.safety.dialogs import NIGHT_ROUND_HINT
from station_app.gui.safety.models import ATTENTION_ROLE, DAY_ROLE
from station_app.gui.safety.page import SafetyPage
from station_app.gui.widgets.combos import choose
from station_app.i18n import _
from station_app.services import demo, safety, users
from station_app.services.context import Actor, Context, Database
from station_app.services.stations import find_station
from tests.support.desk import pdf_text
from tests.support.gui import TIMEOUT, click, settle, type_text

pytestmark = [
    pytest.mark.gui,
    # The offscreen platform cannot size a top-level dialog from its hints.
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

PASSWORD = "manager-pass-1"
DESK_PASSWORD = "desk-pass-123"


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("safety") / "demo.sqlite3"
    with Database.open(f"sqlite:///{path}") as db:
        demo.generate(db, persons=30, years=1, seed=5)
        station = find_station(db)
        assert station is not None
        operator = Context(db, Actor.command_line(station.id))
        users.create_user(
            operator, "dawa", "达瓦", Role.MANAGER, PASSWORD, must_change_password=False
        )
        users.create_user(
            operator, "lhamo", "拉姆", Role.DESK, DESK_PASSWORD, must_change_password=False
        )
    return path


@pytest.fixture
def database(demo_file: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "station.sqlite3"
    shutil.copy(demo_file, path)
    with Database.open(f"sqlite:///{path}") as db:
        yield db


def _login(db: Database, username: str, password: str) -> Context:
    station = find_station(db)
    assert station is not None
    return users.login(db, station.id, username, password)


@pytest.fixture
def manager(database: Database) -> Context:
    return _login(database, "dawa", PASSWORD)


def _page(qtbot: QtBot, ctx: Context) -> SafetyPage:
    holder = QWidget()
    holder.resize(1366, 768)
    qtbot.addWidget(holder)
    page = SafetyPage(ctx, holder)
    holder.show()
    qtbot.waitUntil(lambda: page.screen is not None, timeout=TIMEOUT)
    settle(qtbot)
    return page


def _show_tab(page: SafetyPage, name: str) -> None:
    tab = page.page.findChild(QWidget, name)
    assert tab is not None
    page.tabs.setCurrentWidget(tab)


def _save(qtbot: QtBot, page: SafetyPage, dialog: FormDialog) -> object:
    """Save a form and wait until the page shows what it wrote."""
    with qtbot.waitSignal(page.saved, timeout=TIMEOUT) as saved:
        click(qtbot, dialog.save_button)
    settle(qtbot)
    return saved.args[0]


def _refused(qtbot: QtBot, dialog: FormDialog) -> str:
    with qtbot.waitSignal(dialog.failed, timeout=TIMEOUT) as failed:
        click(qtbot, dialog.save_button)
    settle(qtbot)
    return str(failed.args[0])


def _cells(table_model: object, column: int) -> list[str]:
    model = table_model
    return [
        str(model.index(r, column).data())  # type: ignore[attr-defined]
        for r in range(model.rowCount())  # type: ignore[attr-defined]
    ]


def test_a_days_fire_patrol_is_entered_item_by_item(qtbot: QtBot, manager: Context) -> None:
    page = _page(qtbot, manager)
    dialog = page.open_check(kind=SafetyCheckKind.FIRE_DAILY)
    assert dialog is not None
    items = [row[0] for row in dialog.rows]
    assert items == list(safety.DEFAULTS[SafetyCheckKind.FIRE_DAILY].items)
    # the signed-in manager is the first name of who checked
    qtbot.waitUntil(lambda: page.checker is not None, timeout=TIMEOUT)
    assert dialog.checked_by_edit.toPlainText().strip() in ("", "达瓦")
    dialog.checked_by_edit.setPlainText("达瓦")
    now = datetime.now(UTC)
    checked_at = now - timedelta(minutes=30)
    if china_date(checked_at) != china_date(now):  # just after midnight in China
        checked_at = now  # the check is today's, as the grid on screen
    set_moment(dialog.checked_at_edit, checked_at)

    # an item left unanswered is pointed at, nothing is saved
    for row in range(len(items) - 1):
        dialog.answer(row, True)
    told = _refused(qtbot, dialog)
    assert items[-1] in told
    assert dialog.rows[-1][1].property(INVALID) is True
    # a failed item needs a note saying what was found
    dialog.answer(len(items) - 1, False)
    told = _refused(qtbot, dialog)
    assert items[-1] in told
    assert dialog.rows[-1][3].property(INVALID) is True  # the note of that item is pointed at
    dialog.answer(len(items) - 1, False, "配电间有人私接电炉")
    check = _save(qtbot, page, dialog)

    assert isinstance(check, safety.CheckView)
    assert not check.passed
    assert check.failed_items == (items[-1],)
    assert "1" in page.feedback.text  # "…1 items failed…": the clerk is told
    # the month grid marks the day (once it has read the check); its checks list
    # the failed item with the note
    today = china_date(checked_at)
    qtbot.waitUntil(
        lambda: any(
            d.day == today and page.day_model.index(r, 0).data(ATTENTION_ROLE) is True
            for r, d in enumerate(page.day_model.rows)
        ),
        timeout=TIMEOUT,
    )
    page.choose_day(today)
    notes = _cells(page.check_model, 4)
    assert any("配电间有人私接电炉" in n for n in notes)
    with manager.read() as s:
        stored = s.get(SafetyCheck, check.id)
        assert stored is not None
        assert stored.checklist[items[-1]] == {"ok": False, "note": "配电间有人私接电炉"}
        assert all(stored.checklist[i]["ok"] for i in items[:-1])
    settle(qtbot)


def test_a_night_round_is_done_by_two_staff(qtbot: QtBot, manager: Context) -> None:
    page = _page(qtbot, manager)
    dialog = page.open_check(kind=SafetyCheckKind.NIGHT_ROUND)
    assert dialog is not None
    assert dialog.checkers_hint.text() == _(NIGHT_ROUND_HINT)
    night = datetime.now(UTC) - timedelta(hours=1)
    set_moment(dialog.checked_at_edit, night)
    dialog.checked_by_edit.setPlainText("达瓦")
    click(qtbot, dialog.all_passed_button)
    told = _refused(qtbot, dialog)
    assert "2" in told  # the round needs two different staff
    dialog.checked_by_edit.setPlainText("达瓦\n达瓦")
    told = _refused(qtbot, dialog)
    assert "达瓦" in told  # the same name twice is not two staff
    dialog.checked_by_edit.setPlainText("达瓦\n格桑")
    check = _save(qtbot, page, dialog)
    assert isinstance(check, safety.CheckView)
    assert check.checked_by == ("达瓦", "格桑")
    assert check.passed
    day = check.day
    row = next(r for r, d in enumerate(page.day_model.rows) if d.day == day)
    assert "格桑" in str(page.day_model.index(row, 2).data())


def test_a_hazard_is_opened_shown_overdue_and_closed(qtbot: QtBot, manager: Context) -> None:
    with manager.write(Permission.MANAGE_SAFETY) as s:  # no month signed off yet
        s.execute(delete(SafetyAmendment))
        s.execute(delete(SafetyLogSignoff))
    page = _page(qtbot, manager)
    _show_tab(page, "hazardsTab")
    dialog = page.open_hazard(new=True)
    assert dialog is not None
    today = china_date(datetime.now(UTC))
    set_day(dialog.found_on_edit, today - timedelta(days=10))
    type_text(qtbot, dialog.description_edit, "厨房燃气软管老化")
    type_text(qtbot, dialog.location_edit, "厨房")
    set_day(dialog.deadline_edit, today - timedelta(days=3))
    told = _refused(qtbot, dialog)  # who sees to it?
    assert dialog.owner_edit.property(INVALID) is True, told
    type_text(qtbot, dialog.owner_edit, "王强")
    hazard = _save(qtbot, page, dialog)
    assert isinstance(hazard, safety.HazardView)
    assert hazard.overdue

    row = next(r for r, h in enumerate(page.hazard_model.rows) if h.id == hazard.id)
    assert row == 0 or page.hazard_model.rows[0].overdue  # overdue ones come first
    assert page.hazard_model.index(row, 0).data(ATTENTION_ROLE) is True
    assert "3" in str(page.hazard_model.index(row, 5).data())  # overdue by 3 days
    page.hazards_table.setCurrentIndex(page.hazard_model.index(row, 0))
    closing = page.open_hazard_closing()
    assert closing is not None
    told = _refused(qtbot, closing)  # how was it dealt with?
    assert told
    type_text(qtbot, closing.how_edit, "已更换新软管")
    closed = _save(qtbot, page, closing)
    assert isinstance(closed, safety.HazardView)
    assert closed.closed_on == today
    assert closed.closed_late
    row = next(r for r, h in enumerate(page.hazard_model.rows) if h.id == hazard.id)
    assert page.hazard_model.index(row, 0).data(ATTENTION_ROLE) is False
    assert page.hazard_model.index(row, 6).data() == "已更换新软管"


def test_an_incident_and_a_visitor_are_recorded(qtbot: QtBot, manager: Context) -> None:
    page = _page(qtbot, manager)
    _show_tab(page, "incidentsTab")
    dialog = page.open_incident(new=True)
    assert dialog is not None
    choose(dialog.kind_combo, IncidentKind.FALL)
    type_text(qtbot, dialog.description_edit, "在院内滑倒，左腕擦伤")
    type_text(qtbot, dialog.action_edit, "已消毒包扎，观察")
    incident = _save(qtbot, page, dialog)
    assert isinstance(incident, safety.IncidentView)
    assert incident.kind is IncidentKind.FALL
    assert "在院内滑倒，左腕擦伤" in _cells(page.incident_model, 3)

    _show_tab(page, "visitorsTab")
    visitor_dialog = page.open_visitor(new=True)
    assert visitor_dialog is not None
    type_text(qtbot, visitor_dialog.name_edit, "扎西")
    type_text(qtbot, visitor_dialog.purpose_edit, "接亲属返乡")
    visitor = _save(qtbot, page, visitor_dialog)
    assert isinstance(visitor, safety.VisitorView)
    assert visitor.left_at is None
    row = next(r for r, v in enumerate(page.visitor_model.rows) if v.id == visitor.id)
    page.visitors_table.setCurrentIndex(page.visitor_model.index(row, 0))
    with qtbot.waitSignal(page.saved, timeout=TIMEOUT):
        click(qtbot, page.visitor_left_button)
    settle(qtbot)
    left = next(v for v in page.visitor_model.rows if v.id == visitor.id)
    assert left.left_at is not None


def _last_month() -> tuple[int, int]:
    first = china_date(datetime.now(UTC)).replace(day=1)
    last = first - timedelta(days=1)
    return last.year, last.month


def test_a_signed_month_is_amended_with_a_reason_that_the_log_prints(
    qtbot: QtBot, manager: Context, tmp_path: Path
) -> None:
    year, month = _last_month()
    with manager.write(Permission.MANAGE_SAFETY) as s:  # the month waits for its sign-off
        s.execute(
            delete(SafetyAmendment).where(
                SafetyAmendment.year == year, SafetyAmendment.month == month
            )
        )
        s.execute(
            delete(SafetyLogSignoff).where(
                SafetyLogSignoff.year == year, SafetyLogSignoff.month == month
            )
        )
    page = _page(qtbot, manager)
    running = page.screen
    assert running is not None
    assert running.log.running
    assert not page.sign_off_button.isEnabled()  # this month is not over
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        page.set_month(year, month)
    settle(qtbot)
    assert page.signoff_label.text() == _("Not signed off yet.")
    signoff = page.open_signoff()
    assert signoff is not None
    type_text(qtbot, signoff.notes_edit, "本月检查齐全")
    signed = _save(qtbot, page, signoff)
    assert isinstance(signed, safety.SignOffView)
    assert "达瓦" in page.signoff_label.text()
    assert not page.sign_off_button.isEnabled()  # once

    # a night round of the signed month corrected: the form asks why
    first_night = next(d for d in page.day_model.rows if d.night_rounds)
    page.choose_day(first_night.day)
    check = first_night.night_rounds[0]
    row = next(r for r, c in enumerate(page.check_model.rows) if c.id == check.id)
    page.checks_table.setCurrentIndex(page.check_model.index(row, 0))
    dialog = page.open_check(correct=True)
    assert dialog is not None
    assert dialog.reason_edit.isVisible()
    dialog.checked_by_edit.setPlainText(f"{check.checked_by[0]}\n次仁")
    told = _refused(qtbot, dialog)
    assert f"{year}-{month:02d}" in told  # the month is signed off: why?
    type_text(qtbot, dialog.reason_edit, "第二名值班人员登记错误")
    _save(qtbot, page, dialog)

    reasons = _cells(page.amendment_model, 3)
    assert "第二名值班人员登记错误" in reasons
    changes = _cells(page.amendment_model, 4)
    assert any("次仁" in c for c in changes)
    with manager.read() as s:
        count = s.scalar(
            select(SafetyAmendment.id).where(
                SafetyAmendment.year == year, SafetyAmendment.month == month
            )
        )
        assert count is not None

    with qtbot.waitSignal(page.preview_opened, timeout=TIMEOUT) as opened:
        click(qtbot, page.print_button)
    preview = opened.args[0]
    qtbot.waitUntil(lambda: preview.pdf_path is not None, timeout=TIMEOUT)
    out = tmp_path / "safety-log.pdf"
    preview.save_to(out)
    text = pdf_text(out)
    assert "第二名值班人员登记错误" in text  # the amendment, printed with the log
    assert "达瓦" in text  # the sign-off block
    preview.close()
    settle(qtbot)


def test_desk_staff_record_checks_but_neither_sign_nor_edit_checklists(
    qtbot: QtBot, database: Database
) -> None:
    clerk = _login(database, "lhamo", DESK_PASSWORD)
    page = _page(qtbot, clerk)
    assert page.checklists is None
    tab = page.page.findChild(QWidget, "checklistsTab")
    assert tab is None or page.tabs.indexOf(tab) < 0
    assert not page.sign_off_button.isVisible()
    assert page.record_check_button.isEnabled()


def test_a_manager_edits_a_checklist_and_new_checks_follow_it(
    qtbot: QtBot, manager: Context
) -> None:
    page = _page(qtbot, manager)
    tab = page.checklists
    assert tab is not None
    _show_tab(page, "checklistsTab")
    kinds = [tab.list.item(r).data(0x0100) for r in range(tab.list.count())]
    tab.list.setCurrentRow(kinds.index(SafetyCheckKind.VEHICLE.value))
    assert tab.items_edit.toPlainText().splitlines() == list(
        safety.DEFAULTS[SafetyCheckKind.VEHICLE].items
    )
    tab.items_edit.setPlainText(tab.items_edit.toPlainText() + "\n车载对讲机电量充足")
    with qtbot.waitSignal(page.saved, timeout=TIMEOUT):
        click(qtbot, tab.save_button)
    settle(qtbot)
    assert tab.reset_button.isEnabled()  # the station's own now
    dialog = page.open_check(kind=SafetyCheckKind.VEHICLE)
    assert dialog is not None
    assert dialog.rows[-1][0] == "车载对讲机电量充足"
    dialog.close()
    with qtbot.waitSignal(page.saved, timeout=TIMEOUT):
        click(qtbot, tab.reset_button)
    settle(qtbot)
    assert tab.items_edit.toPlainText().splitlines() == list(
        safety.DEFAULTS[SafetyCheckKind.VEHICLE].items
    )


def test_the_safety_area_of_the_main_window(qtbot: QtBot, manager: Context) -> None:
    main = MainWindow(manager)
    qtbot.addWidget(main.window)
    main.window.show()
    main.show_area("safetyContainer")
    qtbot.waitUntil(lambda: "safetyContainer" in main.area_pages, timeout=TIMEOUT)
    page = main.area_pages["safetyContainer"]
    assert isinstance(page, SafetyPage)
    qtbot.waitUntil(lambda: page.screen is not None, timeout=TIMEOUT)
    grid_days = [
        page.day_model.index(r, 0).data(DAY_ROLE) for r in range(page.day_model.rowCount())
    ]
    assert grid_days[0] == china_date(datetime.now(UTC)).replace(day=1)
    assert isinstance(grid_days[-1], date)
    settle(qtbot)
