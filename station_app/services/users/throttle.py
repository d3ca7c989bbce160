"""Growing waits after repeated failed logins, per typed user name.

Kept in the database (``login_throttle``), so closing and reopening the program
does not start the count again, and kept for names that have no account as for
those that do, so the wait tells nothing about which names exist.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.db.models import LoginThrottle

FREE_FAILURES = 5  # failures before the first wait
FIRST_WAIT = timedelta(seconds=30)
LONGEST_WAIT = timedelta(minutes=15)


def wait_after(failures: int) -> timedelta:
    """The wait after ``failures`` failures in a row: none, then 30 s doubling up to 15 min."""
    if failures < FREE_FAILURES:
        return timedelta(0)
    doubled: timedelta = FIRST_WAIT * 2 ** min(failures - FREE_FAILURES, 16)
    return min(doubled, LONGEST_WAIT)


def _row(session: Session, station_id: int, username: str) -> LoginThrottle | None:
    return session.scalar(
        select(LoginThrottle).where(
            LoginThrottle.station_id == station_id, LoginThrottle.username == username
        )
    )


def remaining(session: Session, station_id: int, username: str, now: datetime) -> timedelta:
    """How long ``username`` must still wait before the next try (zero: may try)."""
    row = _row(session, station_id, username)
    if row is None or row.locked_until is None or row.locked_until <= now:
        return timedelta(0)
    return row.locked_until - now


def failed(session: Session, station_id: int, username: str, now: datetime) -> timedelta:
    """Count a failure; returns the wait it starts (zero while still free)."""
    row = _row(session, station_id, username)
    if row is None:
        row = LoginThrottle(station_id=station_id, username=username, failures=0)
        session.add(row)
    row.failures += 1
    row.last_failure_at = now
    wait = wait_after(row.failures)
    row.locked_until = now + wait if wait else None
    session.flush()
    return wait


def succeeded(session: Session, station_id: int, username: str) -> None:
    row = _row(session, station_id, username)
    if row is not None:
        session.delete(row)


def failures_by_name(session: Session, station_id: int) -> dict[str, int]:
    """Failed logins in a row for every name that has some."""
    rows = session.execute(
        select(LoginThrottle.username, LoginThrottle.failures).where(
            LoginThrottle.station_id == station_id
        )
    )
    return {name: count for name, count in rows}  # noqa: C416 - rows are Row objects
