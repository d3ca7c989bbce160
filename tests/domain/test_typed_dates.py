"""Dates and times read as typed (issue 16, item 2): every form staff type,
a day that does not exist refused with a reason, nothing guessed."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from station_app.domain.typed_dates import (
    DEFAULT_CONFIRM_DAYS_BACK,
    NO_SUCH_DAY,
    NOT_A_DATE,
    NOT_A_MOMENT,
    NOT_A_TIME,
    Typed,
    UnreadableDate,
    Want,
    days_back_to_confirm,
    read_day,
    read_typed,
)

TODAY = date(2026, 12, 6)
days = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
clocks = st.times().map(lambda t: t.replace(second=0, microsecond=0))


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("2026-12-04", date(2026, 12, 4)),
        ("2026-12-4", date(2026, 12, 4)),
        ("2026/12/04", date(2026, 12, 4)),
        ("2026.12.04", date(2026, 12, 4)),
        ("20261204", date(2026, 12, 4)),
        ("2025-03-17", date(2025, 3, 17)),
        ("12-04", date(2026, 12, 4)),
        ("1204", date(2026, 12, 4)),
        ("0317", date(2026, 3, 17)),
        ("4", date(2026, 12, 4)),
        ("04", date(2026, 12, 4)),
        ("05", date(2026, 12, 5)),
        ("19", date(2026, 12, 19)),  # after today: as typed; the form's checks say so
        ("今天", TODAY),
        ("today", TODAY),
        (" Today ", TODAY),
        ("昨天", date(2026, 12, 5)),
        ("yesterday", date(2026, 12, 5)),
        ("前天", date(2026, 12, 4)),
        ("ཁ་སང་", date(2026, 12, 5)),
        ("2026年12月4日", date(2026, 12, 4)),
        ("2026年12月04日", date(2026, 12, 4)),  # what a Chinese date edit shows
        ("12月4日", date(2026, 12, 4)),
        ("4日", date(2026, 12, 4)),
        ("2026 ལོའི་ཟླ་12 ཚེས་04", date(2026, 12, 4)),  # what a Tibetan date edit shows
        ("２０２６－１２－０４", date(2026, 12, 4)),  # full-width, from a Chinese input method
        ("༢༠༢༦-༡༢-༠༤", date(2026, 12, 4)),  # Tibetan digits
    ],
)
def test_a_typed_day_is_the_day_typed(typed: str, day: date) -> None:
    assert read_day(typed, TODAY) == day


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", NOT_A_DATE),
        ("abc", NOT_A_DATE),
        ("123", NOT_A_DATE),  # 1-23 or 12-3: not guessed
        ("12345", NOT_A_DATE),
        ("2026-12-04 21:30", NOT_A_DATE),  # a time in a date field
        ("٢٠٢٦-١٢-٠٤", NOT_A_DATE),  # Arabic-Indic digits are no date here
        ("02-30", NO_SUCH_DAY),
        ("2026-13-01", NO_SUCH_DAY),
        ("00", NO_SUCH_DAY),
        ("32", NO_SUCH_DAY),
        ("2027-02-29", NO_SUCH_DAY),
    ],
)
def test_text_that_is_no_day_is_refused_with_a_reason(typed: str, message: str) -> None:
    with pytest.raises(UnreadableDate) as caught:
        read_day(typed, TODAY)
    assert caught.value.message == message


def test_a_day_of_the_month_stays_in_this_month() -> None:
    """``31`` on 6 November is no day (November has 30), not 1 December."""
    with pytest.raises(UnreadableDate):
        read_day("31", date(2026, 11, 6))
    assert read_day("29", date(2028, 2, 1)) == date(2028, 2, 29)  # leap year


@pytest.mark.parametrize(
    ("typed", "clock"),
    [
        ("21:30", time(21, 30)),
        ("21：30", time(21, 30)),
        ("21.30", time(21, 30)),
        ("2130", time(21, 30)),
        ("0030", time(0, 30)),
        ("930", time(9, 30)),
        ("9:05", time(9, 5)),
        ("21", time(21, 0)),
        ("0", time(0, 0)),
    ],
)
def test_a_typed_time_is_the_time_typed(typed: str, clock: time) -> None:
    assert read_typed(typed, TODAY, Want.CLOCK) == Typed(clock=clock)


@pytest.mark.parametrize("typed", ["24:00", "2160", "12:5", "abc", "21:30:00", "12345", ""])
def test_text_that_is_no_time_is_refused(typed: str) -> None:
    with pytest.raises(UnreadableDate) as caught:
        read_typed(typed, TODAY, Want.CLOCK)
    assert caught.value.message == NOT_A_TIME


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-12-04 21:30", Typed(date(2026, 12, 4), time(21, 30))),
        ("2026-12-04T21:30", Typed(date(2026, 12, 4), time(21, 30))),
        ("2026年12月04日 21:30", Typed(date(2026, 12, 4), time(21, 30))),
        ("2026 ལོའི་ཟླ་12 ཚེས་04 21:30", Typed(date(2026, 12, 4), time(21, 30))),
        ("12-04 0930", Typed(date(2026, 12, 4), time(9, 30))),
        ("昨天 2130", Typed(date(2026, 12, 5), time(21, 30))),
        ("yesterday 21:30", Typed(date(2026, 12, 5), time(21, 30))),
        ("2130", Typed(None, time(21, 30))),  # a lone 4-digit number is a time
        ("21:30", Typed(None, time(21, 30))),
        ("930", Typed(None, time(9, 30))),
        ("2026-12-04", Typed(date(2026, 12, 4), None)),
        ("12-04", Typed(date(2026, 12, 4), None)),
        ("05", Typed(date(2026, 12, 5), None)),  # a lone 1-2 digit number is a day
        ("昨天", Typed(date(2026, 12, 5), None)),
    ],
)
def test_a_typed_date_and_time_is_what_was_typed(typed: str, expected: Typed) -> None:
    assert read_typed(typed, TODAY, Want.MOMENT) == expected


@pytest.mark.parametrize("typed", ["abc", "2026-12-04 21", "2460", "昨天 25:00", ""])
def test_text_that_is_no_date_and_time_is_refused(typed: str) -> None:
    with pytest.raises(UnreadableDate) as caught:
        read_typed(typed, TODAY, Want.MOMENT)
    assert caught.value.message in (NOT_A_MOMENT, NOT_A_TIME, NOT_A_DATE)


def test_the_typed_parts_go_over_what_the_field_held() -> None:
    zone = timezone(timedelta(hours=8))
    held = datetime(2026, 12, 6, 15, 39, tzinfo=zone)
    assert Typed(None, time(21, 30)).moment(held) == datetime(2026, 12, 6, 21, 30, tzinfo=zone)
    assert Typed(date(2026, 12, 4), None).moment(held) == datetime(2026, 12, 4, 15, 39, tzinfo=zone)


# ------------------------------------------------------------------ every day, every way


@given(day=days, today=days)
def test_every_iso_day_reads_back(day: date, today: date) -> None:
    assert read_day(day.isoformat(), today) == day
    assert read_day(day.strftime("%Y%m%d"), today) == day
    assert read_day(f"{day.year}年{day.month}月{day.day}日", today) == day


@given(day=days)
def test_month_and_day_are_of_the_current_year(day: date) -> None:
    today = date(day.year, 6, 15)
    assert read_day(day.strftime("%m-%d"), today) == day
    assert read_day(day.strftime("%m%d"), today) == day


@given(day=days)
def test_a_day_number_is_of_the_current_month(day: date) -> None:
    today = day.replace(day=1)
    assert read_day(str(day.day), today) == day
    assert read_day(f"{day.day:02d}", today) == day


@given(day=days, clock=clocks)
def test_every_date_and_time_reads_back(day: date, clock: time) -> None:
    typed = f"{day.isoformat()} {clock.strftime('%H:%M')}"
    assert read_typed(typed, TODAY, Want.MOMENT) == Typed(day, clock)
    assert read_typed(clock.strftime("%H%M"), TODAY, Want.MOMENT) == Typed(None, clock)


@given(text=st.text(max_size=20), today=days, want=st.sampled_from(Want))
def test_any_text_is_read_or_refused_never_a_crash(text: str, today: date, want: Want) -> None:
    try:
        typed = read_typed(text, today, want)
    except UnreadableDate:
        return
    assert typed.day is not None or typed.clock is not None


# ------------------------------------------------------------------ asking before saving


def test_a_day_far_back_is_asked_about() -> None:
    assert DEFAULT_CONFIRM_DAYS_BACK == 7
    assert days_back_to_confirm(TODAY - timedelta(days=30), TODAY) == 30
    assert days_back_to_confirm(TODAY - timedelta(days=8), TODAY) == 8
    assert days_back_to_confirm(TODAY - timedelta(days=7), TODAY) is None
    assert days_back_to_confirm(TODAY, TODAY) is None
    assert days_back_to_confirm(TODAY - timedelta(days=1), TODAY, days_back=0) == 1
