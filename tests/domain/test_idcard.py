"""Resident ID numbers: check character, birth date, region, legacy numbers."""

from __future__ import annotations

from datetime import date

import pytest

from station_app.domain.enums import Sex
from station_app.domain.errors import ValidationError, Warning_
from station_app.domain.idcard import IdNumber, is_valid_id_number, parse_id_number

TODAY = date(2026, 3, 1)


def _check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2, written independently of the code under test."""
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def make_id(region: str, birth: str, seq: str) -> str:
    body = region + birth + seq
    assert len(body) == 17
    return body + _check_char(body)


def parse(raw: str) -> IdNumber:
    return parse_id_number(raw, today=TODAY)


def test_independent_check_matches_published_examples() -> None:
    # the example printed in GB 11643 and the one in python-stdnum's docs
    assert _check_char("11010519491231002") == "X"
    assert _check_char("36042619910101007") == "1"


def test_published_example_parses() -> None:
    result = parse("11010519491231002x")
    assert result.number == "11010519491231002X"
    assert result.birth_date == date(1949, 12, 31)
    assert result.sex is Sex.FEMALE
    assert result.region_code == "110105"
    assert result.region_name == "北京市朝阳区"
    assert result.warnings == ()
    assert not result.converted_from_15


def test_kangding_city_code_is_known() -> None:
    number = make_id("513301", "19850612", "031")
    result = parse(number)
    assert result.number == number
    assert result.birth_date == date(1985, 6, 12)
    assert result.sex is Sex.MALE
    assert result.region_name == "四川省甘孜藏族自治州康定市"
    assert result.warnings == ()


def test_kangding_county_code_before_2015_is_known() -> None:
    number = make_id("513321", "19700101", "024")
    result = parse(number)
    assert result.sex is Sex.FEMALE
    assert result.region_name == "四川省甘孜藏族自治州康定县"
    assert result.warnings == ()


def test_spaces_and_hyphens_are_ignored() -> None:
    number = make_id("513328", "20010203", "115")
    spaced = f" {number[:6]} {number[6:14]}-{number[14:]} "
    assert parse(spaced).number == number


def test_fullwidth_digits_and_x_are_converted() -> None:
    number = make_id("11010519491231002", "", "")
    assert number.endswith("X")
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in number[:-1]) + "ｘ"
    assert parse(fullwidth).number == number
    assert parse(number[:-1] + "Ｘ").number == number


def test_wrong_check_character_states_the_expected_one() -> None:
    number = make_id("513301", "19850612", "031")
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    with pytest.raises(ValidationError) as info:
        parse(wrong)
    assert info.value.field == "id_number"
    assert info.value.params["expected"] == number[-1]
    assert f"should be {number[-1]}" in str(info.value)


def test_impossible_birth_date_is_an_error() -> None:
    number = make_id("513301", "19990230", "031")  # checksum is right, date is not
    with pytest.raises(ValidationError) as info:
        parse(number)
    assert info.value.params["digits"] == "19990230"
    assert "does not exist" in str(info.value)


def test_future_birth_date_is_an_error() -> None:
    number = make_id("513301", "20260302", "031")
    with pytest.raises(ValidationError, match="in the future"):
        parse(number)
    # the same number is fine once that day has come
    assert parse_id_number(number, today=date(2026, 3, 2)).birth_date == date(2026, 3, 2)


def test_birth_before_1890_is_an_error() -> None:
    with pytest.raises(ValidationError, match="before 1890"):
        parse(make_id("513301", "18891231", "031"))
    assert parse(make_id("513301", "18900101", "031")).birth_date.year == 1890


def test_tibetan_digit_is_rejected_with_its_position() -> None:
    number = make_id("513301", "19850612", "031")
    tibetan = number[:2] + chr(0x0F20 + int(number[2])) + number[3:]
    assert int(tibetan[:3]) == int(number[:3])  # why the explicit ASCII check is needed
    with pytest.raises(ValidationError) as info:
        parse(tibetan)
    assert info.value.params["position"] == 3
    assert info.value.params["codepoint"] == "U+0F23"
    assert "Tibetan digit" in str(info.value)
    assert not is_valid_id_number(tibetan)


def test_other_non_ascii_digit_is_rejected() -> None:
    number = make_id("513301", "19850612", "031")
    arabic = number[:5] + "\u0661" + number[6:]  # ARABIC-INDIC DIGIT ONE
    with pytest.raises(ValidationError) as info:
        parse(arabic)
    assert info.value.params["position"] == 6
    assert info.value.params["codepoint"] == "U+0661"


def test_fifteen_digit_number_is_converted() -> None:
    old = "513321850101123"
    expected = make_id("513321", "19850101", "123")
    result = parse(old)
    assert result.number == expected
    assert result.number[-1] == _check_char("51332119850101123")
    assert result.converted_from_15
    assert result.birth_date == date(1985, 1, 1)
    assert result.sex is Sex.MALE
    assert result.warnings == ()


def test_fifteen_digit_number_with_impossible_date() -> None:
    with pytest.raises(ValidationError) as info:
        parse("513321850230124")
    assert info.value.params["last"] == 12


def test_unknown_region_is_a_warning_not_an_error() -> None:
    number = make_id("990101", "19850612", "031")
    result = parse(number)
    assert result.number == number
    assert result.region_name is None
    assert len(result.warnings) == 1
    warning = result.warnings[0]
    assert isinstance(warning, Warning_)
    assert warning.params["code"] == "990101"
    assert is_valid_id_number(number, today=TODAY)


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "Type the 18-character"),
        ("5133011985061203", "has 16 characters"),
        ("5133011985061203111", "has 19 characters"),
        ("51330X198506120311", "only the last character"),
        ("513301198506120A11", "is not allowed"),
        ("51332185010112X", "only the last character"),
    ],
)
def test_malformed_numbers(raw: str, fragment: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse(raw)
    assert fragment in str(info.value)


def test_messages_render_through_gettext() -> None:
    number = make_id("513301", "19850612", "031")
    with pytest.raises(ValidationError) as info:
        parse(number[:-1] + ("9" if number[-1] != "9" else "8"))
    rendered = info.value.render(lambda s: s)
    assert "{" not in rendered
    assert rendered == str(info.value)
