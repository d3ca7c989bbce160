"""Dates typed with the keyboard are taken as typed (issue 16, item 2), and a
date far back is asked about before it is saved.

The patrol shift form and the desk's registration on a real station, keys
through QTest; no sleeps.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDateTimeEdit, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from station_app.domain.clock import china_today
from station_app.domain.enums import Sex
from station_app.gui.date_checks import QUESTION_NAME, SAVE
from station_app.gui.formatting import CHINA, day_of, day_text, moment_of, set_day
from station_app.gui.patrol import DraftStore, ShiftForm
from station_app.gui.registration_dialog import RegistrationDialog
from station_app.i18n import _
from station_app.services import patrol, persons
from station_app.services.context import Context, Database
from station_app.services.stations import create_station
from tests.support.gui import TIMEOUT, click, settle
from tests.support.stations import kangding_setup

pytestmark = pytest.mark.gui
Key = Qt.Key


@pytest.fixture
def context(tmp_path: Path) -> Iterator[Context]:
    with Database.open(f"sqlite:///{tmp_path / 'station.sqlite3'}") as db:
        yield create_station(db, kangding_setup())


@pytest.fixture
def form(qtbot: QtBot, context: Context, tmp_path: Path) -> Iterator[ShiftForm]:
    store = DraftStore(context.station_id, context.actor.username, tmp_path / "drafts")
    shift = ShiftForm(context, draft_store=store)
    shift.show()
    qtbot.waitExposed(shift.dialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is shift.dialog)
    settle(qtbot)
    yield shift
    settle(qtbot)
    if shiboken6.isValid(shift.dialog):
        shift.close()


def shift_days(ctx: Context) -> list[date]:
    today = china_today()
    return [s.shift_date for s in patrol.list_shifts(ctx, start=date(2000, 1, 1), end=today)]


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def type_date(qtbot: QtBot, edit: QDateTimeEdit, text: str, end: Key = Key.Key_Return) -> None:
    """Click into the date like a clerk (the cursor in the day), type, press ``end``."""
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    qtbot.keyClick(edit, Key.Key_End)  # the cursor in the last section, the day
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(focused(), end)


def test_a_typed_date_is_the_date_typed(qtbot: QtBot, form: ShiftForm) -> None:
    edit = form.header.date_edit
    set_day(edit, date(2026, 12, 19))
    type_date(qtbot, edit, "2026-12-04")
    assert day_of(edit) == date(2026, 12, 4)

    type_date(qtbot, edit, "05")  # the 5th of this month
    assert day_of(edit) == china_today().replace(day=5)

    type_date(qtbot, edit, "1204", Key.Key_Tab)  # Tab takes it and moves on
    assert day_of(edit) == date(china_today().year, 12, 4)
    assert focused() is form.header.start_edit

    yesterday = china_today() - timedelta(days=1)
    type_date(qtbot, edit, "yesterday")
    assert day_of(edit) == yesterday


def test_a_time_typed_in_the_shift_is_the_time_typed(qtbot: QtBot, form: ShiftForm) -> None:
    start = form.header.start_edit
    type_date(qtbot, start, "2130")
    assert (start.time().hour(), start.time().minute()) == (21, 30)
    type_date(qtbot, start, "7:05")
    assert (start.time().hour(), start.time().minute()) == (7, 5)


def test_text_that_is_no_date_keeps_the_date_and_says_why(qtbot: QtBot, form: ShiftForm) -> None:
    edit = form.header.date_edit
    before = day_of(edit)
    type_date(qtbot, edit, "02-30")
    assert day_of(edit) == before
    line = focused()
    assert line.toolTip() == _("There is no day {text}; check the month and the day.").format(
        text="02-30"
    )
    qtbot.keyClick(line, Key.Key_Escape)  # Esc keeps the date shown
    assert focused() is edit
    assert day_of(edit) == before


# The offscreen platform says it cannot size a message box to its text.
@pytest.mark.qt_log_ignore("This plugin does not support")
def test_a_date_30_days_back_is_asked_about_before_saving(
    qtbot: QtBot, form: ShiftForm, context: Context
) -> None:
    edit = form.header.date_edit
    day = china_today() - timedelta(days=30)
    type_date(qtbot, edit, day.isoformat())
    assert day_of(edit) == day

    click(qtbot, form.submit_button)
    box = form.dialog.findChild(QMessageBox, QUESTION_NAME)
    assert box is not None
    qtbot.waitUntil(box.isVisible)
    assert "30" in box.text()
    assert form.saving is None  # nothing is saved while the question is open

    # "Change the date": nothing saved, the form as it was
    box.reject()
    settle(qtbot)
    assert shift_days(context) == []
    assert day_of(edit) == day

    click(qtbot, form.submit_button)
    box = form.dialog.findChild(QMessageBox, QUESTION_NAME)
    assert box is not None
    qtbot.waitUntil(box.isVisible)
    save = next(b for b in box.buttons() if b.text() == _(SAVE))
    with qtbot.waitSignal(form.submitted, timeout=TIMEOUT):
        click(qtbot, save)
    assert shift_days(context) == [day]


def test_a_recent_date_is_saved_without_a_question(
    qtbot: QtBot, form: ShiftForm, context: Context
) -> None:
    edit = form.header.date_edit
    type_date(qtbot, edit, "yesterday")
    with qtbot.waitSignal(form.submitted, timeout=TIMEOUT):
        click(qtbot, form.submit_button)
    assert form.dialog.findChild(QMessageBox, QUESTION_NAME) is None
    assert shift_days(context) == [china_today() - timedelta(days=1)]


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_an_arrival_typed_30_days_back_is_asked_about(qtbot: QtBot, context: Context) -> None:
    person = persons.create_person(
        context, persons.PersonInput(name_zh="扎西", sex=Sex.MALE, estimated_age=45)
    ).person
    dialog = RegistrationDialog(context)
    qtbot.addWidget(dialog.dialog)
    dialog.show()
    qtbot.waitExposed(dialog.dialog)
    settle(qtbot)
    dialog.choose_person(person.id, "扎西")
    day = china_today() - timedelta(days=30)
    type_date(qtbot, dialog.arrived_edit, f"{day.isoformat()} 21:30")
    assert moment_of(dialog.arrived_edit) == datetime.combine(day, time(21, 30), CHINA)

    click(qtbot, dialog.register_button)
    box = dialog.dates.box
    assert box is not None
    qtbot.waitUntil(box.isVisible)
    assert day_text(day) in box.text()
    save = next(b for b in box.buttons() if b.text() == _(SAVE))
    with qtbot.waitSignal(dialog.registered, timeout=TIMEOUT):
        click(qtbot, save)
    assert dialog.registration is not None
    assert dialog.registration.request.arrived_at == datetime.combine(day, time(21, 30), CHINA)


def test_a_date_still_being_typed_is_saved_by_the_shortcut(
    qtbot: QtBot, form: ShiftForm, context: Context
) -> None:
    edit = form.header.date_edit
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    qtbot.keyClicks(edit, "yesterday")  # no Enter, no Tab: Ctrl+Enter at once
    with qtbot.waitSignal(form.submitted, timeout=TIMEOUT):
        qtbot.keyClick(focused(), Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert shift_days(context) == [china_today() - timedelta(days=1)]
