"""The desk's Today page: who is in the station now, free beds per room, and
what needs action today, each pointing at its help request.

A handful of indexed queries over the open requests (status REGISTERED or
ACCEPTED, index ``ix_help_request_station_status``), whatever the size of the
history: fast on a station with 200,000 people on record.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import Integer, Select, Table, bindparam, select
from sqlalchemy.orm import Session, aliased

from station_app.db.models import (
    DecisionProposal,
    Departure,
    FaceCheck,
    FamilySearch,
    HelpRequest,
    Person,
    Room,
    Screening,
    Stay,
)
from station_app.db.planner import through_index
from station_app.domain.clock import china_date, china_minute_text
from station_app.domain.enums import OPEN_STATUSES, AlertKind, ProposalState, RequestStatus, Sex
from station_app.domain.errors import N_
from station_app.domain.permissions import Permission, allows
from station_app.services import settings
from station_app.services.context import Context
from station_app.services.persons import display_name
from station_app.services.rooms import occupied_beds
from station_app.services.values import now_utc

from .common import age_on, exemption
from .expected import ExpectedView, open_expected
from .facts import PersonRow, RequestRow, ScreeningRow, StayRow, columns_of
from .family_search import milestones, search_view
from .registration import MissingItem, flag_for, missing_of
from .stay import StayClock, clock_of


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
    room_name_bo: str | None  # the Tibetan name, shown on a Tibetan screen
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
    name_bo: str | None = None  # the Tibetan name, shown on a Tibetan screen

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
    # persuaded on patrol to come, not come yet: the desk confirms or dismisses
    expected: tuple[ExpectedView, ...] = ()


@dataclass
class _Rules:
    """The station's settings the page applies, read once."""

    all: dict[str, Any]
    limit: int  # days in the station before the stay-limit alert
    window: timedelta  # a return within it is flagged


@dataclass
class _Related:
    """What the open requests have on record, read in one query per table."""

    stays: dict[int, list[StayRow]] = field(default_factory=lambda: defaultdict(list))
    screenings: dict[int, ScreeningRow] = field(default_factory=dict)
    searches: dict[int, FamilySearch] = field(default_factory=dict)
    checks: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    # person id -> (request id, departure time) of every departure of theirs
    left: dict[int, list[tuple[int, datetime]]] = field(default_factory=lambda: defaultdict(list))
    proposals: dict[int, DecisionProposal] = field(default_factory=dict)  # pending ones


OPEN_REQUESTS_INDEX = "ix_help_request_station_status"
# The station's open requests with their persons, by arrival: through the
# status index whatever the planner's statistics say (the arrival-time index
# would read every request of the history to find the few open ones). Only
# the columns the page reads, as rows (``facts``): loading whole ORM objects
# cost ten times as much. Built once.
_OPEN = aliased(HelpRequest, through_index(cast(Table, HelpRequest.__table__), OPEN_REQUESTS_INDEX))
_IS_OPEN = (
    _OPEN.station_id == bindparam("station_id", type_=Integer),
    _OPEN.status.in_(OPEN_STATUSES),
)
_REQUEST_COLUMNS = columns_of(RequestRow, _OPEN)
_OPEN_REQUESTS = (
    select(*_REQUEST_COLUMNS, *columns_of(PersonRow, Person))
    .join(Person, Person.id == _OPEN.person_id)
    .where(*_IS_OPEN)
    .order_by(_OPEN.arrived_at)
)
# The same open requests as a subquery, for what they have on record: the
# database matches them, rather than a list of up to hundreds of ids sent
# with each of the statements below.
_OPEN_IDS = select(_OPEN.id).where(*_IS_OPEN)
# the beds of the open requests, the first first
_STAYS = (
    select(*columns_of(StayRow, Stay))
    .where(Stay.help_request_id.in_(_OPEN_IDS))
    .order_by(Stay.started_at, Stay.id)
)
# their screenings, the latest last (it wins)
_SCREENINGS = (
    select(*columns_of(ScreeningRow, Screening))
    .where(Screening.help_request_id.in_(_OPEN_IDS))
    .order_by(Screening.screened_at, Screening.id)
)
_SEARCHES = select(FamilySearch).where(
    FamilySearch.help_request_id.in_(_OPEN_IDS), FamilySearch.closed_at.is_(None)
)
# every departure of the persons in the station, to flag a return
_LEFT = (
    select(HelpRequest.id, HelpRequest.person_id, Departure.departed_at)
    .join(Departure, Departure.help_request_id == HelpRequest.id)
    .where(HelpRequest.person_id.in_(_OPEN_IDS.with_only_columns(_OPEN.person_id)))
)
_PENDING = select(DecisionProposal).where(
    DecisionProposal.help_request_id.in_(_OPEN_IDS),
    DecisionProposal.state == ProposalState.PENDING,
)


