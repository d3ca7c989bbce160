"""The domain validators against hostile input (tests/support/hostile.py):
each value is either accepted and cleaned — no control, bidi, zero-width or
other invisible character left, within its length — or refused with a
ValidationError whose message a person can read; never another exception."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from station_app.domain import names
from station_app.domain.age import (
    EARLIEST_BIRTH_YEAR,
    MAX_ESTIMATED_AGE,
    check_birth_date,
    check_estimated_age,
)
from station_app.domain.errors import UserError, ValidationError
from station_app.domain.idcard import parse_id_number
from station_app.domain.phone import parse_phone
from station_app.domain.text import clean_text
from station_app.services import values
from tests.support import hostile
from tests.support.hostile import FEW, PROPERTY

TODAY = date(2026, 3, 1)
MESSAGE_LIMIT = 600  # characters: a message is read, not scrolled


def readable(error: UserError) -> str:
    """The message as shown: encodable, short, and free of invisible characters."""
    text = str(error)
    text.encode("utf-8")  # a lone surrogate in a message breaks every log and dialog
    assert len(text) <= MESSAGE_LIMIT, f"message of {len(text)} characters"
    assert hostile.leftover(text) == [], hostile.leftover(text)
    return text


def assert_clean(result: str | None, *, max_length: int, multiline: bool) -> None:
    if result is None:
        return
    assert result == result.strip()
    assert len(result) <= max_length
    assert hostile.leftover(result, multiline=multiline) == []
    assert "\r" not in result


# ---------------------------------------------------------------- free text


@pytest.mark.parametrize("label", list(hostile.TEXTS))
@pytest.mark.parametrize("multiline", [False, True], ids=["line", "lines"])
def test_corpus_text_is_cleaned_or_refused(label: str, multiline: bool) -> None:
    value = hostile.TEXTS[label]
    try:
        result = clean_text(value, field="notes", max_length=2000, multiline=multiline)
    except ValidationError as exc:
        readable(exc)
    else:
        assert_clean(result, max_length=2000, multiline=multiline)


@PROPERTY
@given(value=hostile.hostile_text(), multiline=st.booleans(), max_length=st.integers(1, 300))
def test_any_text_is_cleaned_or_refused(value: str, multiline: bool, max_length: int) -> None:
    try:
        result = clean_text(value, field="notes", max_length=max_length, multiline=multiline)
    except ValidationError as exc:
        readable(exc)
    else:
        assert_clean(result, max_length=max_length, multiline=multiline)


def test_a_line_separator_is_no_way_around_single_line() -> None:
    with pytest.raises(ValidationError) as caught:
        clean_text("扎西\u2028德勒", field="name_zh", max_length=50)
    assert "single line" in readable(caught.value)


def test_a_line_separator_in_notes_is_a_line_break() -> None:
    assert clean_text("一\u2028二\u2029三", field="notes", max_length=50, multiline=True) == (
        "一\n二\n三"
    )


@pytest.mark.parametrize("char", ["\U000e0041", "\ufff9", "\u0600", "\U0001bca0"])
def test_other_invisible_format_characters_are_refused(char: str) -> None:
    with pytest.raises(ValidationError) as caught:
        clean_text(f"扎{char}西", field="name_zh", max_length=50)
    assert f"U+{ord(char):04X}" in readable(caught.value)


@PROPERTY
@given(value=hostile.hostile_text())
def test_service_text_checks_hold_the_same_promise(value: str) -> None:
    for check, limit, multiline in (
        (values.text, values.LINE_LENGTH, False),
        (values.long_text, values.LONG_TEXT_LENGTH, True),
    ):
        try:
            result = check(value, "notes")
        except ValidationError as exc:
            readable(exc)
        else:
            assert_clean(result, max_length=limit, multiline=multiline)


# ---------------------------------------------------------------- ID numbers

_ID = re.compile(r"[0-9]{17}[0-9X]")


def _check_id(raw: str) -> None:
    try:
        parsed = parse_id_number(raw, today=TODAY)
    except ValidationError as exc:
        readable(exc)
    else:
        assert _ID.fullmatch(parsed.number), "an accepted number is 17 ASCII digits and 0-9/X"
        assert parsed.birth_date.year >= EARLIEST_BIRTH_YEAR
        assert parsed.birth_date <= TODAY


@pytest.mark.parametrize("label", list(hostile.ID_NUMBERS))
def test_corpus_id_numbers_are_accepted_in_ascii_or_refused(label: str) -> None:
    _check_id(hostile.ID_NUMBERS[label])


def test_a_bidi_mark_in_an_id_number_is_not_quoted_into_the_message() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_id_number("513301\u202e198503020025", today=TODAY)
    assert "U+202E" in readable(caught.value)


@PROPERTY
@given(raw=st.one_of(hostile.digits_in_any_script(18), hostile.hostile_text(max_size=30)))
def test_any_id_number_is_accepted_in_ascii_or_refused(raw: str) -> None:
    _check_id(raw)


@PROPERTY
@given(raw=hostile.digits_in_any_script(18))
def test_a_tibetan_digit_is_never_read_as_a_number(raw: str) -> None:
    if any(hostile.TIBETAN_DIGITS.find(ch) >= 0 for ch in raw):
        with pytest.raises(ValidationError):
            parse_id_number(raw, today=TODAY)
    else:
        _check_id(raw)


# ---------------------------------------------------------------- phone numbers


def _check_phone(raw: str) -> None:
    try:
        phone = parse_phone(raw)
    except ValidationError as exc:
        readable(exc)
    else:
        assert phone.digits.isascii()
        assert phone.digits.isdigit()
        assert hostile.leftover(phone.display) == []


@pytest.mark.parametrize("label", list(hostile.PHONES))
def test_corpus_phones_are_accepted_in_ascii_or_refused(label: str) -> None:
    _check_phone(hostile.PHONES[label])


@PROPERTY
@given(raw=st.one_of(hostile.digits_in_any_script(11), hostile.hostile_text(max_size=30)))
def test_any_phone_is_accepted_in_ascii_or_refused(raw: str) -> None:
    _check_phone(raw)


def test_a_pasted_page_of_digits_is_not_quoted_whole() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_phone("1" * 1_000_000)
    assert "1000000" in readable(caught.value)  # the length is told, not the digits


# ---------------------------------------------------------------- dates and ages


@PROPERTY
@given(day=st.dates())
def test_any_birth_date_is_possible_or_refused(day: date) -> None:
    try:
        check_birth_date(day, today=TODAY)
    except ValidationError as exc:
        readable(exc)
        assert day > TODAY or day.year < EARLIEST_BIRTH_YEAR
    else:
        assert day.year >= EARLIEST_BIRTH_YEAR
        assert day <= TODAY


@pytest.mark.parametrize("label", list(hostile.DATES))
def test_corpus_dates_are_refused(label: str) -> None:
    with pytest.raises(ValidationError) as caught:
        check_birth_date(hostile.DATES[label], today=TODAY)
    readable(caught.value)


@FEW
@given(age=st.integers())
def test_any_estimated_age_is_possible_or_refused(age: int) -> None:
    try:
        check_estimated_age(age)
    except ValidationError as exc:
        readable(exc)
        assert not 0 <= age <= MAX_ESTIMATED_AGE
    else:
        assert 0 <= age <= MAX_ESTIMATED_AGE


# ---------------------------------------------------------------- amounts


@pytest.mark.parametrize(
    "raw", ["1e100", "1E+30", "9" * 40, "-0.001", "NaN", "Infinity", "sNaN", "༡༢", "1,5"]
)
def test_hostile_amounts_are_refused_with_a_message(raw: str) -> None:
    with pytest.raises(ValidationError) as caught:
        values.money(raw, "fare")
    readable(caught.value)


def test_full_width_digits_of_an_amount_are_read_as_digits() -> None:
    assert values.money("１２.５", "fare") == Decimal("12.50")


@PROPERTY
@given(raw=st.one_of(hostile.hostile_text(max_size=20), st.decimals().map(str)))
def test_any_amount_is_a_sum_of_yuan_or_refused(raw: str) -> None:
    try:
        amount = values.money(raw, "fare")
    except ValidationError as exc:
        readable(exc)
    else:
        if amount is not None:
            assert amount.is_finite()
            assert amount >= 0
            assert amount == amount.quantize(Decimal("0.01"))


# ---------------------------------------------------------------- names and search


@PROPERTY
@given(value=hostile.hostile_text())
def test_search_keys_and_queries_of_any_text_never_fail(value: str) -> None:
    try:
        cleaned = clean_text(value, field="name_zh", max_length=100)
    except ValidationError:
        cleaned = None
    if cleaned:
        for key in names.person_keys(name_zh=cleaned, name_bo=cleaned, code_name=cleaned):
            assert hostile.leftover(key.key) == []
    names.query_lookups(value)
