"""Reading the audit trail: the audit viewer's rows and its XLSX export.

Managers and administrators only (``Permission.VIEW_AUDIT``). A row says who
did what to which record and when (China time); of a change it names the
fields changed, not their values, so the list and the exported file carry no
names, ID numbers or health notes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Select, select

from station_app.db.models import AuditEntry
from station_app.domain.clock import CHINA_TZ
from station_app.domain.enums import AuditAction
from station_app.domain.errors import N_, ValidationError
from station_app.domain.labels import field_label
from station_app.domain.permissions import Permission

from .context import Context
from .report_files import save_workbook, target

ACTION_LABELS = {
    AuditAction.CREATE: N_("added"),
    AuditAction.UPDATE: N_("changed"),
    AuditAction.DELETE: N_("deleted"),
    AuditAction.LOGIN: N_("logged in"),
    AuditAction.LOGIN_FAILED: N_("failed login"),
    AuditAction.BULK: N_("written in bulk"),
    AuditAction.REFUSED: N_("refused"),
}
# The kinds of record a manager filters by; others show their table name.
ENTITY_LABELS = {
    "person": N_("Person"),
    "help_request": N_("Help request"),
    "stay": N_("Stay"),
    "departure": N_("Departure"),
    "user_account": N_("User account"),
    "setting": N_("Setting"),
    "stock_movement": N_("Stock movement"),
    "supply_item": N_("Supply item"),
    "safety_check": N_("Safety check"),
    "patrol_shift": N_("Patrol shift"),
    "encounter": N_("Patrol encounter"),
    "station": N_("Station"),
    # the other tables, by labels the screens already use
    "visitor": N_("Visitor"),
    "hazard": N_("Hazard"),
    "incident": N_("Incident"),
    "stocktake": N_("Stock-take"),
    "room": N_("Room"),
    "screening": N_("Screening"),
    "decision": N_("Decision"),
    "person_photo": N_("Photo"),
    "publicity_event": N_("Publicity"),
    "family_search": N_("Family search"),
    "safety_log_signoff": N_("Sign-off"),
    "person_name": N_("Other names"),
    "document_sequence": N_("Document numbers"),
    "safety_amendment": N_("Amendments"),
    "hotline_call": N_("Hotline"),
    "handover": N_("Handover"),
    "security_check": N_("Security check"),
    "face_check": N_("Face checks"),
    "stay_service": N_("Services"),
    "person_link": N_("Same person"),
    "safety_template": N_("Checklist"),
    "relative": N_("Relatives"),
    "reviewed_text": N_("Reviewed translation"),
    "reviewed_term": N_("Reviewed term"),
    "wording_suggestion": N_("Suggested wording"),
}
EXPORT_LIMIT = 100_000  # rows in one export file
EXPORT_HEADERS = (
    N_("Time"),
    N_("User"),
    N_("Action"),
    N_("Record"),
    N_("Record no."),
    N_("Summary"),
)
BAD_PERIOD = N_("The period ends before it starts. Check both dates.")


@dataclass(frozen=True)
class AuditFilter:
    """What the viewer asks for; None: any."""

    user: str | None = None
    entity: str | None = None
    entity_id: int | None = None
    action: AuditAction | None = None
    start: date | None = None  # China days, both included
    end: date | None = None


@dataclass(frozen=True)
class AuditRow:
    id: int
    seq: int | None
    at: datetime
    username: str
    action: AuditAction
    entity: str
    entity_id: int | None
    summary: str  # as recorded ("" for a row change)
    changed_fields: tuple[str, ...]  # keys of the fields a change changed (never values)

    @property
    def time_text(self) -> str:
        return self.at.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M:%S")

    @property
    def action_label(self) -> str:
        """A message id."""
        return ACTION_LABELS.get(self.action, str(self.action.value))

    @property
    def entity_label(self) -> str:
        """A message id (the table's name for kinds without one)."""
        return ENTITY_LABELS.get(self.entity, self.entity)


@dataclass(frozen=True)
class AuditPage:
    rows: tuple[AuditRow, ...]
    more: bool  # further rows after this page


def _china_start(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=CHINA_TZ)


def _query(ctx: Context, f: AuditFilter) -> Select[AuditEntry]:
    if f.start and f.end and f.end < f.start:
        raise ValidationError(BAD_PERIOD, field="end")
    q = select(AuditEntry).where(AuditEntry.station_id == ctx.station_id)
    if f.user:
        q = q.where(AuditEntry.username == f.user)
    if f.entity:
        q = q.where(AuditEntry.entity == f.entity)
    if f.entity_id is not None:
        q = q.where(AuditEntry.entity_id == f.entity_id)
    if f.action is not None:
        q = q.where(AuditEntry.action == f.action)
    if f.start:
        q = q.where(AuditEntry.at >= _china_start(f.start))
    if f.end:
        q = q.where(AuditEntry.at < _china_start(f.end + timedelta(days=1)))
    return q.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


def _row(e: AuditEntry) -> AuditRow:
    changes: dict[str, Any] = e.changes or {}
    fields = tuple(sorted(changes)) if e.action is AuditAction.UPDATE else ()
    return AuditRow(
        e.id,
        e.seq,
        e.at,
        e.username or "",
        e.action,
        e.entity,
        e.entity_id,
        e.summary or "",
        fields,
    )


def search(
    ctx: Context, f: AuditFilter | None = None, *, limit: int = 200, offset: int = 0
) -> AuditPage:
    """The station's audit entries matching ``f``, newest first, a page at a time."""
    f = f or AuditFilter()
    with ctx.read(Permission.VIEW_AUDIT) as session:
        q = _query(ctx, f).limit(limit + 1).offset(offset)
        found = [_row(e) for e in session.scalars(q)]
    return AuditPage(tuple(found[:limit]), len(found) > limit)


def usernames(ctx: Context) -> list[str]:
    """Every user name in the station's trail, for the user filter."""
    with ctx.read(Permission.VIEW_AUDIT) as session:
        q = (
            select(AuditEntry.username)
            .where(AuditEntry.station_id == ctx.station_id, AuditEntry.username.is_not(None))
            .distinct()
        )
        return sorted(str(u) for u in session.scalars(q))


def summary_text(row: AuditRow, gettext: Any) -> str:
    """The summary in the reader's language; of a change, the fields changed."""
    if row.summary:
        return row.summary
    return ", ".join(gettext(field_label(k)) for k in row.changed_fields)


def export(ctx: Context, path: Path, f: AuditFilter | None = None, *, gettext: Any = str) -> Path:
    """Write the entries matching ``f`` to an XLSX file (owner-only, text as text)."""
    from openpyxl import Workbook

    f = f or AuditFilter()
    out = target(path)
    with ctx.read(Permission.VIEW_AUDIT) as session:
        rows = [_row(e) for e in session.scalars(_query(ctx, f).limit(EXPORT_LIMIT))]
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "audit"
    ws.append([gettext(h) for h in EXPORT_HEADERS])
    for r in rows:
        ws.append(
            [
                r.time_text,
                r.username,
                gettext(r.action_label),
                gettext(r.entity_label),
                r.entity_id,
                summary_text(r, gettext),
            ]
        )
    return save_workbook(wb, out)
