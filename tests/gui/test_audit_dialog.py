"""File → Audit trail… as a manager uses it: filter by user and see that
user's entries, export what the filters select; a desk clerk has no such menu
entry and the service refuses them.

Real widgets under the offscreen platform, the application started as a user
starts it and logged in through the login dialog.
"""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from station_app.domain.enums import AuditAction, Role
from station_app.domain.errors import PermissionDenied
from station_app.gui.audit_dialog import AuditDialog
from station_app.gui.main_window import MainWindow
from station_app.gui.models.audit import USER
from station_app.services import audit_view, persons, users
from station_app.services.context import Database
from station_app.services.stations import create_station
from tests.support import gui_session
from tests.support.gui import TIMEOUT
from tests.support.gui_session import OpenGui, choose_own_password, log_in, sqlite_url
from tests.support.stations import kangding_setup

pytestmark = pytest.mark.gui

MANAGER_PASSWORD = "Manager-pass-17"
DESK_PASSWORD = "Desk-pass-2931"
FIRST_PASSWORD = "First-pass-8812"  # set by the administrator, changed at first login

home = gui_session.home
open_gui = gui_session.open_gui
station_url = gui_session.station_url


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    """A station where the desk clerk registered two persons and the manager one."""
    path = tmp_path / "station.sqlite3"
    with Database.open(sqlite_url(path)) as db:
        ctx = create_station(db, kangding_setup())
        users.create_user(ctx, "manager", "站长", Role.MANAGER, FIRST_PASSWORD)
        users.create_user(ctx, "desk", "接待", Role.DESK, FIRST_PASSWORD)
        station = ctx.station_id
    with Database.open(sqlite_url(path)) as db:
        desk = choose_own_password(db, station, "desk", FIRST_PASSWORD, DESK_PASSWORD)
        persons.create_person(desk, persons.PersonInput(name_zh="格桑"))
        persons.create_person(desk, persons.PersonInput(name_zh="央金"))
        manager = choose_own_password(db, station, "manager", FIRST_PASSWORD, MANAGER_PASSWORD)
        persons.create_person(manager, persons.PersonInput(name_zh="次仁"))
    return path


def open_audit(qtbot: QtBot, main: MainWindow) -> AuditDialog:
    dialog = gui_session.open_dialog(
        qtbot, main, "auditAction", lambda: main.audit_dialog, lambda d: d.model.rowCount() > 0
    )
    qtbot.waitUntil(lambda: dialog.user_combo.findData("desk") >= 0, timeout=TIMEOUT)
    return dialog


def shown_users(dialog: AuditDialog) -> set[str]:
    model = dialog.model
    return {model.data(model.index(r, USER)) for r in range(model.rowCount())}


def test_a_manager_filters_the_trail_by_user(
    qtbot: QtBot, open_gui: OpenGui, tmp_path: Path
) -> None:
    main = log_in(qtbot, open_gui(), "manager", MANAGER_PASSWORD)
    dialog = open_audit(qtbot, main)
    ModelTester(None).check(dialog.model)  # type: ignore[arg-type]
    assert {"desk", "manager"} <= shown_users(dialog)

    with qtbot.waitSignal(dialog.shown, timeout=TIMEOUT):
        dialog.choose(dialog.user_combo, "desk")
    assert shown_users(dialog) == {"desk"}
    rows = dialog.model.rows
    assert sum(r.entity == "person" and r.action is AuditAction.CREATE for r in rows) == 2
    assert any(r.action is AuditAction.LOGIN for r in rows)

    with qtbot.waitSignal(dialog.shown, timeout=TIMEOUT):
        dialog.choose(dialog.action_combo, AuditAction.CREATE)
    assert {r.action for r in dialog.model.rows} == {AuditAction.CREATE}
    assert shown_users(dialog) == {"desk"}

    target = tmp_path / "audit.xlsx"
    with qtbot.waitSignal(dialog.exported, timeout=TIMEOUT):
        dialog.export_to(target)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    sheet = load_workbook(target).active
    assert sheet is not None
    lines = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(lines) == len(dialog.model.rows)
    assert {line[1] for line in lines} == {"desk"}
    assert "格桑" not in str(lines)  # the export names records, not their values


def test_a_desk_clerk_has_no_audit_trail(qtbot: QtBot, open_gui: OpenGui) -> None:
    main = log_in(qtbot, open_gui(), "desk", DESK_PASSWORD)
    assert not gui_session.menu_action(main, "auditAction").isVisible()
    with pytest.raises(PermissionDenied):
        audit_view.search(main.context)
    with pytest.raises(PermissionDenied):
        audit_view.export(main.context, Path("unused.xlsx"))
