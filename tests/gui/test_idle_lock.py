"""The idle lock of the main window on a shared office PC (issue 14): after the
station's idle time the records are hidden behind a lock screen; the same
user's password brings the window back as it was; someone else logs the
first user out, drafts kept; the setting 0 never locks.

A small station built through the services; real widgets under the offscreen
platform; the setting's minute is made a few tens of milliseconds long
(``GuiSession.idle_minute_ms``). No sleeps: the tests wait for the lock's
signals, for the timer, or for input sent by a timer.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import pytest
import shiboken6
from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from station_app.db.models import AuditEntry
from station_app.domain.enums import AuditAction, Role
from station_app.gui.app import GuiSession
from station_app.gui.idle_lock import IDLE_LOCK_MINUTES, SIGNED_IN, IdleLock
from station_app.gui.main_window import MainWindow
from station_app.gui.patrol import DraftStore, PatrolPage
from station_app.i18n import _
from station_app.services import settings
from station_app.services.context import Actor, Context, Database
from tests.support import gui_session
from tests.support.gui import TIMEOUT, click, settle, told, type_text
from tests.support.gui_session import OpenGui, build_station, operator, sqlite_url
from tests.support.stations import ADMIN_PASSWORD

pytestmark = pytest.mark.gui

DESK_PASSWORD = "desk-pass-1"
PATROL_PASSWORD = "patrol-pass-1"
ACCOUNTS = [
    ("desk", "李晓梅", Role.DESK, DESK_PASSWORD),
    ("patrol", "巡查员", Role.PATROL, PATROL_PASSWORD),
]
PERSON = "格桑卓玛"
STATION = "康定市救助管理站"
MINUTE_MS = 300  # a minute of the setting in these tests

home = gui_session.home
open_gui = gui_session.open_gui
station_url = gui_session.station_url


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    """A station with a desk clerk (李晓梅), a patrol member and one person."""
    return build_station(tmp_path / "station.sqlite3", ACCOUNTS, [PERSON])


def set_minutes(db_file: Path, minutes: int) -> None:
    with Database.open(sqlite_url(db_file)) as db:
        settings.set_value(operator(db), IDLE_LOCK_MINUTES, minutes)


def log_in(qtbot: QtBot, session: GuiSession, username: str, password: str) -> MainWindow:
    """Logged in, the user's name shown and the idle time setting read."""
    main = gui_session.log_in(qtbot, session, username, password)
    qtbot.waitUntil(lambda: main.user is not None, timeout=TIMEOUT)
    lock = session.idle_lock
    assert lock is not None
    qtbot.waitUntil(lambda: lock.minutes is not None, timeout=TIMEOUT)  # the setting, read
    return main


class Start(Protocol):
    def __call__(
        self,
        username: str = "desk",
        password: str = DESK_PASSWORD,
        *,
        minutes: int | None = 100,
        minute_ms: int = MINUTE_MS,
    ) -> tuple[GuiSession, MainWindow]: ...


@pytest.fixture
def start(qtbot: QtBot, db_file: Path, open_gui: OpenGui) -> Start:
    """Set the idle time to ``minutes`` (None: the default, left as it is), start
    the application with a minute of the setting lasting ``minute_ms`` and log in."""

    def started(
        username: str = "desk",
        password: str = DESK_PASSWORD,
        *,
        minutes: int | None = 100,
        minute_ms: int = MINUTE_MS,
    ) -> tuple[GuiSession, MainWindow]:
        if minutes is not None:
            set_minutes(db_file, minutes)
        session = open_gui(minute_ms)
        return session, log_in(qtbot, session, username, password)

    return started


def the_lock(session: GuiSession) -> IdleLock:
    assert session.idle_lock is not None
    return session.idle_lock


def visible_windows() -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets() if w.isVisible()]


def texts_on_screen() -> list[str]:
    """Every text a passer-by can read: labels, fields and the rows of lists."""
    found: list[str] = []
    for window in visible_windows():
        for widget in window.findChildren(QWidget):
            if not widget.isVisible():
                continue
            if isinstance(widget, QLabel | QLineEdit):
                found.append(widget.text())
            elif isinstance(widget, QPlainTextEdit):
                found.append(widget.toPlainText())
            elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
                model = widget.model()
                try:
                    columns = model.columnCount(QModelIndex())
                except TypeError:  # a list widget's model: one column
                    columns = 1
                for row in range(min(model.rowCount(QModelIndex()), 200)):
                    for column in range(columns):
                        found.append(str(model.index(row, column).data() or ""))
    return found


def persons_on_screen(qtbot: QtBot, main: MainWindow) -> None:
    """The registry on screen with the person, and a registration half typed."""
    main.show_area("personsContainer")
    page = main.persons_page
    assert page is not None
    qtbot.waitUntil(lambda: page.proxy.rowCount() > 0, timeout=TIMEOUT)
    registration = main.register_arrival()
    type_text(qtbot, registration.search_edit, PERSON)
    type_text(qtbot, registration.reason_edit, "无钱返乡")
    qtbot.waitUntil(lambda: registration.results_list.count() > 0, timeout=TIMEOUT)
    assert any(PERSON in text for text in texts_on_screen())


