"""The hazard list (隐患台账): every hazard has an owner, a deadline and, once
dealt with, a closing date and how it was closed. Open past its deadline, it
is overdue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.db.models import Hazard, SafetyCheck
from station_app.domain.clock import china_date
from station_app.domain.enums import SafetyCheckKind
from station_app.domain.errors import N_, Conflict, NotFound, ValidationError
from station_app.domain.permissions import Permission
from station_app.services.context import Context
from station_app.services.values import long_text, now_utc, required_text, text

from .common import months_between, past_day, snapshot
from .signing import amend, months_of, signed_months

HAZARD_FIELDS = (
    "found_on",
    "description",
    "location",
    "owner",
    "deadline",
    "closed_on",
    "closing_note",
    "safety_check_id",
)


@dataclass
class HazardInput:
    found_on: date
    description: str
    owner: str  # who sees to it
    deadline: date
    location: str | None = None
    safety_check_id: int | None = None  # the check that found it


@dataclass
class HazardClosing:
    closed_on: date
    how: str  # how it was dealt with


@dataclass(frozen=True)
class HazardView:
    id: int
    found_on: date
    description: str
    location: str | None
    owner: str
    deadline: date
    closed_on: date | None
    closing_note: str | None
    safety_check_id: int | None
    check_kind: SafetyCheckKind | None
    is_open: bool  # not closed on the day the view was made for
    overdue: bool  # open past its deadline on that day
    days_overdue: int
    closed_late: bool  # closed after its deadline
    month_signed: bool  # a correction needs a reason and becomes an amendment


def hazard_view(
    h: Hazard, on: date, signed: set[tuple[int, int]], kinds: dict[int, SafetyCheckKind]
) -> HazardView:
    """``h`` as it stood on day ``on``."""
    is_open = h.closed_on is None or h.closed_on > on
    overdue = is_open and h.deadline < on
    touched = _shown_in(h, on)
    return HazardView(
        id=h.id,
        found_on=h.found_on,
        description=h.description,
        location=h.location,
        owner=h.owner,
        deadline=h.deadline,
        closed_on=h.closed_on,
        closing_note=h.closing_note,
        safety_check_id=h.safety_check_id,
        check_kind=kinds.get(h.safety_check_id) if h.safety_check_id is not None else None,
        is_open=is_open,
        overdue=overdue,
        days_overdue=(on - h.deadline).days if overdue else 0,
        closed_late=h.closed_on is not None and h.closed_on > h.deadline,
        month_signed=bool(touched & signed),
    )


def hazard_views(
    session: Session, station_id: int, rows: list[Hazard], on: date
) -> list[HazardView]:
    check_ids = {h.safety_check_id for h in rows if h.safety_check_id is not None}
    kinds: dict[int, SafetyCheckKind] = {}
    if check_ids:
        kinds = dict(
            session.execute(
                select(SafetyCheck.id, SafetyCheck.kind).where(SafetyCheck.id.in_(check_ids))
            ).all()
        )
    touched: set[tuple[int, int]] = set()
    for h in rows:
        touched |= _shown_in(h, on)
    signed = signed_months(session, station_id, touched)
    return [hazard_view(h, on, signed, kinds) for h in rows]


def _load(session: Session, ctx: Context, hazard_id: int) -> Hazard:
    row = session.get(Hazard, hazard_id)
    if row is None or row.station_id != ctx.station_id:
        raise NotFound(N_("Hazard {id} does not exist."), id=hazard_id)
    return row


def _apply(session: Session, ctx: Context, row: Hazard, data: HazardInput, now: datetime) -> None:
    row.found_on = past_day(data.found_on, now, "found_on")
    row.description = required_text(data.description, "description", max_length=2000)
    row.location = text(data.location, "location")
    row.owner = required_text(data.owner, "owner", max_length=100)
    if data.deadline is None:
        raise ValidationError(
            N_("Give the hazard a deadline by which it must be dealt with."), field="deadline"
        )
    if data.deadline < row.found_on:
        raise ValidationError(
            N_(
                "The deadline {deadline} is before the day the hazard was found ({found_on}); "
                "choose a later deadline."
            ),
            field="deadline",
            deadline=data.deadline.isoformat(),
            found_on=row.found_on.isoformat(),
        )
    row.deadline = data.deadline
    if row.closed_on is not None and row.closed_on < row.found_on:
        raise ValidationError(
            N_("The hazard was closed on {closed_on}, before the day it was found; check both."),
            field="found_on",
            closed_on=row.closed_on.isoformat(),
        )
    if data.safety_check_id is not None:
        check = session.get(SafetyCheck, data.safety_check_id)
        if check is None or check.station_id != ctx.station_id:
            raise NotFound(
                N_("Safety check {id} does not exist."),
                field="safety_check_id",
                id=data.safety_check_id,
            )
    row.safety_check_id = data.safety_check_id


def _write(
    ctx: Context,
    hazard_id: int | None,
    change: object,
    reason: str | None,
    now: datetime | None,
) -> HazardView:
    """Open, correct, close or reopen a hazard in one audited transaction; a
    signed month whose log shows what changed needs ``reason``."""
    moment = now_utc(now)
    today = china_date(moment)
    with ctx.write(Permission.SAFETY) as session:
        if hazard_id is None:
            row = Hazard(station_id=ctx.station_id)
            old: dict[str, object] = {}
            before: set[tuple[int, int]] = set()
        else:
            row = _load(session, ctx, hazard_id)
            old = snapshot(row, HAZARD_FIELDS)
            before = _shown_in(row, today)
        closing_before = months_of(row.closed_on)
        if isinstance(change, HazardInput):
            _apply(session, ctx, row, change, moment)
            # what was found, its owner and deadline are in the log of every
            # month from the finding to the closing
            months = before | _shown_in(row, today)
        else:
            if isinstance(change, HazardClosing):
                _close(row, change, moment)
            else:  # reopen
                row.closed_on = None
                row.closing_note = None
            # a month's log shows the hazard as it stood at the month's end:
            # only the months of the old and new closing dates change
            months = closing_before | months_of(row.closed_on)
        if hazard_id is None:
            session.add(row)
        session.flush()
        amend(
            session,
            ctx,
            entity="hazard",
            entity_id=row.id,
            months=months,
            old=old,
            new=snapshot(row, HAZARD_FIELDS),
            reason=reason,
            now=moment,
        )
        return hazard_views(session, ctx.station_id, [row], china_date(moment))[0]


def _shown_in(row: Hazard, today: date) -> set[tuple[int, int]]:
    """The months whose logs list the hazard: found, open at the month's end, closed."""
    last = row.closed_on or today
    return set(months_between(row.found_on, max(last, row.found_on)))


