"""Times, dates and amounts as staff read and type them, in the screen language.

The stations keep Beijing time (UTC+8) whatever the computer's own zone;
timestamps are UTC in the services. Date-time edits show China time and
remember whether the clerk changed them (:data:`TOUCHED`), so a refresh that
moves "now" on never overwrites a time someone typed.

Every date, time and number on screen is made here, with babel's CLDR data
(:class:`station_app.i18n.Translator`), one pattern per screen language:

============  ============================  ==========================
language      date / date and time          edit (typed with digits)
============  ============================  ==========================
Chinese       2026年12月5日 14:53             2026年12月05日 14:53
Tibetan       2026 ལོའི་ཟླ་12 ཚེས་5 14:53       2026 ལོའི་ཟླ་12 ཚེས་05 14:53
English       5 Dec 2026, 14:53             2026-12-05 14:53
============  ============================  ==========================

Times use the 24-hour clock (China time). Chinese is CLDR's own ``y年M月d日``;
Tibetan is CLDR's ``bo`` pattern with the month as a number (CLDR writes
``ཟླ་༡༢`` with Tibetan digits inside a Latin-digit date); English is the
day-month-year order of CLDR's British pattern, never the US ``12/5/26``. An
English edit keeps numeric fields, so it shows the ISO order, which no reader
misreads. Numbers have CLDR grouping (``12,345``).

On the Tibetan screen the digits are Latin by default, as on the bilingual
government forms, or Tibetan (``༢༠༢༦``) when chosen in the language menu
(:func:`set_tibetan_digits`, saved by :mod:`station_app.gui.language`): the
choice applies to every date, time and number made here at once. Qt's own
Tibetan locale has Latin digits, so edits stay Latin. Texts are handed to Qt
as plain strings, never formatted by QLocale. Stored values (ID, phone and
document numbers) are not numbers to format: they keep their Latin digits.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QDateTime, QSignalBlocker, QTimeZone
from PySide6.QtWidgets import QDateEdit, QDateTimeEdit

from station_app.domain.clock import CHINA_TZ, CHINA_TZ_OFFSET_HOURS, china_today
from station_app.i18n import current_language, latin_digits, tibetan_digits, translator

if TYPE_CHECKING:  # the login window shows before the services are imported
    from station_app.services.stations import StationView

CHINA = CHINA_TZ
CHINA_ZONE = QTimeZone(CHINA_TZ_OFFSET_HOURS * 3600)
TOUCHED = "touchedByUser"  # dynamic property: the clerk changed the time

# CLDR patterns (babel) per screen language.
DATE_PATTERNS = {"zh_CN": "y年M月d日", "bo": "y ལོའི་ཟླ་M ཚེས་d", "en": "d MMM y"}
WEEKDAY_DATE_PATTERNS = {
    "zh_CN": "y年M月d日 EEEE",
    "bo": "y ལོའི་ཟླ་M ཚེས་d EEEE",
    "en": "EEEE, d MMM y",
}
MONTH_PATTERNS = {"zh_CN": "y年M月", "bo": "y ལོའི་ཟླ་M", "en": "MMM y"}
DATE_TIME_JOIN = {"zh_CN": "{date} {time}", "bo": "{date} {time}", "en": "{date}, {time}"}

# Qt display formats of date edits: numeric fields of fixed width, typed with the
# keyboard digit by digit as before (20261205), whatever the language.
EDIT_DATE_FORMATS = {
    "zh_CN": "yyyy'年'MM'月'dd'日'",
    "bo": "yyyy' ལོའི་ཟླ་'MM' ཚེས་'dd",
    "en": "yyyy-MM-dd",
}
EDIT_MONTH_FORMATS = {"zh_CN": "yyyy'年'MM'月'", "bo": "yyyy' ལོའི་ཟླ་'MM", "en": "yyyy-MM"}
EDIT_TIME_FORMAT = "HH:mm"

_tibetan_digits = False


def set_tibetan_digits(on: bool) -> None:
    """Show Tibetan digits (``on``) or Latin digits on the Tibetan screen.

    Only the formatting changes; :func:`station_app.gui.language.choose_tibetan_digits`
    also saves the choice and redraws the open windows.
    """
    global _tibetan_digits
    _tibetan_digits = on


def tibetan_digits_on() -> bool:
    """Whether the Tibetan screen shows Tibetan digits."""
    return _tibetan_digits


def _language(language: str | None) -> str:
    return current_language() if language is None else language


def digits(text: str, language: str | None = None) -> str:
    """``text``'s digits as the screen shows them: Tibetan or Latin, never mixed."""
    if _language(language) == "bo" and _tibetan_digits:
        return tibetan_digits(text)
    return latin_digits(text)


