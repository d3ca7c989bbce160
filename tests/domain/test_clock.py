"""China time as staff read it: the day and the minute of a moment kept in UTC."""

from __future__ import annotations

from datetime import UTC, datetime

from station_app.domain.clock import CHINA_TZ, china_date, china_day_text, china_minute_text

LATE_EVENING_UTC = datetime(2026, 1, 10, 16, 30, tzinfo=UTC)  # 00:30 next day in Kangding


def test_a_moment_is_shown_in_china_time_to_the_minute() -> None:
    assert china_minute_text(LATE_EVENING_UTC) == "2026-01-11 00:30"
    assert china_minute_text(LATE_EVENING_UTC.astimezone(CHINA_TZ)) == "2026-01-11 00:30"
    # a naive time (a printed record typed as wall-clock time) is China time already
    assert china_minute_text(datetime(2026, 1, 10, 16, 30)) == "2026-01-10 16:30"


def test_the_day_of_a_moment_is_the_day_in_china() -> None:
    assert china_date(LATE_EVENING_UTC).isoformat() == "2026-01-11"
    assert china_day_text(LATE_EVENING_UTC) == "2026-01-11"