def change_minutes(qtbot: QtBot, session: GuiSession, minutes: int) -> None:
    """An administrator changes the setting while the window is open."""
    station = session.station
    assert station is not None
    admin = Context(session.db, Actor.command_line(station.id))
    settings.set_value(admin, IDLE_LOCK_MINUTES, minutes)
    lock = the_lock(session)
    qtbot.waitUntil(lambda: lock.minutes == minutes, timeout=TIMEOUT)


def left_alone(qtbot: QtBot, session: GuiSession) -> IdleLock:
    """Nobody touches the computer: after the idle time the window locks.

    The screens are set up with an idle time of 100 "minutes" (30 s), then it
    is made 1 (300 ms): a slow machine never locks a test half-way through."""
    lock = the_lock(session)
    with qtbot.waitSignal(lock.locked, timeout=TIMEOUT):
        change_minutes(qtbot, session, 1)
    return lock


# ---------------------------------------------------------------- locking


def test_after_the_idle_time_the_records_are_hidden_behind_the_lock(
    qtbot: QtBot, start: Start
) -> None:
    session, main = start()
    persons_on_screen(qtbot, main)
    registration = main.registration
    assert registration is not None

    lock = left_alone(qtbot, session)

    assert lock.is_locked
    assert visible_windows() == [main.window]  # the registration dialog went too
    assert not registration.dialog.isVisible()
    assert main.persons_page is not None
    assert not main.persons_page.table.isVisible()
    assert not main.window.menuBar().isVisible()
    assert not main.window.statusBar().isVisible()
    on_screen = texts_on_screen()
    assert not any(PERSON in text for text in on_screen)
    assert not any("无钱返乡" in text for text in on_screen)
    # what is left: the station, who is signed in, the password and two buttons
    assert lock.station_label.isVisible()
    assert lock.station_label.text() == STATION
    assert lock.user_label.text() == _(SIGNED_IN).format(name="李晓梅")
    assert lock.password_edit.isVisible()
    assert main.window.focusWidget() is lock.password_edit
    assert lock.unlock_button.isVisible()
    assert lock.switch_button.isVisible()
    assert lock.screen.geometry() == main.window.rect()


def test_input_before_the_idle_time_keeps_the_window_unlocked(qtbot: QtBot, start: Start) -> None:
    session, main = start(minute_ms=600)
    lock = the_lock(session)

    # A key every 100 ms, while the idle time is made 600 ms, for three times that.
    keys = QTimer()
    keys.setInterval(100)
    pressed: list[int] = []

    def press() -> None:
        qtbot.keyClick(main.navigation, Qt.Key.Key_Shift)
        pressed.append(1)

    keys.timeout.connect(press)
    keys.start()
    change_minutes(qtbot, session, 1)
    assert lock.limit_ms == 600
    assert lock.timer.isActive()
    typed = len(pressed)
    qtbot.waitUntil(lambda: len(pressed) >= typed + 18, timeout=TIMEOUT)
    keys.stop()
    assert not lock.is_locked
    assert main.navigation.isVisible()

    # Once nobody types, it locks.
    with qtbot.waitSignal(lock.locked, timeout=TIMEOUT):
        pass
    assert not main.navigation.isVisible()


def test_a_mouse_click_counts_the_idle_time_from_anew(qtbot: QtBot, start: Start) -> None:
    session, main = start(minutes=None, minute_ms=60_000)  # the default: 10 real minutes
    lock = the_lock(session)
    assert lock.minutes == 10
    assert lock.limit_ms == 10 * 60_000
    assert lock.timer.isActive()
    qtbot.waitUntil(lambda: lock.idle_ms >= 200, timeout=TIMEOUT)

    qtbot.mouseClick(main.navigation.viewport(), Qt.MouseButton.LeftButton)

    assert lock.idle_ms < 100


# ---------------------------------------------------------------- unlocking


def failed_logins(db_file: Path) -> int:
    with Database.open(f"sqlite:///{db_file}") as db, db.sessions() as s:
        count = s.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == AuditAction.LOGIN_FAILED)
        )
    return int(count or 0)


def test_a_wrong_password_keeps_it_locked_and_counts_as_a_failed_login(
    qtbot: QtBot, db_file: Path, start: Start
) -> None:
    session, main = start()
    persons_on_screen(qtbot, main)
    lock = left_alone(qtbot, session)
    before = failed_logins(db_file)

    type_text(qtbot, lock.password_edit, "not-the-password")
    click(qtbot, lock.unlock_button)
    settle(qtbot)

    assert lock.is_locked
    message = told(lock.error_label)
    assert message.error
    assert message.text == _("Wrong user name or password. Check both and try again.")
    assert lock.password_edit.text() == ""
    assert main.window.focusWidget() is lock.password_edit
    assert not any(PERSON in text for text in texts_on_screen())
    assert visible_windows() == [main.window]
    assert failed_logins(db_file) == before + 1
    assert session.main_window is main


