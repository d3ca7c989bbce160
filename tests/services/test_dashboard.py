"""The manager's dashboard: twelve months of trends recomputed from the raw
records with plain SQL, and what needs the manager now.

Runs on SQLite and on the real PostgreSQL server.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import text

from station_app.db.models import Hazard, HelpRequest, PatrolShift, SafetyLogSignoff
from station_app.domain.enums import ArrivalChannel, MovementKind, Role
from station_app.domain.permissions import Permission
from station_app.services import supplies, users
from station_app.services.context import Context
from station_app.services.dashboard import dashboard, month_starts
from tests.support.records import help_request

TODAY = date(2026, 3, 15)


def _at(day: date, hour: int = 4) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def test_months_end_with_the_current_one() -> None:
    firsts = month_starts(date(2026, 3, 15))
    assert len(firsts) == 12
    assert firsts[0] == date(2025, 4, 1)
    assert firsts[-1] == date(2026, 3, 1)


def test_the_trends_are_the_records_counted_per_china_month(admin_ctx: Context) -> None:
    ctx = admin_ctx
    # Two visits of one person in February, one arrival on the last evening of
    # January in China time (16:30 UTC on 31 January is 00:30 on 1 February).
    first = help_request(
        ctx, arrived_at=_at(date(2026, 2, 3)), channel=ArrivalChannel.WALK_IN, name_zh="扎西"
    )
    with ctx.db.sessions() as s:
        person_id = s.execute(
            text("SELECT person_id FROM help_request WHERE id = :id"), {"id": first}
        ).scalar_one()
    help_request(
        ctx, arrived_at=datetime(2026, 1, 31, 16, 30, tzinfo=UTC), channel=ArrivalChannel.PATROL,
        name_zh="卓玛",
    )  # fmt: skip
    with ctx.write(Permission.DESK_WORK) as s:
        s.add(  # 扎西 back later in the month: one person, two person-times
            HelpRequest(
                station_id=ctx.station_id,
                person_id=person_id,
                arrived_at=_at(date(2026, 2, 20)),
                channel=ArrivalChannel.WALK_IN,
            )
        )
        for day, staff, vehicles in ((date(2026, 2, 28), 3, 1), (date(2026, 3, 1), 4, 2)):
            start = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)  # 20:00 in China
            s.add(
                PatrolShift(
                    station_id=ctx.station_id,
                    shift_date=day,
                    started_at=start,
                    ended_at=start + timedelta(hours=5),  # across midnight: counts on its day
                    staff_count=staff,
                    vehicle_count=vehicles,
                )
            )
    coat = supplies.add_item(ctx, supplies.ItemInput("COAT", "棉衣", "件"))
    supplies.receive(
        ctx,
        supplies.ReceiptInput(coat.id, 10, MovementKind.RECEIPT_PURCHASE, _at(date(2026, 2, 1))),
        now=_at(date(2026, 3, 14)),
    )
    for day in (date(2026, 2, 10), date(2026, 3, 2), date(2026, 3, 3)):
        supplies.issue(
            ctx,
            supplies.IssueInput(coat.id, 1, MovementKind.ISSUE_DESK, _at(day)),
            now=_at(date(2026, 3, 14)),
        )
    board = dashboard(ctx, today=TODAY)
    by_month = {m.month: m for m in board.months}

    with ctx.db.sessions() as s:

        def per_month(sql: str, first: date) -> int:
            nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
            lo = datetime(first.year, first.month, first.day, tzinfo=UTC) - timedelta(hours=8)
            hi = datetime(nxt.year, nxt.month, nxt.day, tzinfo=UTC) - timedelta(hours=8)
            return int(
                s.execute(
                    text(sql),
                    {"lo": lo, "hi": hi, "dlo": first, "dhi": nxt, "st": ctx.station_id},
                ).scalar_one()
                or 0
            )

        for first in month_starts(TODAY):
            m = by_month[first]
            assert m.person_times == per_month(
                "SELECT count(*) FROM help_request WHERE station_id = :st "
                "AND arrived_at >= :lo AND arrived_at < :hi",
                first,
            )
            assert m.people == per_month(
                "SELECT count(DISTINCT person_id) FROM help_request WHERE station_id = :st "
                "AND arrived_at >= :lo AND arrived_at < :hi",
                first,
            )
            assert m.staff_person_times == per_month(
                "SELECT sum(staff_count) FROM patrol_shift WHERE station_id = :st "
                "AND shift_date >= :dlo AND shift_date < :dhi",
                first,
            )
    feb, mar = by_month[date(2026, 2, 1)], by_month[date(2026, 3, 1)]
    assert (feb.person_times, feb.people) == (3, 2)  # two visits of 扎西 and 卓玛's late arrival
    assert person_id is not None
    assert (feb.shifts, feb.staff_person_times, feb.vehicle_times) == (1, 3, 1)
    assert (mar.shifts, mar.staff_person_times, mar.vehicle_times) == (1, 4, 2)
    assert by_month[date(2026, 1, 1)].person_times == 0
    # handouts: issues only, not the receipt
    assert (feb.handouts, mar.handouts) == (1, 2)


def test_what_needs_the_manager_now(admin_ctx: Context) -> None:
    ctx = admin_ctx
    with ctx.write(Permission.SAFETY) as s:
        for deadline, closed in ((date(2026, 3, 10), None), (date(2026, 3, 20), None),
                                 (date(2026, 3, 1), date(2026, 3, 2))):  # fmt: skip
            s.add(
                Hazard(
                    station_id=ctx.station_id,
                    found_on=date(2026, 3, 1),
                    description="安全出口堆放杂物",
                    owner="王强",
                    deadline=deadline,
                    closed_on=closed,
                )
            )
    board = dashboard(ctx, today=TODAY)
    assert [(h.deadline, h.days_overdue) for h in board.overdue_hazards] == [(date(2026, 3, 10), 5)]
    assert (board.last_month.year, board.last_month.month) == (2026, 2)
    assert board.last_month.signed_at is None

    with ctx.write(Permission.SAFETY) as s:
        s.add(
            SafetyLogSignoff(
                station_id=ctx.station_id,
                year=2026,
                month=2,
                signed_by_id=users.current_user(ctx).id,
                signed_at=_at(date(2026, 3, 2)),
            )
        )
    signed = dashboard(ctx, today=TODAY).last_month
    assert signed.signed_at is not None
    assert signed.signed_by == "管理员"


def test_a_desk_clerk_has_no_dashboard(admin_ctx: Context) -> None:
    import pytest

    from station_app.domain.errors import PermissionDenied

    clerk = users.create_user(admin_ctx, "lhamo", "拉姆", Role.DESK, "desk-pass-123")
    ctx = Context(admin_ctx.db, admin_ctx.actor.__class__(admin_ctx.station_id, Role.DESK,
                                                           "lhamo", clerk.id))  # fmt: skip
    with pytest.raises(PermissionDenied):
        dashboard(ctx, today=TODAY)
