"""Screening (甄别) with the routing rule, handovers and the way back."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime

from sqlalchemy import select

from station_app.db.models import Decision, Handover, Screening
from station_app.domain.clock import china_date
from station_app.domain.enums import OPEN_STATUSES, DecisionKind, HandoverRoute, RequestStatus
from station_app.domain.errors import N_, Conflict, NotFound, ValidationError
from station_app.domain.permissions import Permission
from station_app.domain.screening import ScreeningFlags, minor, route_for
from station_app.services.context import Context
from station_app.services.values import now_utc, required_text, text

from .common import age_on, check_moment, load_request, open_stay, require_status


@dataclass
class ScreeningInput:
    screened_at: datetime
    flags: ScreeningFlags = field(default_factory=ScreeningFlags)
    looks_minor: bool = False  # age unknown, but staff judge the person under 18
    physical_state: str | None = None
    mental_state: str | None = None
    intellectual_state: str | None = None
    visible_injuries: str | None = None


@dataclass(frozen=True)
class ScreeningView:
    id: int
    request_id: int
    screened_at: datetime
    age: int | None
    is_minor: bool
    flags: ScreeningFlags
    route: HandoverRoute | None
    explanation: tuple[str, ...]  # message ids, most important first


@dataclass
class HandoverInput:
    handed_at: datetime
    receiving_unit: str
    receiving_person: str
    route: HandoverRoute | None = None  # default: the route of the latest screening
    notes: str | None = None


@dataclass(frozen=True)
class HandoverView:
    id: int
    request_id: int | None
    route: HandoverRoute
    receiving_unit: str
    receiving_person: str | None
    handed_at: datetime
    came_back_at: datetime | None


def explanation_ids(stored: str | None) -> tuple[str, ...]:
    """The reasons kept in ``Screening.rule_explanation``, one per line."""
    return tuple(line for line in (stored or "").splitlines() if line)


def screening_view(s: Screening, age: int | None) -> ScreeningView:
    flags = ScreeningFlags(**{k: getattr(s, k) for k in asdict(ScreeningFlags())})
    return ScreeningView(
        s.id,
        s.help_request_id,
        s.screened_at,
        age,
        s.is_minor,
        flags,
        s.route,
        explanation_ids(s.rule_explanation),
    )


def handover_view(h: Handover) -> HandoverView:
    return HandoverView(
        h.id,
        h.help_request_id,
        h.route,
        h.receiving_unit,
        h.receiving_person,
        h.handed_at,
        h.came_back_at,
    )


def record_screening(
    ctx: Context, request_id: int, data: ScreeningInput, *, now: datetime | None = None
) -> ScreeningView:
    """Record the screening and what the routing rule decided, and why."""
    moment = now_utc(now)
    with ctx.write(Permission.DESK_WORK) as session:
        hr = load_request(session, ctx, request_id)
        require_status(
            hr, OPEN_STATUSES, N_("This help request is {status}; it cannot be screened now.")
        )
        at = check_moment(
            data.screened_at, field="screened_at", now=moment, not_before=hr.arrived_at
        )
        age = age_on(hr.person, china_date(at))
        routing = route_for(data.flags, age, looks_minor=data.looks_minor)
        s = Screening(
            station_id=ctx.station_id,
            help_request_id=hr.id,
            screened_at=at,
            screened_by_id=ctx.actor.user_id,
            physical_state=text(data.physical_state, "physical_state", max_length=2000),
            mental_state=text(data.mental_state, "mental_state", max_length=2000),
            intellectual_state=text(data.intellectual_state, "intellectual_state", max_length=2000),
            visible_injuries=text(data.visible_injuries, "visible_injuries", max_length=2000),
            is_minor=minor(age, looks_minor=data.looks_minor),
            route=routing.route,
            rule_explanation="\n".join(routing.reasons),
            **asdict(data.flags),
        )
        session.add(s)
        session.flush()
        return screening_view(s, age)


def hand_over(
    ctx: Context, request_id: int, data: HandoverInput, *, now: datetime | None = None
) -> HandoverView:
    """Hand the person to a hospital, the police or the minors' centre.

    The request becomes HANDED_OVER; a bed the person held is freed."""
    ctx.require(Permission.DESK_WORK)  # refused before the input is read
    moment = now_utc(now)
    unit = required_text(data.receiving_unit, "receiving_unit")
    person = required_text(data.receiving_person, "receiving_person", max_length=100)
    with ctx.write(Permission.DESK_WORK) as session:
        hr = load_request(session, ctx, request_id)
        require_status(
            hr, OPEN_STATUSES, N_("This help request is {status}; it cannot be handed over now.")
        )
        at = check_moment(data.handed_at, field="handed_at", now=moment, not_before=hr.arrived_at)
        screening = session.scalar(
            select(Screening)
            .where(Screening.help_request_id == hr.id)
            .order_by(Screening.screened_at.desc(), Screening.id.desc())
            .limit(1)
        )
        route = data.route or (screening.route if screening else None)
        if route is None:
            raise ValidationError(
                N_(
                    "Choose where the person is handed over to (hospital, police or minors' "
                    "centre); the screening did not route them anywhere."
                ),
                field="route",
            )
        stay = open_stay(session, hr.id)
        if stay is not None:
            stay.ended_at = max(at, stay.started_at)
        h = Handover(
            station_id=ctx.station_id,
            help_request_id=hr.id,
            screening_id=screening.id if screening else None,
            route=route,
            receiving_unit=unit,
            receiving_person=person,
            handed_at=at,
            notes=text(data.notes, "notes", max_length=4000),
        )
        session.add(h)
        hr.status = RequestStatus.HANDED_OVER
        session.flush()
        return handover_view(h)


def record_return(
    ctx: Context, handover_id: int, came_back_at: datetime, *, now: datetime | None = None
) -> HandoverView:
    """The person came back to the station (e.g. after treatment): the request
    is open again, awaiting the decision (or accepted, if it was before)."""
    moment = now_utc(now)
    with ctx.write(Permission.DESK_WORK) as session:
        h = session.get(Handover, handover_id)
        if h is None or h.station_id != ctx.station_id or h.help_request_id is None:
            raise NotFound(N_("Handover {id} does not exist."), id=handover_id)
        if h.came_back_at is not None:
            raise Conflict(N_("The return from this handover is already recorded."))
        hr = load_request(session, ctx, h.help_request_id)
        require_status(
            hr,
            (RequestStatus.HANDED_OVER,),
            N_("This help request is {status}; a return from a handover cannot be recorded."),
        )
        h.came_back_at = check_moment(
            came_back_at,
            field="came_back_at",
            now=moment,
            not_before=h.handed_at,
            message=N_(
                "{field_name} is before the handover ({before}); check the date and time "
                "and retype them."
            ),
        )
        accepted = session.scalar(
            select(Decision.id)
            .where(Decision.help_request_id == hr.id, Decision.kind == DecisionKind.ACCEPT)
            .limit(1)
        )
        hr.status = RequestStatus.ACCEPTED if accepted else RequestStatus.REGISTERED
        session.flush()
        return handover_view(h)


def handovers(ctx: Context, request_id: int) -> tuple[HandoverView, ...]:
    with ctx.read(Permission.DESK_WORK) as session:
        hr = load_request(session, ctx, request_id)
        return tuple(
            handover_view(h)
            for h in session.scalars(
                select(Handover).where(Handover.help_request_id == hr.id).order_by(Handover.id)
            )
        )