def open_requests_statement(station_id: int) -> Select[Any]:
    """The open requests of the station (the statement Today runs)."""
    return _OPEN_REQUESTS.params(station_id=station_id)


def _open_requests(session: Session, station_id: int) -> list[tuple[RequestRow, PersonRow]]:
    n = len(_REQUEST_COLUMNS)
    return [
        (RequestRow(*row[:n]), PersonRow(*row[n:]))
        for row in session.execute(_OPEN_REQUESTS, {"station_id": station_id})
    ]


def _related(session: Session, station_id: int) -> _Related:
    found = _Related()
    here = {"station_id": station_id}
    for row in session.execute(_STAYS, here):
        stay = StayRow(*row)
        found.stays[stay.help_request_id].append(stay)
    for row in session.execute(_SCREENINGS, here):
        screening = ScreeningRow(*row)
        found.screenings[screening.help_request_id] = screening  # the latest wins
    for fs in session.scalars(_SEARCHES, here):
        found.searches[fs.help_request_id] = fs
    if found.searches:
        for search_id in session.scalars(
            select(FaceCheck.family_search_id).where(
                FaceCheck.family_search_id.in_([fs.id for fs in found.searches.values()])
            )
        ):
            found.checks[search_id] += 1
    for request_id, person_id, departed in session.execute(_LEFT, here):
        found.left[person_id].append((request_id, departed))
    for p in session.scalars(_PENDING, here):
        found.proposals[p.help_request_id] = p
    return found


def _rooms(session: Session, station_id: int) -> list[Room]:
    return list(
        session.scalars(
            select(Room)
            .where(Room.station_id == station_id, Room.active.is_(True))
            .order_by(Room.name)
        )
    )


def _resident(
    hr: RequestRow,
    person: PersonRow,
    current: StayRow | None,
    clock: StayClock | None,
    missing: tuple[MissingItem, ...],
    rooms: dict[int, Room],
    day: date,
) -> Resident:
    room = rooms.get(current.room_id) if current else None
    return Resident(
        request_id=hr.id,
        person_id=person.id,
        name=display_name(person),
        sex=person.sex,
        age=age_on(person, day),
        status=hr.status,
        arrived_at=hr.arrived_at,
        room_id=current.room_id if current else None,
        room_name=room.name if room else None,
        room_name_bo=room.name_bo if room else None,
        bed_number=current.bed_number if current else None,
        days_in_station=clock.days_in_station
        if clock
        else (day - china_date(hr.arrived_at)).days + 1,
        clock=clock,
        quick_intake=hr.quick_intake,
        missing=missing,
    )


class _Alerts:
    """The alerts of one help request, added to the page's list."""

    def __init__(
        self, out: list[Alert], hr: RequestRow, person: PersonRow, moment: datetime
    ) -> None:
        self.out, self.hr, self.person, self.moment = out, hr, person, moment
        self.name = display_name(person)

    def add(
        self, kind: AlertKind, due: datetime | None, message: str, params: dict[str, object]
    ) -> None:
        overdue = due is not None and due <= self.moment
        self.out.append(
            Alert(kind, self.hr.id, self.person.id, self.name, due, overdue, message, params)
        )


def _stay_limit_alert(alerts: _Alerts, clock: StayClock | None, limit: int, day: date) -> None:
    if (
        clock is not None
        and not clock.exempt
        and not clock.extended
        and china_date(clock.due_at) <= day
    ):
        alerts.add(
            AlertKind.STAY_LIMIT,
            clock.due_at,
            N_(
                "Day {days} in the station: the {limit}-day limit is reached. "
                "Record the reason for a longer stay and the date it was reported, "
                "or arrange the departure."
            ),
            {"days": clock.days_in_station, "limit": limit},
        )


