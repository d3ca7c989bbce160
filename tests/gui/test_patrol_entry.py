"""Entering a patrol shift as a tired team does after a night out (issue 6):
keyboard only, end to end; a crash half-way loses nothing; bad input is
refused in the form with nothing lost; a correction is audited.

A small station built through the services, around the real clock (the shift
is dated two days back). Real widgets under the offscreen platform; keys
through QTest, Chinese through input-method commits; no sleeps. The form reads
its shift and the catalogue off the GUI thread: a new shift can be typed
meanwhile, a submitted one is locked until it is shown. A refusal points at
the grid row of the encounter the service names; the patrol page shows a
submitted shift by itself.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QDate, QPersistentModelIndex, Qt, QTime
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QTableView, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from station_app.db.models import AuditEntry
from station_app.domain.enums import (
    AuditAction,
    EncounterAction,
    MovementKind,
    PartnerAgency,
    PatrolArea,
    Sex,
    ShiftStatus,
)
from station_app.gui.formatting import CHINA, day_text
from station_app.gui.patrol import DraftStore, PatrolPage, ShiftForm
from station_app.gui.patrol.encounter_model import COLUMN, EncounterTableModel
from station_app.gui.patrol.page import FIGURES, ShiftListModel
from station_app.gui.patrol.rows import EncounterRow
from station_app.gui.patrol.shift_form import RESTORED
from station_app.i18n import _
from station_app.services import desk, patrol, persons, supplies
from station_app.services.context import Actor, Context, Database
from station_app.services.stations import create_station
from tests.support.gui import (
    TIMEOUT,
    click,
    is_busy,
    marked_invalid,
    settle,
    still_active,
    told,
    type_text,
)
from tests.support.stations import copy_of, kangding_setup, stock_up

pytestmark = pytest.mark.gui

Act = EncounterAction
Key = Qt.Key


# ------------------------------------------------------------------ the station


@pytest.fixture(scope="module")
def station_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Actor]:
    """A station with coats and food in store, and 扎西, who got a coat last week."""
    path = tmp_path_factory.mktemp("patrol") / "station.sqlite3"
    now = datetime.now(UTC)
    with Database.open(f"sqlite:///{path}") as db:
        ctx = create_station(db, kangding_setup())
        stock_up(ctx, (("COAT", "棉衣", "件"), ("FOOD", "食品", "份")), 20)
        tashi = persons.create_person(
            ctx, persons.PersonInput(name_zh="扎西", sex=Sex.MALE, estimated_age=45)
        ).person
        coat = next(i for i in supplies.list_items(ctx) if i.code == "COAT")
        supplies.issue(
            ctx,
            supplies.IssueInput(
                coat.id, 1, MovementKind.ISSUE_PERSON, now - timedelta(days=5), person_id=tashi.id
            ),
        )
        actor = ctx.actor
    return path, actor


@pytest.fixture
def context(station_file: tuple[Path, Actor], tmp_path: Path) -> Iterator[Context]:
    template, actor = station_file
    with copy_of(template, tmp_path, actor) as ctx:
        yield ctx


@pytest.fixture
def store(context: Context, tmp_path: Path) -> DraftStore:
    return DraftStore(context.station_id, context.actor.username, tmp_path / "drafts")


@pytest.fixture
def forms(qtbot: QtBot) -> Iterator[list[ShiftForm]]:
    opened: list[ShiftForm] = []
    yield opened
    settle(qtbot)  # a submit under way ends first
    for form in opened:
        if shiboken6.isValid(form.dialog):
            form.close()


def open_form(
    qtbot: QtBot,
    ctx: Context,
    store: DraftStore,
    forms: list[ShiftForm],
    shift_id: int | None = None,
) -> ShiftForm:
    form = ShiftForm(ctx, shift_id, draft_store=store)
    form.dialog.setMinimumSize(1100, 700)
    forms.append(form)
    form.show()
    shown(qtbot, form)
    return form


def shown(qtbot: QtBot, form: ShiftForm) -> None:
    """The form is on screen, with the shift, the catalogue and the user's name read."""
    qtbot.waitExposed(form.dialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is form.dialog)
    settle(qtbot)
    assert form.sheet is not None
    assert not is_busy(form.dialog)


