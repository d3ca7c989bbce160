"""First start: setting up our own station through the form, as a newcomer does.

The station is written off the GUI thread; a refusal comes back to the form
with the field (and the room) at fault. Real widgets under the offscreen
platform, typed with key clicks (Chinese and Tibetan through input-method
commits); no sleeps (``qtbot.waitUntil``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from station_app.db.models import Room, Station, User
from station_app.domain.enums import Role, Sex
from station_app.domain.errors import UserError
from station_app.domain.phone import parse_phone
from station_app.gui.app import GuiSession, start_gui
from station_app.gui.feedback import Level
from station_app.gui.language import save_language
from station_app.gui.station_setup import PASSWORDS_DIFFER, StationSetupDialog
from station_app.i18n import _, set_language
from station_app.services import users
from station_app.services.context import Database
from station_app.services.stations import find_station
from tests.support.gui import (
    TIMEOUT,
    Told,
    click,
    clicked_and_settled,
    is_busy,
    pick,
    told,
    type_text,
)

pytestmark = pytest.mark.gui

NAME_ZH = "甘孜县救助管理站"
NAME_BO = "དཀར་མཛེས་སྐྱབས་སྐྱོར་ས་ཚིགས།"
GARZE_COUNTY = "513328"
PASSWORD = "tashi-delek-8"
FAMILY_BO = "ཁྱིམ་ཚང་ཁང་ ༡"  # the family room's Tibetan name


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages as their English ids; Chinese again afterwards, the default."""
    set_language("en")
    yield
    set_language("zh_CN")
    save_language("zh_CN")


@pytest.fixture
def session(qtbot: QtBot, tmp_path: Path) -> Iterator[GuiSession]:
    session = start_gui(f"sqlite:///{tmp_path / 'station.sqlite3'}", language_code="en")
    # the database is read off the GUI thread: the first-start dialog follows
    qtbot.waitUntil(lambda: session.first_start is not None, timeout=TIMEOUT)
    yield session
    session.close()


def open_form(qtbot: QtBot, session: GuiSession) -> StationSetupDialog:
    first = session.first_start
    assert first is not None
    click(qtbot, first.setup_button)
    form = first.setup
    assert form is not None
    qtbot.waitUntil(form.dialog.isVisible)
    form.dialog.activateWindow()
    qtbot.waitUntil(form.dialog.isActiveWindow)
    return form


def fill(qtbot: QtBot, form: StationSetupDialog, *, repeat: str = PASSWORD) -> None:
    """Type the whole form as a user would."""
    type_text(qtbot, form.name_zh_edit, NAME_ZH)
    type_text(qtbot, form.name_bo_edit, NAME_BO)
    pick(form.county_combo, GARZE_COUNTY)
    type_text(qtbot, form.address_zh_edit, "甘孜县城")
    type_text(qtbot, form.hotline_edit, "0836-7522110")
    click(qtbot, form.add_room_button)
    type_text(qtbot, form.room_name_edit(2), "家庭1")
    type_text(qtbot, form.room_name_bo_edit(2), FAMILY_BO)
    pick(form.room_sex_combo(2), Sex.FEMALE.value)
    form.room_beds_spin(2).setValue(8)
    form.username_edit.clear()
    type_text(qtbot, form.username_edit, "dorje")
    type_text(qtbot, form.display_name_edit, "多吉")
    type_text(qtbot, form.password_edit, PASSWORD)
    type_text(qtbot, form.repeat_password_edit, repeat)


def count(db: Database, model: type) -> int:
    with db.sessions() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_setting_up_the_station_creates_it_and_opens_the_login(
    qtbot: QtBot, session: GuiSession
) -> None:
    form = open_form(qtbot, session)
    assert [form.room_name_edit(row).text() for row in range(2)] == ["男1", "女1"]
    fill(qtbot, form)
    assert form.code_edit.text() == GARZE_COUNTY  # the county's code by default

    click(qtbot, form.ok_button)
    assert is_busy(form.dialog)  # written off the GUI thread: OK waits for it
    assert not form.ok_button.isEnabled()

    qtbot.waitUntil(
        lambda: session.login is not None and session.first_start is None, timeout=TIMEOUT
    )
    login = session.login
    assert login is not None
    assert login.username_edit.text() == "dorje"
    assert [w for w in QApplication.topLevelWidgets() if w.isVisible()] == [login.dialog]
    station = find_station(session.db)
    assert station is not None
    assert (station.code, station.name_zh, station.name_bo) == (GARZE_COUNTY, NAME_ZH, NAME_BO)
    assert station.region_code == GARZE_COUNTY
    assert station.address_zh == "甘孜县城"
    assert station.hotline == "0836-7522110"
    assert not station.is_demo
    with session.db.sessions() as s:
        rooms = [
            (r.name, r.name_bo, r.sex, r.beds) for r in s.scalars(select(Room).order_by(Room.id))
        ]
        display_name = s.scalars(select(User.display_name)).one()
    assert rooms == [
        ("男1", None, Sex.MALE, 6),
        ("女1", None, Sex.FEMALE, 4),
        ("家庭1", FAMILY_BO, Sex.FEMALE, 8),
    ]
    assert display_name == "多吉"
    ctx = users.login(session.db, station.id, "dorje", PASSWORD)
    assert ctx.actor.role == Role.ADMIN


