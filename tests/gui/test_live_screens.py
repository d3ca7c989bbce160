"""Screens that never wait on the database and show what others change.

- The person form, the request window and the shift form open at once while
  another program holds the database locked: empty, busy, and filled as soon
  as the lock goes.
- A patrol shift that brings someone to the station shows on the open Today
  page without anyone pressing Refresh.
- A change made at a second desk (another program on the same database)
  reaches the open request window; what the clerk typed there and did not
  save stays.

Real SQLite files, real windows under the offscreen platform, no fixed waits.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from station_app.domain.enums import EncounterAction, Role
from station_app.gui import ops, watching
from station_app.gui.formatting import CHINA, today_in_china
from station_app.gui.patrol.drafts import DraftStore
from station_app.gui.patrol.rows import EncounterRow
from station_app.gui.patrol.shift_form import ShiftForm
from station_app.gui.person import PersonForm
from station_app.gui.request_window import READING, RequestWindow
from station_app.gui.today_page import TodayPage
from station_app.i18n import _
from station_app.services import desk, patrol, users
from station_app.services.context import Actor, Context, Database
from station_app.services.stations import create_station
from tests.support.desk import arrive
from tests.support.gui import TIMEOUT, click, is_busy, settle, told, type_text
from tests.support.stations import kangding_setup

pytestmark = pytest.mark.gui

PASSWORD = "desk-pass-12"


@pytest.fixture(scope="module")
def station_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("live") / "station.sqlite3"
    with Database.open(f"sqlite:///{path}") as db:
        admin = create_station(db, kangding_setup())
        users.create_user(admin, "dorje", "多吉", Role.DESK, PASSWORD, must_change_password=False)
        users.create_user(admin, "lhamo", "拉姆", Role.DESK, PASSWORD, must_change_password=False)
    return path


@pytest.fixture
def path(station_file: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "station.sqlite3"
    shutil.copy(station_file, copy)
    return copy


@pytest.fixture
def ctx(path: Path) -> Iterator[Context]:
    with Database.open(f"sqlite:///{path}") as db:
        actor = Actor.command_line(1)
        yield Context(db, actor)
        watching.hub(db).close()


@pytest.fixture
def windows(qtbot: QtBot) -> Iterator[list[QWidget]]:
    opened: list[QWidget] = []
    yield opened
    settle(qtbot)
    for widget in opened:
        widget.close()


def _night_before() -> tuple[datetime, datetime]:
    day = today_in_china() - timedelta(days=1)
    start = datetime.combine(day, datetime.min.time(), CHINA).replace(hour=20)
    return start, start + timedelta(hours=3)


def shift_input(*, weather: str = "晴", encounter_id: int | None = None) -> patrol.ShiftInput:
    """Last night's shift: one man under the bridge who would not come."""
    start, end = _night_before()
    return patrol.ShiftInput(
        shift_date=start.date(),
        started_at=start,
        ended_at=end,
        members=[patrol.MemberInput("张伟")],
        staff_count=1,
        weather=weather,
        encounters=[
            patrol.EncounterInput(
                met_at=start + timedelta(minutes=40),
                place="折多河桥洞",
                action=EncounterAction.REFUSED_HELP,
                code_name="桥洞老人",
                refusal_reason="不愿离开",
                id=encounter_id,
            )
        ],
    )


def a_saved_shift(ctx: Context) -> int:
    return patrol.submit_shift(ctx, shift_input()).id


# ------------------------------------------------------------------ a locked database


