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

from station_app.domain.enums import Role, Sex
from station_app.domain.errors import PermissionDenied
from station_app.gui.app import GuiSession
from station_app.gui.main_window import MainWindow
from station_app.gui.rooms_tab import PUT_BACK, TAKE_OUT, RoomsTab
from station_app.gui.settings_dialog import SAVED, SettingsDialog
from station_app.i18n import _
from station_app.services import desk, rooms, settings, users
from station_app.services.context import ACCOUNT_DEACTIVATED, Context, Database
from station_app.services.rooms import RoomInput
from station_app.services.settings import HOTLINE
from tests.support import gui_session
from tests.support.desk import in_bed
from tests.support.gui import TIMEOUT, click, marked_invalid, pick, settle, told, type_text
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
    """The settings dialog, its values and its rooms read (its buttons wait for both)."""
    dialog = gui_session.open_dialog(
        qtbot, main, "settingsAction", lambda: main.settings_dialog, lambda d: d.current is not None
    )
    settle(qtbot)
    return dialog


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


# ------------------------------------------------------------------ rooms


def open_rooms(qtbot: QtBot, main: MainWindow) -> SettingsDialog:
    dialog = open_settings(qtbot, main)
    dialog.tabs.setCurrentWidget(dialog.rooms_tab_page)
    qtbot.waitUntil(lambda: len(dialog.rooms_tab.rooms) > 0, timeout=TIMEOUT)
    settle(qtbot)  # every read the tab asked for is in: its buttons are free
    return dialog


def table_rows(tab: RoomsTab) -> list[list[str]]:
    table = tab.table
    return [
        [table.item(r, c).text() for c in range(table.columnCount())]  # type: ignore[union-attr]
        for r in range(table.rowCount())
    ]


def choose(qtbot: QtBot, tab: RoomsTab, name: str) -> None:
    settle(qtbot)  # the list read after the last change is in
    row = next(i for i, r in enumerate(tab.rooms) if r.name == name)
    tab.table.selectRow(row)
    qtbot.waitUntil(lambda: tab.name_edit.text() == name, timeout=TIMEOUT)


def test_a_manager_adds_a_room_with_its_tibetan_name_and_changes_its_beds(
    qtbot: QtBot, gui: GuiSession, admin: Context
) -> None:
    main = log_in(qtbot, gui, "manager", MANAGER_PASSWORD)
    dialog = open_rooms(qtbot, main)
    tab = dialog.rooms_tab
    assert not dialog.save_button.isVisible()  # the settings' Save is not the room's
    assert table_rows(tab) == [
        ["女1", "", _("Female"), "3", _("Yes"), "0"],
        ["男1", "", _("Male"), "4", _("Yes"), "0"],
    ]
    click(qtbot, tab.new_button)
    type_text(qtbot, tab.name_edit, "男2")
    type_text(qtbot, tab.name_bo_edit, "ཕོ་ཁང་ ༢")
    pick(tab.sex_combo, Sex.MALE.value)
    tab.beds_spin.setValue(6)
    with qtbot.waitSignal(tab.saved, timeout=TIMEOUT):
        click(qtbot, tab.save_button)
    qtbot.waitUntil(lambda: len(tab.rooms) == 3, timeout=TIMEOUT)
    assert ["男2", "ཕོ་ཁང་ ༢", _("Male"), "6", _("Yes"), "0"] in table_rows(tab)
    assert "男2" in told(tab.feedback).text
    # the desk's bed board has it at once
    board = {r.name: r for r in desk.today(admin).rooms}
    assert (board["男2"].name_bo, board["男2"].beds) == ("ཕོ་ཁང་ ༢", 6)

    choose(qtbot, tab, "男2")
    tab.beds_spin.setValue(8)
    with qtbot.waitSignal(tab.saved, timeout=TIMEOUT):
        click(qtbot, tab.save_button)
    assert {r.name: r.beds for r in rooms.list_rooms(admin)}["男2"] == 8


