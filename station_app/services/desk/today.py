"""The desk's Today page: who is in the station now, free beds per room, and
what needs action today, each pointing at its help request.

A handful of indexed queries over the open requests (status REGISTERED or
ACCEPTED, index ``ix_help_request_station_status``), whatever the size of the
history: fast on a station with 200,000 people on record.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from station_app.db.models import (
    Departure,
    FaceCheck,
    FamilySearch,
    HelpRequest,
    Person,
    Room,
    Screening,
    Stay,
)
from station_app.domain.clock import china_date
from station_app.domain.enums import AlertKind, RequestStatus, Sex
from station_app.domain.errors import N_
from station_app.domain.permissions import Permission
from station_app.services import settings
from station_app.services.context import Context
from station_app.services.persons import display_name

from .common import OPEN_STATUSES, age_on, exemption, local_text, now_utc
from .family_search import milestones, search_view
from .registration import MissingItem, flag_for, missing_of
from .stay import StayClock, clock_of, occupied_beds


@dataclass(frozen=True)
class Resident:
    """A person in the station now (in a bed, or registered and awaiting a decision)."""

    request_id: int
    person_id: int
    name: str
    sex: Sex | None
    age: int | None
    status: RequestStatus
    arrived_at: datetime
    room_id: int | None
    room_name: str | None
    bed_number: int | None
    days_in_station: int
    clock: StayClock | None  # None: no bed yet
    quick_intake: bool
    missing: tuple[MissingItem, ...]


@dataclass(frozen=True)
class RoomBeds:
    room_id: int
    name: str
    sex: Sex
    beds: int
    occupied: int

    @property
    def free(self) -> int:
        return max(0, self.beds - self.occupied)


@dataclass(frozen=True)
class Alert:
    kind: AlertKind
    request_id: int
    person_id: int
    person_name: str
    due_at: datetime | None
    overdue: bool
    message: str  # message id
    params: dict[str, object]


@dataclass(frozen=True)
class TodayView:
    now: datetime
    day: date  # today in China
    residents: tuple[Resident, ...]
    rooms: tuple[RoomBeds, ...]
    alerts: tuple[Alert, ...]


def today(ctx: Context, *, now: datetime | None = None) -> TodayView:
    """People in the station, beds free per room, and today's alerts."""
    moment = now_utc(now)
    day = china_date(moment)
    with ctx.read(Permission.DESK_WORK) as session:
        rules = settings.load(session, ctx.station_id)
        limit = int(rules["rules.stay_limit_days"])
        window = timedelta(days=int(rules["rules.return_window_days"]))
        pairs = session.execute(
            select(HelpRequest, Person)
            .join(Person, Person.id == HelpRequest.person_id)
            .where(
                HelpRequest.station_id == ctx.station_id,
                HelpRequest.status.in_(OPEN_STATUSES),
            )
            .order_by(HelpRequest.arrived_at)
        ).all()
        ids = [hr.id for hr, _ in pairs]
        stays: dict[int, list[Stay]] = defaultdict(list)
        screenings: dict[int, Screening] = {}
        searches: dict[int, FamilySearch] = {}
        checks: dict[int, int] = defaultdict(int)
        left: dict[int, list[tuple[int, datetime]]] = defaultdict(list)
        if ids:
            for stay in session.scalars(
                select(Stay).where(Stay.help_request_id.in_(ids)).order_by(Stay.started_at)
            ):
                stays[stay.help_request_id].append(stay)
            for s in session.scalars(
                select(Screening)
                .where(Screening.help_request_id.in_(ids))
                .order_by(Screening.screened_at, Screening.id)
            ):
                screenings[s.help_request_id] = s  # the latest wins
            for fs in session.scalars(
                select(FamilySearch).where(
                    FamilySearch.help_request_id.in_(ids), FamilySearch.closed_at.is_(None)
                )
            ):
                searches[fs.help_request_id] = fs
            if searches:
                for search_id in session.scalars(
                    select(FaceCheck.family_search_id).where(
                        FaceCheck.family_search_id.in_([fs.id for fs in searches.values()])
                    )
                ):
                    checks[search_id] += 1
            person_ids = list({hr.person_id for hr, _ in pairs})
            for request_id, person_id, departed in session.execute(
                select(HelpRequest.id, HelpRequest.person_id, Departure.departed_at)
                .join(Departure, Departure.help_request_id == HelpRequest.id)
                .where(HelpRequest.person_id.in_(person_ids))
            ):
                left[person_id].append((request_id, departed))
        rooms = list(
            session.scalars(
                select(Room)
                .where(Room.station_id == ctx.station_id, Room.active.is_(True))
                .order_by(Room.name)
            )
        )
        taken = occupied_beds(session, [r.id for r in rooms])
        room_names = {r.id: r.name for r in rooms}

        residents: list[Resident] = []
        alerts: list[Alert] = []
        for hr, person in pairs:
            name = display_name(person)

            def alert(
                kind: AlertKind,
                due: datetime | None,
                message: str,
                params: dict[str, object],
                *,
                hr: HelpRequest = hr,
                person: Person = person,
                name: str = name,
            ) -> None:
                overdue = due is not None and due <= moment
                alerts.append(Alert(kind, hr.id, person.id, name, due, overdue, message, params))

            screening = screenings.get(hr.id)
            why = exemption(person, hr.arrived_at, screening)
            own = stays.get(hr.id, [])
            current = next((s for s in own if s.ended_at is None), None)
            clock = (
                clock_of(current, own[0].started_at, why, limit, moment)
                if current is not None
                else None
            )
            missing = missing_of(hr, person)
            residents.append(
                Resident(
                    request_id=hr.id,
                    person_id=person.id,
                    name=name,
                    sex=person.sex,
                    age=age_on(person, day),
                    status=hr.status,
                    arrived_at=hr.arrived_at,
                    room_id=current.room_id if current else None,
                    room_name=room_names.get(current.room_id) if current else None,
                    bed_number=current.bed_number if current else None,
                    days_in_station=clock.days_in_station
                    if clock
                    else (day - china_date(hr.arrived_at)).days + 1,
                    clock=clock,
                    quick_intake=hr.quick_intake,
                    missing=missing,
                )
            )
            if (
                clock is not None
                and not clock.exempt
                and not clock.extended
                and china_date(clock.due_at) <= day
            ):
                alert(
                    AlertKind.STAY_LIMIT,
                    clock.due_at,
                    N_(
                        "Day {days} in the station: the {limit}-day limit is reached. "
                        "Record the reason for a longer stay and the date it was reported, "
                        "or arrange the departure."
                    ),
                    {"days": clock.days_in_station, "limit": limit},
                )
            if hr.quick_intake and missing:
                alert(
                    AlertKind.INCOMPLETE_INTAKE,
                    None,
                    N_(
                        "Quick intake: {count} details still missing; complete them when the "
                        "person can answer."
                    ),
                    {"count": len(missing)},
                )
            before = [
                (rid, at)
                for rid, at in left.get(person.id, [])
                if rid != hr.id and hr.arrived_at - window < at <= hr.arrived_at
            ]
            if before:
                rid, departed = max(before, key=lambda pair: pair[1])
                flag = flag_for(rid, departed, hr.arrived_at, why, window.days)
                alert(AlertKind.RETURNED_WITHIN_MONTH, None, flag.message, flag.params)
            search = searches.get(hr.id)
            if search is not None:
                view = search_view(search, hr.arrived_at, checks[search.id])
                for m in milestones(view, rules, moment):
                    alert(m.kind, m.due_at, m.message, m.params)

        alerts.sort(key=lambda a: (not a.overdue, a.due_at or moment, a.request_id))
        return TodayView(
            now=moment,
            day=day,
            residents=tuple(residents),
            rooms=tuple(RoomBeds(r.id, r.name, r.sex, r.beds, len(taken[r.id])) for r in rooms),
            alerts=tuple(alerts),
        )


def due_text(alert: Alert) -> str | None:
    """When an alert is due, as staff read it (China time)."""
    return local_text(alert.due_at) if alert.due_at else None