def test_windows_open_at_once_while_another_program_locks_the_database(
    qtbot: QtBot, ctx: Context, path: Path, tmp_path: Path, windows: list[QWidget]
) -> None:
    registration = arrive(ctx, name_zh="扎西")
    request_id, person_id = registration.request.id, registration.person.id
    shift_id = a_saved_shift(ctx)

    # Another program takes the whole file (as `station-app restore` or a
    # vacuum would); this program's own connections are closed first, as
    # after a night's idle.
    ctx.db.engine.dispose()
    lock = sqlite3.connect(path, isolation_level=None)
    lock.execute("PRAGMA locking_mode = EXCLUSIVE")
    lock.execute("BEGIN EXCLUSIVE")
    try:
        person = PersonForm(ctx, person_id)
        request = RequestWindow(ctx, request_id)
        shift = ShiftForm(ctx, shift_id, draft_store=DraftStore(1, "t", tmp_path / "drafts"))
        for dialog in (person.dialog, request.dialog, shift.dialog):
            windows.append(dialog)
            dialog.show()
            qtbot.waitExposed(dialog)  # on screen at once, the database still locked

        assert not ops.idle()  # their reads wait on the lock, off the GUI thread
        for dialog in (person.dialog, request.dialog, shift.dialog):
            assert is_busy(dialog)
        # empty, and nothing can be typed over what is still to come
        assert person.identity.name_zh_edit.text() == ""
        assert not person.tabs.isEnabled()
        assert not person.save_button.isEnabled()
        assert request.sheet is None
        assert request.arrival_label.text() == _(READING)
        assert not request.tabs.isEnabled()
        assert shift.view is None
        assert not shift.submit_button.isEnabled()
        assert not shift.header.members_edit.isEnabled()
    finally:
        lock.execute("COMMIT")
        lock.close()

    qtbot.waitUntil(lambda: person.record is not None, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: request.sheet is not None, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: shift.view is not None, timeout=TIMEOUT)
    settle(qtbot)
    assert person.identity.name_zh_edit.text() == "扎西"
    assert person.save_button.isEnabled()
    assert request.record.request.id == request_id
    assert request.tabs.isEnabled()
    assert "扎西" in request.dialog.windowTitle()
    assert shift.model.rows[0].place == "折多河桥洞"
    assert shift.submit_button.isEnabled()
    for dialog in (person.dialog, request.dialog, shift.dialog):
        assert not is_busy(dialog)


# ------------------------------------------------------------------ Today hears the patrol


def test_a_shift_that_brings_someone_in_shows_on_the_open_today_page(
    qtbot: QtBot, ctx: Context, tmp_path: Path, windows: list[QWidget]
) -> None:
    holder = QWidget()
    windows.append(holder)
    today = TodayPage(ctx, holder)
    holder.show()
    qtbot.waitUntil(lambda: today.view is not None, timeout=TIMEOUT)
    assert today.residents_model.rowCount() == 0

    form = ShiftForm(ctx, None, draft_store=DraftStore(1, "t", tmp_path / "drafts"))
    windows.append(form.dialog)
    form.show()
    qtbot.waitUntil(lambda: form.sheet is not None, timeout=TIMEOUT)
    start, end = _night_before()
    row = EncounterRow(
        time="21:30",
        place="康定南门大桥",
        person="桥下老汉，约六十岁，灰棉衣",
        action=EncounterAction.ESCORTED_TO_STATION,
    )
    form.restore(
        {
            "header": {
                "shift_date": start.date().isoformat(),
                "start": start.strftime("%H:%M"),
                "end": end.strftime("%H:%M"),
                "members": "张伟、李娜",
                "staff_count": 2,
            },
            "rows": [row.to_json()],
        }
    )
    with qtbot.waitSignal(today.loaded, timeout=TIMEOUT):
        click(qtbot, form.submit_button)  # nobody touches the Today page
    assert today.residents_model.rowCount() == 1
    resident = today.view.residents[0] if today.view else None
    assert resident is not None
    assert form.arrivals == [resident.request_id]
    assert told(form).information


# ------------------------------------------------------------------ a second desk


def test_a_change_at_a_second_desk_reaches_the_open_request_window(
    qtbot: QtBot, ctx: Context, path: Path, windows: list[QWidget]
) -> None:
    registration = arrive(ctx, name_zh="扎西")
    request_id = registration.request.id
    hub = watching.hub(ctx.db)
    hub.watch_others(ctx)  # as the main window does for the signed-in user

    window = RequestWindow(ctx, request_id)
    windows.append(window.dialog)
    with qtbot.waitSignal(window.shown, timeout=TIMEOUT):
        window.show()
    tab = window.registration
    window.tabs.setCurrentWidget(tab.page)
    type_text(qtbot, tab.reason_edit, "工资被拖欠")  # typed here, not saved

    # The other desk: another program on the same file, another clerk.
    with Database.open(f"sqlite:///{path}") as other:
        station = users.login(other, ctx.station_id, "lhamo", PASSWORD)
        with qtbot.waitSignal(window.shown, timeout=TIMEOUT):
            desk.update_details(
                station,
                request_id,
                desk.RegistrationDetails(brought_by="新都桥派出所", belongings_carried="背包一个"),
            )
    # what the other desk saved is shown; what this clerk typed is kept
    assert tab.brought_by_edit.text() == "新都桥派出所"
    assert tab.belongings_edit.text() == "背包一个"
    assert tab.reason_edit.toPlainText() == "工资被拖欠"
    assert window.record.request.brought_by == "新都桥派出所"
    hub.stop_watching_others()


