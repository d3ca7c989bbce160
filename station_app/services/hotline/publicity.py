"""Publicity days (stalls, leaflets handed out, people consulted) and their figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from station_app.db.models import PublicityEvent
from station_app.domain.clock import check_recent_enough, china_date
from station_app.domain.errors import N_, ValidationError
from station_app.services.context import Context
from station_app.services.patrol.checks import Count, whole
from station_app.services.values import now_utc, text

from .calls import lead_permission


@dataclass
class PublicityInput:
    held_on: date
    place: str
    leaflets: Count = 0
    people_consulted: Count = 0
    staff_count: Count = 0
    notes: str | None = None


@dataclass(frozen=True)
class PublicityView:
    id: int
    held_on: date
    place: str
    leaflets: int
    people_consulted: int
    staff_count: int
    notes: str | None


@dataclass(frozen=True)
class PublicityFigures:
    start: date
    end: date
    events: int
    leaflets: int
    people_consulted: int
    staff_person_times: int


def _publicity_view(e: PublicityEvent) -> PublicityView:
    return PublicityView(
        e.id, e.held_on, e.place, e.leaflets, e.people_consulted, e.staff_count, e.notes
    )


def record_publicity(
    ctx: Context, data: PublicityInput, *, now: datetime | None = None
) -> PublicityView:
    """A publicity day: where, leaflets handed out, people consulted."""
    moment = now_utc(now)
    check_recent_enough(data.held_on, field="held_on")
    if data.held_on > china_date(moment):
        raise ValidationError(
            N_("The publicity day {day} is in the future; enter it after it was held."),
            field="held_on",
            day=data.held_on.isoformat(),
        )
    if not (data.place or "").strip():
        raise ValidationError(N_("Enter where the publicity was held."), field="place")
    counts = {
        key: whole(
            getattr(data, key),
            field=key,
            minimum=0,
            message=message,
        )
        for key, message in (
            (
                "leaflets",
                N_("The number of leaflets must be a whole number of 0 or more, not {value}."),
            ),
            (
                "people_consulted",
                N_(
                    "The number of people consulted must be a whole number of 0 or more, "
                    "not {value}."
                ),
            ),
            (
                "staff_count",
                N_("The number of staff must be a whole number of 0 or more, not {value}."),
            ),
        )
    }
    with ctx.write(lead_permission(ctx)) as session:
        event = PublicityEvent(
            station_id=ctx.station_id,
            held_on=data.held_on,
            place=text(data.place, "place", required=True) or "",
            notes=text(data.notes, "notes", max_length=4000),
            details={},
            **counts,
        )
        session.add(event)
        session.flush()
        return _publicity_view(event)


def list_publicity(ctx: Context, start: date, end: date) -> list[PublicityView]:
    """Publicity days held ``start`` to ``end`` (both included), latest first."""
    with ctx.read(lead_permission(ctx)) as session:
        return [
            _publicity_view(e)
            for e in session.scalars(
                select(PublicityEvent)
                .where(
                    PublicityEvent.station_id == ctx.station_id,
                    PublicityEvent.held_on >= start,
                    PublicityEvent.held_on <= end,
                )
                .order_by(PublicityEvent.held_on.desc(), PublicityEvent.id.desc())
            )
        ]


def publicity_figures(ctx: Context, start: date, end: date) -> PublicityFigures:
    """Publicity days, leaflets, people consulted and staff in the period (both ends included)."""
    with ctx.read(lead_permission(ctx)) as session:
        events, leaflets, consulted, staff = session.execute(
            select(
                func.count(PublicityEvent.id),
                func.coalesce(func.sum(PublicityEvent.leaflets), 0),
                func.coalesce(func.sum(PublicityEvent.people_consulted), 0),
                func.coalesce(func.sum(PublicityEvent.staff_count), 0),
            ).where(
                PublicityEvent.station_id == ctx.station_id,
                PublicityEvent.held_on >= start,
                PublicityEvent.held_on <= end,
            )
        ).one()
    return PublicityFigures(start, end, int(events), int(leaflets), int(consulted), int(staff))