def test_passwords_that_differ_are_reported_and_nothing_is_created(
    qtbot: QtBot, session: GuiSession
) -> None:
    form = open_form(qtbot, session)
    fill(qtbot, form, repeat=PASSWORD + "x")

    clicked_and_settled(qtbot, form.ok_button)

    assert told(form.error_label) == Told(_(PASSWORDS_DIFFER), Level.ERROR)
    assert form.dialog.focusWidget() is form.repeat_password_edit
    assert form.dialog.isVisible()
    assert session.login is None
    assert count(session.db, Station) == 0
    assert count(session.db, User) == 0


def test_a_bad_hotline_shows_the_services_message_and_keeps_what_was_typed(
    qtbot: QtBot, session: GuiSession
) -> None:
    form = open_form(qtbot, session)
    fill(qtbot, form)
    form.hotline_edit.clear()
    type_text(qtbot, form.hotline_edit, "12")

    clicked_and_settled(qtbot, form.ok_button)

    with pytest.raises(UserError) as refused:
        parse_phone("12")
    assert told(form.error_label) == Told(refused.value.render(_), Level.ERROR)
    assert form.dialog.focusWidget() is form.hotline_edit  # the field at fault
    assert form.dialog.isVisible()
    assert session.login is None
    assert count(session.db, Station) == 0
    # Nothing typed is lost: correct the hotline and try again.
    assert form.name_zh_edit.text() == NAME_ZH
    assert form.name_bo_edit.text() == NAME_BO
    assert form.username_edit.text() == "dorje"
    assert form.password_edit.text() == PASSWORD
    assert form.rooms_table.rowCount() == 3
    form.hotline_edit.clear()
    type_text(qtbot, form.hotline_edit, "0836-7522110")
    click(qtbot, form.ok_button)
    qtbot.waitUntil(lambda: session.login is not None, timeout=TIMEOUT)
    assert count(session.db, Station) == 1


def test_a_room_named_twice_is_refused_with_the_cursor_in_that_room(
    qtbot: QtBot, session: GuiSession
) -> None:
    form = open_form(qtbot, session)
    fill(qtbot, form)
    form.room_name_edit(2).clear()
    type_text(qtbot, form.room_name_edit(2), "男1")  # the first room's name again

    clicked_and_settled(qtbot, form.ok_button)

    assert told(form.error_label) == Told(
        _("Two rooms are named {room}.").format(room="男1"), Level.ERROR
    )
    assert form.dialog.focusWidget() is form.room_name_edit(2)  # the second 男1, not the first
    assert form.rooms_table.currentRow() == 2
    assert form.dialog.isVisible()
    assert session.login is None
    assert count(session.db, Station) == 0
    assert [room.name for room in form.rooms()] == ["男1", "女1", "男1"]

    form.room_name_edit(2).clear()
    type_text(qtbot, form.room_name_edit(2), "家庭1")
    click(qtbot, form.ok_button)
    qtbot.waitUntil(lambda: session.login is not None, timeout=TIMEOUT)
    assert count(session.db, Room) == 3


def test_the_county_combo_shows_chinese_and_tibetan_names(
    qtbot: QtBot, session: GuiSession
) -> None:
    form = open_form(qtbot, session)
    combo = form.county_combo
    assert combo.count() == 18
    assert combo.currentIndex() == -1  # chosen by the user, not by default
    texts = [combo.itemText(i) for i in range(combo.count())]
    assert "康定市  དར་མདོ།" in texts
    assert any("ལི་ཐང་རྫོང་།" in text and "理塘县" in text for text in texts)


def test_rooms_can_be_added_and_removed(qtbot: QtBot, session: GuiSession) -> None:
    form = open_form(qtbot, session)
    click(qtbot, form.add_room_button)
    assert form.rooms_table.rowCount() == 3
    form.room_name_edit(0).setFocus()
    qtbot.waitUntil(form.room_name_edit(0).hasFocus)
    click(qtbot, form.remove_room_button)
    assert [room.name for room in form.rooms()] == ["女1", ""]


def test_back_returns_to_the_first_start_choices(qtbot: QtBot, session: GuiSession) -> None:
    form = open_form(qtbot, session)
    click(qtbot, form.cancel_button)
    first = session.first_start
    assert first is not None
    assert first.setup is None
    assert first.dialog.isVisible()
    assert count(session.db, Station) == 0


def test_a_tibetan_room_name_given_twice_puts_the_cursor_on_it(
    qtbot: QtBot, session: GuiSession
) -> None:
    form = open_form(qtbot, session)
    headers = [
        form.rooms_table.horizontalHeaderItem(c).text()  # type: ignore[union-attr]
        for c in range(form.rooms_table.columnCount())
    ]
    assert headers == ["Room", "Tibetan name", "Sex", "Beds"]
    fill(qtbot, form)
    type_text(qtbot, form.room_name_bo_edit(0), FAMILY_BO)  # the family room's name

    clicked_and_settled(qtbot, form.ok_button)

    assert told(form.error_label) == Told(
        _("Two rooms are named {room}.").format(room=FAMILY_BO), Level.ERROR
    )
    assert form.dialog.focusWidget() is form.room_name_bo_edit(2)
    assert count(session.db, Station) == 0
    form.room_name_bo_edit(0).clear()
    type_text(qtbot, form.room_name_bo_edit(0), "ཕོ་ཁང་ ༡")
    click(qtbot, form.ok_button)
    qtbot.waitUntil(lambda: session.login is not None, timeout=TIMEOUT)
    with session.db.sessions() as s:
        assert set(s.scalars(select(Room.name_bo))) == {"ཕོ་ཁང་ ༡", None, FAMILY_BO}
