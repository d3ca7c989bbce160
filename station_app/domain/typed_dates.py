"""Dates and times as staff type them, read exactly as typed.

A date field takes (``today`` is the day in China):

==========================  =============================================
typed                       read as
==========================  =============================================
``2026-12-04``              that day (also ``2026/12/4``, ``2026.12.04``,
                            ``20261204``, ``2026年12月4日`` and the Tibetan
                            ``2026 ལོའི་ཟླ་12 ཚེས་04``)
``12-04``, ``1204``         4 December of the current year (also ``12月4日``)
``4``, ``04``               the 4th of the current month (also ``4日``);
                            never another month: a day after today is
                            what was typed, and the form's checks say so
``今天``, ``today``         today (also ``今日``, ``དེ་རིང་``)
``昨天``, ``yesterday``     the day before (also ``昨日``, ``ཁ་སང་``)
``前天``                    two days before (also ``ཁ་ཉིན་``)
==========================  =============================================

A time field takes ``21:30``, ``21：30``, ``21.30``, ``2130``, ``930``
(9:30) and ``21`` (21:00). A date-and-time field takes a date, a time, or a
date then a time (``2026-12-04 21:30``, ``昨天 2130``, ``12-04 0930``); a
date alone keeps the time the field held, a time alone keeps its day. There a
lone number of three or four digits is a time (``2130``) and a lone number of
one or two digits a day; write ``12-04`` for a month and day.

Full-width and Tibetan digits are read as digits. Text that is no date, or
a day that does not exist (``02-30``), is refused with a reason
(:class:`UnreadableDate`), never guessed.

:func:`days_back_to_confirm` says whether a day needs the clerk's yes
before it is saved: more than :data:`DEFAULT_CONFIRM_DAYS_BACK` days ago (or
the station's setting ``rules.backdate_confirm_days``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum

from .errors import N_, ValidationError

# How many days back a typed day may be before the form asks (the station's
# setting ``rules.backdate_confirm_days`` overrides it).
DEFAULT_CONFIRM_DAYS_BACK = 7

NOT_A_DATE = N_(
    "“{text}” is not a date; type it as 2026-12-04, 12-04, 1204, 4 (the day of this "
    "month), 今天 or 昨天."
)
NOT_A_TIME = N_("“{text}” is not a time; type it as 21:30 or 2130.")
NOT_A_MOMENT = N_(
    "“{text}” is not a date and time; type it as 2026-12-04 21:30, 昨天 2130 or 2130."
)
NO_SUCH_DAY = N_("There is no day {text}; check the month and the day.")


class Want(Enum):
    """What a field holds."""

    DAY = "day"
    CLOCK = "clock"
    MOMENT = "moment"


class UnreadableDate(ValidationError):
    """Typed text that is no date or time; the message says how to type one."""


@dataclass(frozen=True)
class Typed:
    """What was read: a day, a time of day, or both (a date-and-time field)."""

    day: date | None = None
    clock: time | None = None

    def moment(self, current: datetime) -> datetime:
        """The typed parts over ``current`` (what the field held)."""
        day = self.day if self.day is not None else current.date()
        clock = self.clock if self.clock is not None else current.timetz()
        return datetime.combine(day, clock.replace(tzinfo=current.tzinfo))


# Relative days, casefolded; Tibetan: ཁ་སང་ yesterday, དེ་རིང་ today, ཁ་ཉིན་ the day before.
_RELATIVE: dict[str, int] = {
    "今天": 0,
    "今日": 0,
    "today": 0,
    "དེ་རིང་": 0,
    "昨天": -1,
    "昨日": -1,
    "yesterday": -1,
    "ཁ་སང་": -1,
    "前天": -2,
    "ཁ་ཉིན་": -2,
}
_TIBETAN_DIGITS = str.maketrans("༠༡༢༣༤༥༦༧༨༩", "0123456789")
# words of the Tibetan date format, dropped like the separators
_TIBETAN_WORDS = ("ལོའི་", "ཟླ་", "ཚེས་")
# re.ASCII: only the digits 0-9 (other scripts' digits are no date)
_SEPARATORS = re.compile(r"[\s\-/.,，、年月日号號]+", re.ASCII)
_DAY_TEXT = re.compile(r"[\d\s\-/.,，、年月日号號]+", re.ASCII)
_CLOCK = re.compile(r"(\d{1,2})(?:[:.](\d{2})|(\d{2}))?", re.ASCII)
_ISO_T = re.compile(r"(?<=\d)t(?=\d)", re.ASCII)


def _normal(text: str) -> str:
    # NFKC: full-width digits and colons (２０２６－１２－０４) as ASCII
    value = unicodedata.normalize("NFKC", text).translate(_TIBETAN_DIGITS)
    return _ISO_T.sub(" ", value.strip().casefold())


def _day(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise UnreadableDate(NO_SUCH_DAY, text=text) from None


def _read_day(value: str, today: date, original: str) -> date | None:
    """The day ``value`` (normalised) names, or None when it names none."""
    if value in _RELATIVE:
        return today + timedelta(days=_RELATIVE[value])
    for word in _TIBETAN_WORDS:
        value = value.replace(word, " ")
    if not value.strip() or not _DAY_TEXT.fullmatch(value):
        return None
    parts = [p for p in _SEPARATORS.split(value) if p]
    if len(parts) == 1:
        digits = parts[0]
        if len(digits) == 8:
            parts = [digits[:4], digits[4:6], digits[6:]]
        elif len(digits) == 4:
            parts = [digits[:2], digits[2:]]
        elif len(digits) > 2:
            return None
    if len(parts) == 3 and len(parts[0]) == 4 and all(len(p) <= 2 for p in parts[1:]):
        return _day(int(parts[0]), int(parts[1]), int(parts[2]), original)
    if len(parts) == 2 and all(len(p) <= 2 for p in parts):
        return _day(today.year, int(parts[0]), int(parts[1]), original)
    if len(parts) == 1 and len(parts[0]) <= 2:
        return _day(today.year, today.month, int(parts[0]), original)
    return None


def _read_clock(value: str, *, lone_hour: bool) -> time | None:
    """The time of day ``value`` (normalised) names, or None."""
    m = _CLOCK.fullmatch(value)
    if m is None:
        return None
    hour_text, minutes = m.group(1), m.group(2) or m.group(3)
    if minutes is None and not lone_hour:
        return None
    hour, minute = int(hour_text), int(minutes or 0)
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _split_clock(value: str) -> tuple[str, str] | None:
    """``value`` as (date part, time part) when it ends with a time after a blank."""
    head, _sep, tail = value.rpartition(" ")
    if head.strip() and _read_clock(tail, lone_hour=False) is not None:
        return head.strip(), tail
    return None


def read_typed(text: str, today: date, want: Want) -> Typed:
    """What ``text`` typed in a field of kind ``want`` says; ``today`` is the
    day in China. Raises :class:`UnreadableDate` with a reason otherwise."""
    value = _normal(text)
    if want is Want.CLOCK:
        clock = _read_clock(value, lone_hour=True)
        if clock is None:
            raise UnreadableDate(NOT_A_TIME, text=text.strip())
        return Typed(clock=clock)
    if want is Want.DAY:
        day = _read_day(value, today, text.strip())
        if day is None:
            raise UnreadableDate(NOT_A_DATE, text=text.strip())
        return Typed(day=day)
    split = _split_clock(value)
    if split is not None:
        day = _read_day(split[0], today, text.strip())
        if day is not None:
            return Typed(day=day, clock=_read_clock(split[1], lone_hour=False))
    if " " not in value and len(value) in (3, 4) and value.isdigit():
        clock = _read_clock(value, lone_hour=False)  # a lone 2130 is a time
        if clock is None:
            raise UnreadableDate(NOT_A_TIME, text=text.strip())
        return Typed(clock=clock)
    clock = _read_clock(value, lone_hour=False) if ":" in value else None
    if clock is not None:
        return Typed(clock=clock)
    day = _read_day(value, today, text.strip())
    if day is None:
        raise UnreadableDate(NOT_A_MOMENT, text=text.strip())
    return Typed(day=day)


def read_day(text: str, today: date) -> date:
    """The day typed in a date field (see the module's table)."""
    day = read_typed(text, today, Want.DAY).day
    assert day is not None
    return day


def days_back_to_confirm(
    day: date, today: date, *, days_back: int = DEFAULT_CONFIRM_DAYS_BACK
) -> int | None:
    """How many days ago ``day`` is, when that is more than ``days_back``
    (the form asks before saving it); None for a recent day."""
    ago = (today - day).days
    return ago if ago > days_back else None
