"""File → Users… and the password due at login (issue 14), as a manager and an
administrator use them: the list of accounts, a refused reset of the
administrator's password shown on screen, a desk user added who must choose
their own password before the main window opens.

Real widgets under the offscreen platform; the user data folder is a temp dir.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from station_app.domain.enums import Role
from station_app.gui.main_window import MainWindow
from station_app.gui.models.users import UsersModel
from station_app.gui.users_dialog import DEACTIVATE, UsersDialog
from station_app.i18n import _
from station_app.services import users
from station_app.services.context import Database
from station_app.services.stations import create_station
from station_app.services.users.accounts import ONLY_DESK_AND_PATROL
from station_app.services.users.passwords import TOO_COMMON
from tests.support import gui_session
from tests.support.gui import TIMEOUT, click, pick, settle, told, type_text
from tests.support.gui_session import OpenGui, choose_own_password, log_in, sqlite_url
from tests.support.stations import ADMIN_PASSWORD, kangding_setup

pytestmark = [
    pytest.mark.gui,
    # the offscreen platform says so of every dialog opened over another
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]

MANAGER_PASSWORD = "manager-pass-1"

home = gui_session.home
open_gui = gui_session.open_gui


@pytest.fixture
def station_url(tmp_path: Path) -> str:
    """A station with its administrator and a manager who chose their password."""
    url = sqlite_url(tmp_path / "station.sqlite3")
    with Database.open(url) as db:
        ctx = create_station(db, kangding_setup())
        users.create_user(ctx, "manager", "站长", Role.MANAGER, "first-manager-1")
        choose_own_password(db, ctx.station_id, "manager", "first-manager-1", MANAGER_PASSWORD)
    return url


def open_users(qtbot: QtBot, main: MainWindow) -> UsersDialog:
    dialog = gui_session.open_dialog(
        qtbot, main, "usersAction", lambda: main.users_dialog, lambda d: d.model.rowCount() > 0
    )
    settle(qtbot)
    return dialog


def listed(dialog: UsersDialog) -> dict[str, users.UserView]:
    return {u.username: u for u in dialog.model.rows}


def test_manager_sees_the_users_but_cannot_reset_the_admin(
    qtbot: QtBot, open_gui: OpenGui, station_url: str
) -> None:
    session = open_gui()
    main = log_in(qtbot, session, "manager", MANAGER_PASSWORD)
    dialog = open_users(qtbot, main)
    assert set(listed(dialog)) == {"admin", "manager"}
    dialog.select("admin")
    reset = dialog.reset_password()
    assert reset is not None
    type_text(qtbot, reset.new_edit, "taken-over-77")
    type_text(qtbot, reset.repeat_edit, "taken-over-77")
    with qtbot.waitSignal(reset.failed, timeout=TIMEOUT):
        click(qtbot, reset.save_button)
    shown = told(reset)
    assert shown.error
    assert shown.text == _(ONLY_DESK_AND_PATROL)
    # the administrator's password is unchanged
    with Database.open(station_url) as db:
        assert users.login(db, 1, "admin", ADMIN_PASSWORD).actor.role is Role.ADMIN
        with pytest.raises(users.LoginFailed):
            users.login(db, 1, "admin", "taken-over-77")


def test_manager_cannot_deactivate_the_admin_on_screen(qtbot: QtBot, open_gui: OpenGui) -> None:
    session = open_gui()
    main = log_in(qtbot, session, "manager", MANAGER_PASSWORD)
    dialog = open_users(qtbot, main)
    dialog.select("admin")
    assert dialog.active_button.text() == _(DEACTIVATE)
    with qtbot.waitSignal(dialog.failed, timeout=TIMEOUT):
        click(qtbot, dialog.active_button)
    assert told(dialog).error
    settle(qtbot)
    assert listed(dialog)["admin"].active


def test_admin_adds_a_desk_user_who_must_choose_a_password_at_first_login(
    qtbot: QtBot, open_gui: OpenGui
) -> None:
    session = open_gui()
    main = log_in(qtbot, session, "admin", ADMIN_PASSWORD)
    dialog = open_users(qtbot, main)
    form = dialog.add()
    type_text(qtbot, form.username_edit, "dawa")
    type_text(qtbot, form.display_name_edit, "达瓦")
    pick(form.role_combo, Role.DESK)
    # a common password is refused in the form, which stays open
    type_text(qtbot, form.password_edit, "12345678")
    type_text(qtbot, form.repeat_edit, "12345678")
    with qtbot.waitSignal(form.failed, timeout=TIMEOUT):
        click(qtbot, form.save_button)
    assert told(form).text == _(TOO_COMMON)
    for edit in (form.password_edit, form.repeat_edit):
        edit.clear()
        type_text(qtbot, edit, "first-dawa-1")
    with qtbot.waitSignal(form.saved, timeout=TIMEOUT):
        click(qtbot, form.save_button)
    qtbot.waitUntil(lambda: "dawa" in listed(dialog), timeout=TIMEOUT)  # the list follows
    added = listed(dialog)["dawa"]
    assert (added.role, added.must_change_password) == (Role.DESK, True)

    main.log_out()
    qtbot.waitUntil(lambda: session.login is not None, timeout=TIMEOUT)
    gui_session.type_login(qtbot, session, "dawa", "first-dawa-1")
    login = session.login
    assert login is not None
    qtbot.waitUntil(lambda: login.password_dialog is not None, timeout=TIMEOUT)
    change = login.password_dialog
    assert change is not None
    assert session.main_window is None  # not before the password is chosen
    type_text(qtbot, change.old_edit, "first-dawa-1")
    type_text(qtbot, change.new_edit, "chosen-by-dawa")
    type_text(qtbot, change.repeat_edit, "chosen-by-dawa")
    click(qtbot, change.save_button)
    qtbot.waitUntil(lambda: session.main_window is not None, timeout=TIMEOUT)
    assert session.main_window is not None
    assert session.main_window.context.actor.username == "dawa"


def test_users_model_passes_the_model_tester(qtmodeltester: ModelTester) -> None:
    model = UsersModel()
    model.set_rows([users.UserView(1, 1, "admin", "达瓦", Role.ADMIN, True, None, None, False, 2)])
    qtmodeltester.check(model)
    assert model.index(0, 5).data() == "2"
