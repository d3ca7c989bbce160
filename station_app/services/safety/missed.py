"""Missed checks: every day, night, week or month in a period that an active
checklist was due and no check of its kind was recorded.

A period is due when it has ended by yesterday (today's checks are not
missed yet) and ends on or after the day the station began keeping safety
checks — its creation or its first check recorded, whichever is earlier; a
kind that is off by default (other checks) counts from the day a manager
switched it on. Weeks run Monday to Sunday; a week or month is reported on
its last day, in the period holding that day. Heating and carbon-monoxide
checks are due in the heating months only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station_app.db.models import SafetyCheck, Station
from station_app.domain.clock import china_date
from station_app.domain.enums import SafetyCheckKind, SafetyFrequency
from station_app.domain.errors import N_, ValidationError
from station_app.domain.permissions import Permission
from station_app.services.context import Context
from station_app.services.values import now_utc

from .common import NIGHT_TURNS_AT_HOUR, due_day, due_period, local_instant, night_is_running
from .templates import DEFAULTS, TemplateView, load_templates

_KIND_ORDER = {kind: index for index, kind in enumerate(SafetyCheckKind)}


@dataclass(frozen=True)
class MissedCheck:
    kind: SafetyCheckKind
    frequency: SafetyFrequency
    first_day: date  # the period that went without a check: a day, a night,
    last_day: date  # a week or a month (a screen's month grid shows it on this day)


def counting_start(session: Session, station_id: int) -> date | None:
    """The first day the station kept safety checks (None: no station)."""
    created = session.scalar(select(Station.created_at).where(Station.id == station_id))
    first = session.scalar(
        select(func.min(SafetyCheck.checked_at)).where(SafetyCheck.station_id == station_id)
    )
    days = [china_date(m) for m in (created, first) if isinstance(m, datetime)]
    return min(days) if days else None


def _since(template: TemplateView, station_since: date) -> date:
    if DEFAULTS[template.kind].active or template.created_at is None:
        return station_since
    return max(station_since, china_date(template.created_at))


def find_missed(
    session: Session,
    station_id: int,
    templates: dict[SafetyCheckKind, TemplateView],
    start: date,
    end: date,
    now: datetime,
) -> list[MissedCheck]:
    """The missed checks reported on China days ``start`` to ``end``, as known
    at ``now``: counted up to yesterday, and last night's round not before the
    night is over (:func:`night_is_running`)."""
    today = china_date(now)
    night_running = night_is_running(now)
    upto = min(end, today - timedelta(days=1))
    since = counting_start(session, station_id)
    active = [t for t in templates.values() if t.active]
    if upto < start or since is None or not active:
        return []
    # the checks of every period that ends in [start, upto]: weeks and months
    # begin before ``start``, a night round comes after midnight
    lo = min(start - timedelta(days=6), start.replace(day=1))
    rows = session.execute(
        select(SafetyCheck.kind, SafetyCheck.checked_at).where(
            SafetyCheck.station_id == station_id,
            SafetyCheck.checked_at >= local_instant(lo),
            SafetyCheck.checked_at < local_instant(upto + timedelta(days=1), NIGHT_TURNS_AT_HOUR),
        )
    )
    done: set[tuple[SafetyCheckKind, date]] = set()
    for kind, at in rows:
        frequency = templates[kind].frequency
        done.add((kind, due_period(frequency, due_day(frequency, at))[0]))
    out: list[MissedCheck] = []
    last_night = today - timedelta(days=1)
    day = start
    while day <= upto:
        for t in active:
            first, last = due_period(t.frequency, day)
            due = last == day and t.due_on(day) and last >= _since(t, since)
            if night_running and t.frequency is SafetyFrequency.NIGHTLY and day == last_night:
                due = False
            if due and (t.kind, first) not in done:
                out.append(MissedCheck(t.kind, t.frequency, first, last))
        day += timedelta(days=1)
    out.sort(key=lambda m: (m.last_day, _KIND_ORDER[m.kind]))
    return out


def missed_checks(
    ctx: Context, start: date, end: date, *, now: datetime | None = None
) -> list[MissedCheck]:
    """The checks missed in China days ``start`` to ``end``, counted up to yesterday."""
    if end < start:
        raise ValidationError(
            N_("The period ends ({end}) before it starts ({start}); swap the two dates."),
            field="end",
            start=start.isoformat(),
            end=end.isoformat(),
        )
    with ctx.read(Permission.SAFETY) as session:
        templates = load_templates(session, ctx.station_id)
        return find_missed(session, ctx.station_id, templates, start, end, now_utc(now))
