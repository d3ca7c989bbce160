"""File → Settings… as a manager uses it, and a desk clerk who may not; and a
window whose account is deactivated meanwhile logs out at its next call.

Real widgets under the offscreen platform, on a station with a manager and a
desk clerk; the user data folder is a temp dir per test.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QCheckBox, QLineEdit
from pytestqt.qtbot import QtBot

from station_app.domain.enums import Role
from station_app.domain.errors import PermissionDenied
from station_app.gui.app import GuiSession
from station_app.gui.main_window import MainWindow
from station_app.gui.settings_dialog import SAVED, SettingsDialog
from station_app.i18n import _
from station_app.services import settings, users
from station_app.services.context import ACCOUNT_DEACTIVATED, Context, Database
from station_app.services.settings import HOTLINE
from tests.support import gui_session
from tests.support.gui import TIMEOUT, click, marked_invalid, settle, told, type_text
from tests.support.gui_session import OpenGui, log_in, operator

pytestmark = pytest.mark.gui

MANAGER_PASSWORD = "Chorten-Kora-108"
DESK_PASSWORD = "Prayer-Wheel-2024"
ACCOUNTS = [
    ("manager", "manager", Role.MANAGER, MANAGER_PASSWORD),
    ("desk", "desk", Role.DESK, DESK_PASSWORD),
]

home = gui_session.home
open_gui = gui_session.open_gui
station_url = gui_session.station_url


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    """A station with a manager and a desk clerk."""
    return gui_session.build_station(tmp_path / "station.sqlite3", ACCOUNTS)


@pytest.fixture
def admin(station_url: str) -> Iterator[Context]:
    with Database.open(station_url) as db:
        yield operator(db)


@pytest.fixture
def gui(open_gui: OpenGui) -> GuiSession:
    return open_gui()


def open_settings(qtbot: QtBot, main: MainWindow) -> SettingsDialog:
    return gui_session.open_dialog(
        qtbot, main, "settingsAction", lambda: main.settings_dialog, lambda d: d.current is not None
    )


def field(dialog: SettingsDialog, key: str) -> QLineEdit:
    widget = dialog.inputs[key]
    assert isinstance(widget, QLineEdit)
    return widget


def retype(qtbot: QtBot, widget: QLineEdit, text: str) -> None:
    widget.clear()
    type_text(qtbot, widget, text)


def test_a_manager_changes_the_cash_limit_and_the_hotline(
    qtbot: QtBot, gui: GuiSession, admin: Context
) -> None:
    main = log_in(qtbot, gui, "manager", MANAGER_PASSWORD)
    dialog = open_settings(qtbot, main)
    assert field(dialog, "rules.cash_limit_yuan").text() == "20"
    # every value of default_settings.json has its field, with its unit where it has one
    assert set(dialog.inputs) == {*settings.defaults(), HOTLINE}
    assert isinstance(dialog.inputs["review.two_step"], QCheckBox)
    retype(qtbot, field(dialog, "rules.cash_limit_yuan"), "30")
    retype(qtbot, field(dialog, HOTLINE), "0836 2899999")
    with qtbot.waitSignal(dialog.saved, timeout=TIMEOUT):
        click(qtbot, dialog.save_button)
    assert told(dialog.feedback).text == _(SAVED)
    dialog.close()
    settle(qtbot)

    again = open_settings(qtbot, main)
    assert again is not dialog
    assert field(again, "rules.cash_limit_yuan").text() == "30"
    assert field(again, HOTLINE).text() == "0836-2899999"
    assert settings.get(admin, "rules.cash_limit_yuan") == "30"  # the services read it now
    assert settings.read_all(admin).values[HOTLINE] == "0836-2899999"


def test_a_bad_phone_number_is_refused_and_nothing_is_saved(
    qtbot: QtBot, gui: GuiSession, admin: Context
) -> None:
    hotline = settings.read_all(admin).values[HOTLINE]
    main = log_in(qtbot, gui, "manager", MANAGER_PASSWORD)
    dialog = open_settings(qtbot, main)
    assert field(dialog, HOTLINE).text() == hotline
    retype(qtbot, field(dialog, "rules.cash_limit_yuan"), "45")
    retype(qtbot, field(dialog, HOTLINE), "12345")
    with qtbot.waitSignal(dialog.failed, timeout=TIMEOUT) as refused:
        click(qtbot, dialog.save_button)
    assert "12345" in str(refused.args[0])
    assert told(dialog.feedback).error
    assert marked_invalid(field(dialog, HOTLINE))
    assert settings.get(admin, "rules.cash_limit_yuan") == "20"
    assert settings.read_all(admin).values[HOTLINE] == hotline


def test_reset_puts_the_defaults_in_the_form(qtbot: QtBot, gui: GuiSession, admin: Context) -> None:
    settings.save(admin, {"rules.stay_limit_days": "12"})
    main = log_in(qtbot, gui, "manager", MANAGER_PASSWORD)
    dialog = open_settings(qtbot, main)
    assert field(dialog, "rules.stay_limit_days").text() == "12"
    click(qtbot, dialog.reset_button)
    assert field(dialog, "rules.stay_limit_days").text() == "10"
    with qtbot.waitSignal(dialog.saved, timeout=TIMEOUT):
        click(qtbot, dialog.save_button)
    assert settings.get(admin, "rules.stay_limit_days") == 10


def test_a_desk_clerk_has_no_settings_and_the_service_refuses(
    qtbot: QtBot, gui: GuiSession
) -> None:
    main = log_in(qtbot, gui, "desk", DESK_PASSWORD)
    assert not gui_session.menu_action(main, "settingsAction").isVisible()
    with pytest.raises(PermissionDenied):
        settings.save(main.context, {"rules.cash_limit_yuan": "99"})


def test_a_deactivated_users_window_logs_out_at_its_next_call(
    qtbot: QtBot, gui: GuiSession, admin: Context
) -> None:
    main = log_in(qtbot, gui, "desk", DESK_PASSWORD)
    settle(qtbot)
    users.set_active(admin, main.context.actor.user_id or 0, False)
    main.refresh()
    qtbot.waitUntil(lambda: gui.login is not None and gui.main_window is None, timeout=TIMEOUT)
    assert gui.login is not None
    assert gui.login.error_label.text() == _(ACCOUNT_DEACTIVATED)