def test_the_right_password_brings_the_window_back_as_it_was(qtbot: QtBot, start: Start) -> None:
    session, main = start()
    persons_on_screen(qtbot, main)
    registration = main.registration
    assert registration is not None
    toolbar_shown = main.window.findChild(QWidget, "mainToolBar").isVisible()  # type: ignore[union-attr]
    lock = left_alone(qtbot, session)

    type_text(qtbot, lock.password_edit, DESK_PASSWORD)
    with qtbot.waitSignal(lock.unlocked, timeout=TIMEOUT):
        qtbot.keyClick(lock.password_edit, Qt.Key.Key_Return)  # Enter unlocks too

    assert not lock.is_locked
    assert not lock.screen.isVisible()
    assert main.pages.currentWidget().objectName() == "personsContainer"
    assert main.persons_page is not None
    assert main.persons_page.table.isVisible()
    assert main.window.menuBar().isVisible()
    assert main.window.statusBar().isVisible()
    assert main.window.findChild(QWidget, "mainToolBar").isVisible() == toolbar_shown  # type: ignore[union-attr]
    # the half-typed registration is there as it was left
    assert registration.dialog.isVisible()
    assert registration.reason_edit.toPlainText() == "无钱返乡"
    assert registration.search_edit.text() == PERSON
    assert session.main_window is main
    # and the idle time is counted again: it locks again when left alone
    assert lock.timer.isActive()
    with qtbot.waitSignal(lock.locked, timeout=TIMEOUT):
        pass


def test_menu_shortcuts_do_nothing_while_locked(qtbot: QtBot, start: Start) -> None:
    session, main = start()
    lock = left_alone(qtbot, session)

    # Ctrl+N would open the registration of a new arrival over the lock.
    qtbot.keyClick(lock.password_edit, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)

    assert main.registration is None
    assert visible_windows() == [main.window]


def test_a_window_opened_while_locked_waits_for_the_unlock(qtbot: QtBot, start: Start) -> None:
    session, main = start()
    lock = left_alone(qtbot, session)

    # work that ends while nobody is there opens a window (a registered
    # arrival opens its help request): it must not show over the lock
    registration = main.register_arrival()
    qtbot.waitUntil(lambda: not registration.dialog.isVisible(), timeout=TIMEOUT)
    settle(qtbot)
    assert visible_windows() == [main.window]

    type_text(qtbot, lock.password_edit, DESK_PASSWORD)
    with qtbot.waitSignal(lock.unlocked, timeout=TIMEOUT):
        click(qtbot, lock.unlock_button)
    assert registration.dialog.isVisible()


# ---------------------------------------------------------------- someone else


def test_someone_else_logs_the_first_user_out_and_the_shift_draft_is_kept(
    qtbot: QtBot, start: Start
) -> None:
    session, main = start("patrol", PATROL_PASSWORD)
    lock = the_lock(session)
    main.show_area("patrolContainer")
    page = main.area_pages["patrolContainer"]
    assert isinstance(page, PatrolPage)
    form = page.open_form(None)
    members = form.header.members_edit
    members.clear()
    type_text(qtbot, members, "多吉 次仁")
    left_alone(qtbot, session)
    assert not form.dialog.isVisible()

    click(qtbot, lock.switch_button)

    assert session.main_window is None
    assert session.login is not None
    assert session.login.dialog.isVisible()
    qtbot.waitUntil(lambda: visible_windows() == [session.login.dialog])  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: not shiboken6.isValid(main.window), timeout=TIMEOUT)
    station = session.station
    assert station is not None
    draft = DraftStore(station.id, "patrol").load()
    assert draft is not None
    assert draft.state["header"]["members"] == "多吉 次仁"

    # the next user works unlocked and is locked after the idle time in turn
    desk = log_in(qtbot, session, "desk", DESK_PASSWORD)
    assert desk.context.actor.username == "desk"
    assert session.idle_lock is not lock
    qtbot.waitUntil(lambda: the_lock(session).is_locked, timeout=TIMEOUT)


# ---------------------------------------------------------------- the setting


def test_the_setting_zero_never_locks(qtbot: QtBot, start: Start) -> None:
    session, main = start(minutes=0, minute_ms=10)
    lock = the_lock(session)
    assert lock.minutes == 0
    assert not lock.timer.isActive()

    waited = QTimer()
    waited.setSingleShot(True)
    with qtbot.waitSignal(waited.timeout, timeout=TIMEOUT):
        waited.start(300)  # thirty "minutes" with nobody at the keyboard
    assert not lock.is_locked
    assert main.navigation.isVisible()


def test_a_changed_setting_takes_effect_without_a_restart(qtbot: QtBot, start: Start) -> None:
    session, _main = start("admin", ADMIN_PASSWORD)
    lock = the_lock(session)
    assert lock.minutes == 100
    assert lock.timer.isActive()

    change_minutes(qtbot, session, 0)
    assert not lock.timer.isActive()

    left_alone(qtbot, session)  # the setting made 1
    assert lock.is_locked
