"""Safety checks as staff enter them: item by item passed or failed with a
note, who checked (two different staff for a night round), when."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.db.models import SafetyCheck
from station_app.domain.clock import china_minute_text
from station_app.domain.enums import SafetyCheckKind, SafetyFrequency
from station_app.domain.errors import N_, Conflict, NotFound, ValidationError
from station_app.domain.permissions import Permission
from station_app.domain.text import clean_text
from station_app.services.context import Context
from station_app.services.values import long_text, now_utc

from .common import (
    NAME_JOIN,
    NIGHT_TURNS_AT_HOUR,
    clean_names,
    due_day,
    local_instant,
    months_between,
    past_moment,
    snapshot,
    split_names,
    user_names,
)
from .signing import amend, months_of, signed_months
from .templates import TemplateView, load_templates

NOTE_LENGTH = 200
CHECK_FIELDS = ("kind", "checked_at", "checked_by", "passed", "checklist", "findings")


@dataclass
class ItemResult:
    """The answer to one item of the checklist."""

    item: str
    ok: bool
    note: str | None = None


@dataclass
class CheckInput:
    kind: SafetyCheckKind
    checked_at: datetime
    checked_by: Sequence[str]  # one name each; a night round needs two different ones
    items: Sequence[ItemResult]
    findings: str | None = None


@dataclass(frozen=True)
class ItemResultView:
    item: str
    ok: bool | None  # None: an older entry that noted a value, not passed/failed
    note: str


@dataclass(frozen=True)
class CheckView:
    id: int
    kind: SafetyCheckKind
    frequency: SafetyFrequency
    day: date  # the day (for a night round: the night) the check counts for
    checked_at: datetime
    time_text: str  # China time, to the minute
    checked_by: tuple[str, ...]
    checked_by_text: str
    passed: bool
    items: tuple[ItemResultView, ...]
    failed_items: tuple[str, ...]
    findings: str | None
    recorded_by_id: int | None
    recorded_by: str | None
    month_signed: bool  # a change needs a reason and becomes an amendment


def item_results(checklist: dict[str, Any]) -> tuple[ItemResultView, ...]:
    out: list[ItemResultView] = []
    for item, entry in checklist.items():
        if isinstance(entry, dict):
            ok = entry.get("ok")
            out.append(
                ItemResultView(item, None if ok is None else bool(ok), str(entry.get("note") or ""))
            )
        else:
            out.append(ItemResultView(item, None, "" if entry is None else str(entry)))
    return tuple(out)


def check_view(
    row: SafetyCheck,
    template: TemplateView,
    users: dict[int, str],
    signed: set[tuple[int, int]],
) -> CheckView:
    names = split_names(row.checked_by)
    items = item_results(row.checklist or {})
    day = due_day(template.frequency, row.checked_at)
    return CheckView(
        id=row.id,
        kind=row.kind,
        frequency=template.frequency,
        day=day,
        checked_at=row.checked_at,
        time_text=china_minute_text(row.checked_at),
        checked_by=names,
        checked_by_text=NAME_JOIN.join(names),
        passed=row.passed,
        items=items,
        failed_items=tuple(i.item for i in items if i.ok is False),
        findings=row.findings,
        recorded_by_id=row.recorded_by_id,
        recorded_by=users.get(row.recorded_by_id) if row.recorded_by_id is not None else None,
        month_signed=(day.year, day.month) in signed,
    )


def _checklist(results: Sequence[ItemResult], expected: Sequence[str]) -> dict[str, Any]:
    """``{item: {"ok": bool, "note": str}}`` in the checklist's order; every item answered."""
    given: dict[str, dict[str, Any]] = {}
    for index, result in enumerate(results):
        item = (result.item or "").strip()
        if item not in expected:
            raise ValidationError(
                N_("{item} is not an item of this checklist; answer the items it lists."),
                field="checklist",
                item=item,
            ).at_row(index)
        if item in given:
            raise ValidationError(
                N_("The item {item} is answered twice; keep one answer."),
                field="checklist",
                item=item,
            ).at_row(index)
        try:
            note = clean_text(result.note, field="item_note", max_length=NOTE_LENGTH) or ""
        except ValidationError as exc:
            raise exc.at_row(index) from None
        if not result.ok and not note:
            raise ValidationError(
                N_("{item} failed: write in the note what was found."),
                field="item_note",
                item=item,
            ).at_row(index)
        given[item] = {"ok": bool(result.ok), "note": note}
    for index, item in enumerate(expected):
        if item not in given:
            raise ValidationError(
                N_("The item {item} has no answer; mark it passed or failed."),
                field="checklist",
                item=item,
            ).at_row(index)
    return {item: given[item] for item in expected}


def _apply(
    row: SafetyCheck,
    data: CheckInput,
    template: TemplateView,
    expected: Sequence[str],
    now: datetime,
) -> None:
    row.checked_at = past_moment(data.checked_at, now, "checked_at")
    names = clean_names(data.checked_by, template.checkers_needed)
    row.checked_by = NAME_JOIN.join(names)
    row.checklist = _checklist(data.items, expected)
    row.passed = all(entry["ok"] for entry in row.checklist.values())
    row.findings = long_text(data.findings, "findings")


