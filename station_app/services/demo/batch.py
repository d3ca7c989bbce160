"""One chunk of generated rows: explicit ids, numbered documents, and the bulk write.

Ids are assigned by the generator (``max(id) + 1``) so that rows of a chunk can
refer to each other before anything is written. On PostgreSQL the tables are
locked for the chunk's transaction, the id base also respects the serial
sequence, and the sequences are moved past the ids used afterwards, so desks
writing later get fresh ids.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from typing import Any

from sqlalchemy import Table, func, insert, select, text, update
from sqlalchemy.orm import Session

from station_app.db import stock_months
from station_app.db.models import (
    Base,
    CustodyItem,
    Decision,
    Departure,
    Document,
    DocumentSequence,
    Encounter,
    ExpectedArrival,
    FaceCheck,
    FamilySearch,
    Handover,
    Hazard,
    HelpRequest,
    HotlineCall,
    Incident,
    PatrolMember,
    PatrolShift,
    Person,
    PersonName,
    PersonSearchKey,
    PublicityEvent,
    Relative,
    SafetyAmendment,
    SafetyCheck,
    SafetyLogSignoff,
    Screening,
    SecurityCheck,
    Stay,
    StayService,
    StockMovement,
    Stocktake,
    Visitor,
)
from station_app.domain.enums import AuditAction, DocumentKind
from station_app.services import audit

# Parents before children: SQLite checks foreign keys statement by statement.
WRITE_ORDER: tuple[type[Base], ...] = (
    Person,
    PersonName,
    PersonSearchKey,
    Relative,
    PatrolShift,
    PatrolMember,
    HotlineCall,
    Encounter,
    HelpRequest,
    ExpectedArrival,
    Document,
    SecurityCheck,
    CustodyItem,
    Screening,
    Handover,
    Decision,
    Stay,
    StayService,
    FamilySearch,
    FaceCheck,
    Departure,
    Stocktake,
    StockMovement,
    PublicityEvent,
    SafetyCheck,
    Hazard,
    Incident,
    Visitor,
    SafetyLogSignoff,
    SafetyAmendment,
)
_ID_TABLES: tuple[type[Base], ...] = (*WRITE_ORDER, DocumentSequence)
_ROWS_PER_STATEMENT = 5_000


def _table(model: type[Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def lock_tables(session: Session) -> None:
    """PostgreSQL: keep other writers out of the tables for this transaction."""
    if is_postgresql(session):
        names = ", ".join(_table(m).name for m in _ID_TABLES)
        session.execute(text(f"LOCK TABLE {names} IN EXCLUSIVE MODE"))


def _pg_sequence(session: Session, table: str) -> str | None:
    name = session.scalar(select(func.pg_get_serial_sequence(table, "id")))
    return str(name) if name else None


class Ids:
    """The next free id of every generated table, read at the start of a chunk."""

    def __init__(self, session: Session) -> None:
        self._next: dict[type[Base], int] = {}
        self._first: dict[type[Base], int] = {}
        pg = is_postgresql(session)
        for model in _ID_TABLES:
            top = int(session.scalar(select(func.coalesce(func.max(model.id), 0))) or 0)
            if pg:
                seq = _pg_sequence(session, _table(model).name)
                if seq is not None:
                    row = session.execute(text(f"SELECT last_value, is_called FROM {seq}")).one()
                    top = max(top, int(row[0]) if row[1] else int(row[0]) - 1)
            self._next[model] = top + 1
            self._first[model] = top + 1

    def take(self, model: type[Base]) -> int:
        value = self._next[model]
        self._next[model] = value + 1
        return value

    def used(self, model: type[Base]) -> tuple[int, int] | None:
        """First and last id handed out in this chunk, if any."""
        first, nxt = self._first[model], self._next[model]
        return (first, nxt - 1) if nxt > first else None

    def fix_sequences(self, session: Session) -> None:
        """PostgreSQL: move each serial sequence past the ids this chunk used."""
        if not is_postgresql(session):
            return
        for model in _ID_TABLES:
            span = self.used(model)
            if span is None:
                continue
            seq = _pg_sequence(session, _table(model).name)
            if seq is not None:
                session.execute(select(func.setval(seq, span[1])))


class Numbers:
    """Per-year document numbers, continuing the station's DocumentSequence rows."""

    def __init__(self, session: Session, station_id: int, pattern: str, prefixes: dict[str, str]):
        self.station_id = station_id
        self.pattern = pattern
        self.prefixes = prefixes
        q = (
            select(
                DocumentSequence.id,
                DocumentSequence.kind,
                DocumentSequence.year,
                DocumentSequence.last_number,
            )
            .where(DocumentSequence.station_id == station_id)
            .with_for_update()
        )
        self._last: dict[tuple[DocumentKind, int], int] = {}
        self._row_id: dict[tuple[DocumentKind, int], int] = {}
        for row_id, kind, year, last in session.execute(q):
            self._last[(kind, year)] = last
            self._row_id[(kind, year)] = row_id
        self._changed: set[tuple[DocumentKind, int]] = set()

    def take(self, kind: DocumentKind, year: int) -> tuple[int, str]:
        number = self._last.get((kind, year), 0) + 1
        self._last[(kind, year)] = number
        self._changed.add((kind, year))
        prefix = self.prefixes.get(kind.value, "")
        return number, self.pattern.format(prefix=prefix, year=year, number=number)

    def write(self, session: Session, ids: Ids) -> int:
        """Store the numbers taken; returns how many sequence rows were inserted."""
        new_rows: list[dict[str, Any]] = []
        for key in sorted(self._changed):
            kind, year = key
            if key in self._row_id:
                session.execute(
                    update(DocumentSequence)
                    .where(DocumentSequence.id == self._row_id[key])
                    .values(last_number=self._last[key])
                )
            else:
                row_id = ids.take(DocumentSequence)
                self._row_id[key] = row_id
                new_rows.append(
                    {
                        "id": row_id,
                        "station_id": self.station_id,
                        "kind": kind,
                        "year": year,
                        "last_number": self._last[key],
                    }
                )
        if new_rows:
            session.execute(insert(_table(DocumentSequence)), new_rows)
        if self._changed:
            audit.record(
                session,
                AuditAction.BULK,
                "document_sequence",
                None,
                f"demo generator: {len(self._changed)} document sequences advanced",
                {"sequences": {f"{k.value}/{y}": self._last[(k, y)] for k, y in self._changed}},
            )
        self._changed.clear()
        return len(new_rows)


