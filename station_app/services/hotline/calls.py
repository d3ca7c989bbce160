"""Calls and leads (站外救助线索): a call or tip, who was sent and when they
arrived, the outcome and what it produced; response-time figures.

A lead is linked to what it produced from the other side: ``Encounter.lead_id``
and ``HelpRequest.lead_id`` (``hotline_call`` has no column for them).
Calls are answered by desk or patrol staff: either permission will do.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.db.models import (
    Encounter,
    HelpRequest,
    HotlineCall,
    PatrolShift,
)
from station_app.domain.clock import check_recent_enough, china_minute_text
from station_app.domain.enums import LeadOutcome, LeadSource
from station_app.domain.errors import N_, Conflict, NotFound, ValidationError
from station_app.domain.permissions import Permission, allows
from station_app.domain.phone import parse_phone
from station_app.services.context import Context
from station_app.services.patrol.checks import aware
from station_app.services.values import now_utc, text

# Outcomes that say what the team found on the spot: someone must have gone.
ON_SITE = (
    LeadOutcome.BROUGHT_TO_STATION,
    LeadOutcome.HELPED_ON_SITE,
    LeadOutcome.REFUSED_HELP,
    LeadOutcome.NOT_FOUND,
)


@dataclass
class CallInput:
    received_at: datetime
    source: LeadSource
    caller_name: str | None = None
    caller_phone: str | None = None
    place: str | None = None
    description: str | None = None
    notes: str | None = None


@dataclass(frozen=True)
class CallView:
    id: int
    received_at: datetime
    source: LeadSource
    caller_name: str | None
    caller_phone: str | None
    place: str | None
    description: str | None
    dispatched_to: str | None
    dispatched_at: datetime | None
    shift_id: int | None
    arrived_at: datetime | None
    outcome: LeadOutcome | None
    notes: str | None
    encounter_ids: tuple[int, ...]
    help_request_ids: tuple[int, ...]

    @property
    def response_minutes(self) -> float | None:
        """Minutes from the call to the team's arrival."""
        return minutes_to_arrival(self.received_at, self.arrived_at)


@dataclass(frozen=True)
class ResponseFigures:
    start: datetime
    end: datetime
    calls: int
    answered: int  # someone arrived on the spot, counted in the minutes
    median_minutes: float | None  # received to arrival
    p90_minutes: float | None  # nearest rank
    by_outcome: dict[LeadOutcome | None, int]  # None: not closed yet
    # Arrivals stored before the call (by an older version): not in the minutes.
    left_out: int = 0


def lead_permission(ctx: Context) -> Permission:
    if allows(ctx.actor.role, Permission.PATROL_WORK):
        return Permission.PATROL_WORK
    return Permission.DESK_WORK


def _not_future(at: datetime, field: str, now: datetime) -> datetime:
    check_recent_enough(aware(at, field), field=field)
    if at > now:
        raise ValidationError(
            N_("The time {time} is in the future; enter the time it happened."),
            field=field,
            time=china_minute_text(at),
        )
    return at


def _load(session: Session, ctx: Context, call_id: int) -> HotlineCall:
    call = session.get(HotlineCall, call_id)
    if call is None or call.station_id != ctx.station_id:
        raise NotFound(N_("Hotline lead {id} does not exist."), id=call_id)
    return call


def _views(session: Session, calls: list[HotlineCall]) -> list[CallView]:
    ids = [c.id for c in calls]
    encounters: dict[int, list[int]] = defaultdict(list)
    requests: dict[int, list[int]] = defaultdict(list)
    if ids:
        for enc_id, lead_id in session.execute(
            select(Encounter.id, Encounter.lead_id)
            .where(Encounter.lead_id.in_(ids))
            .order_by(Encounter.id)
        ):
            if lead_id is not None:
                encounters[lead_id].append(enc_id)
        for hr_id, lead_id in session.execute(
            select(HelpRequest.id, HelpRequest.lead_id)
            .where(HelpRequest.lead_id.in_(ids))
            .order_by(HelpRequest.id)
        ):
            if lead_id is not None:
                requests[lead_id].append(hr_id)
    return [
        CallView(
            id=c.id,
            received_at=c.received_at,
            source=c.source,
            caller_name=c.caller_name,
            caller_phone=c.caller_phone,
            place=c.place,
            description=c.description,
            dispatched_to=c.dispatched_to,
            dispatched_at=c.dispatched_at,
            shift_id=c.shift_id,
            arrived_at=c.arrived_at,
            outcome=c.outcome,
            notes=c.notes,
            encounter_ids=tuple(encounters[c.id]),
            help_request_ids=tuple(requests[c.id]),
        )
        for c in calls
    ]


