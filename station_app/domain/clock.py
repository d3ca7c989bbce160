"""Days as China counts them: the stations keep Beijing time (UTC+8, no summer time).

Timestamps are stored in UTC; a "day" (of arrival, of a report, of a period)
is the calendar day in China.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

CHINA_TZ_OFFSET_HOURS = 8
CHINA_TZ = timezone(timedelta(hours=CHINA_TZ_OFFSET_HOURS))


def china_date(moment: datetime) -> date:
    """The calendar day in China of an aware timestamp."""
    return moment.astimezone(CHINA_TZ).date()
