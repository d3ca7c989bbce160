"""No collection of the oldest objects in the middle of typing: after the main
window is shown, what start-up made is frozen, and the oldest generation is
collected when the user leaves keyboard and mouse alone."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from station_app.gui import idle_gc
from tests.support import gui_session
from tests.support.gui import TIMEOUT
from tests.support.gui_session import OpenGui, build_station
from tests.support.stations import ADMIN_PASSWORD

pytestmark = pytest.mark.gui

home = gui_session.home
open_gui = gui_session.open_gui
station_url = gui_session.station_url
IDLE_MS = 200


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    return build_station(tmp_path / "station.sqlite3", [], ["格桑卓玛"])


@pytest.fixture(autouse=True)
def short_idle(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(idle_gc, "IDLE_MS", IDLE_MS)


def test_after_start_the_start_up_objects_are_frozen_and_collected_in_idle_time(
    qtbot: QtBot, open_gui: OpenGui
) -> None:
    thresholds = gc.get_threshold()
    session = open_gui()
    assert gc.get_freeze_count() == 0  # the login: nothing frozen yet
    main = gui_session.log_in(qtbot, session, "admin", ADMIN_PASSWORD)
    collector = idle_gc.install()
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold()[2] > thresholds[2]  # the oldest: only in idle time

    garbage: list[object] = []
    garbage.append(garbage)  # a cycle only a full collection frees
    del garbage
    with qtbot.waitSignal(collector.collected, timeout=TIMEOUT) as idle:
        qtbot.keyClick(main.window, Qt.Key.Key_Shift)  # input counts the idle time anew
    assert idle.args is not None
    assert idle.args[0] >= 1
    assert gc.get_freeze_count() > 0  # what lives on, frozen again

    idle_gc.uninstall()  # as closing the application does
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == thresholds
