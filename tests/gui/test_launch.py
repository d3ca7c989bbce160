"""The start a user sees: the login window before the database layer is loaded,
the database opened behind it while the user types, and a click on "Log in"
made meanwhile kept until the station is open."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from station_app.cli.entry import quick_gui_options
from station_app.domain.enums import Role
from station_app.gui import uiloader
from station_app.gui.app import EXIT_USER_ERROR
from station_app.gui.launch import Launch
from station_app.gui.login import OPENING, LoginDialog
from station_app.i18n import _
from station_app.services.context import Context, Database
from station_app.services.stations import find_station
from tests.support import gui_session
from tests.support.gui import TIMEOUT, click, settle, type_text
from tests.support.gui_session import build_station, sqlite_url
from tests.support.stations import ADMIN_PASSWORD

pytestmark = pytest.mark.gui

home = gui_session.home

DESK = ("dawa", "达瓦", Role.DESK, "desk-pass-1")
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    return build_station(tmp_path / "station.sqlite3", [DESK])


@pytest.fixture
def launches(qtbot: QtBot) -> list[Launch]:
    """The launches a test makes, closed at its end."""
    made: list[Launch] = []
    yield made
    settle(qtbot)
    for launch in made:
        launch.close()


def start(launches: list[Launch], url: str) -> Launch:
    launch = Launch(url)
    launches.append(launch)
    launch.start()
    return launch


# ------------------------------------------------------------------ in a fresh process

CHILD = r"""
import json, sys
from station_app.cli import entry  # what `station-app` imports first
from station_app.gui.launch import Launch, application

loaded_before = sorted(m for m in ("sqlalchemy", "station_app.services", "station_app.db")
                       if m in sys.modules)
app = application()
launch = Launch(sys.argv[1])
launch.start()
shown = launch.login.dialog.isVisible()
loaded_when_shown = sorted(m for m in ("sqlalchemy", "station_app.services") if m in sys.modules)
launch.login.username_edit.setText("admin")
launch.login.password_edit.setText(sys.argv[2])
launch.login.login_button.click()
waiting = launch.login.waiting_for_station
from PySide6.QtCore import QTimer
def check():
    if launch.session is not None and launch.session.main_window is not None:
        app.quit()
timer = QTimer()
timer.timeout.connect(check)
timer.start(10)
QTimer.singleShot(60000, app.quit)
app.exec()
window = launch.session is not None and launch.session.main_window is not None
print(json.dumps({"before": loaded_before, "when_shown": loaded_when_shown, "shown": shown,
                  "waiting": waiting, "main_window": window}))
sys.stdout.flush()
launch.close()
"""


def test_the_login_window_shows_before_the_database_layer_is_loaded(
    db_file: Path, home: Path
) -> None:
    """A fresh process, as the user starts it: what shows the login window does
    not import SQLAlchemy or the services; the window is up when ``start``
    returns, a login clicked at once waits for the database, then the main
    window opens."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", STATION_APP_HOME=str(home))
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, sqlite_url(db_file), ADMIN_PASSWORD],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    assert lines, proc.stderr[-3000:]
    seen = json.loads(lines[-1])
    assert seen["before"] == []
    assert seen["when_shown"] == []
    assert seen["shown"]
    assert seen["waiting"]  # clicked before the station was open
    assert seen["main_window"]


# ------------------------------------------------------------------ in this process


def test_a_login_clicked_before_the_station_is_open_goes_ahead_when_it_is(
    qtbot: QtBot, db_file: Path
) -> None:
    login = LoginDialog()
    qtbot.addWidget(login.dialog)
    login.dialog.show()
    station_label = uiloader.child(login.dialog, QLabel, "stationValue")
    assert station_label.text() == _(OPENING)
    type_text(qtbot, login.username_edit, DESK[0])
    type_text(qtbot, login.password_edit, DESK[3])
    click(qtbot, login.login_button)
    # Held, and nothing said: the station is being opened.
    assert login.waiting_for_station
    assert not login.login_button.isEnabled()
    assert not login.password_edit.isEnabled()
    assert not login.error_label.isVisible()

    with Database.open(sqlite_url(db_file)) as db:
        station = find_station(db)
        assert station is not None
        with qtbot.waitSignal(login.logged_in, timeout=TIMEOUT) as logged_in:
            login.attach(db, station)
        settle(qtbot)
    ctx = logged_in.args[0]
    assert isinstance(ctx, Context)
    assert ctx.actor.username == DESK[0]
    assert station_label.text() == station.name_zh
    assert not login.waiting_for_station


