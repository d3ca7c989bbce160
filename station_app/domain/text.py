"""Cleaning of free text typed by staff or imported from spreadsheets."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from station_app.domain.errors import N_, ValidationError

# Full-width ASCII forms (U+FF01-FF5E) are what a Chinese IME types in
# full-width mode; they map one to one onto ASCII, so positions are kept.
_HALFWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_HALFWIDTH[0x3000] = 0x20  # ideographic space

# Invisible characters that carry no meaning in a name, a note or a number, and
# that make two equal-looking names differ; see remove_invisible.
INVISIBLE_CHARACTERS = frozenset(
    "\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180e\u200b\u200c\u200d"
    "\u2060\u2061\u2062\u2063\u2064\u3164\ufeff\uffa0"
)
_INVISIBLE = str.maketrans(dict.fromkeys(map(ord, INVISIBLE_CHARACTERS)))

_BIDI_CONTROLS = frozenset(
    "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)

# Unicode's own line and paragraph separators: a line break that does not look
# like one to a check for "\n".
_LINE_SEPARATORS = frozenset("\u2028\u2029")

TSHEG = "\u0f0b"
NON_BREAKING_TSHEG = "\u0f0c"


def codepoint(ch: str) -> str:
    """``U+XXXX`` notation of a character, for messages staff can pass on to support."""
    return f"U+{ord(ch):04X}"


def shown(ch: str) -> str:
    """``ch`` as a message may quote it: an invisible, control or broken
    character (which would reorder, cut or break the message) as U+FFFD."""
    if ch.isprintable() and unicodedata.category(ch) not in ("Cf", "Cs", "Co", "Cn"):
        return ch
    return "\ufffd"


def shown_text(s: str, limit: int = 40) -> str:
    """``s`` as a message may quote it: at most ``limit`` characters (then "…"),
    each through :func:`shown`."""
    cut = s if len(s) <= limit else s[:limit] + "\u2026"
    return "".join(ch if ch == "\u2026" else shown(ch) for ch in cut)


def to_halfwidth(s: str) -> str:
    """Convert full-width digits, letters and punctuation to their ASCII forms."""
    return s.translate(_HALFWIDTH)


# A number as staff type it: digits 0-9 (full-width ones are made ASCII
# first), an optional sign and decimal point. Decimal() alone would also read
# Tibetan and other scripts' digits, exponents ("1e100"), NaN and Infinity.
_TYPED_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)", re.ASCII)


def typed_decimal(value: Decimal | int | str | None) -> Decimal | None:
    """The finite number ``value`` stands for, or None when it is empty or not
    a number written with the digits 0-9 (a bool is not a number either)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        typed = to_halfwidth(value).strip()
        return Decimal(typed) if _TYPED_NUMBER.fullmatch(typed) else None
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None
    return amount if amount.is_finite() else None


def remove_invisible(s: str) -> str:
    """``s`` without the invisible characters of :data:`INVISIBLE_CHARACTERS`.

    Zero-width space (some Tibetan input methods put it between syllables),
    zero-width non-joiner and joiner, word joiner and the invisible operators,
    byte order mark, soft hyphen, Mongolian vowel separator, combining grapheme
    joiner, Hangul fillers and the Khmer inherent vowels. Applied to everything
    staff type or import (through :func:`clean_text`, the phone and ID parsers,
    and every cell the import reads), so that a name never differs from
    another, in search, duplicates or ID checks, by something no one can see.

    ZWNJ (U+200C) and ZWJ (U+200D) are removed too, on purpose. Tibetan script
    does not need them: its stacks are encoded with the subjoined letters
    U+0F90-U+0FBC, so a shaper never needs a joiner to form or break one, and
    the tsheg (U+0F0B) separates syllables. Names here are Chinese, Tibetan or
    Latin, none of which uses joiners; in pasted text they are leftovers of web
    pages, emoji sequences or other scripts' input methods.
    """
    return s.translate(_INVISIBLE)


def is_tibetan_digit(ch: str) -> bool:
    """Tibetan digits ༠-༩ look like numbers to ``int()`` and ``\\d`` but are display-only."""
    return "\u0f20" <= ch <= "\u0f29"