def record_call(ctx: Context, data: CallInput, *, now: datetime | None = None) -> CallView:
    """Log a call or a tip as it comes in."""
    moment = now_utc(now)
    received = _not_future(data.received_at, "received_at", moment)
    phone = data.caller_phone
    with ctx.write(lead_permission(ctx)) as session:
        call = HotlineCall(
            station_id=ctx.station_id,
            received_at=received,
            source=data.source,
            caller_name=text(data.caller_name, "caller_name", max_length=100),
            caller_phone=parse_phone(phone, field="caller_phone").display
            if phone and phone.strip()
            else None,
            place=text(data.place, "place"),
            description=text(data.description, "description", max_length=4000),
            notes=text(data.notes, "notes", max_length=4000),
            taken_by_id=ctx.actor.user_id,
        )
        if not (call.place or call.description):
            raise ValidationError(
                N_("Enter what the caller said: the place, or a short description."),
                field="description",
            )
        session.add(call)
        session.flush()
        return _views(session, [call])[0]


def dispatch(
    ctx: Context,
    call_id: int,
    dispatched_to: str,
    dispatched_at: datetime,
    *,
    shift_id: int | None = None,
    now: datetime | None = None,
) -> CallView:
    """Who was sent (a patrol team or staff names) and when."""
    moment = now_utc(now)
    at = _not_future(dispatched_at, "dispatched_at", moment)
    with ctx.write(lead_permission(ctx)) as session:
        call = _load(session, ctx, call_id)
        if at < call.received_at:
            raise ValidationError(
                N_(
                    "The team was sent ({sent}) before the call came in ({received}); check "
                    "the times."
                ),
                field="dispatched_at",
                sent=china_minute_text(at),
                received=china_minute_text(call.received_at),
            )
        if call.arrived_at is not None and at > call.arrived_at:
            raise ValidationError(
                N_("The team was sent ({sent}) after it arrived ({arrived}); check the times."),
                field="dispatched_at",
                sent=china_minute_text(at),
                arrived=china_minute_text(call.arrived_at),
            )
        to = text(dispatched_to, "dispatched_to")
        if not to:
            raise ValidationError(
                N_("Enter who was sent: the patrol team or the staff names."),
                field="dispatched_to",
            )
        if shift_id is not None:
            shift = session.get(PatrolShift, shift_id)
            if shift is None or shift.station_id != ctx.station_id:
                raise NotFound(N_("Patrol shift {id} does not exist."), id=shift_id)
            call.shift_id = shift_id
        call.dispatched_to, call.dispatched_at = to, at
        session.flush()
        return _views(session, [call])[0]


def record_arrival(
    ctx: Context, call_id: int, arrived_at: datetime, *, now: datetime | None = None
) -> CallView:
    """When the team sent arrived on the spot."""
    moment = now_utc(now)
    at = _not_future(arrived_at, "arrived_at", moment)
    with ctx.write(lead_permission(ctx)) as session:
        call = _load(session, ctx, call_id)
        if call.dispatched_at is None:
            raise Conflict(
                N_("Record who was sent to this lead, and when, before their arrival."),
                field="arrived_at",
            )
        if at < call.received_at:
            raise ValidationError(
                N_(
                    "The team arrived ({arrived}) before the call came in ({received}); check "
                    "the times."
                ),
                field="arrived_at",
                arrived=china_minute_text(at),
                received=china_minute_text(call.received_at),
            )
        if at < call.dispatched_at:
            raise ValidationError(
                N_("The team arrived ({arrived}) before it was sent ({sent}); check the times."),
                field="arrived_at",
                arrived=china_minute_text(at),
                sent=china_minute_text(call.dispatched_at),
            )
        call.arrived_at = at
        session.flush()
        return _views(session, [call])[0]


def _not_before_arrival(call: HotlineCall, at: datetime, field: str, number: int) -> None:
    """What a lead produced happened after the team reached the spot (or after
    the call, when nobody had to go): an earlier record is another one."""
    if call.arrived_at is not None and at < call.arrived_at:
        raise ValidationError(
            N_(
                "Record {number} dates from {time}, before the team arrived ({arrived}); "
                "check the number or the times."
            ),
            field=field,
            number=number,
            time=china_minute_text(at),
            arrived=china_minute_text(call.arrived_at),
        )
    if at < call.received_at:
        raise ValidationError(
            N_(
                "Record {number} dates from {time}, before the call came in ({received}); "
                "check the number or the times."
            ),
            field=field,
            number=number,
            time=china_minute_text(at),
            received=china_minute_text(call.received_at),
        )


