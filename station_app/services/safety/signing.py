"""The manager's monthly sign-off of the safety log, and the amendments that
every later change to a signed month leaves: who, when, why, old and new.

A write of the safety services calls :func:`amend` in its own transaction with
the months its record was and is in; a signed month without a reason refuses
the write, so a signed month never changes silently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.db.models import SafetyAmendment, SafetyLogSignoff
from station_app.domain.clock import china_date, china_minute_text
from station_app.domain.enums import IncidentKind, SafetyCheckKind
from station_app.domain.errors import N_, Conflict, ValidationError
from station_app.domain.labels import enum_label, field_label
from station_app.domain.names import mask_id_number
from station_app.domain.permissions import Permission
from station_app.services.context import Context
from station_app.services.values import long_text, now_utc

from .common import check_month, month_days, month_text, person_names, user_names

YES, NO = N_("Yes"), N_("No")
ITEM_OK, ITEM_FAILED = N_("Passed"), N_("Failed")


@dataclass(frozen=True)
class SignOffView:
    year: int
    month: int
    signed_at: datetime
    signed_by_id: int
    signed_by: str  # the manager's name
    notes: str | None


@dataclass(frozen=True)
class FieldChange:
    """One value an amendment changed. ``label`` is a message id, or the text
    of a checklist item (``label_is_text``); ``old``/``new`` are shown as they
    are, or are message ids (``coded``: yes/no, passed/failed)."""

    field: str
    label: str
    old: str
    new: str
    label_is_text: bool = False
    coded: bool = False

    def render(self, gettext: Callable[[str], str]) -> str:
        """``label: old → new`` in the language of ``gettext``."""
        label = self.label if self.label_is_text else gettext(self.label)
        old, new = (gettext(self.old), gettext(self.new)) if self.coded else (self.old, self.new)
        return f"{label}: {old or '-'} → {new or '-'}"


@dataclass(frozen=True)
class AmendmentView:
    id: int
    year: int
    month: int
    entity: str  # safety_check, hazard, incident, visitor
    entity_id: int | None
    changed_at: datetime
    changed_by_id: int | None
    changed_by: str | None
    reason: str
    old: dict[str, Any]  # {} when the record was new
    new: dict[str, Any]
    changes: tuple[FieldChange, ...]  # empty for a record entered after the sign-off
    record_label: str  # message id: the kind of check or incident, "Hazard", "Visitor"
    record_when: str  # the record's time or day as it is now (China time)

    @property
    def created(self) -> bool:
        """The record was entered after the sign-off (its values are in ``new``)."""
        return not self.old


def signed_months(
    session: Session, station_id: int, months: Iterable[tuple[int, int]]
) -> set[tuple[int, int]]:
    wanted = set(months)
    if not wanted:
        return set()
    years = {y for y, _ in wanted}
    rows = session.execute(
        select(SafetyLogSignoff.year, SafetyLogSignoff.month).where(
            SafetyLogSignoff.station_id == station_id, SafetyLogSignoff.year.in_(years)
        )
    )
    return {(y, m) for y, m in rows} & wanted


def months_of(*days: date | datetime | None) -> set[tuple[int, int]]:
    """The (year, month) in China of each day or moment given."""
    out: set[tuple[int, int]] = set()
    for d in days:
        if d is None:
            continue
        day = china_date(d) if isinstance(d, datetime) else d
        out.add((day.year, day.month))
    return out


def amend(
    session: Session,
    ctx: Context,
    *,
    entity: str,
    entity_id: int | None,
    months: set[tuple[int, int]],
    old: dict[str, Any],
    new: dict[str, Any],
    reason: str | None,
    now: datetime,
) -> None:
    """Refuse a change to a signed month without a reason; record the change
    in every signed month it touches. Nothing happens for unsigned months."""
    if old == new:
        return
    signed = sorted(signed_months(session, ctx.station_id, months))
    if not signed:
        return
    why = long_text(reason, "amendment_reason")
    if why is None:
        raise ValidationError(
            N_(
                "The safety log of {month} is signed off. Enter a reason for this change; "
                "it will be recorded with the log as an amendment."
            ),
            field="amendment_reason",
            month=", ".join(month_text(y, m) for y, m in signed),
        )
    for year, month in signed:
        session.add(
            SafetyAmendment(
                station_id=ctx.station_id,
                year=year,
                month=month,
                entity=entity,
                entity_id=entity_id,
                changed_at=now,
                changed_by_id=ctx.actor.user_id,
                reason=why,
                old=old,
                new=new,
            )
        )


def sign_off(
    ctx: Context, year: int, month: int, notes: str | None = None, *, now: datetime | None = None
) -> SignOffView:
    """The manager signs the month's safety log off: once, and only for a month
    that is over. Later changes to it are amendments."""
    moment = now_utc(now)
    check_month(year, month)
    last = month_days(year, month)[1]
    if last >= china_date(moment):
        raise ValidationError(
            N_(
                "{month} is not over yet; its safety log can be signed off from the first "
                "day of the next month."
            ),
            field="month",
            month=month_text(year, month),
        )
    text = long_text(notes, "signoff_notes")
    with ctx.write(Permission.MANAGE_SAFETY) as session:
        existing = _signoff_row(session, ctx.station_id, year, month)
        if existing is not None:
            who = user_names(session, {existing.signed_by_id}).get(existing.signed_by_id, "")
            raise Conflict(
                N_(
                    "The safety log of {month} was already signed off by {name} on {when}; "
                    "a month is signed off once. Record changes with a reason instead."
                ),
                field="month",
                month=month_text(year, month),
                name=who,
                when=china_minute_text(existing.signed_at),
            )
        if ctx.actor.user_id is None:
            raise Conflict(
                N_("Only a manager logged in under their own name can sign a month off."),
                field="month",
            )
        row = SafetyLogSignoff(
            station_id=ctx.station_id,
            year=year,
            month=month,
            signed_by_id=ctx.actor.user_id,
            signed_at=moment,
            notes=text,
        )
        session.add(row)
        session.flush()
        return signoff_view(session, row)


def _signoff_row(
    session: Session, station_id: int, year: int, month: int
) -> SafetyLogSignoff | None:
    return session.scalar(
        select(SafetyLogSignoff).where(
            SafetyLogSignoff.station_id == station_id,
            SafetyLogSignoff.year == year,
            SafetyLogSignoff.month == month,
        )
    )


def signoff_view(session: Session, row: SafetyLogSignoff) -> SignOffView:
    name = user_names(session, {row.signed_by_id}).get(row.signed_by_id, "")
    return SignOffView(row.year, row.month, row.signed_at, row.signed_by_id, name, row.notes)


def month_signoff(session: Session, station_id: int, year: int, month: int) -> SignOffView | None:
    row = _signoff_row(session, station_id, year, month)
    return signoff_view(session, row) if row is not None else None


def month_amendments(
    session: Session, station_id: int, year: int, month: int
) -> list[AmendmentView]:
    """The amendments of a month, oldest first."""
    rows = list(
        session.scalars(
            select(SafetyAmendment)
            .where(
                SafetyAmendment.station_id == station_id,
                SafetyAmendment.year == year,
                SafetyAmendment.month == month,
            )
            .order_by(SafetyAmendment.changed_at, SafetyAmendment.id)
        )
    )
    names = user_names(session, {r.changed_by_id for r in rows})
    persons = person_names(
        session, station_id, set(person_ids(s for r in rows for s in (r.old, r.new)))
    )
    return [
        AmendmentView(
            r.id,
            r.year,
            r.month,
            r.entity,
            r.entity_id,
            r.changed_at,
            r.changed_by_id,
            names.get(r.changed_by_id) if r.changed_by_id is not None else None,
            r.reason,
            dict(r.old),
            dict(r.new),
            changes(r.entity, r.old, r.new, persons),
            *_record(r.entity, r.new or r.old),
        )
        for r in rows
    ]


_ENTITY_LABELS = {
    "safety_check": N_("Safety check"),
    "hazard": N_("Hazard"),
    "incident": N_("Incident"),
    "visitor": N_("Visitor"),
}
_WHEN = {
    "safety_check": "checked_at",
    "hazard": "found_on",
    "incident": "occurred_at",
    "visitor": "arrived_at",
}


def _record(entity: str, snap: dict[str, Any]) -> tuple[str, str]:
    """What an amendment changed: the kind of record and its time."""
    label = _kind_label(entity, snap.get("kind")) or _ENTITY_LABELS.get(entity, entity)
    key = _WHEN.get(entity, "")
    return label, _shown(key, snap.get(key), {})


def person_ids(snapshots: Iterable[dict[str, Any]]) -> set[int]:
    """Ids of the persons named in amendment snapshots."""
    out: set[int] = set()
    for snap in snapshots:
        for key in ("person_id", "visited_person_id"):
            value = snap.get(key)
            if isinstance(value, int):
                out.add(value)
    return out


def _kind_label(entity: str, value: Any) -> str | None:
    """The message id of a check's or an incident's kind stored as ``value``."""
    kinds = {"safety_check": SafetyCheckKind, "incident": IncidentKind}.get(entity)
    if kinds is None or value not in {k.value for k in kinds}:
        return None
    return enum_label(kinds(value))


def changes(
    entity: str, old: dict[str, Any], new: dict[str, Any], persons: dict[int, str]
) -> tuple[FieldChange, ...]:
    """What differs between two snapshots, field by field (a checklist item by
    item); nothing for a new record."""
    if not old:
        return ()
    out: list[FieldChange] = []
    for key in [*old, *(k for k in new if k not in old)]:
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if key == "checklist" and isinstance(before or {}, dict) and isinstance(after or {}, dict):
            out.extend(_checklist_changes(before or {}, after or {}))
            continue
        if key == "kind":
            was, now = _kind_label(entity, before), _kind_label(entity, after)
            out.append(FieldChange(key, field_label(key), was or "", now or "", coded=True))
            continue
        if isinstance(before, bool) or isinstance(after, bool):
            out.append(
                FieldChange(key, field_label(key), _yes_no(before), _yes_no(after), coded=True)
            )
            continue
        out.append(
            FieldChange(
                key, field_label(key), _shown(key, before, persons), _shown(key, after, persons)
            )
        )
    return tuple(out)


def _yes_no(value: object) -> str:
    return "" if value is None else (YES if value else NO)


def _shown(key: str, value: Any, persons: dict[int, str]) -> str:
    if value is None:
        return ""
    if key in ("person_id", "visited_person_id") and isinstance(value, int):
        return persons.get(value, f"#{value}")
    if key == "id_number" and isinstance(value, str):
        return mask_id_number(value) or ""
    if key.endswith("_at") and isinstance(value, str):
        try:
            return china_minute_text(datetime.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def _checklist_changes(old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    out: list[FieldChange] = []
    for item in [*old, *(k for k in new if k not in old)]:
        a, b = _item_state(old.get(item)), _item_state(new.get(item))
        if a == b:
            continue
        if a[0] != b[0]:
            out.append(FieldChange("checklist", item, a[0], b[0], label_is_text=True, coded=True))
        if a[1] != b[1]:
            out.append(FieldChange("checklist", item, a[1], b[1], label_is_text=True))
    return out


def _item_state(entry: Any) -> tuple[str, str]:
    """(passed/failed message id or "", note) of a checklist entry, new or old shape."""
    if isinstance(entry, dict):
        ok = entry.get("ok")
        state = "" if ok is None else (ITEM_OK if ok else ITEM_FAILED)
        return state, str(entry.get("note") or "")
    return "", "" if entry is None else str(entry)
