"""Cell values of a ledger as the import reads them.

Markers for unknown and refused values, the vocabularies of the choice columns
(sex, document type, languages), dates and ages as staff type them, ID numbers
Excel may have damaged, and household registration places matched to counties.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

from station_app.domain import regions
from station_app.domain.enums import IdDocumentType, Sex
from station_app.domain.errors import N_, ValidationError
from station_app.domain.text import shown_text, to_halfwidth

# ====================================================================== markers and choices

# Values that mean "not known" or "refused" in any column that has markers.
UNKNOWN_MARKERS = frozenset({"不详", "未知", "不知道", "不清楚", "无", "/", "-", "—", "--"})
REFUSED_MARKERS = frozenset({"拒绝提供", "拒答", "拒绝", "拒绝回答", "不愿提供"})

# Also the codes of GB/T 2261.1 that national systems export: 1 male, 2 female;
# 0 (unknown) and 9 (not stated) leave the sex unknown (SEX_UNKNOWN_CODES).
SEX = {
    "1": Sex.MALE,
    "2": Sex.FEMALE,
    "男": Sex.MALE,
    "男性": Sex.MALE,
    "m": Sex.MALE,
    "male": Sex.MALE,
    "女": Sex.FEMALE,
    "女性": Sex.FEMALE,
    "f": Sex.FEMALE,
    "female": Sex.FEMALE,
}
SEX_UNKNOWN_CODES = frozenset({"0", "9"})
DOC_TYPES = {
    "身份证": IdDocumentType.RESIDENT_ID,
    "居民身份证": IdDocumentType.RESIDENT_ID,
    "二代身份证": IdDocumentType.RESIDENT_ID,
    "临时身份证": IdDocumentType.TEMPORARY_ID,
    "户口簿": IdDocumentType.HOUSEHOLD_REGISTER,
    "户口本": IdDocumentType.HOUSEHOLD_REGISTER,
    "护照": IdDocumentType.PASSPORT,
    "军官证": IdDocumentType.MILITARY_ID,
    "士兵证": IdDocumentType.MILITARY_ID,
    "港澳通行证": IdDocumentType.HK_MACAO_PERMIT,
    "台胞证": IdDocumentType.TAIWAN_PERMIT,
    "其他": IdDocumentType.OTHER,
    "其它": IdDocumentType.OTHER,
}
LANGUAGES = {
    "藏语": "bo",
    "藏文": "bo",
    "藏": "bo",
    "bo": "bo",
    "汉语": "zh",
    "普通话": "zh",
    "汉": "zh",
    "中文": "zh",
    "四川话": "zh",
    "zh": "zh",
    "彝语": "ii",
    "彝": "ii",
    "ii": "ii",
    "英语": "en",
    "en": "en",
    "其他": "other",
    "其它": "other",
    "other": "other",
}
LIST_SEPARATORS = re.compile(r"[、,，;；]")
LANGUAGE_SEPARATORS = re.compile(r"[、,，;；/／\s]+")


# ====================================================================== cell values


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def cell_text(value: Any) -> str:
    """A cell value as text the way Excel shows it (45.0 as 45, a midnight datetime as a date)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


_DATE_TEXT = re.compile(
    r"([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?"
    r"(?:\s+0{1,2}:00(?::00)?)?"
)
_DATE_COMPACT = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")
_AGE_TEXT = re.compile(r"(?:约|大约|目测|估计)?\s*([0-9]{1,3})\s*(?:周岁|岁)?\s*(?:左右|上下)?")
_SCIENTIFIC = re.compile(r"[0-9]+(?:\.[0-9]+)?[eE]\+?[0-9]+")
_DECIMAL_ID = re.compile(r"[0-9]{15,18}\.[0-9]+")
HUKOU_CODE = re.compile(r"([0-9]{6})(?![0-9])\s*[:：\-—]?\s*(.*)", re.DOTALL)


def parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = to_halfwidth(cell_text(value)).strip()
    match = _DATE_TEXT.fullmatch(text) or _DATE_COMPACT.fullmatch(text)
    if match is None:
        raise ValidationError(
            N_(
                "{value} is not a date the import can read; write the birth date as 1985-03-02 "
                "(also accepted: 1985/3/2, 1985.3.2, 19850302, 1985年3月2日). If only the "
                "age is known, put it in the age column instead."
            ),
            field="birth_date",
            value=shown_text(text),
        )
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise ValidationError(
            N_("The date {value} does not exist; check the year, month and day."),
            field="birth_date",
            value=shown_text(text),
        ) from None


