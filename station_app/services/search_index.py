"""Keeps ``person_search_key`` in step with the registry.

A session listener rewrites the keys of every person whose row or other names
were written in a flush: whatever service wrote them (the person form, an
import through ``persons.apply_input``, a later feature), the keys follow.
The keys are derived data, written with Core statements and not audited.
Bulk writers (the demo generator) write keys alongside their rows with
:func:`key_rows`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from sqlalchemy import delete, event, insert, select
from sqlalchemy.orm import Session, UOWTransaction

from station_app.db.models import Person, PersonName, PersonSearchKey
from station_app.domain.enums import NameKind
from station_app.domain.names import person_keys

from .audit import AuditedSession

_CHUNK = 500


def key_rows(
    station_id: int,
    person_id: int,
    *,
    name_zh: str | None = None,
    name_bo: str | None = None,
    code_name: str | None = None,
    id_number: str | None = None,
    phone: str | None = None,
    other_names: Iterable[tuple[NameKind | str | None, str]] = (),
    description: str | None = None,
) -> list[dict[str, Any]]:
    """The ``person_search_key`` rows of one person, as dicts for a Core insert."""
    keys = person_keys(
        name_zh=name_zh,
        name_bo=name_bo,
        code_name=code_name,
        id_number=id_number,
        phone=phone,
        other_names=other_names,
        description=description,
    )
    return [
        {
            "station_id": station_id,
            "person_id": person_id,
            "kind": k.kind.value,
            "key": k.key,
            "whole": k.whole,
        }
        for k in sorted(keys)
    ]


def rewrite_keys(session: Session, person_ids: Iterable[int]) -> int:
    """Delete and write again the keys of these persons (gone ones just lose theirs)."""
    ids = sorted(set(person_ids))
    written = 0
    conn = session.connection()
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        conn.execute(delete(PersonSearchKey).where(PersonSearchKey.person_id.in_(chunk)))
        names: dict[int, list[tuple[str, str]]] = {}
        for person_id, kind, text in conn.execute(
            select(PersonName.person_id, PersonName.kind, PersonName.text).where(
                PersonName.person_id.in_(chunk)
            )
        ):
            names.setdefault(person_id, []).append((kind, text))
        rows: list[dict[str, Any]] = []
        for p in conn.execute(
            select(
                Person.id,
                Person.station_id,
                Person.name_zh,
                Person.name_bo,
                Person.code_name,
                Person.id_number,
                Person.phone,
                Person.description,
            ).where(Person.id.in_(chunk))
        ):
            rows.extend(
                key_rows(
                    p.station_id,
                    p.id,
                    name_zh=p.name_zh,
                    name_bo=p.name_bo,
                    code_name=p.code_name,
                    id_number=p.id_number,
                    phone=p.phone,
                    other_names=names.get(p.id, ()),
                    description=p.description,
                )
            )
        if rows:
            conn.execute(insert(PersonSearchKey), rows)
        written += len(rows)
    return written


def _touched(session: Session) -> set[int]:
    ids: set[int] = set()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Person):
            if obj in session.dirty and not session.is_modified(obj, include_collections=True):
                continue
            if obj.id is not None:
                ids.add(obj.id)
        elif isinstance(obj, PersonName):
            person_id = cast("int | None", obj.person_id)  # set by the flush
            if person_id is not None:
                ids.add(person_id)
    return ids


@event.listens_for(AuditedSession, "after_flush")
def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    ids = _touched(session)
    if ids:
        rewrite_keys(session, ids)
