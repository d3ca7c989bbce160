"""Incidents: a fall, a fight, someone absconding, an illness, a death, or
something else — with the person where there is one, what was done and who
was told."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.db.models import HelpRequest, Incident
from station_app.domain.clock import china_minute_text
from station_app.domain.enums import IncidentKind
from station_app.domain.errors import N_, NotFound, ValidationError
from station_app.domain.permissions import Permission
from station_app.services.context import Context
from station_app.services.values import long_text, required_text, text

from .common import past_moment, person_names
from .register import period, person_of_station, write_record
from .signing import months_of, signed_months

INCIDENT_FIELDS = (
    "occurred_at",
    "kind",
    "help_request_id",
    "person_id",
    "description",
    "action_taken",
    "reported_to",
)


@dataclass
class IncidentInput:
    occurred_at: datetime
    kind: IncidentKind
    description: str
    action_taken: str | None = None
    reported_to: str | None = None  # the unit told (police, bureau, family)
    help_request_id: int | None = None  # the person's stay, where there is one
    person_id: int | None = None  # taken from the help request when not given


@dataclass(frozen=True)
class IncidentView:
    id: int
    occurred_at: datetime
    time_text: str
    kind: IncidentKind
    help_request_id: int | None
    person_id: int | None
    person_name: str | None
    description: str
    action_taken: str | None
    reported_to: str | None
    month_signed: bool


def _apply_incident(
    session: Session, ctx: Context, row: Incident, data: IncidentInput, now: datetime
) -> None:
    row.occurred_at = past_moment(data.occurred_at, now, "occurred_at")
    row.kind = IncidentKind(data.kind)
    row.description = required_text(data.description, "description", max_length=2000)
    row.action_taken = long_text(data.action_taken, "action_taken")
    row.reported_to = text(data.reported_to, "reported_to")
    person_id = data.person_id
    if data.help_request_id is not None:
        request = session.get(HelpRequest, data.help_request_id)
        if request is None or request.station_id != ctx.station_id:
            raise NotFound(
                N_("Help request {id} does not exist."),
                field="help_request_id",
                id=data.help_request_id,
            )
        if person_id is not None and person_id != request.person_id:
            raise ValidationError(
                N_("The help request chosen is of another person; choose the person's own."),
                field="help_request_id",
            )
        person_id = request.person_id
    if person_id is not None:
        person_of_station(session, ctx, person_id, "person_id")
    row.help_request_id = data.help_request_id
    row.person_id = person_id


def _incident_view(
    row: Incident, names: dict[int, str], signed: set[tuple[int, int]]
) -> IncidentView:
    return IncidentView(
        row.id,
        row.occurred_at,
        china_minute_text(row.occurred_at),
        row.kind,
        row.help_request_id,
        row.person_id,
        names.get(row.person_id) if row.person_id is not None else None,
        row.description,
        row.action_taken,
        row.reported_to,
        bool(months_of(row.occurred_at) & signed),
    )


def incident_views(session: Session, station_id: int, rows: list[Incident]) -> list[IncidentView]:
    names = person_names(session, station_id, {r.person_id for r in rows})
    signed = signed_months(
        session, station_id, set().union(*(months_of(r.occurred_at) for r in rows))
    )
    return [_incident_view(r, names, signed) for r in rows]


def _incident(ctx: Context) -> Callable[[Session, Incident], IncidentView]:
    return lambda session, row: incident_views(session, ctx.station_id, [row])[0]


def _write(
    ctx: Context,
    incident_id: int | None,
    data: IncidentInput,
    reason: str | None,
    now: datetime | None,
) -> IncidentView:
    return write_record(
        ctx,
        Incident,
        incident_id,
        entity="incident",
        fields=INCIDENT_FIELDS,
        moment_of=lambda row: row.occurred_at,
        missing=N_("Incident {id} does not exist."),
        apply=lambda session, row, moment: _apply_incident(session, ctx, row, data, moment),
        view=_incident(ctx),
        reason=reason,
        now=now,
    )


def record_incident(
    ctx: Context, data: IncidentInput, *, reason: str | None = None, now: datetime | None = None
) -> IncidentView:
    """Record an incident: what happened, to whom, what was done, who was told."""
    return _write(ctx, None, data, reason, now)


def update_incident(
    ctx: Context,
    incident_id: int,
    data: IncidentInput,
    *,
    reason: str | None = None,
    now: datetime | None = None,
) -> IncidentView:
    """Correct an incident; in a signed month with ``reason`` (an amendment)."""
    return _write(ctx, incident_id, data, reason, now)


def incidents_between(
    session: Session, station_id: int, start: date, end: date
) -> list[IncidentView]:
    lo, hi = period(start, end)
    rows = list(
        session.scalars(
            select(Incident)
            .where(
                Incident.station_id == station_id,
                Incident.occurred_at >= lo,
                Incident.occurred_at < hi,
            )
            .order_by(Incident.occurred_at, Incident.id)
        )
    )
    return incident_views(session, station_id, rows)


def list_incidents(ctx: Context, start: date, end: date) -> list[IncidentView]:
    """The incidents of China days ``start`` to ``end``, in time order."""
    with ctx.read(Permission.SAFETY) as session:
        return incidents_between(session, ctx.station_id, start, end)