# Excel counts days from 1899-12-30 (for dates after February 1900). A birth
# date typed into a cell formatted as a number shows as such a count: 31108 is
# 1985-03-02. Five digits are 1927-05-18 to 2173-10-14; four digits are read as
# a year (and refused as a date), never as a day count.
EXCEL_EPOCH = date(1899, 12, 30)
_SERIAL_TEXT = re.compile(r"[0-9]{5}(?:\.0*)?")


def excel_serial(value: Any) -> int | None:
    """The day count of a cell that looks like an Excel date number, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        number = int(value)
    elif isinstance(value, str) and _SERIAL_TEXT.fullmatch(to_halfwidth(value).strip()):
        number = int(float(to_halfwidth(value).strip()))
    else:
        return None
    return number if 10_000 <= number <= 99_999 else None


def serial_birth_date(serial: int, today: date) -> date:
    """The birth date an Excel date number stands for; refused when it cannot be one."""
    day = EXCEL_EPOCH + timedelta(days=serial)
    if day > today:
        raise ValidationError(
            N_(
                "{value} looks like a date that Excel stores as a number (an Excel date "
                "number), but as a date ({date}) it cannot be a birth date. In Excel, set the "
                "column's format to Date (日期), check the birth dates, and import again."
            ),
            field="birth_date",
            value=str(serial),
            date=day.isoformat(),
        )
    return day


def parse_age(value: Any) -> int:
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        return int(value)
    text = to_halfwidth(cell_text(value)).strip()
    match = _AGE_TEXT.fullmatch(text)
    if match is None:
        raise ValidationError(
            N_("The age {value} is not a whole number of years; write it as a number, e.g. 45."),
            field="estimated_age",
            value=shown_text(text),
        )
    return int(match[1])


def _damaged_id(shown: str) -> ValidationError:
    return ValidationError(
        N_(
            "The ID number was stored as a number ({value}), so Excel has already changed its "
            "digits after the 15th (and dropped any X). Set the column's format to Text (文本), "
            "type the number again from the card, and import again."
        ),
        field="id_number",
        value=shown_text(shown),
    )


def id_text(value: Any) -> str:
    """The ID number as written; refuse one Excel has turned into a number."""
    if isinstance(value, bool):
        return cell_text(value)
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        digits = str(int(value))
        if len(digits) == 15:  # old 15-digit numbers survive Excel's 15 significant digits
            return digits
        raise _damaged_id(digits if isinstance(value, int) else f"{value:.14E}")
    if isinstance(value, float):
        raise _damaged_id(repr(value))
    text = cell_text(value)
    compact = to_halfwidth(text).strip()
    if _SCIENTIFIC.fullmatch(compact) or _DECIMAL_ID.fullmatch(compact):
        raise _damaged_id(compact)
    return text


def choice(value: Any, table: dict[str, Any], message: str, field: str) -> Any:
    text = to_halfwidth(cell_text(value)).strip()
    found = table.get(text.casefold())
    if found is None:
        raise ValidationError(message, field=field, value=shown_text(text))
    return found


# ====================================================================== places

_PREFECTURE_SUFFIXES = ("藏族羌族自治州", "藏族自治州", "彝族自治州", "自治州", "地区", "市")


def _short_prefecture(name: str) -> str:
    for suffix in _PREFECTURE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


class PlaceMatcher:
    """Household registration text → code of the one Sichuan county it names.

    A short text is looked up with :func:`regions.search_regions` ("理塘" →
    理塘县); a longer address is searched for the county names it contains,
    using the prefecture named in it to tell apart counties of the same name
    (乐山市市中区). Results are memoised for the import.
    """

    def __init__(self) -> None:
        self._memo: dict[str, str | None] = {}
        self._counties = [
            r for r in regions.current_counties(regions.SICHUAN) if len(r.name_zh) > 1
        ]

    def match(self, text: str) -> str | None:
        compact = re.sub(r"\s+", "", text)
        if compact not in self._memo:
            self._memo[compact] = self._match(compact)
        return self._memo[compact]

    def _match(self, text: str) -> str | None:
        if not text:
            return None
        found = regions.search_regions(text)
        if len(found) == 1:
            return found[0].code if found[0].level == "county" else None
        named = [r for r in self._counties if r.name_zh in text]
        # 甘孜县 inside a longer matched name does not count twice
        named = [
            r
            for r in named
            if not any(r.name_zh != o.name_zh and r.name_zh in o.name_zh for o in named)
        ]
        if len(named) > 1:
            in_prefecture = [r for r in named if self._prefecture_named(r, text)]
            named = in_prefecture or named
        codes = {r.code for r in named}
        return codes.pop() if len(codes) == 1 else None

    @staticmethod
    def _prefecture_named(county: regions.Region, text: str) -> bool:
        parent = regions.region(county.parent_code) if county.parent_code else None
        return parent is not None and _short_prefecture(parent.name_zh) in text
