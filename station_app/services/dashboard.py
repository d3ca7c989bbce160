"""The manager's first page, read in one call: the last twelve months' trends
of people helped, patrol effort and handouts, and what needs the manager now —
stock below its minimum, overdue hazards, missed safety checks, people past
the 10-day limit, the sign-off of last month's safety log, decisions waiting
for confirmation.

Each trend is one grouped query over the twelve months (conditional sums per
China month), so the page stays quick on a ten-year station.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from station_app.db.models import (
    Hazard,
    HelpRequest,
    PatrolShift,
    SafetyLogSignoff,
    StockMovement,
    User,
)
from station_app.domain.clock import CHINA_TZ, china_today
from station_app.domain.permissions import Permission

from . import desk, supplies
from .context import Context
from .safety.common import NIGHT_TURNS_AT_HOUR, local_instant
from .safety.missed import MissedCheck as MissedCheck
from .safety.missed import find_missed
from .safety.templates import load_templates
from .supplies.common import ISSUE_KINDS

MONTHS = 12


@dataclass(frozen=True)
class MonthFigures:
    month: date  # its first day
    people: int  # distinct persons whose help request arrived in the month
    person_times: int  # help requests that arrived
    shifts: int  # patrol shifts (by the day they started)
    staff_person_times: int
    vehicle_times: int
    handouts: int  # issues of supplies recorded (to persons, patrols, the desk)


@dataclass(frozen=True)
class OverdueHazard:
    id: int
    description: str
    location: str | None
    owner: str
    deadline: date
    days_overdue: int


@dataclass(frozen=True)
class OverLimit:
    request_id: int
    name: str
    days_in_station: int
    limit_days: int


@dataclass(frozen=True)
class SignOff:
    year: int
    month: int
    signed_at: datetime | None  # None: not signed yet
    signed_by: str | None


@dataclass(frozen=True)
class Dashboard:
    day: date  # today in China
    months: tuple[MonthFigures, ...]  # oldest first, the current month last
    low_stock: tuple[supplies.ItemView, ...]
    overdue_hazards: tuple[OverdueHazard, ...]
    over_limit: tuple[OverLimit, ...]
    last_month: SignOff
    missed_checks: tuple[MissedCheck, ...]  # of the last MISSED_DAYS days, newest first


MISSED_DAYS = 14  # how far back the dashboard lists missed safety checks


def month_starts(day: date, count: int = MONTHS) -> list[date]:
    """The first days of the ``count`` months ending with ``day``'s, oldest first."""
    year, month = day.year, day.month
    out: list[date] = []
    for _ in range(count):
        out.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return out[::-1]


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def _instant(day: date) -> datetime:
    return datetime.combine(day, time(), CHINA_TZ).astimezone(UTC)


def _sums(
    session: Session,
    table: Any,
    column: Any,
    bounds: list[tuple[Any, Any]],
    values: list[Any],
    *conditions: Any,
) -> list[Any]:
    """One SELECT of one conditional aggregate per month: ``values[i]`` summed
    where ``column`` falls in ``bounds[i]``."""
    parts = [
        func.sum(case((and_(column >= lo, column < hi), value), else_=0))
        for (lo, hi), value in zip(bounds, values, strict=True)
    ]
    row = session.execute(
        select(*parts)
        .select_from(table)
        .where(column >= bounds[0][0], column < bounds[-1][1], *conditions)
    ).one()
    return [v or 0 for v in row]


