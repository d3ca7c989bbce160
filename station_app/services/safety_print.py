"""Printing the monthly safety log (安全日志) through the printing core."""

from __future__ import annotations

from datetime import datetime

from station_app.db.models import utcnow
from station_app.domain.clock import china_date
from station_app.domain.enums import SafetyFrequency
from station_app.domain.permissions import Permission
from station_app.printing.documents.safety_log import build_safety_log
from station_app.printing.documents.safety_log_content import (
    AmendmentLine,
    ChangeLine,
    CheckLine,
    HazardLine,
    IncidentLine,
    KindLine,
    MissedLine,
    NightLine,
    SafetyLog,
    SignoffLine,
    VisitorLine,
)

from . import audit_chain
from .context import Context
from .printouts.common import heading
from .printouts.output import Output, use_station_fonts, write_pdf
from .safety import CheckView, HazardView, SafetyLogView, safety_log


def _notes(c: CheckView) -> str:
    """Failed items with what was found, other items' notes, then the findings."""
    lines = [f"{'× ' if i.ok is False else ''}{i.item}：{i.note}" for i in c.items if i.note]
    if c.findings:
        lines.append(c.findings)
    return "\n".join(lines)


def _check_line(c: CheckView) -> CheckLine:
    return CheckLine(c.day, c.checked_at, c.kind, c.checked_by_text, c.passed, _notes(c))


def _nights(log: SafetyLogView) -> tuple[NightLine, ...]:
    """Every night with its round(s) or a line saying none was recorded."""
    rounds = [
        (c.day, c.checked_at.isoformat(), NightLine(c.day, _check_line(c)))
        for c in log.checks
        if c.frequency is SafetyFrequency.NIGHTLY
    ]
    missing = [
        (m.last_day, "", NightLine(m.last_day, None))
        for m in log.missed
        if m.frequency is SafetyFrequency.NIGHTLY
    ]
    return tuple(line for _, _, line in sorted(rounds + missing, key=lambda x: (x[0], x[1])))


def _hazard_line(h: HazardView) -> HazardLine:
    """The hazard as it stood at the log's day: a later closing is not shown."""
    closed = not h.is_open
    return HazardLine(
        h.found_on,
        h.description,
        h.location,
        h.owner,
        h.deadline,
        h.closed_on if closed else None,
        h.closing_note if closed else None,
        h.days_overdue,
        h.closed_late and closed,
    )


def _hazards(log: SafetyLogView) -> tuple[HazardLine, ...]:
    seen: dict[int, HazardView] = {}
    for h in (*log.hazards_opened, *log.hazards_closed, *log.hazards_overdue):
        seen.setdefault(h.id, h)
    ordered = sorted(seen.values(), key=lambda h: (h.found_on, h.id))
    return tuple(_hazard_line(h) for h in ordered)


def safety_log_content(
    ctx: Context, year: int, month: int, *, now: datetime | None = None
) -> SafetyLog:
    """What the safety log of ``year``-``month`` prints."""
    log = safety_log(ctx, year, month, now=now)
    with ctx.read(Permission.SAFETY) as session:
        station = heading(session, ctx.station_id)
        head = audit_chain.anchor(session.connection(), ctx.station_id)
    kinds = tuple(
        KindLine(k.kind, k.frequency, k.checks, k.failed, k.missed)
        for k in log.figures.by_kind
        if k.active or k.checks
    )
    return SafetyLog(
        station=station,
        year=year,
        month=month,
        as_of=log.as_of,
        running=log.running,
        kinds=kinds,
        checks=tuple(
            _check_line(c) for c in log.checks if c.frequency is not SafetyFrequency.NIGHTLY
        ),
        nights=_nights(log),
        missed=tuple(MissedLine(m.kind, m.frequency, m.first_day, m.last_day) for m in log.missed),
        hazards=_hazards(log),
        incidents=tuple(
            IncidentLine(
                i.occurred_at,
                i.kind,
                i.person_name or "",
                i.description,
                i.action_taken or "",
                i.reported_to or "",
            )
            for i in log.incidents
        ),
        visitors=tuple(
            VisitorLine(
                v.arrived_at,
                v.left_at,
                v.name,
                v.id_number_masked or "",
                v.unit or "",
                "\n".join(x for x in (v.purpose, v.visited_person_name) if x),
            )
            for v in log.visitors
        ),
        amendments=tuple(
            AmendmentLine(
                a.changed_at,
                a.changed_by or "",
                a.record_label,
                a.record_when,
                a.reason,
                tuple(
                    ChangeLine(c.label, c.old, c.new, c.label_is_text, c.coded) for c in a.changes
                ),
            )
            for a in log.amendments
        ),
        signoff=(
            SignoffLine(log.signoff.signed_by, log.signoff.signed_at, log.signoff.notes or "")
            if log.signoff is not None
            else None
        ),
        printed_on=china_date(now or utcnow()),
        anchor=head.text() if head is not None else None,
    )


def print_safety_log(
    ctx: Context, year: int, month: int, out: Output, *, now: datetime | None = None
) -> SafetyLog:
    """Print the safety log of ``year``-``month`` (A4 PDF, Chinese and Tibetan)."""
    content = safety_log_content(ctx, year, month, now=now)
    use_station_fonts(ctx)
    write_pdf(out, lambda target: build_safety_log(content, target))
    return content
