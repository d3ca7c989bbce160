"""Windows remember their size and splitter positions per user; the first
start fits the screen (issue 16, item 8)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QSplitter
from pytestqt.qtbot import QtBot

from station_app.domain.enums import Role
from station_app.gui import uiloader, window_sizes
from station_app.gui.main_window import MainWindow
from station_app.gui.person import PersonForm
from station_app.services import users
from station_app.services.context import Actor, Context, Database
from station_app.services.stations import create_station
from tests.support.gui import TIMEOUT, settle
from tests.support.stations import kangding_setup

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def _own_computer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A computer of its own: sizes other tests' windows left in the shared
    test home (the same station and user ids) must not be found here."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("STATION_APP_HOME", str(home))
    window_sizes.sign_out()


@pytest.fixture
def admin(tmp_path: Path) -> Iterator[Context]:
    with Database.open(f"sqlite:///{tmp_path / 'station.sqlite3'}") as db:
        yield create_station(db, kangding_setup())
    window_sizes.sign_out()


@pytest.fixture
def clerk(admin: Context) -> Context:
    cli = Context(admin.db, Actor.command_line(admin.station_id))
    users.create_user(cli, "lhamo", "拉姆", Role.DESK, "desk-pass-12", must_change_password=False)
    return users.login(admin.db, admin.station_id, "lhamo", "desk-pass-12")


def _main(qtbot: QtBot, ctx: Context) -> MainWindow:
    main = MainWindow(ctx)
    main.window.show()
    qtbot.waitExposed(main.window)
    settle(qtbot)
    return main


def _close(qtbot: QtBot, main: MainWindow) -> None:
    settle(qtbot)
    window = main.window
    uiloader.discard(window)
    qtbot.waitUntil(lambda: not shiboken6.isValid(window), timeout=TIMEOUT)


@pytest.mark.parametrize(
    "available",
    [QRect(0, 0, 1366, 728), QRect(0, 0, 1440, 860), QRect(0, 0, 1600, 860)],
)
def test_the_first_start_fills_an_office_screen(available: QRect) -> None:
    assert window_sizes.first_geometry(available, QSize(960, 720)) is None  # maximized


def test_the_first_start_stands_centred_on_a_wide_screen() -> None:
    available = QRect(0, 40, 2560, 1400)
    rect = window_sizes.first_geometry(available, QSize(960, 720))
    assert rect is not None
    assert available.contains(rect)
    assert rect.width() >= 1366
    assert rect.height() >= 768
    assert rect.center() == available.center()


def test_the_main_window_fills_the_screen_at_first(qtbot: QtBot, admin: Context) -> None:
    main = _main(qtbot, admin)
    assert main.window.isMaximized()
    _close(qtbot, main)


def test_the_main_window_and_its_splitter_come_back_for_the_same_user(
    qtbot: QtBot, admin: Context, clerk: Context
) -> None:
    main = _main(qtbot, clerk)  # a desk clerk: Today, with its splitter, comes first
    main.window.setWindowState(Qt.WindowState.WindowNoState)
    main.window.resize(780, 580)
    splitter = main.window.findChild(QSplitter, "todaySplitter")
    assert isinstance(splitter, QSplitter)
    qtbot.waitUntil(lambda: sum(splitter.sizes()) > 300, timeout=TIMEOUT)
    initial = splitter.sizes()
    total, rest = sum(initial), len(initial) - 1
    splitter.setSizes([total // 5] + [(total - total // 5) // rest] * rest)
    left = splitter.sizes()  # as the user dragged it
    assert left != initial
    _close(qtbot, main)

    again = _main(qtbot, clerk)
    assert not again.window.isMaximized()
    assert again.window.size() == QSize(780, 580)
    splitter = again.window.findChild(QSplitter, "todaySplitter")
    assert isinstance(splitter, QSplitter)
    assert splitter.sizes() == left
    _close(qtbot, again)

    # Another user at the same computer starts from the first-start size.
    theirs = _main(qtbot, admin)
    assert theirs.window.isMaximized()
    _close(qtbot, theirs)


def test_the_person_form_keeps_the_size_its_user_gave_it(
    qtbot: QtBot, admin: Context, clerk: Context
) -> None:
    """Every resizable window of the desk does (the request window, the
    registration, the person form): the offscreen screen is 800×600, which only
    the person form fits."""

    def opened(ctx: Context) -> PersonForm:
        window_sizes.sign_in(ctx)
        form = PersonForm(ctx)
        form.show()
        qtbot.waitExposed(form.dialog)
        return form

    form = opened(admin)
    drawn = form.dialog.size()
    # Smaller than drawn: restoring never makes a window larger than the screen.
    least = form.dialog.minimumSizeHint()
    wanted = QSize(max(least.width(), 760), max(least.height(), 560))
    assert wanted != drawn
    form.dialog.resize(wanted)
    qtbot.waitUntil(lambda: form.dialog.size() == wanted, timeout=TIMEOUT)
    form.close()
    again = opened(admin)
    assert again.dialog.size() == wanted
    again.close()
    theirs = opened(clerk)
    assert theirs.dialog.size() == drawn
    theirs.close()
    settle(qtbot)