def test_the_session_takes_over_the_login_window_shown_at_start(
    qtbot: QtBot, db_file: Path, launches: list[Launch]
) -> None:
    launch = start(launches, sqlite_url(db_file))
    first = launch.login
    assert first is not None
    assert first.dialog.isVisible()
    with qtbot.waitSignal(launch.session_started, timeout=TIMEOUT):
        pass
    session = launch.session
    assert session is not None
    assert session.login is first  # the same window, not a second one
    assert first.station is not None
    assert uiloader.child(first.dialog, QLabel, "stationValue").text() == first.station.name_zh
    type_text(qtbot, first.username_edit, "admin")
    type_text(qtbot, first.password_edit, ADMIN_PASSWORD)
    click(qtbot, first.login_button)
    qtbot.waitUntil(lambda: session.main_window is not None, timeout=TIMEOUT)
    settle(qtbot)


def test_a_database_without_a_station_starts_with_the_first_start_dialog(
    qtbot: QtBot, tmp_path: Path, launches: list[Launch]
) -> None:
    launch = start(launches, sqlite_url(tmp_path / "new.sqlite3"))
    early = launch.login
    assert early is not None
    with qtbot.waitSignal(launch.session_started, timeout=TIMEOUT):
        pass
    session = launch.session
    assert session is not None
    assert session.first_start is not None
    assert session.first_start.dialog.isVisible()
    assert session.login is None
    assert not shiboken6.isValid(early.dialog)  # the early window is gone
    settle(qtbot)


def test_a_database_that_cannot_be_opened_is_said_and_the_start_ends(
    qtbot: QtBot, tmp_path: Path, launches: list[Launch], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not a database at all, and no backup to offer: the careful start says so."""
    errors: list[str] = []

    def critical(parent: QWidget | None, title: str, text: str, *args: object) -> object:
        errors.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "critical", critical)
    exits: list[int] = []
    monkeypatch.setattr(QApplication, "exit", staticmethod(exits.append))
    not_a_database = tmp_path / "notes.sqlite3"
    not_a_database.write_bytes(b"these are not the records you are looking for " * 200)

    launch = start(launches, sqlite_url(not_a_database))
    qtbot.waitUntil(lambda: bool(exits), timeout=TIMEOUT)
    assert exits == [EXIT_USER_ERROR]
    assert launch.exit_code == EXIT_USER_ERROR
    assert len(errors) == 1
    assert str(not_a_database) in errors[0]
    assert launch.session is None
    assert launch.login is None  # the early window is gone


@pytest.mark.parametrize(
    ("argv", "quick"),
    [
        ([], True),
        (["gui"], True),
        (["--db", "sqlite:///x.sqlite3", "--lang", "bo", "-v", "gui"], True),
        (["--lang", "en"], True),
        (["--station", "KD", "gui"], False),  # checked against the database first
        (["--user", "dawa"], False),
        (["gui", "--db", "sqlite:///x.sqlite3"], False),  # the full command line says it is wrong
        (["--lang", "fr"], False),
        (["--version"], False),
        (["-h"], False),
        (["check"], False),
        (["print", "ledger"], False),
        (["gui", "--check", "admin"], True),  # an installation checked: the same start
        (["--db", "sqlite:///x.sqlite3", "gui", "--check", "admin"], True),
        (["gui", "--check"], False),  # the full command line says what is missing
        (["gui", "--check", "admin", "--lang", "en"], False),
        (["gui", "--what"], False),
    ],
)
def test_only_a_plain_start_of_the_desktop_application_goes_the_quick_way(
    argv: list[str], quick: bool
) -> None:
    assert (quick_gui_options(argv) is not None) is quick
