"""Resident ID numbers (GB 11643): parsing, check character, birth date, sex."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from station_app.domain.age import EARLIEST_BIRTH_YEAR
from station_app.domain.enums import Sex
from station_app.domain.errors import N_, UserError, ValidationError, Warning_
from station_app.domain.regions import region, region_name
from station_app.domain.text import (
    INVISIBLE_CHARACTERS,
    codepoint,
    is_tibetan_digit,
    shown,
    to_halfwidth,
)

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
# Dashes people type or paste between groups of digits.
_DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212")
_DIGITS = frozenset("0123456789")


@dataclass(frozen=True)
class IdNumber:
    """A checked 18-character resident ID number and what it says about its holder."""

    number: str
    birth_date: date
    sex: Sex
    region_code: str
    region_name: str | None
    converted_from_15: bool
    warnings: tuple[UserError, ...]


def check_character(first17: str) -> str:
    """The check character for the first 17 digits of an ID number."""
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def _compact(raw: str, field: str) -> tuple[str, list[int]]:
    """Drop separators; return the characters kept and their 1-based positions in ``raw``.

    Non-ASCII characters are refused before anything else, because ``int()``
    and stdnum would silently read Tibetan or other digits as numbers.
    """
    text = to_halfwidth(raw)
    kept: list[str] = []
    positions: list[int] = []
    for index, ch in enumerate(text):
        if ch.isspace() or ch in _DASHES or ch in INVISIBLE_CHARACTERS:
            continue
        position = index + 1
        if is_tibetan_digit(ch):
            raise ValidationError(
                N_(
                    "Character {position} of the ID number is the Tibetan digit {char} "
                    "({codepoint}); ID numbers are written only with the digits 0-9 and X. "
                    "Switch the keyboard to Chinese or English and retype the number."
                ),
                field=field,
                position=position,
                char=shown(ch),
                codepoint=codepoint(ch),
            )
        if not ch.isascii():
            raise ValidationError(
                N_(
                    "Character {position} of the ID number, {char} ({codepoint}), is not one "
                    "of the digits 0-9 or X; retype the number with a Chinese or English "
                    "keyboard."
                ),
                field=field,
                position=position,
                char=shown(ch),
                codepoint=codepoint(ch),
            )
        kept.append(ch.upper())
        positions.append(position)
    return "".join(kept), positions


def _check_characters(number: str, positions: list[int], field: str) -> None:
    last = len(number) - 1
    for index, ch in enumerate(number):
        if ch in _DIGITS or (ch == "X" and index == last and len(number) == 18):
            continue
        if ch == "X":
            raise ValidationError(
                N_(
                    "Character {position} of the ID number is X, but only the last character "
                    "of an 18-character number can be X; check the number on the card and "
                    "retype it."
                ),
                field=field,
                position=positions[index],
            )
        raise ValidationError(
            N_(
                "Character {position} of the ID number, {char}, is not allowed; an ID number "
                "has only the digits 0-9 and, as its last character, X."
            ),
            field=field,
            position=positions[index],
            char=shown(ch),
        )


def _birth_date(number: str, field: str, today: date, *, legacy: bool) -> date:
    digits = number[6:14]
    # on a 15-digit card the date is digits 7-12 (no century)
    where = {"first": 7, "last": 12 if legacy else 14}
    try:
        birth = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise ValidationError(
            N_(
                "The ID number contains the birth date {digits} (year, month, day), which "
                "does not exist; check digits {first} to {last} on the card and"
                " retype them."
            ),
            field=field,
            digits=digits,
            **where,
        ) from None
    if birth > today:
        raise ValidationError(
            N_(
                "The birth date in the ID number, {birth_date}, is in the future; check "
                "digits {first} to {last} on the card and retype them."
            ),
            field=field,
            birth_date=birth.isoformat(),
            **where,
        )
    if birth.year < EARLIEST_BIRTH_YEAR:
        raise ValidationError(
            N_(
                "The birth date in the ID number, {birth_date}, is before {earliest_year}; "
                "check digits {first} to {last} on the card and"
                " retype them."
            ),
            field=field,
            birth_date=birth.isoformat(),
            **where,
            earliest_year=EARLIEST_BIRTH_YEAR,
        )
    return birth


def parse_id_number(raw: str, *, today: date | None = None, field: str = "id_number") -> IdNumber:
    """Check an ID number as typed and return it in 18-character form.

    Old 15-digit numbers are converted (century 19 inserted, check character
    computed). An unknown region code is only a warning, because codes change.
    """
    today = today or date.today()
    number, positions = _compact(raw, field)
    if not number:
        raise ValidationError(N_("Type the 18-character ID number."), field=field)
    if len(number) not in (15, 18):
        raise ValidationError(
            N_(
                "The ID number has {length} characters, but it should have 18 (15 on old "
                "cards); check for a missing or extra digit and retype it."
            ),
            field=field,
            length=len(number),
        )
    _check_characters(number, positions, field)

    converted = len(number) == 15
    if converted:
        body = number[:6] + "19" + number[6:]
        number = body + check_character(body)

    birth = _birth_date(number, field, today, legacy=converted)
    expected = check_character(number[:17])
    if number[17] != expected:
        raise ValidationError(
            N_(
                "The ID number's check character should be {expected}, not {actual}, so a "
                "digit is wrong; check the number on the card and retype it."
            ),
            field=field,
            expected=expected,
            actual=number[17],
        )

    code = number[:6]
    warnings: list[UserError] = []
    if region(code) is None:
        warnings.append(
            Warning_(
                N_(
                    "The region code {code} (the first 6 digits of the ID number) is not in "
                    "the list of known regions; compare it with the card. If it matches, "
                    "the number can be kept."
                ),
                field=field,
                code=code,
            )
        )
    return IdNumber(
        number=number,
        birth_date=birth,
        sex=Sex.MALE if int(number[16]) % 2 == 1 else Sex.FEMALE,
        region_code=code,
        region_name=region_name(code),
        converted_from_15=converted,
        warnings=tuple(warnings),
    )


def is_valid_id_number(raw: str, *, today: date | None = None) -> bool:
    """Whether ``raw`` is an ID number without errors (warnings allowed)."""
    try:
        parse_id_number(raw, today=today)
    except ValidationError:
        return False
    return True
