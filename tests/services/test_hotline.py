"""Hotline leads and publicity through the services, on SQLite and
PostgreSQL: a lead from call to outcome with what it produced, times out of
order refused, response-time figures recomputed, publicity counts checked."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from station_app.db.models import HotlineCall
from station_app.domain.enums import EncounterAction, LeadOutcome, LeadSource, Role
from station_app.domain.errors import Conflict, NotFound, ValidationError
from station_app.domain.permissions import Permission
from station_app.services import hotline, patrol, statistics, users
from station_app.services.context import Context, Database
from station_app.services.demo import generate
from station_app.services.hotline import CallInput, PublicityInput
from tests.support.desk import arrive

CALLED = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)  # 20:00 in Kangding
NOW = datetime(2026, 1, 11, 4, 0, tzinfo=UTC)
MONTH = (datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 2, 1, tzinfo=UTC))


def call(ctx: Context, at: datetime = CALLED, **kw: object) -> hotline.CallView:
    data = CallInput(
        received_at=at,
        source=LeadSource.PUBLIC,
        caller_name="王女士",
        caller_phone="13812345678",
        place="折多河桥洞",
        description="桥洞有一名老人露宿，衣着单薄",
    )
    for key, value in kw.items():
        setattr(data, key, value)
    return hotline.record_call(ctx, data, now=NOW)


def answered(ctx: Context, minutes: int, at: datetime = CALLED) -> hotline.CallView:
    """A call answered on the spot ``minutes`` after it came in."""
    c = call(ctx, at)
    hotline.dispatch(ctx, c.id, "应急巡查组", at + timedelta(minutes=5), now=NOW)
    return hotline.record_arrival(ctx, c.id, at + timedelta(minutes=minutes), now=NOW)


def test_a_lead_from_call_to_outcome_links_what_it_produced(admin_ctx: Context) -> None:
    c = call(admin_ctx)
    assert c.caller_phone is not None
    assert c.outcome is None
    hotline.dispatch(admin_ctx, c.id, "应急巡查组", CALLED + timedelta(minutes=5), now=NOW)
    hotline.record_arrival(admin_ctx, c.id, CALLED + timedelta(minutes=25), now=NOW)
    shift = patrol.submit_shift(
        admin_ctx,
        patrol.ShiftInput(
            shift_date=date(2026, 1, 10),
            started_at=CALLED + timedelta(minutes=5),
            ended_at=CALLED + timedelta(hours=2),
            members=[patrol.MemberInput("张伟"), patrol.MemberInput("李娜")],
            staff_count=2,
            encounters=[
                patrol.EncounterInput(
                    met_at=CALLED + timedelta(minutes=30),
                    place="折多河桥洞",
                    action=EncounterAction.ESCORTED_TO_STATION,
                    description="老年男性，衣着单薄",
                    lead_id=c.id,
                )
            ],
        ),
        now=NOW,
    )
    [enc] = shift.encounters
    assert enc.lead_id == c.id
    assert enc.help_request_id is not None
    closed = hotline.close_call(
        admin_ctx,
        c.id,
        LeadOutcome.BROUGHT_TO_STATION,
        "已电话回复报告人",
        encounter_id=enc.id,
        help_request_id=enc.help_request_id,
    )
    assert closed.outcome is LeadOutcome.BROUGHT_TO_STATION
    assert closed.encounter_ids == (enc.id,)
    assert closed.help_request_ids == (enc.help_request_id,)
    assert closed.shift_id == shift.id  # the lead was answered by that shift
    assert closed.response_minutes == 25
    assert [x.id for x in hotline.list_calls(admin_ctx, *MONTH)] == [c.id]


def test_a_desk_user_may_take_a_call(admin_ctx: Context) -> None:
    users.create_user(admin_ctx, "d1", "接待员", Role.DESK, "desk-pass-1")
    desk_ctx = users.login(admin_ctx.db, admin_ctx.station_id, "d1", "desk-pass-1")
    assert call(desk_ctx).id > 0


def test_times_out_of_order_or_in_the_future_are_refused(admin_ctx: Context) -> None:
    with pytest.raises(ValidationError) as err:
        call(admin_ctx, NOW + timedelta(minutes=1))
    assert "future" in str(err.value)
    c = call(admin_ctx)
    with pytest.raises(Conflict) as conflict:
        hotline.record_arrival(admin_ctx, c.id, CALLED + timedelta(minutes=20), now=NOW)
    assert "who was sent" in str(conflict.value)
    with pytest.raises(ValidationError) as err:
        hotline.dispatch(admin_ctx, c.id, "应急巡查组", CALLED - timedelta(minutes=1), now=NOW)
    assert err.value.field == "dispatched_at"
    assert "before the call" in str(err.value)
    with pytest.raises(ValidationError) as err:
        hotline.dispatch(admin_ctx, c.id, "  ", CALLED, now=NOW)
    assert err.value.field == "dispatched_to"
    hotline.dispatch(admin_ctx, c.id, "应急巡查组", CALLED + timedelta(minutes=10), now=NOW)
    with pytest.raises(ValidationError) as err:
        hotline.record_arrival(admin_ctx, c.id, CALLED + timedelta(minutes=9), now=NOW)
    assert err.value.field == "arrived_at"
    assert "before it was sent" in str(err.value)
    with pytest.raises(ValidationError):
        hotline.record_arrival(admin_ctx, c.id, NOW + timedelta(minutes=1), now=NOW)
    hotline.record_arrival(admin_ctx, c.id, CALLED + timedelta(minutes=30), now=NOW)
    with pytest.raises(ValidationError) as err:  # re-dispatch after the arrival
        hotline.dispatch(admin_ctx, c.id, "应急巡查组", CALLED + timedelta(minutes=40), now=NOW)
    assert "after it arrived" in str(err.value)


def test_a_call_needs_a_place_or_a_description(admin_ctx: Context) -> None:
    with pytest.raises(ValidationError) as err:
        call(admin_ctx, place=None, description=" ")
    assert err.value.field == "description"


def test_closing_checks_the_arrival_and_the_links(admin_ctx: Context) -> None:
    c = call(admin_ctx)
    with pytest.raises(Conflict) as err:
        hotline.close_call(admin_ctx, c.id, LeadOutcome.NOT_FOUND)
    assert "arrived" in str(err.value)
    # a consultation by phone needs nobody sent
    assert hotline.close_call(admin_ctx, c.id, LeadOutcome.OTHER, "电话解答").notes == "电话解答"
    with pytest.raises(NotFound):
        hotline.close_call(admin_ctx, c.id, LeadOutcome.OTHER, encounter_id=9999)
    with pytest.raises(NotFound):
        hotline.close_call(admin_ctx, c.id, LeadOutcome.OTHER, help_request_id=9999)
    with pytest.raises(NotFound):
        hotline.close_call(admin_ctx, 9999, LeadOutcome.OTHER)


def test_response_figures_are_the_median_and_90th_percentile(admin_ctx: Context) -> None:
    minutes = [12, 20, 25, 31, 40, 45, 50, 60, 75, 120]
    for i, m in enumerate(minutes):
        c = answered(admin_ctx, m, CALLED + timedelta(hours=i))
        hotline.close_call(
            admin_ctx, c.id, LeadOutcome.HELPED_ON_SITE if i % 2 else LeadOutcome.NOT_FOUND
        )
    call(admin_ctx, CALLED + timedelta(hours=12))  # not answered, not closed
    answered(admin_ctx, 5, datetime(2026, 2, 2, tzinfo=UTC) - timedelta(days=40))  # December
    figures = hotline.response_figures(admin_ctx, *MONTH)
    ordered = sorted(minutes)
    assert figures.calls == 11
    assert figures.answered == 10
    assert figures.median_minutes == (ordered[4] + ordered[5]) / 2 == 42.5
    assert figures.p90_minutes == ordered[math.ceil(0.9 * 10) - 1] == 75
    assert figures.by_outcome == {
        LeadOutcome.HELPED_ON_SITE: 5,
        LeadOutcome.NOT_FOUND: 5,
        None: 1,
    }
    empty = hotline.response_figures(admin_ctx, datetime(2025, 1, 1, tzinfo=UTC), MONTH[0])
    assert empty.calls == 1
    assert empty.median_minutes == 5


def test_publicity_days_are_counted(admin_ctx: Context) -> None:
    hotline.record_publicity(
        admin_ctx,
        PublicityInput(date(2026, 1, 5), "情歌广场", leaflets=500, people_consulted=80),
        now=NOW,
    )
    hotline.record_publicity(
        admin_ctx,
        PublicityInput(date(2026, 1, 9), "康定汽车站", "300", 45, staff_count=4),
        now=NOW,
    )
    hotline.record_publicity(
        admin_ctx, PublicityInput(date(2025, 12, 20), "新市前街", 1000, 200), now=NOW
    )
    jan = hotline.publicity_figures(admin_ctx, date(2026, 1, 1), date(2026, 1, 31))
    assert (jan.events, jan.leaflets, jan.people_consulted, jan.staff_person_times) == (
        2,
        800,
        125,
        4,
    )
    listed = hotline.list_publicity(admin_ctx, date(2026, 1, 1), date(2026, 1, 31))
    assert [e.place for e in listed] == ["康定汽车站", "情歌广场"]


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        (PublicityInput(date(2026, 1, 5), "广场", leaflets=-1), "leaflets", "0 or more"),
        (PublicityInput(date(2026, 1, 5), "广场", leaflets="1.5"), "leaflets", "whole"),
        (
            PublicityInput(date(2026, 1, 5), "广场", people_consulted=-3),
            "people_consulted",
            "whole",
        ),
        (PublicityInput(date(2026, 1, 12), "广场"), "held_on", "future"),
        (PublicityInput(date(2026, 1, 5), " "), "place", "where"),
    ],
)
def test_bad_publicity_input_is_refused(
    admin_ctx: Context, data: PublicityInput, field: str, words: str
) -> None:
    with pytest.raises(ValidationError) as err:
        hotline.record_publicity(admin_ctx, data, now=NOW)
    assert err.value.field == field
    assert words in str(err.value)
    assert hotline.list_publicity(admin_ctx, date(2026, 1, 1), date(2026, 1, 31)) == []


def test_an_arrival_before_the_call_is_refused_with_the_call_time(admin_ctx: Context) -> None:
    c = call(admin_ctx)
    hotline.dispatch(admin_ctx, c.id, "应急巡查组", CALLED, now=NOW)
    with pytest.raises(ValidationError) as err:
        hotline.record_arrival(admin_ctx, c.id, CALLED - timedelta(minutes=443), now=NOW)
    assert err.value.field == "arrived_at"
    assert "before the call came in" in str(err.value)
    assert hotline.list_calls(admin_ctx, *MONTH)[0].arrived_at is None


def _met_on_patrol(ctx: Context, met_at: datetime) -> patrol.EncounterView:
    shift = patrol.submit_shift(
        ctx,
        patrol.ShiftInput(
            shift_date=date(2026, 1, 10),
            started_at=CALLED - timedelta(hours=2),
            ended_at=CALLED + timedelta(hours=2),
            members=[patrol.MemberInput("张伟"), patrol.MemberInput("李娜")],
            staff_count=2,
            encounters=[
                patrol.EncounterInput(
                    met_at=met_at,
                    place="折多河桥洞",
                    action=EncounterAction.CONTACT_CARD_LEFT,
                    description="老年男性，衣着单薄",
                )
            ],
        ),
        now=NOW,
    )
    return shift.encounters[0]


def test_a_lead_is_not_closed_with_what_happened_before_the_arrival(admin_ctx: Context) -> None:
    early = _met_on_patrol(admin_ctx, CALLED - timedelta(minutes=90))
    c = answered(admin_ctx, 25)
    with pytest.raises(ValidationError) as err:
        hotline.close_call(admin_ctx, c.id, LeadOutcome.HELPED_ON_SITE, encounter_id=early.id)
    assert err.value.field == "encounter_id"
    assert "before the team arrived" in str(err.value)
    at_desk = arrive(admin_ctx, at=CALLED - timedelta(minutes=60), now=NOW)
    with pytest.raises(ValidationError) as err:
        hotline.close_call(
            admin_ctx, c.id, LeadOutcome.BROUGHT_TO_STATION, help_request_id=at_desk.request.id
        )
    assert err.value.field == "help_request_id"
    assert "before the team arrived" in str(err.value)
    [still_open] = hotline.list_calls(admin_ctx, *MONTH)
    assert still_open.outcome is None
    assert still_open.encounter_ids == still_open.help_request_ids == ()
    later = _met_on_patrol(admin_ctx, CALLED + timedelta(minutes=30))
    closed = hotline.close_call(admin_ctx, c.id, LeadOutcome.HELPED_ON_SITE, encounter_id=later.id)
    assert closed.encounter_ids == (later.id,)


def test_response_figures_say_how_many_calls_were_left_out(admin_ctx: Context) -> None:
    for i, m in enumerate((20, 30, 40)):
        answered(admin_ctx, m, CALLED + timedelta(hours=i))
    bad = call(admin_ctx, CALLED + timedelta(hours=4))
    with admin_ctx.write(Permission.PATROL_WORK) as s:  # stored before the check existed
        row = s.get(HotlineCall, bad.id)
        assert row is not None
        row.dispatched_at = row.received_at - timedelta(minutes=450)
        row.arrived_at = row.received_at - timedelta(minutes=443)
    figures = hotline.response_figures(admin_ctx, *MONTH)
    assert (figures.calls, figures.answered, figures.left_out) == (4, 3, 1)
    assert figures.median_minutes == 30
    assert figures.p90_minutes == 40
    stats = statistics.period_statistics(
        admin_ctx, date(2026, 1, 1), date(2026, 1, 31), today=date(2026, 1, 31)
    )
    assert (stats.calls, stats.leads_answered, stats.response_left_out) == (4, 3, 1)
    assert stats.response_median_minutes == 30
    assert (stats + stats).response_left_out == 2


def test_the_demo_never_has_an_arrival_before_the_call(database: Database) -> None:
    generate(database, seed=7, persons=120, years=1, today=date(2025, 3, 1))
    with database.sessions() as s:
        rows = s.execute(
            select(HotlineCall.received_at, HotlineCall.dispatched_at, HotlineCall.arrived_at)
        ).all()
    answered = [r for r in rows if r.arrived_at is not None]
    assert len(answered) > 10, "the demo answers calls on the spot"
    early = [r for r in answered if not r.received_at <= r.dispatched_at <= r.arrived_at]
    assert early == []
