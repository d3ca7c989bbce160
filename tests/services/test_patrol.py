"""Patrol shifts through the services, on SQLite and PostgreSQL: a whole shift
is saved in one go, someone escorted in is an arrival at the desk, the items
given leave the store, bad input is refused with a message, an edit is
audited, and the monthly figures add up."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from station_app.db.models import (
    AuditEntry,
    Encounter,
    FamilySearch,
    HelpRequest,
    PatrolShift,
    StockMovement,
    SupplyItem,
)
from station_app.domain.enums import (
    ArrivalChannel,
    AuditAction,
    EncounterAction,
    MovementKind,
    PartnerAgency,
    PatrolArea,
    Role,
    Sex,
)
from station_app.domain.errors import Conflict, NotFound, PermissionDenied, ValidationError
from station_app.domain.permissions import Permission
from station_app.services import desk, patrol, users
from station_app.services.context import Context
from station_app.services.persons import PersonInput, RelativeInput, create_person

Act = EncounterAction
START = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)  # 20:00 in Kangding
END = datetime(2026, 1, 10, 16, 30, tzinfo=UTC)  # 00:30 the next day: a night shift
DAY = date(2026, 1, 10)
NOW = datetime(2026, 1, 11, 4, 0, tzinfo=UTC)


def stock_item(
    ctx: Context, code: str, received: Decimal | int, *, whole: bool = True, unit: str = "件"
) -> int:
    """A supply item with one receipt of ``received``; returns its id."""
    names = {"COAT": "棉衣", "QUILT": "棉被", "FOOD": "食品", "RICE": "大米", "CARD": "救助卡"}
    with ctx.write(Permission.MANAGE_SUPPLIES) as s:
        item = SupplyItem(
            station_id=ctx.station_id,
            code=code,
            name_zh=names.get(code, code),
            unit_zh=unit,
            whole_units=whole,
        )
        s.add(item)
        s.flush()
        s.add(
            StockMovement(
                station_id=ctx.station_id,
                item_id=item.id,
                kind=MovementKind.RECEIPT_PURCHASE,
                quantity=Decimal(received),
                moved_at=START - timedelta(days=30),
            )
        )
        return item.id


def ledger_stock(ctx: Context, item_id: int) -> Decimal:
    """Stock recomputed here from the movements, row by row."""
    with ctx.db.sessions() as s:
        rows = s.scalars(select(StockMovement.quantity).where(StockMovement.item_id == item_id))
        return sum(rows, Decimal(0))


def met(minutes: int = 60, **kw: Any) -> patrol.EncounterInput:
    """An anonymous person who refused help, ``minutes`` after the shift started."""
    base = patrol.EncounterInput(
        met_at=START + timedelta(minutes=minutes),
        place="折多河桥洞",
        action=Act.REFUSED_HELP,
        code_name="桥洞老人",
        refusal_reason="不愿离开",
    )
    return replace(base, **kw)


def shift(**kw: Any) -> patrol.ShiftInput:
    base = patrol.ShiftInput(
        shift_date=DAY,
        started_at=START,
        ended_at=END,
        members=[
            patrol.MemberInput("张伟"),
            patrol.MemberInput("李娜"),
            patrol.MemberInput("王警官", agency="炉城派出所"),
        ],
        staff_count=3,
        vehicle_count=1,
        partner_agencies=[PartnerAgency.POLICE],
        areas=[PatrolArea.BRIDGE_UNDERPASS, PatrolArea.TRANSPORT_STATION],
        area_notes="折多河桥洞、康定汽车站",
        weather="小雪",
        temperature_c=Decimal("-9.5"),
        encounters=[],
    )
    return replace(base, **kw)


def _count(ctx: Context, model: type) -> int:
    with ctx.db.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


# ---------------------------------------------------------------- a whole shift


def test_a_shift_of_20_encounters_is_saved_whole(admin_ctx: Context) -> None:
    food = stock_item(admin_ctx, "FOOD", 100)
    actions = [Act.REFUSED_HELP, Act.CONTACT_CARD_LEFT, Act.OTHER, Act.ESCORTED_TO_STATION]
    encounters = [
        met(
            5 + 12 * i,
            action=actions[i % 4],
            code_name=f"露宿者{i}",
            place=f"地点{i}",
            refusal_reason="不愿离开" if actions[i % 4] is Act.REFUSED_HELP else None,
            items=[patrol.ItemGiven(food, 1)],
        )
        for i in range(20)
    ]
    view = patrol.submit_shift(admin_ctx, shift(encounters=encounters), now=NOW)
    assert len(view.encounters) == 20
    assert view.status.value == "submitted"
    assert view.submitted_at == NOW
    assert [m.name for m in view.members] == ["张伟", "李娜", "王警官"]
    assert all(len(e.items) == 1 for e in view.encounters)
    assert sum(1 for e in view.encounters if e.help_request_id) == 5
    assert ledger_stock(admin_ctx, food) == 80
    again = patrol.get_shift(admin_ctx, view.id)
    assert again.encounters == view.encounters
    assert again.temperature_c == Decimal("-9.5")
    [summary] = patrol.list_shifts(admin_ctx, start=DAY, end=DAY)
    assert (summary.encounters, summary.brought_in, summary.staff_count) == (20, 5, 3)
    assert summary.members == ("张伟", "李娜", "王警官")
    assert patrol.list_shifts(admin_ctx, start=DAY + timedelta(days=1), end=date(2026, 2, 1)) == []


def test_someone_brought_in_is_an_arrival_on_the_desks_today_page(admin_ctx: Context) -> None:
    brought = met(
        90,
        action=Act.ESCORTED_TO_STATION,
        code_name="车站长发男子",
        description="男，约四十岁，衣着单薄",
        refusal_reason=None,
        arrived_at=START + timedelta(minutes=130),
    )
    view = patrol.submit_shift(admin_ctx, shift(encounters=[brought]), now=NOW)
    [enc] = view.encounters
    assert enc.help_request_id is not None
    assert enc.person_id is not None
    today = desk.today(admin_ctx, now=NOW)
    [resident] = today.residents
    assert resident.request_id == enc.help_request_id
    assert resident.arrived_at == START + timedelta(minutes=130)
    with admin_ctx.db.sessions() as s:
        hr = s.get(HelpRequest, enc.help_request_id)
        assert hr is not None
        assert (hr.channel, hr.encounter_id) == (ArrivalChannel.PATROL, enc.id)
        assert hr.quick_intake  # known only by a code name: the desk completes it
        assert hr.brought_by == "张伟、李娜、王警官"
        # identity unknown: the family search starts with the arrival
        assert s.scalar(select(FamilySearch.id).where(FamilySearch.help_request_id == hr.id))
    # the desk's record knows where the person came from
    assert desk.request_record(admin_ctx, enc.help_request_id).request.channel is (
        ArrivalChannel.PATROL
    )


def test_a_known_person_is_brought_in_but_not_twice(admin_ctx: Context) -> None:
    person = create_person(admin_ctx, PersonInput(name_zh="扎西", sex=Sex.MALE)).person
    brought = met(30, action=Act.ESCORTED_TO_STATION, person_id=person.id, code_name=None)
    view = patrol.submit_shift(admin_ctx, shift(encounters=[brought]), now=NOW)
    assert view.encounters[0].person_name == "扎西"
    assert [r.person_id for r in desk.today(admin_ctx, now=NOW).residents] == [person.id]
    with pytest.raises(Conflict) as err:
        patrol.submit_shift(admin_ctx, shift(encounters=[brought]), now=NOW)
    assert "open help request" in str(err.value)
    assert _count(admin_ctx, PatrolShift) == 1


def test_a_new_person_met_is_created_in_the_registry(admin_ctx: Context) -> None:
    new = met(
        40,
        action=Act.CONTACT_CARD_LEFT,
        code_name=None,
        new_person=PersonInput(name_zh="卓玛", sex=Sex.FEMALE, estimated_age=60),
    )
    view = patrol.submit_shift(admin_ctx, shift(encounters=[new]), now=NOW)
    [enc] = view.encounters
    assert enc.person_name == "卓玛"
    assert enc.help_request_id is None
    assert desk.today(admin_ctx, now=NOW).residents == ()


def test_a_patrol_user_may_bring_someone_in_and_a_desk_user_may_not_enter_a_shift(
    admin_ctx: Context,
) -> None:
    users.create_user(admin_ctx, "p1", "巡查员", Role.PATROL, "patrol-pass-1")
    users.create_user(admin_ctx, "d1", "接待员", Role.DESK, "desk-pass-1")
    patrol_ctx = users.login(admin_ctx.db, admin_ctx.station_id, "p1", "patrol-pass-1")
    desk_ctx = users.login(admin_ctx.db, admin_ctx.station_id, "d1", "desk-pass-1")
    brought = met(30, action=Act.ESCORTED_TO_STATION, refusal_reason=None)
    view = patrol.submit_shift(patrol_ctx, shift(encounters=[brought]), now=NOW)
    assert view.encounters[0].help_request_id is not None
    with pytest.raises(PermissionDenied):
        patrol.submit_shift(desk_ctx, shift(), now=NOW)


# ---------------------------------------------------------------- items


def test_items_given_leave_the_store_as_issues_of_the_encounter(admin_ctx: Context) -> None:
    coat = stock_item(admin_ctx, "COAT", 10)
    rice = stock_item(admin_ctx, "RICE", 50, whole=False, unit="千克")
    person = create_person(admin_ctx, PersonInput(name_zh="扎西")).person
    view = patrol.submit_shift(
        admin_ctx,
        shift(
            encounters=[
                met(30, items=[patrol.ItemGiven(coat, 2), patrol.ItemGiven(rice, "2.5")]),
                met(
                    50,
                    person_id=person.id,
                    code_name=None,
                    action=Act.CONTACT_CARD_LEFT,
                    items=[patrol.ItemGiven(coat, 1)],
                ),
            ]
        ),
        now=NOW,
    )
    assert ledger_stock(admin_ctx, coat) == 7
    assert ledger_stock(admin_ctx, rice) == Decimal("47.5")
    with admin_ctx.db.sessions() as s:
        rows = s.execute(
            select(StockMovement.kind, StockMovement.person_id, StockMovement.quantity).where(
                StockMovement.shift_id == view.id, StockMovement.item_id == coat
            )
        ).all()
    # the man known by a code name is an unidentified person: an anonymous contact
    # for the ledger, the issue naming his record
    met_first = view.encounters[0].person_id
    assert met_first is not None
    assert sorted(rows) == sorted(
        [
            (MovementKind.ISSUE_ANONYMOUS, met_first, Decimal(-2)),
            (MovementKind.ISSUE_PERSON, person.id, Decimal(-1)),
        ]
    )
    assert [i.quantity for i in view.encounters[0].items] == [Decimal(2), Decimal("2.5")]


def test_handing_out_more_than_in_stock_is_refused_naming_the_item(admin_ctx: Context) -> None:
    quilt = stock_item(admin_ctx, "QUILT", 3, unit="床")
    data = shift(
        encounters=[
            met(30, items=[patrol.ItemGiven(quilt, 2)]),
            met(60, items=[patrol.ItemGiven(quilt, 2)]),
        ]
    )
    with pytest.raises(ValidationError) as err:
        patrol.submit_shift(admin_ctx, data, now=NOW)
    assert "棉被" in str(err.value)
    assert "Only 3 床" in str(err.value)
    assert "4" in str(err.value)
    assert _count(admin_ctx, PatrolShift) == 0
    assert ledger_stock(admin_ctx, quilt) == 3


@pytest.mark.parametrize("quantity", [0, -1, "1.5", "一"])
def test_a_whole_item_needs_a_whole_quantity(admin_ctx: Context, quantity: object) -> None:
    coat = stock_item(admin_ctx, "COAT", 10)
    data = shift(encounters=[met(30, items=[patrol.ItemGiven(coat, quantity)])])  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as err:
        patrol.submit_shift(admin_ctx, data, now=NOW)
    assert err.value.field == "quantity"
    assert "whole" in str(err.value)


def test_the_same_item_to_the_same_person_recently_is_a_warning(admin_ctx: Context) -> None:
    coat = stock_item(admin_ctx, "COAT", 10)
    person = create_person(admin_ctx, PersonInput(name_zh="扎西")).person
    first = met(30, person_id=person.id, code_name=None, items=[patrol.ItemGiven(coat, 1)])
    view = patrol.submit_shift(admin_ctx, shift(encounters=[first]), now=NOW)
    assert view.warnings == ()
    later = replace(first, met_at=START + timedelta(days=5, minutes=30))
    view = patrol.submit_shift(
        admin_ctx,
        shift(
            shift_date=DAY + timedelta(days=5),
            started_at=START + timedelta(days=5),
            ended_at=END + timedelta(days=5),
            encounters=[later],
        ),
        now=NOW + timedelta(days=5),
    )
    [warning] = view.warnings
    assert "扎西" in str(warning)
    assert "2026-01-10" in str(warning)
    assert ledger_stock(admin_ctx, coat) == 8


# ---------------------------------------------------------------- refused input


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"staff_count": -1}, "staff_count", "whole number"),
        ({"staff_count": "2.5"}, "staff_count", "whole number"),
        ({"staff_count": 2}, "staff_count", "at least 3"),  # fewer than the team listed
        ({"vehicle_count": -1}, "vehicle_count", "0 or more"),
        ({"vehicle_count": Decimal("1.5")}, "vehicle_count", "whole number"),
        ({"temperature_c": 55}, "temperature_c", "-50 and 50"),
        ({"temperature_c": "-3.25"}, "temperature_c", "one decimal"),
        ({"ended_at": START - timedelta(minutes=1)}, "shift_ended_at", "before it starts"),
        ({"ended_at": START + timedelta(hours=25)}, "shift_ended_at", "more than 24 hours"),
        ({"shift_date": DAY + timedelta(days=1)}, "shift_date", "does not match"),
        ({"members": []}, "members", "at least one"),
        ({"members": [patrol.MemberInput("张伟"), patrol.MemberInput("张伟")]}, "members", "twice"),
    ],
)
def test_bad_shift_input_is_refused_with_a_message(
    admin_ctx: Context, change: dict[str, object], field: str, words: str
) -> None:
    with pytest.raises(ValidationError) as err:
        patrol.submit_shift(admin_ctx, shift(**change), now=NOW)
    assert err.value.field == field
    assert words in str(err.value)
    assert _count(admin_ctx, PatrolShift) == 0


def test_a_shift_in_the_future_is_refused(admin_ctx: Context) -> None:
    with pytest.raises(ValidationError) as err:
        patrol.submit_shift(admin_ctx, shift(), now=END - timedelta(minutes=10))
    assert err.value.field == "shift_ended_at"
    assert "future" in str(err.value)


def test_a_shift_started_after_midnight_may_carry_the_evening_before(admin_ctx: Context) -> None:
    late = START + timedelta(hours=5)  # 01:00 in Kangding on 11 January
    data = shift(started_at=late, ended_at=late + timedelta(hours=2), encounters=[])
    assert patrol.submit_shift(admin_ctx, data, now=NOW).shift_date == DAY
    day_shift = START + timedelta(hours=14)  # 10:00 on 11 January
    with pytest.raises(ValidationError):
        patrol.submit_shift(
            admin_ctx,
            shift(started_at=day_shift, ended_at=day_shift + timedelta(hours=2)),
            now=NOW + timedelta(hours=10),
        )


@pytest.mark.parametrize(
    ("encounter", "field", "words"),
    [
        (met(-31), "met_at", "outside the shift"),
        (met(4 * 60 + 30 + 31), "met_at", "outside the shift"),
        (met(30, place="  "), "place", "place"),
        (met(30, refusal_reason=""), "refusal_reason", "reason"),
        (met(30, code_name=None, description=None), "code_name", "code name"),
        (
            met(30, action=Act.ESCORTED_TO_STATION, arrived_at=START),
            "arrived_at",
            "after the person was met",
        ),
    ],
)
def test_bad_encounters_are_refused_with_a_message(
    admin_ctx: Context, encounter: patrol.EncounterInput, field: str, words: str
) -> None:
    with pytest.raises(ValidationError) as err:
        patrol.submit_shift(admin_ctx, shift(encounters=[encounter]), now=NOW)
    assert err.value.field == field
    assert words in str(err.value)
    assert _count(admin_ctx, PatrolShift) == 0
    assert _count(admin_ctx, HelpRequest) == 0


def test_an_encounter_within_the_tolerance_of_the_shift_is_accepted(admin_ctx: Context) -> None:
    view = patrol.submit_shift(admin_ctx, shift(encounters=[met(-30), met(270 + 30)]), now=NOW)
    assert len(view.encounters) == 2


def test_an_unknown_person_or_item_is_refused(admin_ctx: Context) -> None:
    with pytest.raises(NotFound):
        patrol.submit_shift(admin_ctx, shift(encounters=[met(30, person_id=9999)]), now=NOW)
    with pytest.raises(NotFound):
        patrol.submit_shift(
            admin_ctx, shift(encounters=[met(30, items=[patrol.ItemGiven(9999, 1)])]), now=NOW
        )
    with pytest.raises(NotFound):
        patrol.submit_shift(admin_ctx, shift(encounters=[met(30, lead_id=9999)]), now=NOW)


# ---------------------------------------------------------------- editing


def test_editing_a_shift_is_audited_and_keeps_the_arrival(admin_ctx: Context) -> None:
    coat = stock_item(admin_ctx, "COAT", 10)
    brought = met(60, action=Act.ESCORTED_TO_STATION, refusal_reason=None)
    first = patrol.submit_shift(
        admin_ctx,
        shift(encounters=[brought, met(90, items=[patrol.ItemGiven(coat, 2)])]),
        now=NOW,
    )
    enc_brought, enc_refused = first.encounters
    assert ledger_stock(admin_ctx, coat) == 8
    edited = shift(
        staff_count=4,
        members=[*shift().members, patrol.MemberInput("志愿者小周", agency="康定志愿者协会")],
        encounters=[
            replace(brought, id=enc_brought.id, needs="需要棉衣"),
            replace(met(90, items=[patrol.ItemGiven(coat, 3)]), id=enc_refused.id, place="汽车站"),
        ],
    )
    view = patrol.update_shift(admin_ctx, first.id, edited, now=NOW)
    assert view.staff_count == 4
    assert len(view.members) == 4
    assert [e.id for e in view.encounters] == [enc_brought.id, enc_refused.id]
    assert view.encounters[0].help_request_id == enc_brought.help_request_id
    assert view.encounters[1].place == "汽车站"
    assert ledger_stock(admin_ctx, coat) == 7  # the 2 given first are replaced by 3
    assert _count(admin_ctx, HelpRequest) == 1
    with admin_ctx.db.sessions() as s:
        audited = s.execute(
            select(AuditEntry.entity, AuditEntry.entity_id, AuditEntry.changes).where(
                AuditEntry.action == AuditAction.UPDATE
            )
        ).all()
    changes = {(entity, entity_id): c for entity, entity_id, c in audited}
    assert changes[("patrol_shift", first.id)]["staff_count"] == {"old": 3, "new": 4}
    assert changes[("encounter", enc_refused.id)]["place"]["new"] == "汽车站"
    assert changes[("encounter", enc_brought.id)]["needs"]["new"] == "需要棉衣"


def test_the_encounter_that_brought_someone_in_cannot_be_dropped_or_changed(
    admin_ctx: Context,
) -> None:
    brought = met(60, action=Act.ESCORTED_TO_STATION, refusal_reason=None)
    first = patrol.submit_shift(admin_ctx, shift(encounters=[brought, met(90)]), now=NOW)
    enc_brought, enc_other = first.encounters
    with pytest.raises(Conflict) as err:
        patrol.update_shift(
            admin_ctx, first.id, shift(encounters=[replace(met(90), id=enc_other.id)]), now=NOW
        )
    assert "cannot be removed" in str(err.value)
    with pytest.raises(Conflict) as err:
        patrol.update_shift(
            admin_ctx, first.id, shift(encounters=[replace(met(60), id=enc_brought.id)]), now=NOW
        )
    assert "must stay brought or escorted" in str(err.value)
    # dropping the other encounter is fine
    view = patrol.update_shift(
        admin_ctx, first.id, shift(encounters=[replace(brought, id=enc_brought.id)]), now=NOW
    )
    assert [e.id for e in view.encounters] == [enc_brought.id]
    with admin_ctx.db.sessions() as s:
        assert s.get(Encounter, enc_other.id) is None
        deleted = s.scalar(
            select(func.count()).where(
                AuditEntry.entity == "encounter",
                AuditEntry.entity_id == enc_other.id,
                AuditEntry.action == AuditAction.DELETE,
            )
        )
        assert deleted == 1


def test_editing_an_unknown_shift_is_refused(admin_ctx: Context) -> None:
    with pytest.raises(NotFound):
        patrol.update_shift(admin_ctx, 9999, shift(), now=NOW)


# ---------------------------------------------------------------- the row at fault

# Each refusal names the encounter at fault by its index in ``encounters``
# (here the third: two good ones before it), so the form can point at its row.
GOOD = (met(20), met(40))


@pytest.mark.parametrize(
    ("encounter", "field"),
    [
        (met(-31), "met_at"),
        (met(4 * 60 + 30 + 31), "met_at"),
        (met(30, place="  "), "place"),
        (met(30, code_name=None, description=None), "code_name"),
        (met(30, refusal_reason=" "), "refusal_reason"),
        (met(30, action=Act.ESCORTED_TO_STATION, arrived_at=START), "arrived_at"),
        (met(30, condition="x" * 2001), "condition"),
        (met(30, new_person=PersonInput(relatives=[])), "name_zh"),
    ],
    ids=["early", "late", "no-place", "nobody", "no-reason", "arrival", "long", "no-name"],
)
def test_a_refused_encounter_carries_its_row(
    admin_ctx: Context, encounter: patrol.EncounterInput, field: str
) -> None:
    with pytest.raises(ValidationError) as err:
        patrol.submit_shift(admin_ctx, shift(encounters=[*GOOD, encounter]), now=NOW)
    assert (err.value.field, err.value.row) == (field, 2)


def test_a_bad_relative_of_a_new_person_met_is_reported_at_the_encounter(
    admin_ctx: Context,
) -> None:
    who = PersonInput(name_zh="多吉", relatives=[RelativeInput("阿妈"), RelativeInput("  ")])
    with pytest.raises(ValidationError) as err:
        patrol.submit_shift(admin_ctx, shift(encounters=[*GOOD, met(30, new_person=who)]), now=NOW)
    assert (err.value.field, err.value.row) == ("relative_name", 2)


def test_unknown_records_are_refused_at_the_encounter_naming_them(admin_ctx: Context) -> None:
    cases = [
        (met(30, person_id=9999), "person_id"),
        (met(30, lead_id=9999), "lead_id"),
        (met(30, items=[patrol.ItemGiven(9999, 1)]), "item_id"),
    ]
    for encounter, field in cases:
        with pytest.raises(NotFound) as err:
            patrol.submit_shift(admin_ctx, shift(encounters=[*GOOD, encounter]), now=NOW)
        assert (err.value.field, err.value.row) == (field, 2)


def test_item_refusals_carry_the_row_of_the_encounter(admin_ctx: Context) -> None:
    coat = stock_item(admin_ctx, "COAT", 10)
    fine = met(50, items=[patrol.ItemGiven(coat, 1)])
    bad = met(30, items=[patrol.ItemGiven(coat, 1), patrol.ItemGiven(coat, "1.5")])
    with pytest.raises(ValidationError) as err:
        patrol.submit_shift(admin_ctx, shift(encounters=[*GOOD, fine, bad]), now=NOW)
    assert (err.value.field, err.value.row) == ("quantity", 3)
    with admin_ctx.write(Permission.MANAGE_SUPPLIES) as s:
        item = s.get(SupplyItem, coat)
        assert item is not None
        item.active = False
    with pytest.raises(ValidationError) as err:
        patrol.submit_shift(admin_ctx, shift(encounters=[*GOOD, fine]), now=NOW)
    assert (err.value.field, err.value.row) == ("item_id", 2)


def test_handing_out_more_than_in_stock_names_the_encounter_it_runs_out_at(
    admin_ctx: Context,
) -> None:
    quilt = stock_item(admin_ctx, "QUILT", 3, unit="床")
    given = [met(30 + i, items=[patrol.ItemGiven(quilt, 1)]) for i in range(5)]
    with pytest.raises(ValidationError) as err:
        patrol.submit_shift(admin_ctx, shift(encounters=given), now=NOW)
    assert (err.value.field, err.value.row) == ("quantity", 3)  # the fourth quilt


def test_a_warning_about_an_encounter_carries_its_row(admin_ctx: Context) -> None:
    coat = stock_item(admin_ctx, "COAT", 10)
    person = create_person(admin_ctx, PersonInput(name_zh="扎西")).person
    given = met(30, person_id=person.id, code_name=None, items=[patrol.ItemGiven(coat, 1)])
    patrol.submit_shift(admin_ctx, shift(encounters=[given]), now=NOW)
    days = timedelta(days=5)
    view = patrol.submit_shift(
        admin_ctx,
        shift(
            shift_date=DAY + days,
            started_at=START + days,
            ended_at=END + days,
            encounters=[replace(e, met_at=e.met_at + days) for e in (*GOOD, given)],
        ),
        now=NOW + days,
    )
    assert [(w.field, w.row) for w in view.warnings] == [("items", 2)]


def test_an_arrival_refused_at_the_desk_carries_the_row(admin_ctx: Context) -> None:
    person = create_person(admin_ctx, PersonInput(name_zh="扎西")).person
    brought = met(60, action=Act.ESCORTED_TO_STATION, refusal_reason=None, person_id=person.id)
    patrol.submit_shift(admin_ctx, shift(encounters=[brought]), now=NOW)
    with pytest.raises(Conflict) as err:
        patrol.submit_shift(admin_ctx, shift(encounters=[*GOOD, brought]), now=NOW)
    assert (err.value.field, err.value.row) == ("action", 2)


def test_an_unknown_encounter_id_carries_its_row(admin_ctx: Context) -> None:
    first = patrol.submit_shift(admin_ctx, shift(encounters=[met(30)]), now=NOW)
    wrong = replace(met(30), id=first.encounters[0].id + 1000)
    with pytest.raises(NotFound) as err:
        patrol.update_shift(admin_ctx, first.id, shift(encounters=[*GOOD, wrong]), now=NOW)
    assert err.value.row == 2


@pytest.mark.parametrize(
    ("members", "row"),
    [
        ([patrol.MemberInput("张伟"), patrol.MemberInput(" ")], 1),
        ([patrol.MemberInput("张伟"), patrol.MemberInput("李娜"), patrol.MemberInput("张伟")], 2),
        ([patrol.MemberInput("张伟"), patrol.MemberInput("李娜", user_id=9999)], 1),
        ([patrol.MemberInput("张伟"), patrol.MemberInput("李娜", agency="x" * 101)], 1),
    ],
    ids=["nameless", "twice", "unknown-user", "long-agency"],
)
def test_a_refused_team_member_carries_the_row(
    admin_ctx: Context, members: list[patrol.MemberInput], row: int
) -> None:
    with pytest.raises((ValidationError, NotFound)) as err:
        patrol.submit_shift(admin_ctx, shift(members=members), now=NOW)
    assert err.value.row == row


def test_refusals_about_the_shift_itself_carry_no_row(admin_ctx: Context) -> None:
    with pytest.raises(ValidationError) as err:
        patrol.submit_shift(admin_ctx, shift(encounters=[*GOOD], staff_count=0), now=NOW)
    assert (err.value.field, err.value.row) == ("staff_count", None)


# ---------------------------------------------------------------- figures


def test_the_monthly_figures_add_up(admin_ctx: Context) -> None:
    coat = stock_item(admin_ctx, "COAT", 20)
    food = stock_item(admin_ctx, "FOOD", 20)
    plans = [
        (0, 3, 1, [Act.REFUSED_HELP, Act.BROUGHT_TO_STATION]),
        (2, 5, 2, [Act.CONTACT_CARD_LEFT, Act.CONTACT_CARD_LEFT, Act.ESCORTED_TO_STATION]),
        (4, 4, 0, []),
        (25, 6, 1, [Act.OTHER]),  # in February: outside January
    ]
    for days, staff, vehicles, actions in plans:
        at = timedelta(days=days)
        members = [patrol.MemberInput(f"队员{i}") for i in range(staff)]
        encounters = [
            met(
                30 + i,
                action=a,
                refusal_reason="不愿离开" if a is Act.REFUSED_HELP else None,
                items=[patrol.ItemGiven(coat, 1), patrol.ItemGiven(food, 2)],
            )
            for i, a in enumerate(actions)
        ]
        patrol.submit_shift(
            admin_ctx,
            shift(
                shift_date=DAY + at,
                started_at=START + at,
                ended_at=END + at,
                members=members,
                staff_count=staff,
                vehicle_count=vehicles,
                encounters=[replace(e, met_at=e.met_at + at) for e in encounters],
            ),
            now=NOW + at,
        )
    jan = patrol.patrol_figures(admin_ctx, date(2026, 1, 1), date(2026, 1, 31))
    # recomputed here from the rows
    with admin_ctx.db.sessions() as s:
        shifts = list(
            s.scalars(select(PatrolShift).where(PatrolShift.shift_date <= date(2026, 1, 31)))
        )
        ids = {x.id for x in shifts}
        actions = [e.action for e in s.scalars(select(Encounter)) if e.shift_id in ids]
        given = {
            item: -sum(
                (
                    m.quantity
                    for m in s.scalars(select(StockMovement))
                    if m.item_id == item and m.shift_id in ids
                ),
                Decimal(0),
            )
            for item in (coat, food)
        }
    assert jan.shifts == len(shifts) == 3
    assert jan.staff_person_times == sum(x.staff_count for x in shifts) == 12
    assert jan.vehicle_times == sum(x.vehicle_count for x in shifts) == 3
    assert jan.encounters == len(actions) == 5
    # the person persuaded to come (劝导来站) counts once they came: the escorted now
    assert jan.brought_in == 1
    [expected] = desk.expected_arrivals(admin_ctx, now=NOW)
    desk.confirm_expected(admin_ctx, expected.id, now=NOW)
    assert patrol.patrol_figures(admin_ctx, date(2026, 1, 1), date(2026, 1, 31)).brought_in == 2
    assert jan.by_action == {a: actions.count(a) for a in set(actions)}
    assert {i.item_id: i.quantity for i in jan.items} == given == {coat: 5, food: 10}
    feb = patrol.patrol_figures(admin_ctx, date(2026, 2, 1), date(2026, 2, 28))
    assert (feb.shifts, feb.staff_person_times, feb.encounters) == (1, 6, 1)
