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

    The sequence row is locked (PostgreSQL) or the write lock held (SQLite) until
    the caller's transaction ends, so two desks never get the same number.
    """
    seq = session.scalar(
        select(DocumentSequence)
        .where(
            DocumentSequence.station_id == station_id,
            DocumentSequence.kind == kind,
            DocumentSequence.year == year,
        )
        .with_for_update()
    )
    if seq is None:
        seq = DocumentSequence(station_id=station_id, kind=kind, year=year, last_number=0)
        session.add(seq)
    seq.last_number += 1
    session.flush()
    pattern = str(settings.value(session, station_id, "documents.number_format"))
    prefix = str(settings.value(session, station_id, f"documents.prefix.{kind.value}"))
    return seq.last_number, pattern.format(prefix=prefix, year=year, number=seq.last_number)
