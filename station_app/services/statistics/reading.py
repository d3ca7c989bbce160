"""The SQL of the monthly statistics: one query per table over the period,
grouped in the database where the figure is a plain count or sum.

Help requests are read one row per request (with their person), because
the age on the China day of arrival follows the domain's rules (birth date,
or an estimate aged since it was made) that SQL would have to copy in two
dialects; their latest screening and first decisions come from one query
each, keyed by request. Nothing is read per person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from station_app.db.models import (
    Decision,
    Departure,
    Encounter,
    HelpRequest,
    HotlineCall,
    PatrolShift,
    Person,
    PublicityEvent,
    Screening,
    Stay,
    StockMovement,
    SupplyItem,
)
from station_app.domain.enums import DecisionKind, DepartureOutcome, EncounterAction, MovementKind
from station_app.services.hotline.calls import minutes_to_arrival

from .model import ItemIssued

ISSUE_KINDS = tuple(kind for kind in MovementKind if kind.is_issue)


@dataclass(frozen=True)
class RequestRow:
    id: int
    person_id: int
    arrived_at: datetime
    sex: str | None
    birth_date: date | None
    estimated_age: int | None
    age_estimated_on: date | None
    hukou_code: str | None
    disability: str | None


@dataclass(frozen=True)
class ScreeningRow:
    """The flags of a request's latest screening that the statistics read."""

    is_minor: bool
    critical: bool  # critical illness, infectious disease or injury
    mental: bool
    dementia: bool
    intellectual_disability: bool
    trafficking_or_violence: bool
    left_behind: bool


@dataclass(frozen=True)
class FirstDecisions:
    """Per request: when it was first accepted or refused, and whether it was
    accepted, refused, terminated."""

    first_at: datetime | None
    accepted: bool
    refused: bool
    terminated: bool


def _arrived(station_id: int, lo: datetime, hi: datetime) -> tuple[ColumnElement[bool], ...]:
    """Conditions on ``HelpRequest``: it arrived in [lo, hi).

    The screenings and decisions are read joined to these arrivals rather
    than ``IN (subquery)``: SQLite then walks the arrivals by their index and
    each one's rows by theirs, instead of the whole table."""
    return (
        HelpRequest.station_id == station_id,
        HelpRequest.arrived_at >= lo,
        HelpRequest.arrived_at < hi,
    )


def requests(session: Session, station_id: int, lo: datetime, hi: datetime) -> list[RequestRow]:
    """The help requests that arrived in [lo, hi), oldest first, with their person."""
    rows = session.execute(
        select(
            HelpRequest.id,
            HelpRequest.person_id,
            HelpRequest.arrived_at,
            Person.sex,
            Person.birth_date,
            Person.estimated_age,
            Person.age_estimated_on,
            Person.hukou_code,
            Person.disability,
        )
        .join(Person, Person.id == HelpRequest.person_id)
        .where(
            HelpRequest.station_id == station_id,
            HelpRequest.arrived_at >= lo,
            HelpRequest.arrived_at < hi,
        )
        .order_by(HelpRequest.arrived_at, HelpRequest.id)
    )
    return [
        RequestRow(
            rid,
            pid,
            arrived,
            None if sex is None else sex.value,
            birth,
            estimated,
            estimated_on,
            hukou,
            disability,
        )
        for rid, pid, arrived, sex, birth, estimated, estimated_on, hukou, disability in rows
    ]


def latest_screenings(
    session: Session, station_id: int, lo: datetime, hi: datetime
) -> dict[int, ScreeningRow]:
    """The latest screening (by time, then id) of each request that arrived in [lo, hi)."""
    query = (
        select(
            Screening.help_request_id,
            Screening.is_minor,
            Screening.critical_illness,
            Screening.infectious_disease,
            Screening.injured,
            Screening.suspected_mental_illness,
            Screening.dementia,
            Screening.intellectual_disability,
            Screening.trafficking_victim,
            Screening.domestic_violence_victim,
            Screening.left_behind_child,
        )
        .join(HelpRequest, HelpRequest.id == Screening.help_request_id)
        .where(*_arrived(station_id, lo, hi))
        .order_by(Screening.screened_at, Screening.id)
    )
    rows = session.execute(query)
    latest: dict[int, ScreeningRow] = {}
    for rid, minor, critical, infectious, injured, mental, dementia, intel, traf, dv, lb in rows:
        latest[rid] = ScreeningRow(
            minor, critical or infectious or injured, mental, dementia, intel, traf or dv, lb
        )
    return latest


def first_decisions(
    session: Session, station_id: int, lo: datetime, hi: datetime
) -> dict[int, FirstDecisions]:
    """Acceptances, refusals and terminations of the requests that arrived in [lo, hi)."""
    kinds = (DecisionKind.ACCEPT, DecisionKind.REFUSE, DecisionKind.TERMINATE)
    rows = session.execute(
        select(Decision.help_request_id, Decision.kind, func.min(Decision.decided_at))
        .join(HelpRequest, HelpRequest.id == Decision.help_request_id)
        .where(*_arrived(station_id, lo, hi), Decision.kind.in_(kinds))
        .group_by(Decision.help_request_id, Decision.kind)
    )
    found: dict[int, dict[DecisionKind, datetime]] = {}
    for rid, kind, first in rows:
        found.setdefault(rid, {})[DecisionKind(kind)] = first
    out: dict[int, FirstDecisions] = {}
    for rid, by_kind in found.items():
        decided = [by_kind[k] for k in (DecisionKind.ACCEPT, DecisionKind.REFUSE) if k in by_kind]
        out[rid] = FirstDecisions(
            min(decided) if decided else None,
            DecisionKind.ACCEPT in by_kind,
            DecisionKind.REFUSE in by_kind,
            DecisionKind.TERMINATE in by_kind,
        )
    return out


