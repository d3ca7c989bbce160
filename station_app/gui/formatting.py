"""Times and amounts as staff read and type them, whatever the screen.

The stations keep Beijing time (UTC+8) whatever the computer's own zone;
timestamps are UTC in the services. Date-time edits show China time and
remember whether the clerk changed them (:data:`TOUCHED`), so a refresh that
moves "now" on never overwrites a time someone typed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from PySide6.QtCore import QDate, QDateTime, QSignalBlocker, QTimeZone
from PySide6.QtWidgets import QDateEdit, QDateTimeEdit

from station_app.domain.clock import (
    CHINA_TZ,
    CHINA_TZ_OFFSET_HOURS,
    china_minute_text,
    china_today,
)

CHINA = CHINA_TZ
CHINA_ZONE = QTimeZone(CHINA_TZ_OFFSET_HOURS * 3600)
TOUCHED = "touchedByUser"  # dynamic property: the clerk changed the time


def china_text(moment: datetime | None) -> str:
    """A moment as staff read it: China time, to the minute ("" for none)."""
    return "" if moment is None else china_minute_text(moment)


def clock_text(moment: datetime) -> str:
    """The China time of day of a moment, ``HH:MM``."""
    return moment.astimezone(CHINA).strftime("%H:%M")


def now_minute() -> datetime:
    """Now, to the whole minute (what a date-time edit shows)."""
    return datetime.now(UTC).replace(second=0, microsecond=0)


def today_in_china() -> date:
    return china_today()


def setup_time_edit(edit: QDateTimeEdit) -> None:
    """Show China time whatever the computer's zone; mark the clerk's own changes."""
    edit.setTimeZone(CHINA_ZONE)
    edit.dateTimeChanged.connect(lambda _v: edit.setProperty(TOUCHED, True))


def set_moment(edit: QDateTimeEdit, moment: datetime) -> None:
    with QSignalBlocker(edit):
        edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(moment.timestamp()), CHINA_ZONE))
    edit.setProperty(TOUCHED, False)


def reset_to_now(edit: QDateTimeEdit, *, force: bool = False) -> None:
    """Show the current minute, unless the clerk typed a time (or ``force``)."""
    if force or not edit.property(TOUCHED):
        set_moment(edit, now_minute())


def moment_of(edit: QDateTimeEdit) -> datetime:
    """The time in the edit, timezone-aware (UTC)."""
    return datetime.fromtimestamp(edit.dateTime().toSecsSinceEpoch(), UTC)


def set_day(edit: QDateEdit, day: date) -> None:
    edit.setDate(QDate(day.year, day.month, day.day))


def day_of(edit: QDateEdit) -> date:
    d = edit.date()
    return date(d.year(), d.month(), d.day())


def yuan(amount: object) -> str:
    return "" if amount is None else f"{amount}"


def optional(text: str) -> str | None:
    """Typed text, or None when only blanks were typed."""
    return text.strip() or None
