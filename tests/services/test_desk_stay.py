"""The stay, on SQLite and PostgreSQL: beds by sex and number, full rooms,
moving, services given, and the 10-day clock with exemptions, the extension
reason and the report date."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from station_app.db.models import Room
from station_app.domain.enums import Sex, StayServiceKind
from station_app.domain.errors import Conflict, ValidationError
from station_app.domain.permissions import Permission
from station_app.services import desk, settings
from station_app.services.context import Context
from tests.support.desk import ARRIVED, NOW, accepted, in_bed, room_id

BED_AT = ARRIVED + timedelta(hours=1)


def _bed(ctx: Context, request_id: int, room: str, bed: int) -> desk.StayView:
    return desk.assign_bed(ctx, request_id, desk.BedInput(room_id(ctx, room), bed, BED_AT), now=NOW)


def test_a_bed_in_a_room_of_the_persons_sex(admin_ctx: Context) -> None:
    request_id = accepted(admin_ctx)
    with pytest.raises(ValidationError) as err:
        _bed(admin_ctx, request_id, "女1", 1)
    assert err.value.field == "room"
    assert "女1" in str(err.value)
    stay = _bed(admin_ctx, request_id, "男1", 2)
    assert (stay.room_name, stay.bed_number, stay.ended_at) == ("男1", 2, None)
    with pytest.raises(Conflict):
        _bed(admin_ctx, request_id, "男1", 3)


def test_a_person_of_unknown_sex_gets_a_bed_once_the_sex_is_recorded(
    admin_ctx: Context,
) -> None:
    request_id = accepted(admin_ctx, sex=None)
    with pytest.raises(ValidationError) as err:
        _bed(admin_ctx, request_id, "男1", 1)
    assert err.value.field == "sex"
    assert "record the sex" in str(err.value)


@pytest.mark.parametrize("bed", [0, 5], ids=["zero", "past-the-last"])
def test_a_bed_number_outside_the_room_is_refused(admin_ctx: Context, bed: int) -> None:
    with pytest.raises(ValidationError) as err:
        _bed(admin_ctx, accepted(admin_ctx), "男1", bed)
    assert err.value.field == "bed_number"
    assert "1 to 4" in str(err.value)


def test_a_taken_bed_and_a_full_room_are_refused(admin_ctx: Context) -> None:
    in_bed(admin_ctx, name_zh="次仁", room="男1", bed=1)
    waiting = accepted(admin_ctx, name_zh="多吉")
    with pytest.raises(Conflict) as err:
        _bed(admin_ctx, waiting, "男1", 1)
    assert str(err.value) == "Bed 1 of room 男1 is taken; free beds there: 2, 3, 4."
    for bed, name in ((2, "平措"), (3, "贡布"), (4, "顿珠")):
        in_bed(admin_ctx, name_zh=name, room="男1", bed=bed)
    with pytest.raises(Conflict) as err:
        _bed(admin_ctx, waiting, "男1", 2)
    assert "no other room" in str(err.value)


def test_a_full_room_names_the_rooms_with_free_beds(admin_ctx: Context) -> None:
    for bed, name in ((1, "央金"), (2, "卓玛"), (3, "拉姆")):
        in_bed(admin_ctx, name_zh=name, sex=Sex.FEMALE, room="女1", bed=bed)
    with admin_ctx.write(Permission.MANAGE_SETTINGS) as s:
        s.add(Room(station_id=admin_ctx.station_id, name="女2", sex=Sex.FEMALE, beds=2))
    waiting = accepted(admin_ctx, name_zh="德吉", sex=Sex.FEMALE)
    with pytest.raises(Conflict) as err:
        _bed(admin_ctx, waiting, "女1", 1)
    assert str(err.value) == "Room 女1 is full; rooms with free beds: 女2."
    assert _bed(admin_ctx, waiting, "女2", 1).room_name == "女2"


def test_moving_keeps_the_clock(admin_ctx: Context) -> None:
    request_id = in_bed(admin_ctx)
    in_bed(admin_ctx, name_zh="多吉", bed=2)
    with pytest.raises(Conflict):
        desk.move_bed(admin_ctx, request_id, room_id(admin_ctx, "男1"), 2, now=NOW)
    moved = desk.move_bed(admin_ctx, request_id, room_id(admin_ctx, "男1"), 4, now=NOW)
    assert moved.bed_number == 4
    assert moved.started_at == BED_AT
    assert moved.clock.started_at == BED_AT


def test_services_given_in_the_station(admin_ctx: Context) -> None:
    request_id = in_bed(admin_ctx)
    at = ARRIVED + timedelta(hours=3)
    desk.record_service(
        admin_ctx, request_id, desk.ServiceInput(StayServiceKind.MEAL, at, "午餐"), now=NOW
    )
    call = desk.record_service(
        admin_ctx,
        request_id,
        desk.ServiceInput(
            StayServiceKind.FAMILY_CONTACT,
            at,
            contact_name="次仁（兄）",
            contact_phone="138 1234 5678",
            reached=False,
        ),
        now=NOW,
    )
    assert call.reached is False
    assert call.contact_phone is not None
    money = desk.record_service(
        admin_ctx,
        request_id,
        desk.ServiceInput(StayServiceKind.MONEY_FROM_FAMILY, at, amount="300", contact_name="次仁"),
        now=NOW,
    )
    assert money.amount == Decimal("300.00")
    assert [s.kind for s in desk.services(admin_ctx, request_id)] == [
        StayServiceKind.MEAL,
        StayServiceKind.FAMILY_CONTACT,
        StayServiceKind.MONEY_FROM_FAMILY,
    ]


@pytest.mark.parametrize(
    ("service", "field"),
    [
        (desk.ServiceInput(StayServiceKind.FAMILY_CONTACT, BED_AT, reached=True), "contact_name"),
        (desk.ServiceInput(StayServiceKind.FAMILY_CONTACT, BED_AT, contact_name="次仁"), "reached"),
        (desk.ServiceInput(StayServiceKind.MONEY_FROM_FAMILY, BED_AT), "amount"),
        (desk.ServiceInput(StayServiceKind.MONEY_FROM_FAMILY, BED_AT, amount=-5), "amount"),
        (desk.ServiceInput(StayServiceKind.MEAL, ARRIVED - timedelta(hours=1)), "service_at"),
        (desk.ServiceInput(StayServiceKind.MEAL, NOW + timedelta(hours=1)), "service_at"),
    ],
    ids=["no-contact", "reached-unknown", "no-amount", "negative", "before-arrival", "future"],
)
def test_incomplete_services_are_refused(
    admin_ctx: Context, service: desk.ServiceInput, field: str
) -> None:
    request_id = in_bed(admin_ctx)
    with pytest.raises(ValidationError) as err:
        desk.record_service(admin_ctx, request_id, service, now=NOW)
    assert err.value.field == field
    assert desk.services(admin_ctx, request_id) == ()


def test_the_ten_day_clock(admin_ctx: Context) -> None:
    request_id = in_bed(admin_ctx)
    stay = desk.current_stay(admin_ctx, request_id, now=BED_AT + timedelta(days=7, hours=2))
    assert stay is not None
    clock = stay.clock
    assert (clock.limit_days, clock.days_in_station, clock.days_left) == (10, 8, 2)
    assert not clock.exempt
    assert not clock.overdue(BED_AT + timedelta(days=9, hours=23))
    assert clock.overdue(BED_AT + timedelta(days=10))


def test_the_limit_comes_from_the_settings(admin_ctx: Context) -> None:
    settings.set_value(admin_ctx, "rules.stay_limit_days", "7")
    request_id = in_bed(admin_ctx)
    stay = desk.current_stay(admin_ctx, request_id, now=BED_AT + timedelta(days=8))
    assert stay is not None
    assert stay.clock.limit_days == 7
    assert stay.clock.overdue(BED_AT + timedelta(days=8))


@pytest.mark.parametrize(
    "person",
    [{"birth_date": date(2009, 1, 1)}, {"disability": "mental"}],
    ids=["minor", "mental-disability"],
)
def test_minors_and_people_with_disabilities_are_exempt(
    admin_ctx: Context, person: dict[str, object]
) -> None:
    request_id = in_bed(admin_ctx, **person)
    stay = desk.current_stay(admin_ctx, request_id, now=BED_AT + timedelta(days=30))
    assert stay is not None
    assert stay.clock.exempt
    assert stay.clock.exempt_reason is not None
    assert not stay.clock.overdue(BED_AT + timedelta(days=30))


def test_an_extension_needs_a_reason_and_a_possible_report_date(admin_ctx: Context) -> None:
    request_id = in_bed(admin_ctx)
    now = BED_AT + timedelta(days=11)
    for reported, field in (
        (date(2026, 1, 9), "extension_reported_on"),  # before the arrival
        (date(2026, 1, 23), "extension_reported_on"),  # after today (2026-01-21)
    ):
        with pytest.raises(ValidationError) as err:
            desk.extend_stay(admin_ctx, request_id, "等待家属来站接领", reported, now=now)
        assert err.value.field == field
    with pytest.raises(ValidationError) as err:
        desk.extend_stay(admin_ctx, request_id, "", date(2026, 1, 20), now=now)
    assert err.value.field == "extension_reason"
    stay = desk.extend_stay(admin_ctx, request_id, "等待家属来站接领", date(2026, 1, 20), now=now)
    assert stay.clock.extended
    assert not stay.clock.overdue(now)
    assert stay.clock.extension_reported_on == date(2026, 1, 20)
