"""The monthly statistics of a station: ``period_statistics`` and ``compare``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from station_app.db.models import Station
from station_app.domain import age as age_rules
from station_app.domain.clock import china_date
from station_app.domain.permissions import Permission
from station_app.services.context import Context

from . import reading
from .model import (
    AGE_KEYS,
    HEALTH_KEYS,
    ORIGIN_KEYS,
    SEX_KEYS,
    SPECIAL_KEYS,
    UNKNOWN,
    Comparison,
    Health,
    Origin,
    SpecialGroup,
    Split,
    Statistics,
)
from .period import period_bounds, report_period, year_earlier

# ---------------------------------------------------------------- one request's keys


def age_key(row: reading.RequestRow) -> tuple[str, int | None]:
    """The age band on the China day of arrival, and the age."""
    age = age_rules.effective_age(
        row.birth_date, row.estimated_age, row.age_estimated_on, china_date(row.arrived_at)
    )
    return (UNKNOWN if age is None else age_rules.age_band(age)), age


def health_key(row: reading.RequestRow, screening: reading.ScreeningRow | None) -> Health:
    """One health for the request: the first of :class:`Health`'s order that applies."""
    if screening is not None:
        if screening.critical:
            return Health.CRITICAL
        if screening.mental:
            return Health.MENTAL
        if screening.dementia:
            return Health.DEMENTIA
        if screening.intellectual_disability:
            return Health.DISABILITY
    if row.disability:
        return Health.DISABILITY
    return Health.NOT_SCREENED if screening is None else Health.HEALTHY


def origin_key(hukou_code: str | None, region_code: str | None) -> Origin:
    """Where the person's household is registered, seen from the station's region."""
    code = (hukou_code or "").strip()
    here = (region_code or "").strip()
    if len(code) != 6 or not code.isascii() or not code.isdigit() or len(here) != 6:
        return Origin.UNKNOWN
    if code == here:
        return Origin.COUNTY
    if code[:4] == here[:4]:
        return Origin.PREFECTURE
    if code[:2] == here[:2]:
        return Origin.PROVINCE
    return Origin.OTHER_PROVINCE


def special_keys(age: int | None, screening: reading.ScreeningRow | None) -> list[SpecialGroup]:
    groups: list[SpecialGroup] = []
    if (age is not None and age_rules.is_minor(age)) or (screening and screening.is_minor):
        groups.append(SpecialGroup.MINOR)
    if screening and screening.trafficking_or_violence:
        groups.append(SpecialGroup.TRAFFICKING_OR_VIOLENCE)
    if screening and screening.left_behind:
        groups.append(SpecialGroup.LEFT_BEHIND)
    return groups


class _Tally:
    """Counts of one breakdown while the requests are read."""

    def __init__(self, keys: Iterable[str]) -> None:
        self.split = Split.empty(keys)

    def add(self, keys: Iterable[str], *, new_person: bool) -> None:
        for key in keys:
            self.split.times[key] += 1
            if new_person:
                self.split.people[key] += 1


# ---------------------------------------------------------------- the period


@dataclass(frozen=True)
class _Help:
    arrivals: int
    person_times: int
    people: int
    refused: int
    terminated: int
    decision_hours: tuple[float, ...]
    splits: dict[str, Split]