def _trends(session: Session, station_id: int, firsts: list[date]) -> tuple[MonthFigures, ...]:
    days = [(first, _next_month(first)) for first in firsts]
    moments = [(_instant(lo), _instant(hi)) for lo, hi in days]
    n = len(firsts)
    person_times = _sums(
        session,
        HelpRequest,
        HelpRequest.arrived_at,
        moments,
        [1] * n,
        HelpRequest.station_id == station_id,
    )
    people_row = session.execute(
        select(
            *[
                func.count(
                    func.distinct(
                        case(
                            (
                                and_(HelpRequest.arrived_at >= lo, HelpRequest.arrived_at < hi),
                                HelpRequest.person_id,
                            )
                        )
                    )
                )
                for lo, hi in moments
            ]
        ).where(
            HelpRequest.station_id == station_id,
            HelpRequest.arrived_at >= moments[0][0],
            HelpRequest.arrived_at < moments[-1][1],
        )
    ).one()
    shifts = _sums(
        session, PatrolShift, PatrolShift.shift_date, days, [1] * n,
        PatrolShift.station_id == station_id,
    )  # fmt: skip
    staff = _sums(
        session, PatrolShift, PatrolShift.shift_date, days, [PatrolShift.staff_count] * n,
        PatrolShift.station_id == station_id,
    )  # fmt: skip
    vehicles = _sums(
        session, PatrolShift, PatrolShift.shift_date, days, [PatrolShift.vehicle_count] * n,
        PatrolShift.station_id == station_id,
    )  # fmt: skip
    handouts = _sums(
        session, StockMovement, StockMovement.moved_at, moments, [1] * n,
        StockMovement.station_id == station_id, StockMovement.kind.in_(ISSUE_KINDS),
    )  # fmt: skip
    return tuple(
        MonthFigures(
            month=firsts[i],
            people=int(people_row[i] or 0),
            person_times=int(person_times[i]),
            shifts=int(shifts[i]),
            staff_person_times=int(staff[i]),
            vehicle_times=int(vehicles[i]),
            handouts=int(handouts[i]),
        )
        for i in range(n)
    )


def _overdue_hazards(session: Session, station_id: int, day: date) -> tuple[OverdueHazard, ...]:
    rows = session.scalars(
        select(Hazard)
        .where(Hazard.station_id == station_id, Hazard.closed_on.is_(None), Hazard.deadline < day)
        .order_by(Hazard.deadline, Hazard.id)
    )
    return tuple(
        OverdueHazard(h.id, h.description, h.location, h.owner, h.deadline, (day - h.deadline).days)
        for h in rows
    )


def _last_month(session: Session, station_id: int, day: date) -> SignOff:
    year, month = (day.year, day.month - 1) if day.month > 1 else (day.year - 1, 12)
    row = session.execute(
        select(SafetyLogSignoff.signed_at, User.display_name, User.username)
        .join(User, User.id == SafetyLogSignoff.signed_by_id)
        .where(
            SafetyLogSignoff.station_id == station_id,
            SafetyLogSignoff.year == year,
            SafetyLogSignoff.month == month,
        )
    ).first()
    if row is None:
        return SignOff(year, month, None, None)
    return SignOff(year, month, row[0], row[1] or row[2])


def dashboard(ctx: Context, *, today: date | None = None) -> Dashboard:
    """Everything the manager's first page shows."""
    day = today or china_today()
    firsts = month_starts(day)
    with ctx.read(Permission.REPORTS) as session:
        months = _trends(session, ctx.station_id, firsts)
        hazards = _overdue_hazards(session, ctx.station_id, day)
        signoff = _last_month(session, ctx.station_id, day)
        templates = load_templates(session, ctx.station_id)
        missed = find_missed(
            session,
            ctx.station_id,
            templates,
            day - timedelta(days=MISSED_DAYS - 1),
            day,
            # a day given (a test, a benchmark): as seen at its noon, last night over
            datetime.now(UTC) if today is None else local_instant(day, NIGHT_TURNS_AT_HOUR),
        )
    low = tuple(i for i in supplies.list_items(ctx) if i.low)
    residents = desk.today(ctx).residents
    over = tuple(
        OverLimit(r.request_id, r.name, r.clock.days_in_station, r.clock.limit_days)
        for r in residents
        if r.clock is not None
        and not r.clock.exempt
        and not r.clock.extended
        and r.clock.days_left < 0
    )
    newest_first = tuple(sorted(missed, key=lambda m: (m.last_day, m.kind), reverse=True))
    return Dashboard(day, months, low, hazards, over, signoff, newest_first)
