"""Ages, estimates and report bands."""

from __future__ import annotations

from datetime import date

import pytest

from station_app.domain.age import (
    age_band,
    age_mismatch_warning,
    age_on,
    check_birth_date,
    check_estimated_age,
    effective_age,
    estimated_birth_year,
    is_minor,
    is_under_16,
)
from station_app.domain.errors import ValidationError, Warning_


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(2000, 5, 10), date(2018, 5, 9), 17),
        (date(2000, 5, 10), date(2018, 5, 10), 18),
        (date(2000, 2, 29), date(2018, 2, 28), 17),
        (date(2000, 2, 29), date(2018, 3, 1), 18),
        (date(2000, 2, 29), date(2004, 2, 29), 4),
        (date(2020, 1, 1), date(2020, 1, 1), 0),
    ],
)
def test_age_on(birth: date, on: date, age: int) -> None:
    assert age_on(birth, on) == age


def test_age_on_before_birth_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="before the birth date"):
        age_on(date(2020, 1, 2), date(2020, 1, 1))


def test_estimated_birth_year() -> None:
    assert estimated_birth_year(40, date(2025, 7, 1)) == 1985


def test_check_birth_date() -> None:
    today = date(2025, 7, 1)
    check_birth_date(today, today=today)
    check_birth_date(date(1890, 1, 1), today=today)
    with pytest.raises(ValidationError, match="in the future") as info:
        check_birth_date(date(2025, 7, 2), today=today)
    assert info.value.field == "birth_date"
    with pytest.raises(ValidationError, match="before 1890"):
        check_birth_date(date(1889, 12, 31), today=today)


@pytest.mark.parametrize("age", [0, 45, 120])
def test_plausible_estimated_ages(age: int) -> None:
    check_estimated_age(age)


@pytest.mark.parametrize("age", [-1, 121, 200])
def test_impossible_estimated_ages(age: int) -> None:
    with pytest.raises(ValidationError, match="from 0 to 120"):
        check_estimated_age(age)


def test_age_mismatch_warning_only_beyond_ten_years() -> None:
    birth = date(1980, 6, 1)
    on = date(2025, 6, 1)  # actually 45
    assert age_mismatch_warning(birth, 35, on) is None
    assert age_mismatch_warning(birth, 55, on) is None
    warning = age_mismatch_warning(birth, 34, on)
    assert isinstance(warning, Warning_)
    assert warning.params == {"actual_age": 45, "estimated_age": 34}
    assert isinstance(age_mismatch_warning(birth, 56, on), Warning_)


@pytest.mark.parametrize(
    ("age", "minor", "under_16"), [(0, True, True), (15, True, True), (16, True, False),
                                  (17, True, False), (18, False, False), (70, False, False)]
)  # fmt: skip
def test_minor_thresholds(age: int, minor: bool, under_16: bool) -> None:
    assert is_minor(age) is minor
    assert is_under_16(age) is under_16


@pytest.mark.parametrize(
    ("age", "band"),
    [(0, "0-6"), (6, "0-6"), (7, "7-18"), (18, "7-18"), (19, "19-59"), (59, "19-59"),
     (60, "60+"), (101, "60+")],
)  # fmt: skip
def test_age_band(age: int, band: str) -> None:
    assert age_band(age) == band


def test_negative_age_has_no_band() -> None:
    with pytest.raises(ValueError, match="negative"):
        age_band(-1)


def test_effective_age() -> None:
    on = date(2025, 6, 1)
    assert effective_age(date(2000, 6, 2), 50, date(2020, 1, 1), on) == 24  # birth date wins
    assert effective_age(None, 40, date(2020, 6, 1), on) == 45  # estimate ages
    assert effective_age(None, 40, date(2020, 6, 2), on) == 44
    assert effective_age(None, 40, None, on) == 40
    assert effective_age(None, 40, date(2027, 6, 1), on) == 38
    assert effective_age(None, 1, date(2027, 6, 1), on) == 0
    assert effective_age(None, None, None, on) is None
