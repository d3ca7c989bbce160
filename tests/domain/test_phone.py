"""Chinese phone numbers."""

from __future__ import annotations

import pytest

from station_app.domain.errors import ValidationError
from station_app.domain.phone import is_valid_phone, parse_phone


@pytest.mark.parametrize(
    "raw",
    [
        "13912345678",
        "139 1234 5678",
        "139-1234-5678",
        "+86 139 1234 5678",
        "+8613912345678",
        "0086 139 1234 5678",
        "86 13912345678",
        "１３９ １２３４ ５６７８",
        "(139) 1234 5678",
    ],
)
def test_mobile_forms(raw: str) -> None:
    phone = parse_phone(raw)
    assert phone.kind == "mobile"
    assert phone.digits == "13912345678"
    assert phone.display == "139 1234 5678"
    assert phone.extension is None


@pytest.mark.parametrize(
    ("raw", "digits", "display", "extension"),
    [
        ("0836-2812345", "08362812345", "0836-2812345", None),
        ("08362812345", "08362812345", "0836-2812345", None),
        ("(0836) 2812345", "08362812345", "0836-2812345", None),
        ("（0836）2812345", "08362812345", "0836-2812345", None),
        ("０８３６－２８１２３４５", "08362812345", "0836-2812345", None),
        ("+86 836 2812345", "08362812345", "0836-2812345", None),
        ("0836-2812345-801", "08362812345", "0836-2812345-801", "801"),
        ("0836-2812345转801", "08362812345", "0836-2812345-801", "801"),
        ("010-62345678", "01062345678", "010-62345678", None),
        ("028 8765 4321", "02887654321", "028-87654321", None),
        ("0836-28123456", "083628123456", "0836-28123456", None),
    ],
)
def test_landline_forms(raw: str, digits: str, display: str, extension: str | None) -> None:
    phone = parse_phone(raw)
    assert phone.kind == "landline"
    assert (phone.digits, phone.display, phone.extension) == (digits, display, extension)


@pytest.mark.parametrize(
    ("raw", "display"), [("400-123-4567", "400-123-4567"), ("8001234567", "800-123-4567")]
)
def test_service_numbers(raw: str, display: str) -> None:
    phone = parse_phone(raw)
    assert phone.kind == "service"
    assert phone.display == display


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "Type the phone number"),
        ("   ", "Type the phone number"),
        ("1391234567", "11 digits"),
        ("139123456789", "11 digits"),
        ("12912345678", "starts with 13 to 19"),
        ("2812345", "needs its area code"),
        ("0836-0812345", "7 or 8 digits"),
        ("0836-1812345", "7 or 8 digits"),
        ("0836-281234", "7 or 8 digits"),
        ("010-1234567", "7 or 8 digits"),
        ("0111-2812345", "not a phone number"),
        ("+1 212 555 1234", "Only Chinese phone numbers"),
        ("13912345678转8", "no extension"),
        ("0836-2812345转", "1 to 6 digits"),
        ("139 1234 567a", "is not allowed"),
        ("4001234567转1", "not a phone number"),
        ("12345", "11 digits"),
    ],
)
def test_invalid_numbers_say_what_to_do(raw: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_phone(raw)
    assert fragment in str(info.value)
    assert info.value.field == "phone"
    assert not is_valid_phone(raw)


def test_tibetan_digits_are_rejected_with_position() -> None:
    raw = "139" + chr(0x0F21) + "2345678"
    with pytest.raises(ValidationError) as info:
        parse_phone(raw, field="relative_phone")
    assert info.value.field == "relative_phone"
    assert info.value.params["position"] == 4
    assert info.value.params["codepoint"] == "U+0F21"
    assert "Tibetan digit" in str(info.value)
