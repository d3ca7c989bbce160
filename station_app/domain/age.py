"""Ages, estimated ages and the age bands of the bureau's monthly report."""

from __future__ import annotations

from datetime import date
from typing import Literal

from station_app.domain.errors import N_, ValidationError, Warning_

EARLIEST_BIRTH_YEAR = 1890
MAX_ESTIMATED_AGE = 120
ADULT_AGE = 18
SPECIAL_MINOR_AGE = 16
# Visual estimates (目测年龄) of people living rough are often off by years,
# so only a gross disagreement is worth a second look.
AGE_MISMATCH_YEARS = 10

AgeBand = Literal["0-6", "7-18", "19-59", "60+"]
AGE_BANDS: tuple[AgeBand, ...] = ("0-6", "7-18", "19-59", "60+")


def age_on(birth: date, on: date) -> int:
    """Completed years of life on ``on`` (someone born on 29 February ages on 1 March)."""
    if on < birth:
        raise ValueError(f"{on} is before the birth date {birth}")
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years


def estimated_birth_year(age: int, on: date) -> int:
    """The birth year implied by an age estimated on ``on`` (a year either way)."""
    return on.year - age


def check_birth_date(d: date, *, today: date | None = None, field: str = "birth_date") -> None:
    """Reject birth dates in the future or before 1890."""
    today = today or date.today()
    if d > today:
        raise ValidationError(
            N_(
                "The birth date {birth_date} is in the future; check the year, month and "
                "day and retype it."
            ),
            field=field,
            birth_date=d.isoformat(),
        )
    if d.year < EARLIEST_BIRTH_YEAR:
        raise ValidationError(
            N_(
                "The birth date {birth_date} is before {earliest_year}; check the year. If "
                "only the age is known, enter an estimated age instead."
            ),
            field=field,
            birth_date=d.isoformat(),
            earliest_year=EARLIEST_BIRTH_YEAR,
        )


def check_estimated_age(age: int, *, field: str = "estimated_age") -> None:
    """Reject estimated ages outside 0..120."""
    if not 0 <= age <= MAX_ESTIMATED_AGE:
        raise ValidationError(
            N_("The estimated age {age} is not possible; enter an age from 0 to {max_age}."),
            field=field,
            age=age,
            max_age=MAX_ESTIMATED_AGE,
        )


def age_mismatch_warning(
    birth_date: date, estimated_age: int, estimated_on: date
) -> Warning_ | None:
    """A warning when the birth date and the visual estimate disagree grossly."""
    actual = age_on(birth_date, estimated_on) if estimated_on >= birth_date else 0
    if abs(actual - estimated_age) <= AGE_MISMATCH_YEARS:
        return None
    return Warning_(
        N_(
            "The birth date gives an age of {actual_age}, but the estimated age is "
            "{estimated_age}; check the birth date or the document it came from."
        ),
        field="birth_date",
        actual_age=actual,
        estimated_age=estimated_age,
    )


def is_minor(age: int) -> bool:
    """Under 18: exempt from the 10-day limit and may not leave alone."""
    return age < ADULT_AGE


def is_under_16(age: int) -> bool:
    """Under 16: the stricter minors' protection rules apply."""
    return age < SPECIAL_MINOR_AGE


def age_band(age: int) -> AgeBand:
    """Band of the monthly report: ≤6, 7-18, 19-59, ≥60."""
    if age < 0:
        raise ValueError(f"negative age {age}")
    if age <= 6:
        return "0-6"
    if age <= 18:
        return "7-18"
    if age <= 59:
        return "19-59"
    return "60+"


def effective_age(
    birth_date: date | None,
    estimated_age: int | None,
    estimated_on: date | None,
    on: date,
) -> int | None:
    """Best known age on ``on``: from the birth date, else the estimate aged since it was made."""
    if birth_date is not None:
        return age_on(birth_date, on) if on >= birth_date else 0
    if estimated_age is None:
        return None
    if estimated_on is None:
        return estimated_age
    if on >= estimated_on:
        return estimated_age + age_on(estimated_on, on)
    return max(0, estimated_age - age_on(on, estimated_on))