def patrol_page(qtbot: QtBot, ctx: Context, store: DraftStore) -> PatrolPage:
    """The patrol page in a window, its shifts read."""
    window = QWidget()
    window.setMinimumSize(900, 600)
    qtbot.addWidget(window)
    page = PatrolPage(ctx, window, draft_store=store)
    page.page.setMinimumSize(900, 600)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: page.view is not None, timeout=TIMEOUT)
    return page


@contextmanager
def held(monkeypatch: pytest.MonkeyPatch, service: str) -> Iterator[threading.Event]:
    """Hold a patrol service call at its start until the event is set: what a
    slow database does, without waiting on the clock."""
    gate = threading.Event()
    real = getattr(patrol, service)

    def waiting(*args: object, **kwargs: object) -> object:
        if not gate.wait(TIMEOUT / 1000):
            raise TimeoutError(f"{service} was held too long")
        return real(*args, **kwargs)

    monkeypatch.setattr(patrol, service, waiting)
    try:
        yield gate
    finally:
        gate.set()  # a failing test leaves no thread waiting


# ------------------------------------------------------------------ a tired team's hands


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def typed(qtbot: QtBot, text: str) -> None:
    """Type into the field that has the cursor (Chinese as an input method's commit)."""
    type_text(qtbot, focused(), text)


