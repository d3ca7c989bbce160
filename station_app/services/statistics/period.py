"""The period of a report: a month typed as ``YYYY-MM`` or two days, checked,
cut at today, and the same days one year earlier."""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime, time, timedelta

from station_app.domain.clock import CHINA_TZ, china_today
from station_app.domain.errors import N_, ValidationError
from station_app.domain.text import shown_text

# ASCII digits only: ``\d`` would take full-width and Tibetan digits too
_MONTH = re.compile(r"^([0-9]{4})-([0-9]{1,2})$")


def parse_month(text: str) -> tuple[date, date]:
    """``2026-01`` as its first and last day."""
    found = _MONTH.match(text.strip())
    month = int(found.group(2)) if found else 0
    if found is None or not 1 <= month <= 12 or int(found.group(1)) < 1900:
        raise ValidationError(
            N_("Enter the month as YYYY-MM, for example 2026-01; {value} is not a month."),
            field="month",
            value=shown_text(text),
        )
    year = int(found.group(1))
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def month_period(year: int, month: int) -> tuple[date, date]:
    """The first and last day of a calendar month."""
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def quarter_period(year: int, quarter: int) -> tuple[date, date]:
    """The first and last day of a calendar quarter (1: January to March … 4)."""
    if not 1 <= quarter <= 4:
        raise ValueError(f"quarter {quarter} is not 1 to 4")
    first = 3 * quarter - 2
    return date(year, first, 1), month_period(year, first + 2)[1]


def year_period(year: int) -> tuple[date, date]:
    """1 January to 31 December."""
    return date(year, 1, 1), date(year, 12, 31)


def period_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """China-local days ``start`` to ``end`` (both included) as UTC ``[lo, hi)``.

    The supplies ledger has the same (``supplies.period_bounds``); this copy
    keeps the supplies services (and openpyxl) out of a report's start-up."""
    if end < start:
        raise ValidationError(
            N_("The period ends ({end}) before it starts ({start}); swap the two dates."),
            field="end",
            start=start.isoformat(),
            end=end.isoformat(),
        )
    lo = datetime.combine(start, time(), CHINA_TZ).astimezone(UTC)
    hi = datetime.combine(end + timedelta(days=1), time(), CHINA_TZ).astimezone(UTC)
    return lo, hi


def report_period(start: date, end: date, *, today: date | None = None) -> tuple[date, date]:
    """The days a report covers: ``start`` to ``end``, cut at today (China
    time) — the current month is reported up to today, and compared with the
    same days a year earlier. A period ending before it starts, or starting
    after today, is refused."""
    period_bounds(start, end)  # refuses an end before the start
    today = today or china_today()
    if start > today:
        raise ValidationError(
            N_(
                "The period starts on {start}, after today ({today}); choose a period "
                "that has begun."
            ),
            field="start",
            start=start.isoformat(),
            today=today.isoformat(),
        )
    return start, min(end, today)


def _year_back(day: date, *, month_end: bool) -> date:
    year = day.year - 1
    last = calendar.monthrange(year, day.month)[1]
    return date(year, day.month, last if month_end else min(day.day, last))


def year_earlier(start: date, end: date) -> tuple[date, date]:
    """The same days one year earlier. An end on the last day of its month
    stays on the last day of the month (February 2025 is compared with the
    whole of February 2024, 29 days); 29 February starts on the 28th."""
    last = calendar.monthrange(end.year, end.month)[1]
    return _year_back(start, month_end=False), _year_back(end, month_end=end.day == last)
