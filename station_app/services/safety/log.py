"""The monthly safety log (安全日志) read in one call: what the printed log and
the manager's screens show of a month."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from station_app.domain.clock import china_date
from station_app.domain.enums import SafetyCheckKind, SafetyFrequency
from station_app.domain.errors import N_, ValidationError
from station_app.domain.permissions import Permission
from station_app.services.context import Context
from station_app.services.values import now_utc

from .checks import CheckView, checks_between
from .common import check_month, month_days, month_text
from .hazards import HazardView, hazard_views, hazards_of_month
from .incidents import IncidentView, incidents_between
from .missed import MissedCheck, find_missed
from .signing import AmendmentView, SignOffView, month_amendments, month_signoff
from .templates import TemplateView, load_templates
from .visitors import VisitorView, visitors_between


@dataclass(frozen=True)
class DayView:
    """One day of the month grid: its checks, the night's round(s), what was missed."""

    day: date
    checks: tuple[CheckView, ...]  # in time order, night rounds apart
    night_rounds: tuple[CheckView, ...]  # of the night starting this evening
    missed: tuple[MissedCheck, ...]  # periods (day, night, week, month) ending this day
    failed: int  # checks with an item failed

    @property
    def complete(self) -> bool:
        return not self.missed


@dataclass(frozen=True)
class KindFigures:
    kind: SafetyCheckKind
    frequency: SafetyFrequency
    active: bool
    checks: int
    failed: int
    missed: int


@dataclass(frozen=True)
class SafetyFigures:
    checks: int
    failed: int
    night_rounds: int
    missed: int
    missed_night_rounds: int
    hazards_opened: int
    hazards_closed: int
    hazards_overdue: int
    incidents: int
    visitors: int
    amendments: int
    by_kind: tuple[KindFigures, ...]


@dataclass(frozen=True)
class SafetyLogView:
    year: int
    month: int
    month_text: str  # 2026-01
    first_day: date
    last_day: date
    as_of: date  # the month's last day, or today in a running month
    running: bool  # the month is not over yet: its missed checks are counted up to yesterday
    templates: tuple[TemplateView, ...]
    days: tuple[DayView, ...]  # every day of the month, for a month grid
    checks: tuple[CheckView, ...]  # all of the month's, in time order
    missed: tuple[MissedCheck, ...]
    hazards_opened: tuple[HazardView, ...]
    hazards_closed: tuple[HazardView, ...]
    hazards_overdue: tuple[HazardView, ...]  # open past their deadline at ``as_of``
    incidents: tuple[IncidentView, ...]
    visitors: tuple[VisitorView, ...]
    amendments: tuple[AmendmentView, ...]
    signoff: SignOffView | None
    figures: SafetyFigures


def _figures(
    templates: dict[SafetyCheckKind, TemplateView],
    checks: list[CheckView],
    missed: list[MissedCheck],
    hazards: tuple[tuple[HazardView, ...], ...],
    incidents: int,
    visitors: int,
    amendments: int,
) -> SafetyFigures:
    by_kind = tuple(
        KindFigures(
            kind,
            t.frequency,
            t.active,
            sum(1 for c in checks if c.kind is kind),
            sum(1 for c in checks if c.kind is kind and not c.passed),
            sum(1 for m in missed if m.kind is kind),
        )
        for kind, t in templates.items()
    )
    nightly = [c for c in checks if c.frequency is SafetyFrequency.NIGHTLY]
    opened, closed, overdue = hazards
    return SafetyFigures(
        checks=len(checks),
        failed=sum(1 for c in checks if not c.passed),
        night_rounds=len(nightly),
        missed=len(missed),
        missed_night_rounds=sum(1 for m in missed if m.frequency is SafetyFrequency.NIGHTLY),
        hazards_opened=len(opened),
        hazards_closed=len(closed),
        hazards_overdue=len(overdue),
        incidents=incidents,
        visitors=visitors,
        amendments=amendments,
        by_kind=by_kind,
    )


def _days(
    first: date, last: date, checks: list[CheckView], missed: list[MissedCheck]
) -> tuple[DayView, ...]:
    out: list[DayView] = []
    day = first
    while day <= last:
        todays = [c for c in checks if c.day == day]
        out.append(
            DayView(
                day,
                tuple(c for c in todays if c.frequency is not SafetyFrequency.NIGHTLY),
                tuple(c for c in todays if c.frequency is SafetyFrequency.NIGHTLY),
                tuple(m for m in missed if m.last_day == day),
                sum(1 for c in todays if not c.passed),
            )
        )
        day += timedelta(days=1)
    return tuple(out)


def safety_log(
    ctx: Context, year: int, month: int, *, now: datetime | None = None
) -> SafetyLogView:
    """Everything the monthly safety log of ``year``-``month`` holds."""
    check_month(year, month)
    moment = now_utc(now)
    today = china_date(moment)
    first, last = month_days(year, month)
    if first > today:
        raise ValidationError(
            N_("{month} has not begun yet; choose this month or an earlier one."),
            field="month",
            month=month_text(year, month),
        )
    as_of = min(last, today)
    with ctx.read(Permission.SAFETY) as session:
        sid = ctx.station_id
        templates = load_templates(session, sid)
        checks = checks_between(session, sid, first, last, templates)
        missed = find_missed(session, sid, templates, first, last, moment)
        hazards = hazard_views(
            session, sid, hazards_of_month(session, sid, first, last, as_of), as_of
        )
        incidents = incidents_between(session, sid, first, last)
        visitors = visitors_between(session, sid, first, last)
        signoff = month_signoff(session, sid, year, month)
        amendments = month_amendments(session, sid, year, month)
    opened = tuple(h for h in hazards if first <= h.found_on <= last)
    closed = tuple(h for h in hazards if h.closed_on is not None and first <= h.closed_on <= last)
    overdue = tuple(h for h in hazards if h.overdue)
    return SafetyLogView(
        year=year,
        month=month,
        month_text=month_text(year, month),
        first_day=first,
        last_day=last,
        as_of=as_of,
        running=last >= today,
        templates=tuple(templates.values()),
        days=_days(first, last, checks, missed),
        checks=tuple(checks),
        missed=tuple(missed),
        hazards_opened=opened,
        hazards_closed=closed,
        hazards_overdue=overdue,
        incidents=tuple(incidents),
        visitors=tuple(visitors),
        amendments=tuple(amendments),
        signoff=signoff,
        figures=_figures(
            templates,
            checks,
            missed,
            (opened, closed, overdue),
            len(incidents),
            len(visitors),
            len(amendments),
        ),
    )