def test_saving_an_answer_another_desk_changed_meanwhile_is_refused(
    qtbot: QtBot, ctx: Context, path: Path, windows: list[QWidget]
) -> None:
    """Both desks change who brought the person in: the second save is refused
    naming the field, the first desk's answer stays and is shown."""
    request_id = arrive(ctx, name_zh="扎西").request.id
    hub = watching.hub(ctx.db)
    hub.watch_others(ctx)
    window = RequestWindow(ctx, request_id)
    windows.append(window.dialog)
    with qtbot.waitSignal(window.shown, timeout=TIMEOUT):
        window.show()
    tab = window.registration
    window.tabs.setCurrentWidget(tab.page)
    type_text(qtbot, tab.brought_by_edit, "康定派出所")  # typed here, not saved yet

    with Database.open(f"sqlite:///{path}") as other:
        station = users.login(other, ctx.station_id, "lhamo", PASSWORD)
        with qtbot.waitSignal(window.shown, timeout=TIMEOUT):
            desk.update_details(
                station, request_id, desk.RegistrationDetails(brought_by="新都桥派出所")
            )
    assert tab.brought_by_edit.text() == "康定派出所"  # the clerk's typing stays

    with qtbot.waitSignal(window.shown, timeout=TIMEOUT):
        click(qtbot, tab.save_button)
    settle(qtbot)
    message = told(window)
    assert message.error
    assert _("Brought by") in message.text
    assert tab.brought_by_edit.text() == "新都桥派出所"  # their answer, on screen
    assert window.record.request.brought_by == "新都桥派出所"
    # entered again over their answer, it saves
    tab.brought_by_edit.clear()
    type_text(qtbot, tab.brought_by_edit, "康定派出所")
    click(qtbot, tab.save_button)
    settle(qtbot)
    assert desk.request_sheet(ctx, request_id).record.request.brought_by == "康定派出所"
    hub.stop_watching_others()


def test_a_second_window_on_the_same_desk_follows_the_first(
    qtbot: QtBot, ctx: Context, windows: list[QWidget]
) -> None:
    request_id = arrive(ctx, name_zh="卓玛").request.id
    first, second = RequestWindow(ctx, request_id), RequestWindow(ctx, request_id)
    for window in (first, second):
        windows.append(window.dialog)
        window.show()
    qtbot.waitUntil(lambda: first.sheet is not None and second.sheet is not None, timeout=TIMEOUT)
    d = first.decision
    first.tabs.setCurrentWidget(d.page)
    with qtbot.waitSignal(second.shown, timeout=TIMEOUT):
        click(qtbot, d.accept_button)
    assert second.record.request.status.value == "accepted"
    assert not second.decision.accept_button.isEnabled()
    assert second.decision.terminate_button.isEnabled()


def test_a_shift_being_corrected_follows_another_desk_unless_typed_in(
    qtbot: QtBot, ctx: Context, tmp_path: Path, windows: list[QWidget]
) -> None:
    shift_id = a_saved_shift(ctx)
    form = ShiftForm(ctx, shift_id, draft_store=DraftStore(1, "t", tmp_path / "drafts"))
    windows.append(form.dialog)
    form.show()
    qtbot.waitUntil(lambda: form.view is not None, timeout=TIMEOUT)
    assert form.view is not None
    encounter_id = form.view.encounters[0].id

    # untouched: what another desk saved is shown
    patrol.update_shift(ctx, shift_id, shift_input(weather="小雪", encounter_id=encounter_id))
    qtbot.waitUntil(lambda: form.header.weather_edit.text() == "小雪", timeout=TIMEOUT)
    assert told(form).level is None

    # typed in: kept, and the clerk is told that submitting replaces the other change
    form.header.weather_edit.setText("大雪，零下十五度")
    patrol.update_shift(ctx, shift_id, shift_input(weather="阴", encounter_id=encounter_id))
    qtbot.waitUntil(lambda: told(form).warning, timeout=TIMEOUT)
    settle(qtbot)
    assert form.header.weather_edit.text() == "大雪，零下十五度"
    assert form.submit_button.isEnabled()