def record_check(
    ctx: Context, data: CheckInput, *, reason: str | None = None, now: datetime | None = None
) -> CheckView:
    """Record a check done against the station's checklist of its kind. A
    check entered late into a month already signed off needs ``reason``."""
    moment = now_utc(now)
    with ctx.write(Permission.SAFETY) as session:
        template = load_templates(session, ctx.station_id)[data.kind]
        if not template.active:
            raise Conflict(
                N_(
                    "This kind of check is switched off for the station; a manager can switch "
                    "it on in the checklists."
                ),
                field="check_kind",
            )
        row = SafetyCheck(
            station_id=ctx.station_id, kind=data.kind, recorded_by_id=ctx.actor.user_id
        )
        _apply(row, data, template, template.items, moment)
        session.add(row)
        session.flush()
        new = snapshot(row, CHECK_FIELDS)
        amend(
            session,
            ctx,
            entity="safety_check",
            entity_id=row.id,
            months=_months(template, row.checked_at),
            old={},
            new=new,
            reason=reason,
            now=moment,
        )
        return _view(session, ctx, row, template)


def update_check(
    ctx: Context,
    check_id: int,
    data: CheckInput,
    *,
    reason: str | None = None,
    now: datetime | None = None,
) -> CheckView:
    """Correct a check. It keeps the items it was recorded with; a change to a
    signed month (also moving the check into or out of one) needs ``reason``
    and is recorded as an amendment."""
    moment = now_utc(now)
    with ctx.write(Permission.SAFETY) as session:
        row = load_check(session, ctx, check_id)
        if data.kind != row.kind:
            raise ValidationError(
                N_("The kind of a check cannot be changed; record a check of the other kind."),
                field="check_kind",
            )
        template = load_templates(session, ctx.station_id)[row.kind]
        old = snapshot(row, CHECK_FIELDS)
        was = row.checked_at
        _apply(row, data, template, list((row.checklist or {}).keys()) or template.items, moment)
        session.flush()
        amend(
            session,
            ctx,
            entity="safety_check",
            entity_id=row.id,
            months=_months(template, was, row.checked_at),
            old=old,
            new=snapshot(row, CHECK_FIELDS),
            reason=reason,
            now=moment,
        )
        return _view(session, ctx, row, template)


def _months(template: TemplateView, *moments: datetime) -> set[tuple[int, int]]:
    """The months whose logs show a check at ``moments`` (a night round: the night's)."""
    return months_of(*(due_day(template.frequency, m) for m in moments))


def load_check(session: Session, ctx: Context, check_id: int) -> SafetyCheck:
    row = session.get(SafetyCheck, check_id)
    if row is None or row.station_id != ctx.station_id:
        raise NotFound(N_("Safety check {id} does not exist."), id=check_id)
    return row


def _view(session: Session, ctx: Context, row: SafetyCheck, template: TemplateView) -> CheckView:
    users = user_names(session, {row.recorded_by_id})
    signed = signed_months(session, ctx.station_id, _months(template, row.checked_at))
    return check_view(row, template, users, signed)


def get_check(ctx: Context, check_id: int) -> CheckView:
    with ctx.read(Permission.SAFETY) as session:
        row = load_check(session, ctx, check_id)
        return _view(session, ctx, row, load_templates(session, ctx.station_id)[row.kind])


def checks_between(
    session: Session,
    station_id: int,
    start: date,
    end: date,
    templates: dict[SafetyCheckKind, TemplateView],
) -> list[CheckView]:
    """The checks that count for China days ``start`` to ``end``, in time order
    (a night round after midnight counts for the night before)."""
    lo = local_instant(start)
    hi = local_instant(end + timedelta(days=1), NIGHT_TURNS_AT_HOUR)
    rows = list(
        session.scalars(
            select(SafetyCheck)
            .where(
                SafetyCheck.station_id == station_id,
                SafetyCheck.checked_at >= lo,
                SafetyCheck.checked_at < hi,
            )
            .order_by(SafetyCheck.checked_at, SafetyCheck.id)
        )
    )
    users = user_names(session, {r.recorded_by_id for r in rows})
    signed = signed_months(session, station_id, months_between(start, end))
    views = [check_view(r, templates[r.kind], users, signed) for r in rows]
    return [v for v in views if start <= v.day <= end]


def list_checks(
    ctx: Context, start: date, end: date, *, kind: SafetyCheckKind | None = None
) -> list[CheckView]:
    """The checks of China days ``start`` to ``end`` (both included), in time order."""
    if end < start:
        raise ValidationError(
            N_("The period ends ({end}) before it starts ({start}); swap the two dates."),
            field="end",
            start=start.isoformat(),
            end=end.isoformat(),
        )
    with ctx.read(Permission.SAFETY) as session:
        views = checks_between(
            session, ctx.station_id, start, end, load_templates(session, ctx.station_id)
        )
    return [v for v in views if kind is None or v.kind is kind]
