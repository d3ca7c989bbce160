"""Cleaning of free text."""

from __future__ import annotations

import pytest

from station_app.domain.errors import ValidationError
from station_app.domain.text import clean_text, has_han, has_tibetan, to_halfwidth


def clean(value: str | None, **kwargs: bool) -> str | None:
    return clean_text(value, field="remarks", max_length=20, **kwargs)


def test_empty_is_none() -> None:
    assert clean(None) is None
    assert clean("") is None
    assert clean(" \t\n ") is None
    assert clean("\u200b") is None


def test_required() -> None:
    with pytest.raises(ValidationError, match="required") as info:
        clean("  ", required=True)
    assert info.value.field == "remarks"
    assert info.value.params["field_name"] == "remarks"


def test_strip_and_nfc() -> None:
    assert clean("  Ame\u0301lie\n") == "Amélie"
    assert clean("Ame\u0301lie") == "Am\u00e9lie"


def test_non_breaking_tsheg_and_invisible_characters() -> None:
    assert clean("བཀྲ\u0f0cཤིས") == "བཀྲ\u0f0bཤིས"
    assert clean("\ufeffབཀྲ་\u200bཤིས") == "བཀྲ་ཤིས"


def test_multiline_keeps_newlines_and_tabs() -> None:
    assert clean("a\r\nb\rc\td", multiline=True) == "a\nb\nc\td"


@pytest.mark.parametrize("value", ["a\nb", "a\r\nb", "a\tb"])
def test_single_line_rejects_line_breaks_and_tabs(value: str) -> None:
    with pytest.raises(ValidationError) as info:
        clean(value)
    assert info.value.params["position"] == 2


@pytest.mark.parametrize(
    ("value", "position", "code", "fragment"),
    [
        ("ab\x00c", 3, "U+0000", "control character"),
        ("ab\x1bc", 3, "U+001B", "control character"),
        ("ab\x7fc", 3, "U+007F", "control character"),
        ("a\x85bc", 2, "U+0085", "control character"),
        ("  ab\u200ec", 5, "U+200E", "text-direction mark"),
        ("ab\u202ec", 3, "U+202E", "text-direction mark"),
        ("ab\u2067c", 3, "U+2067", "text-direction mark"),
        ("ab\u061cc", 3, "U+061C", "text-direction mark"),
        ("a\ue000b", 2, "U+E000", "blank box"),
        ("a\U000f0001b", 2, "U+F0001", "blank box"),
        ("a\U0010fffdb", 2, "U+10FFFD", "blank box"),
        ("a\ud800b", 2, "U+D800", "broken character"),
    ],
)
def test_rejected_characters(value: str, position: int, code: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as info:
        clean(value, multiline=True)
    assert info.value.params["position"] == position
    assert info.value.params["codepoint"] == code
    assert fragment in str(info.value)
    assert "remarks" in str(info.value)


def test_too_long_states_limit_and_length() -> None:
    assert clean("x" * 20) == "x" * 20
    with pytest.raises(ValidationError) as info:
        clean("x" * 21)
    assert info.value.params["max_length"] == 20
    assert info.value.params["length"] == 21
    assert "21 characters" in str(info.value)


def test_length_counts_characters_not_bytes() -> None:
    tibetan = "བཀྲ་ཤིས་སྒྲོལ་མ"  # 15 code points, 45 bytes in UTF-8
    assert clean(tibetan) == tibetan


def test_script_helpers() -> None:
    assert has_tibetan("Name བཀྲ་ཤིས")
    assert not has_tibetan("扎西")
    assert has_han("扎西 Tashi")
    assert has_han("\U00020000")
    assert not has_han("བཀྲ་ཤིས")
    assert not has_han("Tashi")


def test_halfwidth() -> None:
    assert to_halfwidth("０８３６－２８１２３４５\u3000ＸＹ") == "0836-2812345 XY"
