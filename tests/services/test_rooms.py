"""Rooms after the first start: a manager adds, renames, resizes and takes
rooms out of use; rooms carry a Tibetan name shown on a Tibetan screen and
printed beside the Chinese one."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from station_app.db.models import AuditEntry
from station_app.domain.enums import AuditAction, DepartureOutcome, DocumentKind, Role, Sex
from station_app.domain.errors import Conflict, NotFound, PermissionDenied, ValidationError
from station_app.domain.rooms import bilingual_room, room_label
from station_app.services import desk, printouts, rooms, users
from station_app.services.context import Context
from station_app.services.rooms import RoomInput
from station_app.services.stations import RoomSpec, create_station
from tests.support.desk import ARRIVED, NOW, accepted, in_bed, pdf_text, room_id
from tests.support.stations import kangding_setup

BO_MEN = "ཕོ་ཁང་ ༡"


def _user(admin_ctx: Context, role: Role, name: str) -> Context:
    users.create_user(admin_ctx, name, name.title(), role, "password-" + name)
    return users.login(admin_ctx.db, admin_ctx.station_id, name, "password-" + name)


def _room(ctx: Context, name: str) -> rooms.RoomView:
    return next(r for r in rooms.list_rooms(ctx) if r.name == name)


def _edit(ctx: Context, current: str, /, **changes: Any) -> rooms.RoomView:
    room = _room(ctx, current)
    data = RoomInput(room.name, room.sex, room.beds, room.name_bo)
    return rooms.update_room(ctx, room.id, replace(data, **changes))


def test_a_manager_adds_a_room_with_its_tibetan_name_and_the_desk_sees_it(
    admin_ctx: Context,
) -> None:
    manager = _user(admin_ctx, Role.MANAGER, "lamu")
    added = rooms.add_room(manager, RoomInput("男2", Sex.MALE, 5, "ཕོ་ཁང་ ༢"))
    assert (added.name, added.name_bo, added.beds, added.active, added.occupied) == (
        "男2",
        "ཕོ་ཁང་ ༢",
        5,
        True,
        0,
    )
    listed = {r.name: r for r in rooms.list_rooms(manager)}
    assert set(listed) == {"男1", "男2", "女1"}
    board = {r.name: r for r in desk.today(admin_ctx, now=NOW).rooms}
    assert board["男2"].name_bo == "ཕོ་ཁང་ ༢"
    assert board["男2"].free == 5
    with admin_ctx.db.sessions() as s:
        entry = s.scalars(
            select(AuditEntry)
            .where(AuditEntry.entity == "room", AuditEntry.action == AuditAction.CREATE)
            # the setup's rooms first, then the manager's
            .order_by(AuditEntry.id.desc())
        ).first()
        assert entry is not None
        assert entry.username == "lamu"
        assert entry.changes["new"]["name_bo"] == "ཕོ་ཁང་ ༢"


def test_the_room_is_named_in_the_screen_language(admin_ctx: Context) -> None:
    _edit(admin_ctx, "男1", name_bo=BO_MEN)
    request_id = in_bed(admin_ctx, room="男1", bed=2)
    resident = next(r for r in desk.today(admin_ctx, now=NOW).residents)
    assert (resident.room_name, resident.room_name_bo) == ("男1", BO_MEN)
    stay = desk.request_record(admin_ctx, request_id, now=NOW).stay
    assert stay is not None
    assert (stay.room_name, stay.room_name_bo) == ("男1", BO_MEN)
    assert room_label(stay.room_name, stay.room_name_bo, "bo") == BO_MEN
    assert room_label(stay.room_name, stay.room_name_bo, "zh_CN") == "男1"
    assert room_label(stay.room_name, stay.room_name_bo, "en") == "男1"
    # a room without a Tibetan name keeps its Chinese name on a Tibetan screen
    assert room_label("女1", None, "bo") == "女1"


def test_the_departure_record_prints_both_names_of_the_room(
    admin_ctx: Context, tmp_path: Path
) -> None:
    _edit(admin_ctx, "男1", name_bo=BO_MEN)
    request_id = in_bed(admin_ctx)
    desk.record_departure(
        admin_ctx,
        request_id,
        desk.DepartureInput(
            DepartureOutcome.ESCORTED_HOME,
            ARRIVED + timedelta(days=1, hours=2),
            escort_staff="王强",
        ),
        now=NOW,
    )
    pdf = tmp_path / "departure.pdf"
    notice = printouts.print_notice(admin_ctx, request_id, DocumentKind.DEPARTURE_RECORD, pdf)
    assert notice.room == bilingual_room("男1", BO_MEN) == f"男1 {BO_MEN}"
    text = pdf_text(pdf)
    # the narrow cell may wrap before the digit: the words are checked, not the line
    assert "男1ཕོ་ཁང་" in text


def test_tibetan_names_are_checked_and_unique_per_station(admin_ctx: Context) -> None:
    _edit(admin_ctx, "男1", name_bo=BO_MEN)
    with pytest.raises(Conflict) as twice:
        rooms.add_room(admin_ctx, RoomInput("男2", Sex.MALE, 4, BO_MEN))
    assert twice.value.field == "room_bo"
    assert BO_MEN in str(twice.value)
    with pytest.raises(Conflict) as same_zh:
        rooms.add_room(admin_ctx, RoomInput("女1", Sex.FEMALE, 4))
    assert same_zh.value.field == "room"
    with pytest.raises(ValidationError) as too_long:
        rooms.add_room(admin_ctx, RoomInput("男3", Sex.MALE, 4, "ཕོ་" * 30 + "ཁང"))
    assert too_long.value.field == "room_bo"
    with pytest.raises(ValidationError) as no_beds:
        rooms.add_room(admin_ctx, RoomInput("男3", Sex.MALE, 0))
    assert no_beds.value.field == "beds"
    # a Tibetan name typed with spaces around is kept without them; blank is none
    renamed = _edit(admin_ctx, "女1", name_bo="  མོ་ཁང་ ༡ ")
    assert renamed.name_bo == "མོ་ཁང་ ༡"
    assert _edit(admin_ctx, "女1", name_bo="  ").name_bo is None
    assert {r.name for r in rooms.list_rooms(admin_ctx)} == {"男1", "女1"}


def test_a_room_someone_sleeps_in_cannot_be_taken_out_of_use(admin_ctx: Context) -> None:
    in_bed(admin_ctx, room="男1", bed=1)
    men = _room(admin_ctx, "男1")
    assert men.occupied == 1
    with pytest.raises(Conflict) as refused:
        rooms.set_room_in_use(admin_ctx, men.id, False)
    assert "Beds taken in room 男1: 1. Move its guests" in str(refused.value)
    assert _room(admin_ctx, "男1").active
    # an empty room goes out of use: no longer on the bed board, no bed in it
    women = _room(admin_ctx, "女1")
    assert not rooms.set_room_in_use(admin_ctx, women.id, False).active
    assert {r.name for r in desk.today(admin_ctx, now=NOW).rooms} == {"男1"}
    assert not _room(admin_ctx, "女1").active  # still listed for the manager
    request_id = accepted(admin_ctx, name_zh="卓玛", sex=Sex.FEMALE)
    with pytest.raises(NotFound):
        desk.assign_bed(
            admin_ctx, request_id, desk.BedInput(women.id, 1, ARRIVED + timedelta(hours=1)), now=NOW
        )
    assert rooms.set_room_in_use(admin_ctx, women.id, True).active
    desk.assign_bed(
        admin_ctx, request_id, desk.BedInput(women.id, 1, ARRIVED + timedelta(hours=1)), now=NOW
    )


def test_beds_cannot_drop_below_those_taken(admin_ctx: Context) -> None:
    in_bed(admin_ctx, room="男1", bed=1)
    in_bed(admin_ctx, room="男1", bed=3, name_zh="多吉")
    with pytest.raises(Conflict) as too_few:
        _edit(admin_ctx, "男1", beds=1)
    assert too_few.value.field == "beds"
    assert "Beds taken in room 男1: 2." in str(too_few.value)
    with pytest.raises(Conflict) as bed_three:
        _edit(admin_ctx, "男1", beds=2)  # two beds, but bed 3 is taken
    assert "Bed 3 of room 男1" in str(bed_three.value)
    with pytest.raises(Conflict):
        _edit(admin_ctx, "男1", sex=Sex.FEMALE)
    assert _room(admin_ctx, "男1").beds == 4
    assert _edit(admin_ctx, "男1", beds=3, name="男一室").beds == 3
    assert {r.name for r in desk.today(admin_ctx, now=NOW).rooms} == {"男一室", "女1"}
    assert room_id(admin_ctx, "男一室") == _room(admin_ctx, "男一室").id


def test_only_managers_and_administrators_manage_rooms(admin_ctx: Context) -> None:
    clerk = _user(admin_ctx, Role.DESK, "dolma")
    with pytest.raises(PermissionDenied):
        rooms.add_room(clerk, RoomInput("男2", Sex.MALE, 4))
    with pytest.raises(PermissionDenied):
        rooms.list_rooms(clerk)
    with pytest.raises(PermissionDenied):
        rooms.set_room_in_use(clerk, _room(admin_ctx, "女1").id, False)
    assert _room(admin_ctx, "女1").active
    assert {r.name for r in rooms.list_rooms(admin_ctx)} == {"男1", "女1"}


def test_the_station_setup_takes_tibetan_room_names(database: object) -> None:
    from station_app.services.context import Database

    assert isinstance(database, Database)
    twice = kangding_setup(
        rooms=[RoomSpec("男1", Sex.MALE, 4, BO_MEN), RoomSpec("男2", Sex.MALE, 4, BO_MEN)]
    )
    with pytest.raises(ValidationError) as refused:
        create_station(database, twice)
    assert (refused.value.field, refused.value.row) == ("room_bo", 1)
    ctx = create_station(
        database,
        kangding_setup(
            rooms=[RoomSpec("男1", Sex.MALE, 4, BO_MEN), RoomSpec("女1", Sex.FEMALE, 3)]
        ),
    )
    assert {(r.name, r.name_bo) for r in rooms.list_rooms(ctx)} == {
        ("男1", BO_MEN),
        ("女1", None),
    }