def press(
    qtbot: QtBot,
    key: Qt.Key,
    times: int = 1,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    for _i in range(times):
        # a completion list open has the keyboard (Enter and Tab leave it and move on)
        popup = QApplication.activePopupWidget()
        window = focused().window()
        qtbot.keyClick(popup if popup is not None else focused(), key, modifier)
        still_active(qtbot, window)


def cells(qtbot: QtBot, *values: str) -> None:
    """Type each value into a cell and press Enter ("" leaves the cell empty)."""
    for value in values:
        if value:
            typed(qtbot, value)
        press(qtbot, Key.Key_Return)


def type_header(qtbot: QtBot, form: ShiftForm, day: datetime, staff: str = "3") -> None:
    """The shift's own fields, from the date to the table, with Tab only."""
    h = form.header
    h.date_edit.setFocus()
    qtbot.waitUntil(lambda: h.date_edit.hasFocus())
    typed(qtbot, day.strftime("%Y%m%d"))
    press(qtbot, Key.Key_Tab)
    assert focused() is h.start_edit
    typed(qtbot, "2000")
    press(qtbot, Key.Key_Tab)
    typed(qtbot, "0030")
    press(qtbot, Key.Key_Tab)
    assert focused() is h.members_edit
    press(qtbot, Key.Key_End)
    typed(qtbot, "、李娜、王警官（炉城派出所）")
    press(qtbot, Key.Key_Tab)
    press(qtbot, Key.Key_Space)  # police
    press(qtbot, Key.Key_Tab, len(PartnerAgency))
    assert focused() is h.staff_spin
    typed(qtbot, staff)
    press(qtbot, Key.Key_Tab)
    typed(qtbot, "1")
    press(qtbot, Key.Key_Tab)
    typed(qtbot, "小雪")
    press(qtbot, Key.Key_Tab)
    typed(qtbot, "-9.5")
    press(qtbot, Key.Key_Tab)
    press(qtbot, Key.Key_Space)  # bus and railway stations
    press(qtbot, Key.Key_Tab)
    press(qtbot, Key.Key_Space)  # bridges and underpasses
    press(qtbot, Key.Key_Tab, len(PatrolArea) - 1)
    assert focused() is h.area_notes_edit
    typed(qtbot, "炉城镇汽车站、折多河桥洞")
    press(qtbot, Key.Key_Tab)  # into the grid: the first cell opens


def shift_day() -> datetime:
    return datetime.now(CHINA) - timedelta(days=2)


def stock(ctx: Context, code: str) -> Decimal:
    return next(line.quantity for line in supplies.stock_on_hand(ctx) if line.code == code)


def pick_person(qtbot: QtBot, query: str) -> None:
    """Type part of a name in the person cell, choose the record found: Enter
    takes it and moves on."""
    typed(qtbot, query)
    editor = focused()
    assert isinstance(editor, QLineEdit)
    index = form_index(editor)
    popup = editor.completer().popup()
    assert popup is not None
    qtbot.waitUntil(lambda: popup.isVisible(), timeout=TIMEOUT)
    qtbot.keyClick(popup, Key.Key_Down)
    qtbot.keyClick(popup, Key.Key_Return)
    assert "扎西" in index.data()


def pick_item(qtbot: QtBot, start: str) -> None:
    """Type the start of an item's name in the items cell and take the completion
    (Enter takes it and moves on)."""
    typed(qtbot, start)
    editor = focused()
    assert isinstance(editor, QLineEdit)
    index = form_index(editor)
    popup = editor.completer().popup()
    assert popup is not None
    if not popup.isVisible():  # an input method's commit does not open the list itself
        editor.completer().complete()
    qtbot.waitUntil(lambda: popup.isVisible())
    qtbot.keyClick(popup, Key.Key_Down)
    qtbot.keyClick(popup, Key.Key_Return)
    assert index.data() == "棉衣×1"


def form_index(editor: QWidget) -> QPersistentModelIndex:
    """The cell an open editor edits."""
    table = editor.parentWidget()
    while table is not None and not isinstance(table, QTableView):
        table = table.parentWidget()
    assert table is not None
    return QPersistentModelIndex(table.currentIndex())


# ------------------------------------------------------------------ the walk


# The offscreen platform cannot raise a list or grab the keyboard for it; it
# says so each time a completion list or the action list opens.
OFFSCREEN_POPUPS = pytest.mark.qt_log_ignore("This plugin does not support")


@OFFSCREEN_POPUPS
def test_a_whole_shift_entered_with_the_keyboard(
    qtbot: QtBot, context: Context, store: DraftStore, forms: list[ShiftForm]
) -> None:
    coats, food = stock(context, "COAT"), stock(context, "FOOD")
    form = open_form(qtbot, context, store, forms)
    form.grid.skipped.clear()  # every column, with Enter (the default passes some over)
    assert form.header.members_edit.text() == "管理员"  # the user's own name, prefilled
    day = shift_day()
    type_header(qtbot, form, day)
    # the end before the start is the next day, and the form says so
    assert day_text(day.date() + timedelta(days=1)) in form.end_day_label.text()

    # 21:30 an old man at the bus station, persuaded and brought in, given food
    assert form.table.currentIndex().row() == 0
    cells(qtbot, "2130", "炉城镇汽车站", "汽车站老人，约七十岁，男", "体弱，衣着单薄", "食物、住宿")
    typed(qtbot, "1")  # the first action: persuaded and brought to the station
    press(qtbot, Key.Key_Return)
    cells(qtbot, "", "食品×1", "")
    # Enter on the last cell added a row, its time taken from the row before
    assert form.model.rowCount() == 2
    assert form.model.row(1).time == "21:30"
    # 22:15 under the bridge: refused help, left a coat and food
    cells(qtbot, "2215", "折多河桥洞", "桥洞老人，约六十岁，灰棉衣", "", "")
    typed(qtbot, "6")  # refused help
    press(qtbot, Key.Key_Return)
    cells(qtbot, "不愿离开，说有亲戚来接", "棉衣×1，食品×2", "")
    # 00:10, past midnight: 扎西, on record, given a coat again; follow-up
    cells(qtbot, "0010", "跑马山脚")
    pick_person(qtbot, "扎西")  # Enter took the record and moved on
    cells(qtbot, "醉酒", "")
    press(qtbot, Key.Key_F4)  # open the list with the keyboard
    combo = form.delegate.editor
    assert isinstance(combo, QComboBox)
    qtbot.waitUntil(lambda: combo.view().isVisible())
    qtbot.keyClick(combo.view(), Key.Key_Escape)
    typed(qtbot, "7")  # left a contact card
    press(qtbot, Key.Key_Return)
    press(qtbot, Key.Key_Return)  # no refusal
    pick_item(qtbot, "棉")  # the catalogue completes 棉衣×1; Enter moved on
    typed(qtbot, "明天回访")
    assert form.model.rowCount() == 3

    with qtbot.waitSignal(form.submitted, timeout=TIMEOUT) as blocker:
        press(qtbot, Key.Key_Return, modifier=Qt.KeyboardModifier.ControlModifier)
    view: patrol.ShiftView = blocker.args[0]

    # the database has the whole shift
    saved = patrol.get_shift(context, view.id)
    assert saved.shift_date == day.date()
    assert saved.started_at == datetime.combine(day.date(), datetime.min.time(), CHINA).replace(
        hour=20
    )
    assert saved.ended_at - saved.started_at == timedelta(hours=4, minutes=30)
    assert [m.name for m in saved.members] == ["管理员", "李娜", "王警官"]
    assert saved.members[0].user_id == context.actor.user_id
    assert saved.members[2].agency == "炉城派出所"
    assert saved.partner_agencies == (PartnerAgency.POLICE,)
    assert set(saved.areas) == {PatrolArea.TRANSPORT_STATION, PatrolArea.BRIDGE_UNDERPASS}
    assert (saved.staff_count, saved.vehicle_count) == (3, 1)
    assert saved.weather == "小雪"
    assert saved.temperature_c == Decimal("-9.5")
    brought, refused, tashi = saved.encounters
    assert brought.action is Act.BROUGHT_TO_STATION
    assert brought.code_name == "汽车站老人"
    assert brought.description == "约七十岁，男"
    assert refused.action is Act.REFUSED_HELP
    assert refused.refusal_reason == "不愿离开，说有亲戚来接"
    assert tashi.person_name == "扎西"
    assert tashi.action is Act.CONTACT_CARD_LEFT
    assert tashi.met_at.astimezone(CHINA).date() == day.date() + timedelta(days=1)
    assert tashi.follow_up_needed
    assert tashi.follow_up_note == "明天回访"
    # the one persuaded to come (劝导来站) is expected at the desk, not yet arrived
    assert brought.help_request_id is None
    today = desk.today(context, now=saved.ended_at)  # (the shift may be days back)
    assert [x.encounter_id for x in today.expected] == [brought.id]
    assert today.residents == ()
    assert form.arrivals == []
    # the items left the store
    assert stock(context, "COAT") == coats - 2
    assert stock(context, "FOOD") == food - 3
    # 扎西 had a coat five days ago: saved, with a warning to check
    message = told(form)
    assert message.warning
    assert "扎西" in message.text
    # nothing is left as a draft; the form now corrects the saved shift
    assert not store.exists()
    assert form.shift_id == view.id
    assert [r.id for r in form.model.rows] == [e.id for e in saved.encounters]


def test_a_crash_half_way_loses_nothing(
    qtbot: QtBot, context: Context, store: DraftStore, forms: list[ShiftForm]
) -> None:
    form = open_form(qtbot, context, store, forms)
    type_header(qtbot, form, shift_day())
    cells(qtbot, "2215", "折多河桥洞")
    typed(qtbot, "桥洞老人")  # typed, Enter not pressed yet
    # the debounced draft reaches the disk, the cell being typed in included
    qtbot.waitUntil(
        lambda: store.exists() and "桥洞老人" in store.path.read_text("utf-8"), timeout=TIMEOUT
    )
    # the laptop dies: the window goes without closing, nothing more is written
    shiboken6.delete(form.dialog)
    forms.clear()

    again = open_form(qtbot, context, store, forms)
    h = again.header
    saved_at = datetime.fromisoformat(json.loads(store.path.read_text("utf-8"))["saved_at"])
    assert again.draft_label.isVisible()
    assert again.draft_label.text() == _(RESTORED).format(
        time=saved_at.astimezone(CHINA).strftime("%H:%M")
    )
    assert h.date_edit.date() == QDate(shift_day().year, shift_day().month, shift_day().day)
    assert h.start_edit.time() == QTime(20, 0)
    assert h.end_edit.time() == QTime(0, 30)
    assert h.members_edit.text() == "管理员、李娜、王警官（炉城派出所）"
    assert h.partners[PartnerAgency.POLICE].isChecked()
    assert h.weather_edit.text() == "小雪"
    assert h.temperature_edit.text() == "-9.5"
    assert h.staff_spin.value() == 3
    row = again.model.row(0)
    assert (row.time, row.place, row.person) == ("22:15", "折多河桥洞", "桥洞老人")

    # closing the window without submitting keeps the draft too
    again.model.setData(again.model.index(0, COLUMN["needs"]), "棉被")
    again.close()
    draft = json.loads(store.path.read_text("utf-8"))
    assert draft["state"]["rows"][0]["needs"] == "棉被"


def test_a_damaged_draft_is_set_aside(
    qtbot: QtBot, context: Context, store: DraftStore, forms: list[ShiftForm]
) -> None:
    store.directory.mkdir(parents=True)
    store.path.write_text('{"version": 1, "state": {"head', "utf-8")
    form = open_form(qtbot, context, store, forms)
    message = told(form)
    assert message.error
    assert ".bad" in message.text
    assert not store.exists()
    assert store.path.with_name(store.path.name + ".bad").is_file()
    assert form.model.rowCount() == 1  # a fresh shift to enter


def test_bad_input_is_refused_and_nothing_is_lost(
    qtbot: QtBot, context: Context, store: DraftStore, forms: list[ShiftForm]
) -> None:
    form = open_form(qtbot, context, store, forms)
    form.grid.skipped.clear()  # every column, with Enter (the default passes some over)
    tomorrow = datetime.now(CHINA) + timedelta(days=1)
    type_header(qtbot, form, tomorrow, staff="-3")
    assert form.header.staff_spin.value() >= 0  # a count cannot be typed negative
    cells(qtbot, "2215", "折多河桥洞", "桥洞老人", "", "")
    typed(qtbot, "6")  # refused help, and no reason typed
    press(qtbot, Key.Key_Return)
    before = [r.to_json() for r in form.model.rows]

    def refused() -> str:
        with qtbot.waitSignal(form.failed, timeout=TIMEOUT) as blocker:
            press(qtbot, Key.Key_Return, modifier=Qt.KeyboardModifier.ControlModifier)
        message = told(form)
        assert message.error
        assert blocker.args[0] == message.text
        return message.text

    # a shift in the future
    refused()
    assert marked_invalid(form.header.end_edit)
    assert [r.to_json() for r in form.model.rows] == before
    assert form.header.members_edit.text() == "管理员、李娜、王警官（炉城派出所）"

    # the right date; the staff count now too small for a team of three
    form.header.date_edit.setFocus()
    typed(qtbot, shift_day().strftime("%Y%m%d"))
    form.header.staff_spin.setFocus()
    form.header.staff_spin.selectAll()
    typed(qtbot, "1")
    refused()
    assert marked_invalid(form.header.staff_spin)
    assert not marked_invalid(form.header.end_edit)

    # a refusal without a reason: the row and the cell are pointed at
    form.header.staff_spin.selectAll()
    typed(qtbot, "3")
    refused()
    assert form.model.marked == (0, COLUMN["refusal_reason"])
    assert form.table.currentIndex().column() == COLUMN["refusal_reason"]
    assert [r.to_json() for r in form.model.rows] == before

    # text the form cannot read: a time, an item not in the catalogue
    form.model.setData(form.model.index(0, COLUMN["refusal_reason"]), "不愿离开")
    form.model.setData(form.model.index(0, COLUMN["time"]), "25:99")
    refused()
    assert form.model.marked == (0, COLUMN["time"])
    form.model.setData(form.model.index(0, COLUMN["time"]), "22:15")
    form.model.setData(form.model.index(0, COLUMN["items"]), "毛毯×1")
    assert "毛毯" in refused()
    assert form.model.marked == (0, COLUMN["items"])
    assert not patrol.list_shifts(
        context, start=shift_day().date() - timedelta(days=1), end=tomorrow.date()
    )

    # corrected: saved, and the highlight is gone
    form.model.setData(form.model.index(0, COLUMN["items"]), "棉衣×1")
    with qtbot.waitSignal(form.submitted, timeout=TIMEOUT):
        press(qtbot, Key.Key_Return, modifier=Qt.KeyboardModifier.ControlModifier)
    assert form.model.marked is None
    assert not marked_invalid(form.header.staff_spin)
    assert not marked_invalid(form.table)
    assert told(form).information


def test_removing_a_row_asks_first(
    qtbot: QtBot, context: Context, store: DraftStore, forms: list[ShiftForm]
) -> None:
    form = open_form(qtbot, context, store, forms)
    form.model.set_rows([EncounterRow("21:00", "甲"), EncounterRow("21:10", "乙")])
    form.table.setFocus()
    form.table.setCurrentIndex(form.model.index(0, COLUMN["place"]))
    press(qtbot, Key.Key_Escape)  # leave the cell's editor
    press(qtbot, Key.Key_Delete)
    assert form.model.rowCount() == 2
    question = told(form)
    assert question.information
    assert "甲" in question.text
    press(qtbot, Key.Key_Delete)
    assert [r.place for r in form.model.rows] == ["乙"]
    assert told(form).level is None
    # Esc leaves a cell; pressed again it does not close the shift
    press(qtbot, Key.Key_Escape)
    press(qtbot, Key.Key_Escape)
    assert form.dialog.isVisible()


def test_correcting_a_submitted_shift_is_audited(
    qtbot: QtBot, context: Context, store: DraftStore, forms: list[ShiftForm]
) -> None:
    page = patrol_page(qtbot, context, store)
    assert page.model.rowCount() == 0
    day = shift_day()
    start = datetime.combine(day.date(), datetime.min.time(), CHINA).replace(hour=20)
    # submitted at another desk: the open page shows it by itself
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        shift_id = patrol.submit_shift(
            context,
            patrol.ShiftInput(
                shift_date=day.date(),
                started_at=start,
                ended_at=start + timedelta(hours=3),
                members=[patrol.MemberInput("张伟"), patrol.MemberInput("李娜")],
                staff_count=2,
                weather="晴",
                encounters=[
                    patrol.EncounterInput(
                        met_at=start + timedelta(hours=1),
                        place="折多河桥洞",
                        action=Act.CONTACT_CARD_LEFT,
                        code_name="桥洞老人",
                    )
                ],
            ),
        ).id
    assert page.model.rowCount() == 1
    assert "1" in page.figures_label.text()
    with qtbot.waitSignal(page.form_opened) as opened:
        page.table.activated.emit(page.model.index(0, 0))
    form: ShiftForm = opened.args[0]
    forms.append(form)
    # until the shift is read, nothing can be typed over it or submitted
    assert is_busy(form.dialog)
    assert not form.header.weather_edit.isEnabled()
    assert not form.table.isEnabled()
    assert not form.submit_button.isEnabled()
    shown(qtbot, form)
    assert form.header.weather_edit.isEnabled()
    assert form.submit_button.isEnabled()
    assert form.header.weather_edit.text() == "晴"
    assert form.model.row(0).person == "桥洞老人"
    form.header.weather_edit.setFocus()
    form.header.weather_edit.selectAll()
    typed(qtbot, "大雪")
    with (
        qtbot.waitSignal(page.loaded, timeout=TIMEOUT),
        qtbot.waitSignal(form.submitted, timeout=TIMEOUT),
    ):
        click(qtbot, form.submit_button)
    assert patrol.get_shift(context, shift_id).weather == "大雪"
    assert len(patrol.get_shift(context, shift_id).encounters) == 1
    with context.db.sessions() as s:
        entries = list(
            s.scalars(
                select(AuditEntry).where(
                    AuditEntry.entity == "patrol_shift",
                    AuditEntry.entity_id == shift_id,
                    AuditEntry.action == AuditAction.UPDATE,
                )
            )
        )
    assert any("大雪" in json.dumps(e.changes, ensure_ascii=False) for e in entries)
    assert not store.exists()  # a correction is not a draft


def test_a_shift_opened_for_correction_cannot_be_submitted_before_it_is_shown(
    qtbot: QtBot,
    context: Context,
    store: DraftStore,
    forms: list[ShiftForm],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    day = shift_day()
    start = datetime.combine(day.date(), datetime.min.time(), CHINA).replace(hour=20)
    shift_id = patrol.submit_shift(
        context,
        patrol.ShiftInput(
            shift_date=day.date(),
            started_at=start,
            ended_at=start + timedelta(hours=3),
            members=[patrol.MemberInput("张伟")],
            staff_count=1,
            weather="晴",
            encounters=[
                patrol.EncounterInput(
                    met_at=start + timedelta(hours=1),
                    place="折多河桥洞",
                    action=Act.CONTACT_CARD_LEFT,
                    code_name="桥洞老人",
                )
            ],
        ),
    ).id
    with held(monkeypatch, "shift_sheet") as reading:
        form = ShiftForm(context, shift_id, draft_store=store)
        forms.append(form)
        form.show()
        qtbot.waitExposed(form.dialog)
        qtbot.waitUntil(lambda: QApplication.activeWindow() is form.dialog)
        assert form.sheet is None
        assert is_busy(form.dialog)
        # Ctrl+Enter on the form still empty must not write it over the shift
        qtbot.keyClick(form.dialog, Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        reading.set()
        shown(qtbot, form)
    assert told(form).level is None
    assert form.header.weather_edit.text() == "晴"
    saved = patrol.get_shift(context, shift_id)
    assert (saved.weather, len(saved.encounters)) == ("晴", 1)


def test_a_new_shift_is_typed_while_the_form_reads(
    qtbot: QtBot, context: Context, store: DraftStore, forms: list[ShiftForm]
) -> None:
    form = ShiftForm(context, None, draft_store=store)
    forms.append(form)
    form.show()
    # the read has not come back (its result waits for the event loop)
    assert form.sheet is None
    assert is_busy(form.dialog)
    assert not form.submit_button.isEnabled()
    assert form.header.members_edit.isEnabled()
    assert form.table.isEnabled()
    type_text(qtbot, form.header.members_edit, "张伟、李娜")
    shown(qtbot, form)
    # what was typed stays: the user's name is not put over it
    assert form.header.members_edit.text() == "张伟、李娜"
    assert list(form.delegate.item_names) == ["棉衣", "食品"]
    assert form.submit_button.isEnabled()
    qtbot.waitUntil(lambda: store.exists() and "李娜" in store.path.read_text("utf-8"))


def test_the_draft_goes_when_the_submit_succeeds_after_the_window_closed(
    qtbot: QtBot,
    context: Context,
    store: DraftStore,
    forms: list[ShiftForm],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    form = open_form(qtbot, context, store, forms)
    day = shift_day()
    form.header.date_edit.setDate(QDate(day.year, day.month, day.day))
    form.header.start_edit.setTime(QTime(20, 0))
    form.header.end_edit.setTime(QTime(23, 0))
    form.model.set_rows(
        [EncounterRow("21:00", "折多河桥洞", "桥洞老人", action=Act.CONTACT_CARD_LEFT)]
    )
    with held(monkeypatch, "submit_shift") as saving:
        click(qtbot, form.submit_button)
        assert is_busy(form.dialog)
        assert not form.submit_button.isEnabled()
        form.close()  # the team goes home while the shift is on its way
        # should the submit fail, the draft holds everything typed
        assert store.exists()
        assert "桥洞老人" in store.path.read_text("utf-8")
        saving.set()
        settle(qtbot)
    assert not store.exists()
    (summary,) = patrol.list_shifts(context, start=day.date(), end=day.date())
    assert patrol.get_shift(context, summary.id).encounters[0].code_name == "桥洞老人"


def test_a_refusal_points_at_the_row_of_the_encounter_the_service_names(
    qtbot: QtBot, context: Context, store: DraftStore, forms: list[ShiftForm]
) -> None:
    """The service names the encounter by its place in the list it was sent;
    blank rows of the grid are not sent, so the form maps it back to the grid."""
    form = open_form(qtbot, context, store, forms)
    day = shift_day()
    form.header.date_edit.setDate(QDate(day.year, day.month, day.day))
    form.header.end_edit.setTime(QTime(23, 30))
    coats = stock(context, "COAT")
    half = int(coats) // 2 + 1  # twice this is more than the store has
    card, coats_given = Act.CONTACT_CARD_LEFT, f"棉衣×{half}"
    form.model.set_rows(
        [
            EncounterRow("20:30", "汽车站", "汽车站老人", action=card, items=coats_given),
            EncounterRow(),  # left blank: not sent
            EncounterRow("21:00", "跑马山脚", "山脚老人", action=card),
            EncounterRow("22:00", "折多河桥洞", "桥洞老人", action=card, items=coats_given),
        ]
    )
    with qtbot.waitSignal(form.failed, timeout=TIMEOUT):
        click(qtbot, form.submit_button)
    message = told(form)
    assert message.error
    assert "棉衣" in message.text
    # not the first row handing out coats: the one that goes past the stock
    assert form.model.marked == (3, COLUMN["items"])
    assert form.table.currentIndex().row() == 3
    assert marked_invalid(form.table)
    assert form.model.rowCount() == 4  # nothing typed is lost
    assert stock(context, "COAT") == coats

    form.model.setData(form.model.index(3, COLUMN["items"]), "棉衣×1")
    with qtbot.waitSignal(form.submitted, timeout=TIMEOUT):
        click(qtbot, form.submit_button)
    assert form.model.marked is None
    assert stock(context, "COAT") == coats - half - 1


def test_a_blank_form_closed_leaves_no_draft(
    qtbot: QtBot, context: Context, store: DraftStore, forms: list[ShiftForm]
) -> None:
    form = open_form(qtbot, context, store, forms)
    form.close()
    assert not store.exists()
    again = open_form(qtbot, context, store, forms)
    assert not again.draft_label.isVisible()


def test_the_page_lists_shifts_and_opens_the_arrival(
    qtbot: QtBot, context: Context, store: DraftStore, forms: list[ShiftForm]
) -> None:
    page = patrol_page(qtbot, context, store)
    assert page.model.rowCount() == 0
    with qtbot.waitSignal(page.form_opened) as opened:
        click(qtbot, page.new_button)
    form: ShiftForm = opened.args[0]
    forms.append(form)
    shown(qtbot, form)
    assert page.open_form(None) is form  # one new shift at a time: one draft
    day = datetime.now(CHINA) - timedelta(days=1)
    form.header.date_edit.setDate(QDate(day.year, day.month, day.day))
    form.header.start_edit.setTime(QTime(9, 0))
    form.header.end_edit.setTime(QTime(12, 0))
    m = form.model
    m.set_rows([EncounterRow("10:00", "新都桥", "路边老人", action=Act.ESCORTED_TO_STATION)])
    with (
        qtbot.waitSignal(page.loaded, timeout=TIMEOUT),
        qtbot.waitSignal(form.submitted, timeout=TIMEOUT),
    ):
        form.table.setFocus()
        press(qtbot, Key.Key_Return, modifier=Qt.KeyboardModifier.ControlModifier)
    assert page.model.rowCount() == 1
    assert page.model.index(0, 6).data() == "1"  # brought in
    assert page.model.index(0, 2).data() == "管理员"
    this_month = day.date().month == datetime.now(CHINA).month
    assert page.figures_label.text() == _(FIGURES).format(
        shifts=int(this_month),
        staff=int(this_month),
        vehicles=0,
        encounters=int(this_month),
        brought=int(this_month),
    )
    with qtbot.waitSignal(page.open_request) as arrival:
        click(qtbot, form.open_arrival_button)
    assert arrival.args == [form.arrivals[0]]
    assert desk.request_record(context, form.arrivals[0]).request.person_name == "路边老人"
    # the saved shift opened again from the list: the form already open comes back
    assert form.shift_id is not None
    assert page.open_form(form.shift_id) is form
    assert len({id(f) for f in forms}) == 1


def test_the_models_hold_to_qt_rules(qtmodeltester: ModelTester) -> None:
    model = EncounterTableModel()
    model.set_rows(
        [
            EncounterRow("21:00", "甲", action=Act.REFUSED_HELP, refusal_reason="不愿"),
            EncounterRow("21:10", "乙", person="扎西", person_id=1),
        ]
    )
    model.mark(1, COLUMN["items"])
    qtmodeltester.check(model)
    shifts = ShiftListModel()
    now = datetime.now(UTC)
    shifts.set_rows(
        (
            patrol.ShiftSummary(
                id=1,
                shift_date=now.date(),
                started_at=now - timedelta(hours=5),
                ended_at=now - timedelta(hours=1),
                status=ShiftStatus.SUBMITTED,
                members=("张伟",),
                staff_count=2,
                vehicle_count=1,
                encounters=3,
                brought_in=1,
            ),
        )
    )
    qtmodeltester.check(shifts)
