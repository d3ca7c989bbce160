"""Days as China counts them: the stations keep Beijing time (UTC+8, no summer time).

Timestamps are stored in UTC; a "day" (of arrival, of a report, of a period)
is the calendar day in China, and a time shown to staff or printed is China
wall-clock time.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

CHINA_TZ_OFFSET_HOURS = 8
CHINA_TZ = timezone(timedelta(hours=CHINA_TZ_OFFSET_HOURS))


def china_date(moment: datetime) -> date:
    """The calendar day in China of an aware timestamp."""
    return moment.astimezone(CHINA_TZ).date()


def china_today() -> date:
    """Today's date in China."""
    return datetime.now(CHINA_TZ).date()


def china_minute_text(moment: datetime) -> str:
    """A moment as staff read it: China time, to the minute (``2026-01-10 20:00``).

    A naive moment is taken to be China wall-clock time already."""
    local = moment.astimezone(CHINA_TZ) if moment.tzinfo is not None else moment
    return local.strftime("%Y-%m-%d %H:%M")


def china_day_text(moment: datetime) -> str:
    """The day in China of an aware moment as staff read it (``2026-01-10``)."""
    return china_date(moment).isoformat()