def _help_figures(
    session: Session, station_id: int, region_code: str | None, lo: datetime, hi: datetime
) -> _Help:
    rows = reading.requests(session, station_id, lo, hi)
    screenings = reading.latest_screenings(session, station_id, lo, hi)
    decided = reading.first_decisions(session, station_id, lo, hi)
    tallies = {
        "sex": _Tally(SEX_KEYS),
        "age": _Tally(AGE_KEYS),
        "health": _Tally(HEALTH_KEYS),
        "origin": _Tally(ORIGIN_KEYS),
        "special": _Tally(SPECIAL_KEYS),
    }
    seen: set[int] = set()
    accepted = refused = terminated = 0
    hours: list[float] = []
    for row in rows:  # oldest first: a person's first request in the period comes first
        decision = decided.get(row.id)
        if decision is not None and decision.first_at is not None:
            hours.append((decision.first_at - row.arrived_at).total_seconds() / 3600)
        if decision is None or not decision.accepted:
            if decision is not None and decision.refused:
                refused += 1
            continue
        accepted += 1
        if decision.terminated:
            terminated += 1
        new = row.person_id not in seen
        seen.add(row.person_id)
        screening = screenings.get(row.id)
        band, age = age_key(row)
        tallies["sex"].add([row.sex or UNKNOWN], new_person=new)
        tallies["age"].add([band], new_person=new)
        tallies["health"].add([health_key(row, screening)], new_person=new)
        tallies["origin"].add([origin_key(row.hukou_code, region_code)], new_person=new)
        tallies["special"].add(special_keys(age, screening), new_person=new)
    return _Help(
        len(rows),
        accepted,
        len(seen),
        refused,
        terminated,
        tuple(sorted(hours)),
        {name: tally.split for name, tally in tallies.items()},
    )


def read_statistics(session: Session, station_id: int, start: date, end: date) -> Statistics:
    """The figures of one station for China-local days ``start`` to ``end``,
    read in ``session`` (no permission check, no cut at today: for callers
    that did both, such as a view over several stations)."""
    lo, hi = period_bounds(start, end)
    station = session.get(Station, station_id)
    region = station.region_code if station is not None else None
    patrol = reading.patrols(session, station_id, start, end)
    calls, minutes, left_out = reading.hotline(session, station_id, lo, hi)
    events, leaflets, consulted, staff = reading.publicity(session, station_id, start, end)
    help_ = _help_figures(session, station_id, region, lo, hi)
    stay_days = [
        (china_date(departed) - china_date(first)).days + 1
        for first, departed in reading.stays(session, station_id, lo, hi)
    ]
    return Statistics(
        start=start,
        end=end,
        station_ids=(station_id,),
        arrivals=help_.arrivals,
        person_times=help_.person_times,
        people=help_.people,
        refused=help_.refused,
        undecided=help_.arrivals - help_.person_times - help_.refused,
        terminated=help_.terminated,
        sex=help_.splits["sex"],
        age=help_.splits["age"],
        health=help_.splits["health"],
        origin=help_.splits["origin"],
        special=help_.splits["special"],
        decision_hours=help_.decision_hours,
        departures=reading.departures(session, station_id, lo, hi),
        stay_days=tuple(sorted(stay_days)),
        shifts=patrol.shifts,
        staff_person_times=patrol.staff,
        vehicle_times=patrol.vehicles,
        encounters=patrol.by_action,
        came_after_persuasion=patrol.came_after_persuasion,
        items=reading.items_issued(session, station_id, lo, hi),
        calls=calls,
        leads_answered=len(minutes),
        response_minutes=tuple(sorted(minutes)),
        response_left_out=left_out,
        publicity_events=events,
        leaflets=leaflets,
        consultations=consulted,
        publicity_staff=staff,
    )


def period_statistics(
    ctx: Context, start: date, end: date, *, today: date | None = None
) -> Statistics:
    """The statistics of the station of ``ctx`` for China-local days ``start``
    to ``end`` (a month, a quarter, a year or any from–to), both included.

    A period reaching past today is cut at today (``today``: China's, unless
    given). The figures are defined in :class:`Statistics`."""
    start, end = report_period(start, end, today=today)
    with ctx.read(Permission.REPORTS) as session:
        return read_statistics(session, ctx.station_id, start, end)


def compare(ctx: Context, start: date, end: date, *, today: date | None = None) -> Comparison:
    """The period's statistics beside those of the same days one year earlier
    (see :func:`~.period.year_earlier`)."""
    start, end = report_period(start, end, today=today)
    before = year_earlier(start, end)
    with ctx.read(Permission.REPORTS) as session:
        return Comparison(
            read_statistics(session, ctx.station_id, start, end),
            read_statistics(session, ctx.station_id, *before),
        )
