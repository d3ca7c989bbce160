"""What the incident and visitor registers share: the person a record names,
China-day periods, and the audited write that amends a signed month."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from station_app.db.models import Base, Person
from station_app.domain.errors import N_, NotFound, ValidationError
from station_app.domain.permissions import Permission
from station_app.services.context import Context
from station_app.services.values import now_utc

from .common import local_instant, snapshot
from .signing import amend, months_of

T = TypeVar("T")


def person_of_station(session: Session, ctx: Context, person_id: int, field: str) -> Person:
    person = session.get(Person, person_id)
    if person is None or person.station_id != ctx.station_id:
        raise NotFound(N_("Person {id} does not exist."), field=field, id=person_id)
    return person


def period(start: date, end: date) -> tuple[datetime, datetime]:
    """China days ``start`` to ``end`` (both included) as UTC ``[lo, hi)``."""
    if end < start:
        raise ValidationError(
            N_("The period ends ({end}) before it starts ({start}); swap the two dates."),
            field="end",
            start=start.isoformat(),
            end=end.isoformat(),
        )
    return local_instant(start), local_instant(end + timedelta(days=1))


def write_record(
    ctx: Context,
    model: type[Base],
    record_id: int | None,
    *,
    entity: str,
    fields: Sequence[str],
    moment_of: Callable[[Any], datetime],
    missing: str,
    apply: Callable[[Session, Any, datetime], None],
    view: Callable[[Session, Any], T],
    reason: str | None,
    now: datetime | None,
) -> T:
    """Create (``record_id`` None) or correct a record in one audited
    transaction. A signed month it was or is in needs ``reason`` and gets an
    amendment with the old and new values."""
    moment = now_utc(now)
    with ctx.write(Permission.SAFETY) as session:
        if record_id is None:
            row: Any = model(station_id=ctx.station_id)
            old: dict[str, Any] = {}
            months: set[tuple[int, int]] = set()
        else:
            row = session.get(model, record_id)
            if row is None or row.station_id != ctx.station_id:
                raise NotFound(missing, id=record_id)
            old = snapshot(row, fields)
            months = months_of(moment_of(row))
        apply(session, row, moment)
        if record_id is None:
            session.add(row)
        session.flush()
        amend(
            session,
            ctx,
            entity=entity,
            entity_id=row.id,
            months=months | months_of(moment_of(row)),
            old=old,
            new=snapshot(row, fields),
            reason=reason,
            now=moment,
        )
        return view(session, row)