def test_a_room_someone_sleeps_in_stays_in_use_and_keeps_its_beds(
    qtbot: QtBot, gui: GuiSession, admin: Context
) -> None:
    in_bed(admin, room="男1", bed=3)
    main = log_in(qtbot, gui, "manager", MANAGER_PASSWORD)
    dialog = open_rooms(qtbot, main)
    tab = dialog.rooms_tab
    assert ["男1", "", _("Male"), "4", _("Yes"), "1"] in table_rows(tab)
    choose(qtbot, tab, "男1")
    assert tab.in_use_button.text() == _(TAKE_OUT)
    with qtbot.waitSignal(tab.failed, timeout=TIMEOUT) as refused:
        click(qtbot, tab.in_use_button)
    assert "男1" in str(refused.args[0])
    assert told(tab.feedback).error
    tab.beds_spin.setValue(2)  # bed 3 is taken
    with qtbot.waitSignal(tab.failed, timeout=TIMEOUT) as fewer:
        click(qtbot, tab.save_button)
    assert "3" in str(fewer.args[0])
    assert marked_invalid(tab.beds_spin)
    men = {r.name: r for r in rooms.list_rooms(admin)}["男1"]
    assert (men.active, men.beds) == (True, 4)

    # the empty women's room goes out of use, and comes back
    choose(qtbot, tab, "女1")
    with qtbot.waitSignal(tab.saved, timeout=TIMEOUT):
        click(qtbot, tab.in_use_button)
    qtbot.waitUntil(lambda: tab.in_use_button.text() == _(PUT_BACK), timeout=TIMEOUT)
    settle(qtbot)
    assert ["女1", "", _("Female"), "3", _("No"), "0"] in table_rows(tab)
    assert {r.name for r in desk.today(admin).rooms} == {"男1"}
    with qtbot.waitSignal(tab.saved, timeout=TIMEOUT):
        click(qtbot, tab.in_use_button)
    assert {r.name for r in desk.today(admin).rooms} == {"男1", "女1"}


def test_a_tibetan_name_used_twice_is_refused_at_its_field(
    qtbot: QtBot, gui: GuiSession, admin: Context
) -> None:
    women = {r.name: r for r in rooms.list_rooms(admin)}["女1"]
    rooms.update_room(admin, women.id, RoomInput("女1", Sex.FEMALE, 3, "མོ་ཁང་ ༡"))
    main = log_in(qtbot, gui, "manager", MANAGER_PASSWORD)
    dialog = open_rooms(qtbot, main)
    tab = dialog.rooms_tab
    choose(qtbot, tab, "男1")
    type_text(qtbot, tab.name_bo_edit, "མོ་ཁང་ ༡")
    with qtbot.waitSignal(tab.failed, timeout=TIMEOUT):
        click(qtbot, tab.save_button)
    assert marked_invalid(tab.name_bo_edit)
    assert {r.name: r.name_bo for r in rooms.list_rooms(admin)}["男1"] is None


def test_rooms_are_named_in_tibetan_on_a_tibetan_screen(admin: Context) -> None:
    from station_app.gui.models.today_models import ResidentModel, RoomBedsModel
    from station_app.i18n import set_language

    men = {r.name: r for r in rooms.list_rooms(admin)}["男1"]
    rooms.update_room(admin, men.id, RoomInput("男1", Sex.MALE, 4, "ཕོ་ཁང་ ༡"))
    in_bed(admin, room="男1", bed=2)
    view = desk.today(admin)
    board, people = RoomBedsModel(), ResidentModel()
    board.set_rows(view.rooms)
    people.set_rows(view.residents)

    def shown() -> tuple[list[str], str]:
        names = [str(board.data(board.index(r, 0))) for r in range(board.rowCount())]
        return names, str(people.data(people.index(0, 3)))

    names, bed = shown()
    assert "男1" in names
    assert bed.startswith("男1 ")
    set_language("bo")
    names, bed = shown()
    assert "ཕོ་ཁང་ ༡" in names
    assert "女1" in names  # no Tibetan name: the Chinese one
    assert bed.startswith("ཕོ་ཁང་ ༡ ")
