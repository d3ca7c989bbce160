"""Chinese phone numbers: mobiles, landlines with area code, 400/800 service numbers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from station_app.domain.errors import N_, ValidationError
from station_app.domain.text import (
    INVISIBLE_CHARACTERS,
    codepoint,
    is_tibetan_digit,
    shown,
    shown_text,
    to_halfwidth,
)

PhoneKind = Literal["mobile", "landline", "service"]

_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_SERVICE = re.compile(r"[48]00[0-9]{7}")
_SUBSCRIBER = re.compile(r"[2-9][0-9]{6,7}")
_EXTENSION = re.compile(r"[0-9]{1,6}")
_DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212")
_EXTENSION_MARK = "转"  # 转 = "transfer to", as in 0836-2812345转801


@dataclass(frozen=True)
class PhoneNumber:
    """A checked phone number.

    ``digits`` is the number to dial from anywhere in China, without the
    extension; ``display`` is the form for screens and paper.
    """

    kind: PhoneKind
    digits: str
    display: str
    extension: str | None = None


def _invalid(raw: str, field: str) -> ValidationError:
    return ValidationError(
        N_(
            "{value} is not a phone number that can be recorded. Type a mobile number of "
            "11 digits (e.g. 139 1234 5678) or a landline with its area code (e.g. "
            "0836-2812345)."
        ),
        field=field,
        value=shown_text(raw.strip()),
    )


def _normalise(raw: str, field: str) -> str:
    """ASCII form with dashes unified; refuse characters a phone number cannot have."""
    out: list[str] = []
    for index, ch in enumerate(to_halfwidth(raw)):
        position = index + 1
        if ch in INVISIBLE_CHARACTERS:
            continue  # copied with the number; not part of it
        if ch in _DASHES:
            out.append("-")
        elif ch.isspace():
            out.append(" ")
        elif ch == _EXTENSION_MARK or ch in "0123456789+()-":
            out.append(ch)
        elif is_tibetan_digit(ch):
            raise ValidationError(
                N_(
                    "Character {position} of the phone number is the Tibetan digit {char} "
                    "({codepoint}); phone numbers are written only with the digits 0-9. "
                    "Switch the keyboard to Chinese or English and retype the number."
                ),
                field=field,
                position=position,
                char=shown(ch),
                codepoint=codepoint(ch),
            )
        else:
            raise ValidationError(
                N_(
                    "Character {position} of the phone number, {char} ({codepoint}), is not "
                    "allowed; type only the digits 0-9, with spaces or hyphens if you like."
                ),
                field=field,
                position=position,
                char=shown(ch),
                codepoint=codepoint(ch),
            )
    return "".join(out).strip()


def _landline(digits: str, extension: str | None, raw: str, field: str) -> PhoneNumber | None:
    """A landline from area code + subscriber number, or None if it does not fit."""
    if digits.startswith("010") or digits[1:2] == "2":
        area_length = 3  # Beijing 010 and the big cities 020-029
    elif digits[1:2] in ("", "0", "1"):
        return None
    else:
        area_length = 4
    area, subscriber = digits[:area_length], digits[area_length:]
    if not _SUBSCRIBER.fullmatch(subscriber):
        raise ValidationError(
            N_(
                "After the area code {area}, a landline number has 7 or 8 digits and does not "
                "start with 0 or 1, but {value} does not fit; check the number and retype it."
            ),
            field=field,
            area=area,
            value=shown_text(raw.strip()),
        )
    display = f"{area}-{subscriber}" + (f"-{extension}" if extension else "")
    return PhoneNumber("landline", digits, display, extension)


def parse_phone(raw: str, *, field: str = "phone") -> PhoneNumber:
    """Check a phone number as typed and return its normalised form."""
    text = _normalise(raw, field)
    if not text:
        raise ValidationError(N_("Type the phone number."), field=field)

    extension: str | None = None
    main = text
    if _EXTENSION_MARK in text:
        main, _, extension = text.partition(_EXTENSION_MARK)
        extension = extension.replace(" ", "").replace("-", "")
        if not _EXTENSION.fullmatch(extension):
            raise ValidationError(
                N_("The extension after 转 should be 1 to 6 digits, e.g. 0836-2812345转801."),
                field=field,
            )
    main = main.replace(" ", "").replace("(", "").replace(")", "")

    international = False
    for prefix in ("+86", "0086"):
        if main.startswith(prefix):
            main, international = main[len(prefix) :], True
            break
    if main.startswith("+") or (main.startswith("00") and not international):
        raise ValidationError(
            N_(
                "Only Chinese phone numbers (country code +86) can be recorded here; write a "
                "foreign number in the remarks."
            ),
            field=field,
        )
    if "+" in main:
        raise _invalid(raw, field)

    groups = [g for g in main.split("-") if g]
    digits = "".join(groups)
    if international and digits[:1] not in ("0", "1"):
        digits = "0" + digits  # +86 836 2812345: the trunk 0 is dropped abroad
        groups = ["0" + groups[0], *groups[1:]] if groups else groups
    elif not international and len(digits) == 13 and digits.startswith("861"):
        digits = digits[2:]  # 86 written without + or 00 before a mobile
        groups = [digits]

    if digits.startswith("1"):
        if _MOBILE.fullmatch(digits):
            if extension is not None:
                raise ValidationError(
                    N_("A mobile number has no extension; delete the part after 转."),
                    field=field,
                )
            return PhoneNumber("mobile", digits, f"{digits[:3]} {digits[3:7]} {digits[7:]}")
        raise ValidationError(
            N_(
                "A mobile number has 11 digits and starts with 13 to 19, but {value} has "
                "{length}; check the number and retype it."
            ),
            field=field,
            value=shown_text(raw.strip()),
            length=len(digits),
        )
    if _SERVICE.fullmatch(digits) and extension is None and not international:
        return PhoneNumber("service", digits, f"{digits[:3]}-{digits[3:6]}-{digits[6:]}")
    if digits.startswith("0"):
        if extension is None and len(groups) >= 2:
            # 0836-2812345-801: the last group is an extension only when the
            # rest already makes a complete number.
            whole = "".join(groups)
            if _landline_length_ok(whole):
                return _checked_landline(whole, None, raw, field)
            head = "".join(groups[:-1])
            if _landline_length_ok(head) and _EXTENSION.fullmatch(groups[-1]):
                return _checked_landline(head, groups[-1], raw, field)
        return _checked_landline(digits, extension, raw, field)
    if re.fullmatch(r"[2-9][0-9]{6,7}", digits):
        raise ValidationError(
            N_(
                "The landline number {value} needs its area code in front, e.g. 0836 for "
                "Kangding: 0836-2812345."
            ),
            field=field,
            value=shown_text(raw.strip()),
        )
    raise _invalid(raw, field)


def _landline_length_ok(digits: str) -> bool:
    area_length = 3 if digits.startswith("010") or digits[1:2] == "2" else 4
    return bool(_SUBSCRIBER.fullmatch(digits[area_length:]))


def _checked_landline(digits: str, extension: str | None, raw: str, field: str) -> PhoneNumber:
    result = _landline(digits, extension, raw, field)
    if result is None:
        raise _invalid(raw, field)
    return result


def is_valid_phone(raw: str) -> bool:
    """Whether ``raw`` is a phone number that :func:`parse_phone` accepts."""
    try:
        parse_phone(raw)
    except ValidationError:
        return False
    return True