@cache
def _defaults(model: type[Base]) -> dict[str, Any]:
    """Values for the columns a generated row may leave out."""
    out: dict[str, Any] = {}
    for col in _table(model).columns:
        if col.primary_key:
            continue
        default = col.default
        if default is None:
            if col.nullable:
                out[col.name] = None
            continue
        arg = getattr(default, "arg", None)
        if getattr(default, "is_callable", False) and callable(arg):
            value = arg(None)
            # JSON containers are per row; timestamps are set by the generator.
            if isinstance(value, dict | list):
                out[col.name] = value
        elif getattr(default, "is_scalar", False):
            out[col.name] = arg
    return out


class Batch:
    """Rows generated for one chunk, written in one transaction."""

    def __init__(self, session: Session, station_id: int, numbers: Numbers) -> None:
        self.station_id = station_id
        self.ids = Ids(session)
        self.numbers = numbers
        self.rows: dict[type[Base], list[dict[str, Any]]] = {m: [] for m in WRITE_ORDER}
        self.size = 0

    def add(self, model: type[Base], **values: Any) -> int:
        """Queue a row; returns its id."""
        return int(self.new(model, **values)["id"])

    def new(self, model: type[Base], **values: Any) -> dict[str, Any]:
        """Queue a row; returns the row itself, which may still be changed."""
        values["id"] = self.ids.take(model)
        values["station_id"] = self.station_id
        self.rows[model].append(values)
        self.size += 1
        return values

    def write(self, session: Session) -> Counter[str]:
        """Insert every row (Core executemany) and audit each table once."""
        counts: Counter[str] = Counter()
        for model in WRITE_ORDER:
            rows = self.rows[model]
            if not rows:
                continue
            table = _table(model)
            defaults = _defaults(model)
            full = [defaults | row for row in rows]
            for start in range(0, len(full), _ROWS_PER_STATEMENT):
                session.execute(insert(table), full[start : start + _ROWS_PER_STATEMENT])
            if model is StockMovement:  # inserted without the ORM: counted here
                stock_months.add_movements(session.connection(), full)
            span = self.ids.used(model)
            audit.record(
                session,
                AuditAction.BULK,
                table.name,
                None,
                f"demo generator: {len(rows)} rows",
                {
                    "rows": len(rows),
                    "first_id": span[0] if span else None,
                    "last_id": span[1] if span else None,
                },
            )
            counts[table.name] += len(rows)
            rows.clear()
        inserted = self.numbers.write(session, self.ids)
        if inserted:
            counts["document_sequence"] += inserted
        self.ids.fix_sequences(session)
        self.size = 0
        return counts
