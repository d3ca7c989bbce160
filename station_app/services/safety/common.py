"""What the safety services share: China days and months, the day a check is
due for, moments staff enter, names of who checked, and plain snapshots of
records for the amendments of signed months."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.db.models import Person, User
from station_app.domain.clock import CHINA_TZ, check_recent_enough, china_date, china_minute_text
from station_app.domain.enums import SafetyFrequency
from station_app.domain.errors import N_, ValidationError
from station_app.services.persons import display_name

# A night round before noon belongs to the night before: a round at 01:30 on
# the 2nd is the round of the night of the 1st.
NIGHT_TURNS_AT_HOUR = 12
# From this hour the night before is over: a night without a round counts as
# missed (before it, the night shift may still be doing it).
NIGHT_OVER_AT_HOUR = 7
# How names of who checked are kept in one column: 张三、李四 (older entries
# may use commas).
NAME_JOIN = "、"
_NAME_SEPARATORS = ("、", ",", "，", ";", "；")
NAME_LENGTH = 40
EARLIEST_YEAR = 2000


def due_day(frequency: SafetyFrequency, moment: datetime) -> date:
    """The China day a check at ``moment`` counts for (the night, for a night round)."""
    local = moment.astimezone(CHINA_TZ)
    if frequency is SafetyFrequency.NIGHTLY:
        local -= timedelta(hours=NIGHT_TURNS_AT_HOUR)
    return local.date()


def due_period(frequency: SafetyFrequency, day: date) -> tuple[date, date]:
    """First and last day of the period (day, night, week from Monday, month) holding ``day``."""
    if frequency is SafetyFrequency.WEEKLY:
        monday = day - timedelta(days=day.weekday())
        return monday, monday + timedelta(days=6)
    if frequency is SafetyFrequency.MONTHLY:
        return month_days(day.year, day.month)
    return day, day


def month_days(year: int, month: int) -> tuple[date, date]:
    """First and last day of a calendar month."""
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return first, following - timedelta(days=1)


def month_text(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def months_between(first: date, last: date) -> list[tuple[int, int]]:
    """Every (year, month) from ``first``'s to ``last``'s, in order."""
    out: list[tuple[int, int]] = []
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def check_month(year: int, month: int, field: str = "month") -> None:
    if not (EARLIEST_YEAR <= year <= 2999 and 1 <= month <= 12):
        raise ValidationError(
            N_("{month} is not a month; give a year and a month from 1 to 12, e.g. 2026-01."),
            field=field,
            month=f"{year}-{month:02d}",
        )


def local_instant(day: date, hour: int = 0) -> datetime:
    """Midnight (or ``hour``) of a China day, in UTC."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=CHINA_TZ).astimezone(UTC)


def night_is_running(now: datetime) -> bool:
    """Whether last night's round may still be under way at ``now``."""
    return now.astimezone(CHINA_TZ).hour < NIGHT_OVER_AT_HOUR


def past_moment(at: datetime | None, now: datetime, field: str) -> datetime:
    """A moment staff entered: given, timezone-aware, and not in the future."""
    if at is None:
        raise ValidationError(
            N_("{field_name} is required; fill it in."), field=field, field_name=field
        )
    if at.tzinfo is None:
        raise ValueError(f"naive datetime given for {field}")
    check_recent_enough(at, field=field)
    if at > now:
        raise ValidationError(
            N_("{field_name} ({when}) is in the future; enter the time it really happened."),
            field=field,
            field_name=field,
            when=china_minute_text(at),
        )
    return at.astimezone(UTC)


def past_day(day: date | None, now: datetime, field: str) -> date:
    """A date staff entered: given and not after today in China."""
    if day is None:
        raise ValidationError(
            N_("{field_name} is required; fill it in."), field=field, field_name=field
        )
    check_recent_enough(day, field=field)
    if day > china_date(now):
        raise ValidationError(
            N_("{field_name} ({day}) is after today; enter the day it really happened."),
            field=field,
            field_name=field,
            day=day.isoformat(),
        )
    return day


def clean_names(names: Sequence[str], needed: int, field: str = "checked_by") -> list[str]:
    """The names of who checked: at least ``needed`` different people."""
    out: list[str] = []
    for index, raw in enumerate(names):
        name = " ".join((raw or "").split())
        if not name:
            continue
        if len(name) > NAME_LENGTH or any(sep in name for sep in _NAME_SEPARATORS):
            raise ValidationError(
                N_(
                    "Enter one name per line, each at most {length} characters long, "
                    "without commas: {name}"
                ),
                field=field,
                length=NAME_LENGTH,
                name=name[:60],
            ).at_row(index)
        if name in out:
            raise ValidationError(
                N_("{name} is entered twice; the check needs {needed} different staff."),
                field=field,
                name=name,
                needed=needed,
            ).at_row(index)
        out.append(name)
    if len(out) < needed:
        if needed == 1:
            raise ValidationError(
                N_("Enter the name of the staff member who checked."), field=field
            )
        raise ValidationError(
            N_(
                "This check is done by {needed} staff together; enter the names of all "
                "{needed} (one name per line)."
            ),
            field=field,
            needed=needed,
        )
    return out


def split_names(stored: str) -> tuple[str, ...]:
    text = stored
    for sep in _NAME_SEPARATORS[1:]:
        text = text.replace(sep, NAME_JOIN)
    return tuple(n.strip() for n in text.split(NAME_JOIN) if n.strip())


def plain(value: Any) -> Any:
    """A value as plain JSON: enums by value, dates and times in ISO form."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


def snapshot(row: object, fields: Sequence[str]) -> dict[str, Any]:
    return {f: plain(getattr(row, f)) for f in fields}


def user_names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(
        select(User.id, User.display_name, User.username).where(User.id.in_(wanted))
    )
    return {uid: shown or login for uid, shown, login in rows}


def person_names(session: Session, station_id: int, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.scalars(
        select(Person).where(Person.station_id == station_id, Person.id.in_(wanted))
    )
    return {p.id: display_name(p) for p in rows}
