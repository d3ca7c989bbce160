"""The application on a copy of a saved demo station, for GUI test modules.

A module that defines a ``demo_file`` fixture (the saved station) takes these
by assignment (``session = demo_station.session``): a copy of the file per
test, the application started on it, and a context acting on it.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from station_app.gui.app import GuiSession, start_gui
from station_app.services.context import Actor, Context, Database
from station_app.services.stations import find_station
from tests.support.gui import TIMEOUT, settle


@pytest.fixture
def db_file(demo_file: Path, tmp_path: Path) -> Path:
    """A copy per test: logins write to the audit trail."""
    path = tmp_path / "station.sqlite3"
    shutil.copy(demo_file, path)
    return path


@pytest.fixture
def session(qtbot: QtBot, db_file: Path) -> Iterator[GuiSession]:
    opened = start_gui(f"sqlite:///{db_file}")
    # the station is read off the GUI thread: the login dialog follows
    qtbot.waitUntil(lambda: opened.login is not None, timeout=TIMEOUT)
    yield opened
    settle(qtbot)
    opened.close()


@pytest.fixture
def context(db_file: Path) -> Iterator[Context]:
    with Database.open(f"sqlite:///{db_file}") as db:
        station = find_station(db)
        assert station is not None
        yield Context(db, Actor.command_line(station.id))