def minutes_to_arrival(received: datetime, arrived: datetime | None) -> float | None:
    """Minutes from the call to the arrival; None when nobody arrived, or when
    the stored arrival is before the call (it cannot count: see ``left_out``)."""
    if arrived is None:
        return None
    minutes = (arrived - received).total_seconds() / 60
    return minutes if minutes >= 0 else None


def close_call(
    ctx: Context,
    call_id: int,
    outcome: LeadOutcome,
    notes: str | None = None,
    *,
    encounter_id: int | None = None,
    help_request_id: int | None = None,
) -> CallView:
    """The outcome of a lead, linked to the encounter or the arrival it produced."""
    with ctx.write(lead_permission(ctx)) as session:
        call = _load(session, ctx, call_id)
        if outcome in ON_SITE and call.arrived_at is None:
            raise Conflict(
                N_(
                    "This outcome says what the team found on the spot: record when they "
                    "arrived first."
                ),
                field="outcome",
            )
        if encounter_id is not None:
            met = session.get(Encounter, encounter_id)
            if met is None or met.station_id != ctx.station_id:
                raise NotFound(
                    N_("Patrol encounter {id} does not exist."),
                    field="encounter_id",
                    id=encounter_id,
                )
            _not_before_arrival(call, met.met_at, "encounter_id", encounter_id)
            if met.lead_id not in (None, call.id):
                raise Conflict(
                    N_("Patrol encounter {id} already belongs to hotline lead {lead}."),
                    field="encounter_id",
                    id=encounter_id,
                    lead=met.lead_id,
                )
            met.lead_id = call.id
        if help_request_id is not None:
            hr = session.get(HelpRequest, help_request_id)
            if hr is None or hr.station_id != ctx.station_id:
                raise NotFound(
                    N_("Help request {id} does not exist."),
                    field="help_request_id",
                    id=help_request_id,
                )
            _not_before_arrival(call, hr.arrived_at, "help_request_id", help_request_id)
            if hr.lead_id not in (None, call.id):
                raise Conflict(
                    N_("Help request {id} already belongs to hotline lead {lead}."),
                    field="help_request_id",
                    id=help_request_id,
                    lead=hr.lead_id,
                )
            hr.lead_id = call.id
        call.outcome = outcome
        if notes is not None:
            call.notes = text(notes, "notes", max_length=4000)
        session.flush()
        return _views(session, [call])[0]


def list_calls(ctx: Context, start: datetime, end: datetime) -> list[CallView]:
    """Calls received from ``start`` up to (not including) ``end``, latest first."""
    with ctx.read(lead_permission(ctx)) as session:
        calls = list(
            session.scalars(
                select(HotlineCall)
                .where(
                    HotlineCall.station_id == ctx.station_id,
                    HotlineCall.received_at >= start,
                    HotlineCall.received_at < end,
                )
                .order_by(HotlineCall.received_at.desc(), HotlineCall.id.desc())
            )
        )
        return _views(session, calls)


def nearest_rank(values: list[float], share: float) -> float | None:
    """The nearest-rank percentile: the smallest value with ``share`` of them at or below."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def response_figures(ctx: Context, start: datetime, end: datetime) -> ResponseFigures:
    """Calls received in [start, end): how many, how many answered on the
    spot, minutes from the call to the arrival (median, 90th percentile), by
    outcome, and how many answered calls were left out of the minutes."""
    with ctx.read(lead_permission(ctx)) as session:
        rows = session.execute(
            select(HotlineCall.received_at, HotlineCall.arrived_at, HotlineCall.outcome).where(
                HotlineCall.station_id == ctx.station_id,
                HotlineCall.received_at >= start,
                HotlineCall.received_at < end,
            )
        )
        minutes: list[float] = []
        by_outcome: dict[LeadOutcome | None, int] = defaultdict(int)
        calls = left_out = 0
        for received, arrived, outcome in rows:
            calls += 1
            by_outcome[outcome] += 1
            taken = minutes_to_arrival(received, arrived)
            if taken is not None:
                minutes.append(taken)
            elif arrived is not None:
                left_out += 1
    return ResponseFigures(
        start=start,
        end=end,
        calls=calls,
        answered=len(minutes),
        median_minutes=statistics.median(minutes) if minutes else None,
        p90_minutes=nearest_rank(minutes, 0.9),
        by_outcome=dict(by_outcome),
        left_out=left_out,
    )
