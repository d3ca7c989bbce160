"""Screening, on SQLite and PostgreSQL: the routing rule and its reasons in
priority order, the handover with its receiving unit, person and time, and
the way back from hospital."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from station_app.domain.enums import HandoverRoute, RequestStatus
from station_app.domain.errors import Conflict, ValidationError
from station_app.domain.screening import NO_HANDOVER, ScreeningFlags, route_for
from station_app.services import desk
from station_app.services.context import Context
from tests.support.desk import ARRIVED, NOW, arrive

SCREENED = ARRIVED + timedelta(minutes=30)


@pytest.mark.parametrize(
    ("flags", "age", "route", "first_words"),
    [
        (ScreeningFlags(), 40, None, "No condition"),
        (ScreeningFlags(infectious_disease=True), 40, HandoverRoute.HOSPITAL, "Critical"),
        (ScreeningFlags(injured=True), 40, HandoverRoute.HOSPITAL, "Injured"),
        (ScreeningFlags(suspected_mental_illness=True), 40, HandoverRoute.HOSPITAL, "Suspected"),
        (ScreeningFlags(drunk_or_threatening=True), 40, HandoverRoute.POLICE, "Drunk"),
        (ScreeningFlags(suspected_drug_use=True), 40, HandoverRoute.POLICE, "Drunk"),
        (ScreeningFlags(), 17, HandoverRoute.MINORS_CENTRE, "Under 18"),
        # treatment first, also for a drunk minor
        (
            ScreeningFlags(critical_illness=True, drunk_or_threatening=True),
            15,
            HandoverRoute.HOSPITAL,
            "Critical",
        ),
        (ScreeningFlags(drunk_or_threatening=True), 15, HandoverRoute.POLICE, "Drunk"),
        # an intellectual disability alone sends nobody away
        (ScreeningFlags(intellectual_disability=True), 40, None, "No condition"),
        # nor does dementia: it is counted, the station decides on help
        (ScreeningFlags(dementia=True), 78, None, "No condition"),
        (ScreeningFlags(dementia=True, injured=True), 78, HandoverRoute.HOSPITAL, "Injured"),
    ],
)
def test_the_rule_routes_by_priority(
    flags: ScreeningFlags, age: int, route: HandoverRoute | None, first_words: str
) -> None:
    routing = route_for(flags, age)
    assert routing.route is route
    assert routing.reasons[0].startswith(first_words)


def test_every_reason_is_given_in_order_and_under_16_is_noted() -> None:
    routing = route_for(ScreeningFlags(injured=True, suspected_drug_use=True), 15)
    assert [r.split(":")[0] for r in routing.reasons] == [
        "Injured",
        "Drunk and threatening, or suspected drug use",
        "Under 18",
        "Under 16",
    ]
    assert route_for(ScreeningFlags(), 16).reasons == (
        "Under 18: hand the minor to the minors' protection centre.",
    )


def test_unknown_age_counts_as_minor_only_when_staff_say_so() -> None:
    assert route_for(ScreeningFlags(), None).reasons == (NO_HANDOVER,)
    assert route_for(ScreeningFlags(), None, looks_minor=True).route is (
        HandoverRoute.MINORS_CENTRE
    )


def test_the_screening_records_the_route_and_why(admin_ctx: Context) -> None:
    request_id = arrive(admin_ctx, birth_date=date(2011, 3, 1)).request.id  # 14
    view = desk.record_screening(
        admin_ctx,
        request_id,
        desk.ScreeningInput(
            SCREENED, ScreeningFlags(left_behind_child=True), visible_injuries="无"
        ),
        now=NOW,
    )
    assert view.age == 14
    assert view.is_minor
    assert view.route is HandoverRoute.MINORS_CENTRE
    assert [r[:8] for r in view.explanation] == ["Under 18", "Under 16"]
    assert view.flags.left_behind_child
    record = desk.request_record(admin_ctx, request_id, now=NOW)
    assert record.screening == view


def test_dementia_is_recorded_and_read_back(admin_ctx: Context) -> None:
    request_id = arrive(admin_ctx, birth_date=date(1948, 5, 2)).request.id
    view = desk.record_screening(
        admin_ctx, request_id, desk.ScreeningInput(SCREENED, ScreeningFlags(dementia=True)), now=NOW
    )
    assert view.route is None
    record = desk.request_record(admin_ctx, request_id, now=NOW)
    assert record.screening is not None
    assert record.screening.flags == ScreeningFlags(dementia=True)


def test_a_screening_before_the_arrival_is_refused(admin_ctx: Context) -> None:
    request_id = arrive(admin_ctx).request.id
    with pytest.raises(ValidationError) as err:
        desk.record_screening(
            admin_ctx, request_id, desk.ScreeningInput(ARRIVED - timedelta(hours=1)), now=NOW
        )
    assert err.value.field == "screened_at"


def _to_hospital(ctx: Context) -> tuple[int, desk.HandoverView]:
    request_id = arrive(ctx).request.id
    desk.record_screening(
        ctx, request_id, desk.ScreeningInput(SCREENED, ScreeningFlags(injured=True)), now=NOW
    )
    handover = desk.hand_over(
        ctx,
        request_id,
        desk.HandoverInput(SCREENED + timedelta(minutes=20), "康定市人民医院", "急诊科 王医生"),
        now=NOW,
    )
    return request_id, handover


def test_a_handover_records_unit_person_and_time(admin_ctx: Context) -> None:
    request_id, handover = _to_hospital(admin_ctx)
    assert handover.route is HandoverRoute.HOSPITAL  # from the screening
    assert (handover.receiving_unit, handover.receiving_person) == (
        "康定市人民医院",
        "急诊科 王医生",
    )
    record = desk.request_record(admin_ctx, request_id, now=NOW)
    assert record.request.status is RequestStatus.HANDED_OVER
    assert record.handovers == (handover,)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"receiving_person": " "}, "receiving_person"),
        ({"receiving_unit": ""}, "receiving_unit"),
        ({"handed_at": ARRIVED - timedelta(minutes=5)}, "handed_at"),
        ({"handed_at": NOW + timedelta(minutes=5)}, "handed_at"),
    ],
    ids=["no-person", "no-unit", "before-arrival", "future"],
)
def test_an_incomplete_or_impossible_handover_is_refused(
    admin_ctx: Context, changes: dict[str, object], field: str
) -> None:
    request_id = arrive(admin_ctx).request.id
    handover = desk.HandoverInput(SCREENED, "炉城派出所", "民警王某", HandoverRoute.POLICE)
    with pytest.raises(ValidationError) as err:
        desk.hand_over(admin_ctx, request_id, replace(handover, **changes), now=NOW)
    assert err.value.field == field
    assert desk.request_record(admin_ctx, request_id, now=NOW).request.status is (
        RequestStatus.REGISTERED
    )


def test_a_handover_without_a_route_asks_for_one(admin_ctx: Context) -> None:
    request_id = arrive(admin_ctx).request.id
    with pytest.raises(ValidationError) as err:
        desk.hand_over(
            admin_ctx, request_id, desk.HandoverInput(SCREENED, "某单位", "某人"), now=NOW
        )
    assert err.value.field == "route"


def test_back_from_hospital_the_request_awaits_the_decision(admin_ctx: Context) -> None:
    request_id, handover = _to_hospital(admin_ctx)
    with pytest.raises(ValidationError) as err:
        desk.record_return(admin_ctx, handover.id, handover.handed_at - timedelta(hours=1), now=NOW)
    assert err.value.field == "came_back_at"
    back_at = handover.handed_at + timedelta(days=1)
    back = desk.record_return(admin_ctx, handover.id, back_at, now=NOW)
    assert back.came_back_at == back_at
    assert desk.request_record(admin_ctx, request_id, now=NOW).request.status is (
        RequestStatus.REGISTERED
    )
    with pytest.raises(Conflict):
        desk.record_return(admin_ctx, handover.id, back_at, now=NOW)