def _close(row: Hazard, closing: HazardClosing, now: datetime) -> None:
    if row.closed_on is not None:
        raise Conflict(
            N_(
                "This hazard was already closed on {closed_on}. To correct the closing, "
                "reopen it first."
            ),
            field="closed_on",
            closed_on=row.closed_on.isoformat(),
        )
    closed = past_day(closing.closed_on, now, "closed_on")
    if closed < row.found_on:
        raise ValidationError(
            N_(
                "The closing date {closed_on} is before the day the hazard was found "
                "({found_on}); check the date."
            ),
            field="closed_on",
            closed_on=closed.isoformat(),
            found_on=row.found_on.isoformat(),
        )
    row.closed_on = closed
    row.closing_note = long_text(closing.how, "closing_note", required=True)


def open_hazard(
    ctx: Context, data: HazardInput, *, reason: str | None = None, now: datetime | None = None
) -> HazardView:
    """Put a hazard on the list with its owner and deadline."""
    ctx.require(Permission.SAFETY)  # the role before the input
    if not isinstance(data, HazardInput):  # a new hazard is never a closing or reopening
        raise TypeError(f"open_hazard needs a HazardInput, not {type(data).__name__}")
    return _write(ctx, None, data, reason, now)


def update_hazard(
    ctx: Context,
    hazard_id: int,
    data: HazardInput,
    *,
    reason: str | None = None,
    now: datetime | None = None,
) -> HazardView:
    """Correct what was found, where, the owner, the deadline or the check."""
    return _write(ctx, hazard_id, data, reason, now)


def close_hazard(
    ctx: Context,
    hazard_id: int,
    closing: HazardClosing,
    *,
    reason: str | None = None,
    now: datetime | None = None,
) -> HazardView:
    """Close a hazard: the day it was dealt with and how."""
    return _write(ctx, hazard_id, closing, reason, now)


def reopen_hazard(
    ctx: Context, hazard_id: int, *, reason: str | None = None, now: datetime | None = None
) -> HazardView:
    """Take back a closing (the hazard was not dealt with after all, or the
    closing was entered wrongly)."""
    return _write(ctx, hazard_id, None, reason, now)


def list_hazards(
    ctx: Context,
    *,
    open_only: bool = False,
    start: date | None = None,
    end: date | None = None,
    now: datetime | None = None,
) -> list[HazardView]:
    """The hazards found in China days ``start`` to ``end`` (all when not
    given), overdue ones first, then by deadline; ``open_only``: not closed."""
    today = china_date(now_utc(now))
    with ctx.read(Permission.SAFETY) as session:
        q = select(Hazard).where(Hazard.station_id == ctx.station_id)
        if open_only:
            q = q.where(Hazard.closed_on.is_(None))
        if start is not None:
            q = q.where(Hazard.found_on >= start)
        if end is not None:
            q = q.where(Hazard.found_on <= end)
        rows = list(session.scalars(q.order_by(Hazard.deadline, Hazard.id)))
        views = hazard_views(session, ctx.station_id, rows, today)
    return sorted(views, key=lambda h: (not h.overdue, not h.is_open, h.deadline, h.id))


def hazards_of_month(
    session: Session, station_id: int, first: date, last: date, on: date
) -> list[Hazard]:
    """Hazards found or closed in ``first``–``last``, or still open at ``on``
    (the month's last day, or today in a running month)."""
    q = select(Hazard).where(
        Hazard.station_id == station_id,
        ((Hazard.found_on >= first) & (Hazard.found_on <= last))
        | ((Hazard.closed_on >= first) & (Hazard.closed_on <= last))
        | ((Hazard.found_on <= on) & (Hazard.closed_on.is_(None) | (Hazard.closed_on > on))),
    )
    return list(session.scalars(q.order_by(Hazard.found_on, Hazard.id)))
