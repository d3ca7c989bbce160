"""The application started as a user starts it, on a small station built
through the services, for GUI test modules: this computer's data folder per
test, the station's database with its accounts, the GUI sessions a test opens
(closed at its end), the login dialog filled in, a dialog opened from the
File menu.

A module takes the fixtures by assignment, as with ``tests.support.demo_station``
(``home = gui_session.home``; ``open_gui = gui_session.open_gui`` on the
module's ``station_url``, which ``gui_session.station_url`` makes of the
module's ``db_file``), and calls the functions.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Protocol, TypeVar

import pytest
from PySide6.QtGui import QAction
from pytestqt.qtbot import QtBot

from station_app.domain.enums import Role
from station_app.gui import uiloader
from station_app.gui.app import GuiSession, start_gui
from station_app.gui.main_window import MainWindow
from station_app.services import persons, users
from station_app.services.context import Actor, Context, Database
from station_app.services.stations import create_station, find_station
from tests.support.gui import TIMEOUT, click, settle, type_text
from tests.support.stations import kangding_setup

Dialog = TypeVar("Dialog")

# (username, display name, role, password)
Account = tuple[str, str, Role, str]


# ------------------------------------------------------------------ this computer


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This computer's data folder (drafts, settings, the default backup folder) per test."""
    path = tmp_path / "home"
    path.mkdir()
    monkeypatch.setenv("STATION_APP_HOME", str(path))
    return path


# ------------------------------------------------------------------ the station


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def build_station(
    path: Path, accounts: Iterable[Account], person_names: Iterable[str] = ()
) -> Path:
    """The Kangding station (administrator "admin") in a SQLite file at ``path``,
    with these accounts, each holding the password it chose (none due), then
    these persons."""
    with Database.open(sqlite_url(path)) as db:
        ctx = create_station(db, kangding_setup())
        for username, name, role, password in accounts:
            users.create_user(ctx, username, name, role, password, must_change_password=False)
        for person in person_names:
            persons.create_person(ctx, persons.PersonInput(name_zh=person))
    return path


def choose_own_password(
    db: Database, station_id: int, username: str, first: str, chosen: str
) -> Context:
    """A user logs in with the password the administrator set and chooses their own."""
    ctx = users.login(db, station_id, username, first)
    users.change_own_password(ctx, first, chosen)
    return ctx


def operator(db: Database) -> Context:
    """The station's command-line operator, on an open database."""
    station = find_station(db)
    assert station is not None
    return Context(db, Actor.command_line(station.id))


def count_persons(path: Path) -> int:
    """The persons in a station file (or a backup of one), read with plain SQLite."""
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM person").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture
def station_url(db_file: Path) -> str:
    """The module's station file (its ``db_file`` fixture) as a database URL."""
    return sqlite_url(db_file)


# ------------------------------------------------------------------ the application


class OpenGui(Protocol):
    def __call__(self, idle_minute_ms: int | None = None) -> GuiSession:
        """Start the application (a minute of the idle lock's setting lasting
        ``idle_minute_ms`` when given) and wait for the login dialog."""
        ...


@pytest.fixture
def open_gui(qtbot: QtBot, station_url: str) -> Iterator[OpenGui]:
    """Start the application on the module's ``station_url``, as often as a test
    wants; every session started is closed at the end of the test."""
    sessions: list[GuiSession] = []

    def start(idle_minute_ms: int | None = None) -> GuiSession:
        session = start_gui(station_url)
        if idle_minute_ms is not None:
            session.idle_minute_ms = idle_minute_ms
        sessions.append(session)
        qtbot.waitUntil(lambda: session.login is not None, timeout=TIMEOUT)
        settle(qtbot)  # the day's backup too
        return session

    yield start
    settle(qtbot)
    for session in sessions:
        session.close()


def type_login(qtbot: QtBot, session: GuiSession, username: str, password: str) -> None:
    """Fill in the login dialog and press its button."""
    login = session.login
    assert login is not None
    login.username_edit.clear()
    type_text(qtbot, login.username_edit, username)
    type_text(qtbot, login.password_edit, password)
    click(qtbot, login.login_button)


def log_in(qtbot: QtBot, session: GuiSession, username: str, password: str) -> MainWindow:
    """Log in through the login dialog; the main window that opens."""
    type_login(qtbot, session, username, password)
    qtbot.waitUntil(lambda: session.main_window is not None, timeout=TIMEOUT)
    assert session.main_window is not None
    return session.main_window


def menu_action(main: MainWindow, name: str) -> QAction:
    """A menu entry of the main window, by its object name."""
    return uiloader.child(main.window, QAction, name)


def open_dialog(
    qtbot: QtBot,
    main: MainWindow,
    action: str,
    dialog: Callable[[], Dialog | None],
    ready: Callable[[Dialog], bool],
) -> Dialog:
    """Choose the (visible) menu entry ``action``; the ``dialog`` it opens, once ``ready``."""
    entry = menu_action(main, action)
    assert entry.isVisible()
    entry.trigger()
    opened = dialog()
    assert opened is not None
    qtbot.waitUntil(lambda: ready(opened), timeout=TIMEOUT)
    return opened