def day_text(day: date, *, weekday: bool = False, language: str | None = None) -> str:
    """A day as staff read it (``2026年12月5日``, ``5 Dec 2026``); with its weekday
    for the date line of a page."""
    lang = _language(language)
    pattern = (WEEKDAY_DATE_PATTERNS if weekday else DATE_PATTERNS)[lang]
    return digits(translator(lang).format_date(day, pattern), lang)


def month_text(day: date, language: str | None = None) -> str:
    """The month of ``day`` with its year (``2026年12月``, ``Dec 2026``)."""
    lang = _language(language)
    return digits(translator(lang).format_date(day, MONTH_PATTERNS[lang]), lang)


def _in_china(moment: datetime) -> datetime:
    # A naive moment is China wall-clock time already.
    return moment.astimezone(CHINA) if moment.tzinfo is not None else moment


def clock_text(moment: datetime, language: str | None = None, *, seconds: bool = False) -> str:
    """The China time of day of a moment, ``HH:MM`` (24-hour clock)."""
    return digits(_in_china(moment).strftime("%H:%M:%S" if seconds else "%H:%M"), language)


def moment_text(moment: datetime, language: str | None = None, *, seconds: bool = False) -> str:
    """A moment in China time, to the minute (``2026年12月5日 14:53``); to the
    second for the audit trail."""
    lang = _language(language)
    local = _in_china(moment)
    return DATE_TIME_JOIN[lang].format(
        date=day_text(local.date(), language=lang),
        time=clock_text(local, lang, seconds=seconds),
    )


def china_text(moment: datetime | None) -> str:
    """A moment as staff read it: China time, to the minute ("" for none)."""
    return "" if moment is None else moment_text(moment)


def number_text(value: int | float | Decimal, language: str | None = None) -> str:
    """A count or amount with the language's grouping (``12,345``) and digits."""
    lang = _language(language)
    return digits(translator(lang).format_number(value), lang)


def edit_format(edit: QDateTimeEdit, language: str | None = None) -> str:
    """The display format for ``edit`` in the screen language.

    What the edit holds (a day, a month, a time, a day and time) is read from
    the sections of its Designer format.
    """
    lang = _language(language)
    sections = edit.displayedSections()
    has_day = bool(sections & QDateTimeEdit.Section.DaySection)
    has_month = bool(sections & QDateTimeEdit.Section.MonthSection)
    has_hour = bool(sections & QDateTimeEdit.Section.HourSection)
    if has_day:
        day = EDIT_DATE_FORMATS[lang]
        return f"{day} {EDIT_TIME_FORMAT}" if has_hour else day
    if has_month:
        return EDIT_MONTH_FORMATS[lang]
    return EDIT_TIME_FORMAT if has_hour else edit.displayFormat()


def show_edit_format(edit: QDateTimeEdit) -> None:
    """Give a date, month or time edit the screen language's display format
    (the form loader calls it on load and at every language switch)."""
    wanted = edit_format(edit)
    if edit.displayFormat() != wanted:
        with QSignalBlocker(edit):  # the value is unchanged: not the clerk's edit
            edit.setDisplayFormat(wanted)


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
    """An amount of money as recorded (``12.50``), in the screen's digits."""
    return "" if amount is None else digits(f"{amount}")


def optional(text: str) -> str | None:
    """Typed text, or None when only blanks were typed."""
    return text.strip() or None


def station_name(station: StationView, language: str) -> str:
    """The station's name in the screen language, Chinese where there is none."""
    if language == "bo" and station.name_bo:
        return station.name_bo
    if language == "en" and station.name_en:
        return station.name_en
    return station.name_zh
