"""Per-year numbers of the station's documents (notices, forms)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.db.models import DocumentSequence
from station_app.domain.enums import DocumentKind

from . import settings


def next_number(
    session: Session, station_id: int, kind: DocumentKind, year: int
) -> tuple[int, str]:
    """Take the next number of ``kind`` in ``year``; returns it and its printed form.

    The sequence row is created if it is missing (the first number of a year)
    without failing when another desk creates it at the same moment, then
    locked (PostgreSQL; on SQLite the write transaction already holds the
    write lock) until the caller's transaction ends: two desks never get the
    same number.
    """
    key = {"station_id": station_id, "kind": kind, "year": year}
    # The dialect's own upsert, imported for the database in use only.
    row = {**key, "last_number": 0}
    if session.get_bind().dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        session.execute(sqlite_insert(DocumentSequence).values(row).on_conflict_do_nothing())
    else:
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        session.execute(postgresql_insert(DocumentSequence).values(row).on_conflict_do_nothing())
    seq = session.scalars(
        select(DocumentSequence)
        .where(
            DocumentSequence.station_id == station_id,
            DocumentSequence.kind == kind,
            DocumentSequence.year == year,
        )
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    seq.last_number += 1
    session.flush()
    pattern = str(settings.value(session, station_id, "documents.number_format"))
    prefix = str(settings.value(session, station_id, f"documents.prefix.{kind.value}"))
    return seq.last_number, pattern.format(prefix=prefix, year=year, number=seq.last_number)