def _incomplete_intake_alert(alerts: _Alerts, missing: tuple[MissingItem, ...]) -> None:
    if alerts.hr.quick_intake and missing:
        alerts.add(
            AlertKind.INCOMPLETE_INTAKE,
            None,
            N_(
                "Quick intake: {count} details still missing; complete them when the "
                "person can answer."
            ),
            {"count": len(missing)},
        )


def _returned_alert(
    alerts: _Alerts, left: list[tuple[int, datetime]], why: str | None, window: timedelta
) -> None:
    hr = alerts.hr
    before = [
        (rid, at)
        for rid, at in left
        if rid != hr.id and hr.arrived_at - window < at <= hr.arrived_at
    ]
    if before:
        rid, departed = max(before, key=lambda pair: pair[1])
        flag = flag_for(rid, departed, hr.arrived_at, why, window.days)
        alerts.add(AlertKind.RETURNED_WITHIN_MONTH, None, flag.message, flag.params)


def _family_search_alerts(alerts: _Alerts, related: _Related, rules: _Rules) -> None:
    search = related.searches.get(alerts.hr.id)
    if search is not None:
        view = search_view(search, alerts.hr.arrived_at, related.checks[search.id])
        for m in milestones(view, rules.all, alerts.moment):
            alerts.add(m.kind, m.due_at, m.message, m.params)


WAITING_FOR_MANAGER = N_(
    "Proposed: {decision}. Waiting for the manager's confirmation since {since}."
)
WAITING_FOR_YOU = N_("Proposed: {decision}, waiting since {since}. Confirm it or return it.")


def _proposal_alert(alerts: _Alerts, proposal: DecisionProposal | None, confirms: bool) -> None:
    """审核确认: the desk sees what waits for the manager; the manager, what to review."""
    if proposal is not None:
        alerts.add(
            AlertKind.PROPOSAL_PENDING,
            None,
            WAITING_FOR_YOU if confirms else WAITING_FOR_MANAGER,
            {"decision": proposal.kind, "since": proposal.proposed_at},
        )


def today(ctx: Context, *, now: datetime | None = None) -> TodayView:
    """People in the station, beds free per room, and today's alerts."""
    moment = now_utc(now)
    day = china_date(moment)
    with ctx.read(Permission.DESK_WORK) as session:
        loaded = settings.load(session, ctx.station_id)
        rules = _Rules(
            loaded,
            int(loaded["rules.stay_limit_days"]),
            timedelta(days=int(loaded["rules.return_window_days"])),
        )
        pairs = _open_requests(session, ctx.station_id)
        related = _related(session, ctx.station_id) if pairs else _Related()
        rooms = _rooms(session, ctx.station_id)
        taken = occupied_beds(session, [r.id for r in rooms])
        rooms_by_id = {r.id: r for r in rooms}
        confirms = allows(ctx.actor.role, Permission.CONFIRM_DECISIONS)

        residents: list[Resident] = []
        alerts: list[Alert] = []
        for hr, person in pairs:
            why = exemption(person, hr.arrived_at, related.screenings.get(hr.id))
            own = related.stays.get(hr.id, [])
            current = next((s for s in own if s.ended_at is None), None)
            clock = (
                clock_of(current, own[0].started_at, why, rules.limit, moment)
                if current is not None
                else None
            )
            missing = missing_of(hr, person)
            residents.append(_resident(hr, person, current, clock, missing, rooms_by_id, day))
            of_request = _Alerts(alerts, hr, person, moment)
            _stay_limit_alert(of_request, clock, rules.limit, day)
            _incomplete_intake_alert(of_request, missing)
            _returned_alert(of_request, related.left.get(person.id, []), why, rules.window)
            _family_search_alerts(of_request, related, rules)
            _proposal_alert(of_request, related.proposals.get(hr.id), confirms)

        alerts.sort(key=lambda a: (not a.overdue, a.due_at or moment, a.request_id))
        return TodayView(
            now=moment,
            day=day,
            residents=tuple(residents),
            rooms=tuple(
                RoomBeds(r.id, r.name, r.sex, r.beds, len(taken[r.id]), r.name_bo) for r in rooms
            ),
            alerts=tuple(alerts),
            expected=tuple(open_expected(session, ctx.station_id, moment)),
        )


def due_text(alert: Alert) -> str | None:
    """When an alert is due, as staff read it (China time)."""
    return china_minute_text(alert.due_at) if alert.due_at else None
