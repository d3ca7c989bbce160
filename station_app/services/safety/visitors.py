"""The visitors' and collectors' register: who came, when they left, their
ID number (checked as at the desk), their unit, why they came and whom they
visited."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.db.models import Visitor
from station_app.domain.clock import china_date, china_minute_text
from station_app.domain.errors import N_, ValidationError
from station_app.domain.idcard import parse_id_number
from station_app.domain.names import mask_id_number
from station_app.domain.permissions import Permission
from station_app.services.context import Context
from station_app.services.values import required_text, text

from .common import past_moment, person_names
from .register import period, person_of_station, write_record
from .signing import months_of, signed_months

VISITOR_FIELDS = (
    "arrived_at",
    "left_at",
    "name",
    "id_number",
    "unit",
    "purpose",
    "visited_person_id",
)


@dataclass
class VisitorInput:
    arrived_at: datetime
    name: str
    left_at: datetime | None = None
    id_number: str | None = None
    unit: str | None = None  # work unit, or the relation of a collector
    purpose: str | None = None
    visited_person_id: int | None = None


@dataclass(frozen=True)
class VisitorView:
    id: int
    arrived_at: datetime
    arrived_text: str
    left_at: datetime | None
    left_text: str
    name: str
    id_number: str | None
    id_number_masked: str | None  # last 4 characters only (printed log)
    unit: str | None
    purpose: str | None
    visited_person_id: int | None
    visited_person_name: str | None
    month_signed: bool


def _left(row: Visitor, left_at: datetime, now: datetime) -> datetime:
    left = past_moment(left_at, now, "left_at")
    if left < row.arrived_at:
        raise ValidationError(
            N_("The visitor left ({left}) before arriving ({arrived}); check both times."),
            field="left_at",
            left=china_minute_text(left),
            arrived=china_minute_text(row.arrived_at),
        )
    return left


def _apply_visitor(
    session: Session, ctx: Context, row: Visitor, data: VisitorInput, now: datetime
) -> None:
    row.arrived_at = past_moment(data.arrived_at, now, "arrived_at")
    row.left_at = None if data.left_at is None else _left(row, data.left_at, now)
    row.name = required_text(data.name, "visitor_name", max_length=100)
    raw = (data.id_number or "").strip()
    row.id_number = parse_id_number(raw, today=china_date(now)).number if raw else None
    row.unit = text(data.unit, "visitor_unit")
    row.purpose = text(data.purpose, "purpose")
    if data.visited_person_id is not None:
        person_of_station(session, ctx, data.visited_person_id, "visited_person_id")
    row.visited_person_id = data.visited_person_id


def _visitor_view(row: Visitor, names: dict[int, str], signed: set[tuple[int, int]]) -> VisitorView:
    return VisitorView(
        row.id,
        row.arrived_at,
        china_minute_text(row.arrived_at),
        row.left_at,
        china_minute_text(row.left_at) if row.left_at is not None else "",
        row.name,
        row.id_number,
        mask_id_number(row.id_number),
        row.unit,
        row.purpose,
        row.visited_person_id,
        names.get(row.visited_person_id) if row.visited_person_id is not None else None,
        bool(months_of(row.arrived_at) & signed),
    )


def visitor_views(session: Session, station_id: int, rows: list[Visitor]) -> list[VisitorView]:
    names = person_names(session, station_id, {r.visited_person_id for r in rows})
    signed = signed_months(
        session, station_id, set().union(*(months_of(r.arrived_at) for r in rows))
    )
    return [_visitor_view(r, names, signed) for r in rows]


def _visitor(ctx: Context) -> Callable[[Session, Visitor], VisitorView]:
    return lambda session, row: visitor_views(session, ctx.station_id, [row])[0]


def _write(
    ctx: Context,
    visitor_id: int | None,
    apply: Callable[[Session, Visitor, datetime], None],
    reason: str | None,
    now: datetime | None,
) -> VisitorView:
    return write_record(
        ctx,
        Visitor,
        visitor_id,
        entity="visitor",
        fields=VISITOR_FIELDS,
        moment_of=lambda row: row.arrived_at,
        missing=N_("Visitor entry {id} does not exist."),
        apply=apply,
        view=_visitor(ctx),
        reason=reason,
        now=now,
    )


def record_visitor(
    ctx: Context, data: VisitorInput, *, reason: str | None = None, now: datetime | None = None
) -> VisitorView:
    """Enter a visitor or collector in the register (ID number checked as at the desk)."""
    return _write(ctx, None, lambda s, r, m: _apply_visitor(s, ctx, r, data, m), reason, now)


def update_visitor(
    ctx: Context,
    visitor_id: int,
    data: VisitorInput,
    *,
    reason: str | None = None,
    now: datetime | None = None,
) -> VisitorView:
    """Correct an entry; in a signed month with ``reason`` (an amendment)."""
    return _write(ctx, visitor_id, lambda s, r, m: _apply_visitor(s, ctx, r, data, m), reason, now)


def visitor_left(
    ctx: Context,
    visitor_id: int,
    left_at: datetime,
    *,
    reason: str | None = None,
    now: datetime | None = None,
) -> VisitorView:
    """The visitor left at ``left_at``."""

    def apply(session: Session, row: Visitor, moment: datetime) -> None:
        row.left_at = _left(row, left_at, moment)

    return _write(ctx, visitor_id, apply, reason, now)


def visitors_between(
    session: Session, station_id: int, start: date, end: date
) -> list[VisitorView]:
    lo, hi = period(start, end)
    rows = list(
        session.scalars(
            select(Visitor)
            .where(
                Visitor.station_id == station_id, Visitor.arrived_at >= lo, Visitor.arrived_at < hi
            )
            .order_by(Visitor.arrived_at, Visitor.id)
        )
    )
    return visitor_views(session, station_id, rows)


def list_visitors(ctx: Context, start: date, end: date) -> list[VisitorView]:
    """The visitors who arrived on China days ``start`` to ``end``, in time order."""
    with ctx.read(Permission.SAFETY) as session:
        return visitors_between(session, ctx.station_id, start, end)