def has_tibetan(s: str) -> bool:
    """Whether ``s`` contains any character of the Tibetan block."""
    return any("\u0f00" <= ch <= "\u0fff" for ch in s)


def has_han(s: str) -> bool:
    """Whether ``s`` contains a Chinese character (CJK ideograph)."""
    return any(_is_han(ch) for ch in s)


def _is_han(ch: str) -> bool:
    cp = ord(ch)
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0xF900 <= cp <= 0xFAFF
        or 0x20000 <= cp <= 0x2EBEF
        or 0x30000 <= cp <= 0x323AF
    )


def _is_private_use(cp: int) -> bool:
    return 0xE000 <= cp <= 0xF8FF or cp >= 0xF0000


def _check_character(ch: str, position: int, *, field: str, multiline: bool) -> None:
    cp = ord(ch)
    params = {"field_name": field, "position": position, "codepoint": codepoint(ch)}
    if ch in "\n\t" and multiline:
        return
    if (ch == "\r" or ch in _LINE_SEPARATORS) and multiline:
        return  # line endings are normalised to \n afterwards
    if cp < 0x20 or 0x7F <= cp <= 0x9F or ch in _LINE_SEPARATORS:
        if ch in "\n\r" or ch in _LINE_SEPARATORS:
            raise ValidationError(
                N_(
                    "{field_name} must be a single line, but character {position} is a "
                    "line break; join the lines into one."
                ),
                field=field,
                **params,
            )
        raise ValidationError(
            N_(
                "{field_name} contains an invisible control character ({codepoint}) at "
                "position {position}; delete it and retype the text around it."
            ),
            field=field,
            **params,
        )
    if ch in _BIDI_CONTROLS:
        raise ValidationError(
            N_(
                "{field_name} contains an invisible text-direction mark ({codepoint}) at "
                "position {position}, usually copied from a web page; delete it and retype "
                "the text around it."
            ),
            field=field,
            **params,
        )
    if unicodedata.category(ch) == "Cf" and ch not in INVISIBLE_CHARACTERS:
        # tag characters (they can spell text no one sees), interlinear
        # annotation marks, number signs of other scripts: nothing a name, a
        # note or a number needs; the invisible ones that do occur in pasted
        # text are removed afterwards (remove_invisible)
        raise ValidationError(
            N_(
                "{field_name} contains an invisible control character ({codepoint}) at "
                "position {position}; delete it and retype the text around it."
            ),
            field=field,
            **params,
        )
    if 0xD800 <= cp <= 0xDFFF:
        raise ValidationError(
            N_(
                "{field_name} contains a broken character ({codepoint}) at position "
                "{position}; delete it and retype the character."
            ),
            field=field,
            **params,
        )
    if _is_private_use(cp):
        raise ValidationError(
            N_(
                "{field_name} contains a private character ({codepoint}) at position "
                "{position} that other computers and printers show as a blank box; "
                "retype it with a standard keyboard layout."
            ),
            field=field,
            **params,
        )


def clean_text(
    value: str | None,
    *,
    field: str,
    max_length: int,
    multiline: bool = False,
    required: bool = False,
) -> str | None:
    """Normalise and check free text; return ``None`` for empty input.

    Positions in error messages count characters of the text as typed (1-based),
    so staff can find the offending character.
    """
    raw = value or ""
    start = len(raw) - len(raw.lstrip())
    end = len(raw.rstrip())
    # Surrounding whitespace (a trailing newline pasted from Excel) is removed
    # silently; only characters inside the text are checked.
    for index in range(start, end):
        _check_character(raw[index], index + 1, field=field, multiline=multiline)

    text = raw[start:end].replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n")
    text = remove_invisible(text).replace(NON_BREAKING_TSHEG, TSHEG)
    text = unicodedata.normalize("NFC", text).strip()

    if not text:
        if required:
            raise ValidationError(
                N_("{field_name} is required; fill it in."), field=field, field_name=field
            )
        return None
    if len(text) > max_length:
        raise ValidationError(
            N_(
                "{field_name} is {length} characters long, but at most {max_length} are "
                "allowed; shorten it."
            ),
            field=field,
            field_name=field,
            length=len(text),
            max_length=max_length,
        )
    return text