def departures(
    session: Session, station_id: int, lo: datetime, hi: datetime
) -> dict[DepartureOutcome, int]:
    counts = dict.fromkeys(DepartureOutcome, 0)
    for outcome, n in session.execute(
        select(Departure.outcome, func.count())
        .where(
            Departure.station_id == station_id,
            Departure.departed_at >= lo,
            Departure.departed_at < hi,
        )
        .group_by(Departure.outcome)
    ):
        counts[DepartureOutcome(outcome)] = int(n)
    return counts


def stays(
    session: Session, station_id: int, lo: datetime, hi: datetime
) -> list[tuple[datetime, datetime]]:
    """(first bed, departure) of each departure in [lo, hi) of a request that had a bed."""
    # correlated: each departure's own stays by their index, not all stays grouped
    first_bed = (
        select(func.min(Stay.started_at))
        .where(Stay.help_request_id == Departure.help_request_id)
        .scalar_subquery()
    )
    rows = session.execute(
        select(Departure.departed_at, first_bed).where(
            Departure.station_id == station_id,
            Departure.departed_at >= lo,
            Departure.departed_at < hi,
        )
    )
    return [(first, departed) for departed, first in rows if first is not None]


@dataclass(frozen=True)
class PatrolRow:
    shifts: int
    staff: int
    vehicles: int
    by_action: dict[EncounterAction, int]
    came_after_persuasion: int = 0


def patrols(session: Session, station_id: int, start: date, end: date) -> PatrolRow:
    """The shifts dated ``start`` to ``end`` and the people met on them."""
    in_period = (
        PatrolShift.station_id == station_id,
        PatrolShift.shift_date >= start,
        PatrolShift.shift_date <= end,
    )
    shifts, staff, vehicles = session.execute(
        select(
            func.count(PatrolShift.id),
            func.coalesce(func.sum(PatrolShift.staff_count), 0),
            func.coalesce(func.sum(PatrolShift.vehicle_count), 0),
        ).where(*in_period)
    ).one()
    by_action = dict.fromkeys(EncounterAction, 0)
    for action, n in session.execute(
        select(Encounter.action, func.count())
        .join(PatrolShift, PatrolShift.id == Encounter.shift_id)
        .where(*in_period)
        .group_by(Encounter.action)
    ):
        by_action[EncounterAction(action)] = int(n)
    came = session.scalar(
        select(func.count(func.distinct(Encounter.id)))
        .join(PatrolShift, PatrolShift.id == Encounter.shift_id)
        .join(HelpRequest, HelpRequest.encounter_id == Encounter.id)
        .where(*in_period, Encounter.action == EncounterAction.BROUGHT_TO_STATION)
    )
    return PatrolRow(int(shifts), int(staff), int(vehicles), by_action, int(came or 0))


def items_issued(
    session: Session, station_id: int, lo: datetime, hi: datetime
) -> tuple[ItemIssued, ...]:
    rows = session.execute(
        select(
            StockMovement.kind,
            SupplyItem.code,
            SupplyItem.name_zh,
            SupplyItem.name_bo,
            SupplyItem.unit_zh,
            func.sum(StockMovement.quantity),
        )
        .join(SupplyItem, SupplyItem.id == StockMovement.item_id)
        .where(
            StockMovement.station_id == station_id,
            StockMovement.moved_at >= lo,
            StockMovement.moved_at < hi,
            StockMovement.kind.in_(ISSUE_KINDS),
        )
        .group_by(
            StockMovement.kind,
            SupplyItem.code,
            SupplyItem.name_zh,
            SupplyItem.name_bo,
            SupplyItem.unit_zh,
        )
    )
    order = {kind: n for n, kind in enumerate(MovementKind)}
    out = [
        ItemIssued(MovementKind(kind), code, zh, bo, unit, -Decimal(total or 0))
        for kind, code, zh, bo, unit, total in rows
    ]
    return tuple(sorted(out, key=lambda i: (i.code, order[i.kind])))


def hotline(
    session: Session, station_id: int, lo: datetime, hi: datetime
) -> tuple[int, list[float], int]:
    """Calls received in [lo, hi), the minutes from call to arrival of those
    answered, and how many answered calls were left out of the minutes (an
    arrival stored before the call, by a version that did not refuse it)."""
    calls = left_out = 0
    minutes: list[float] = []
    for received, arrived in session.execute(
        select(HotlineCall.received_at, HotlineCall.arrived_at).where(
            HotlineCall.station_id == station_id,
            HotlineCall.received_at >= lo,
            HotlineCall.received_at < hi,
        )
    ):
        calls += 1
        taken = minutes_to_arrival(received, arrived)
        if taken is not None:
            minutes.append(taken)
        elif arrived is not None:
            left_out += 1
    return calls, minutes, left_out


def publicity(session: Session, station_id: int, start: date, end: date) -> tuple[int, ...]:
    """Events, leaflets, people consulted and staff of the days held ``start`` to ``end``."""
    row = session.execute(
        select(
            func.count(PublicityEvent.id),
            func.coalesce(func.sum(PublicityEvent.leaflets), 0),
            func.coalesce(func.sum(PublicityEvent.people_consulted), 0),
            func.coalesce(func.sum(PublicityEvent.staff_count), 0),
        ).where(
            and_(
                PublicityEvent.station_id == station_id,
                PublicityEvent.held_on >= start,
                PublicityEvent.held_on <= end,
            )
        )
    ).one()
    return tuple(int(v) for v in row)
