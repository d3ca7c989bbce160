"""Days as China counts them: the stations keep Beijing time (UTC+8, no summer time).

Timestamps are stored in UTC; a "day" (of arrival, of a report, of a period)
is the calendar day in China, and a time shown to staff or printed is China
wall-clock time.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from station_app.domain.errors import N_, ValidationError

CHINA_TZ_OFFSET_HOURS = 8
CHINA_TZ = timezone(timedelta(hours=CHINA_TZ_OFFSET_HOURS))

# No station record (an arrival, a patrol, a stock movement, a call) is older
# than this: the relief stations' present rules date from 2003, and paper
# ledgers typed in later start after it. An earlier year is a typing slip
# (0001, 1900, 1926 for 2026), refused before it reaches any date arithmetic.
EARLIEST_RECORD_YEAR = 2000


def _in_china(moment: datetime) -> datetime:
    """``moment`` in China time; the last hours of year 9999 (UTC), which China
    time would put in year 10000, stay at the end of 9999: a typing slip that
    the checks refuse with a message, not a crash."""
    try:
        return moment.astimezone(CHINA_TZ)
    except OverflowError:
        return datetime.max.replace(tzinfo=CHINA_TZ)


def china_date(moment: datetime) -> date:
    """The calendar day in China of an aware timestamp."""
    return _in_china(moment).date()


def china_today() -> date:
    """Today's date in China."""
    return datetime.now(CHINA_TZ).date()


def china_minute_text(moment: datetime) -> str:
    """A moment as staff read it: China time, to the minute (``2026-01-10 20:00``).

    A naive moment is taken to be China wall-clock time already."""
    local = _in_china(moment) if moment.tzinfo is not None else moment
    return local.strftime("%Y-%m-%d %H:%M")


def china_day_text(moment: datetime) -> str:
    """The day in China of an aware moment as staff read it (``2026-01-10``)."""
    return china_date(moment).isoformat()


def check_recent_enough(when: datetime | date, *, field: str) -> None:
    """Refuse a moment or day staff entered that is before
    :data:`EARLIEST_RECORD_YEAR` (China time), naming the field."""
    if isinstance(when, datetime):
        day = china_date(when) if when.tzinfo is not None else when.date()
    else:
        day = when
    if day.year < EARLIEST_RECORD_YEAR:
        raise ValidationError(
            N_(
                "{field_name} ({when}) is before the year {year}; check the year and "
                "retype the date."
            ),
            field=field,
            field_name=field,
            when=day.isoformat(),
            year=EARLIEST_RECORD_YEAR,
        )
