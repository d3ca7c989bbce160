"""Each supply item's movements summed per calendar month, kept as they are written.

Stock on hand is derived from the movements, never typed. Summing every
movement the station ever recorded grows with the years (a sequential scan on
PostgreSQL); the sums per item and month (``stock_month``) let a stock figure
read the months before its moment plus the movements of its own month.

They are kept by a ``before_flush`` listener on every ORM session (a movement
added, deleted or changed adds its difference to its month), by
:func:`add_movements` after bulk inserts that bypass the ORM (the demo
generator), and can be rebuilt from the movements (:func:`rebuild`) and
compared with them (:func:`differences`, used by ``station-app check``).

Months are calendar months in UTC: any fixed bucketing gives exact figures,
because the partial month is always read from the movements themselves.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Table, delete, event, insert, select
from sqlalchemy.orm import Session, attributes

from .models import StockMonth, StockMovement

if TYPE_CHECKING:
    from sqlalchemy.dialects import postgresql, sqlite

# (station_id, item_id, month_start) -> net quantity
Sums = dict[tuple[int, int, datetime], Decimal]

_TABLE: Table = StockMonth.__table__  # type: ignore[assignment]
_ROWS_PER_STATEMENT = 500


def month_start(at: datetime) -> datetime:
    """00:00 UTC on the first day of ``at``'s month (UTC)."""
    utc = at.astimezone(UTC)
    return datetime(utc.year, utc.month, 1, tzinfo=UTC)


def sums_of(movements: Iterable[tuple[int, int, datetime, Decimal]]) -> Sums:
    """Net quantity per station, item and month of ``(station_id, item_id,
    moved_at, quantity)`` rows; months that net to zero are kept (they were used)."""
    sums: Sums = defaultdict(Decimal)
    for station_id, item_id, moved_at, quantity in movements:
        sums[(station_id, item_id, month_start(moved_at))] += Decimal(quantity)
    return dict(sums)


def apply(conn: Connection, sums: Sums) -> None:
    """Add ``sums`` to the stored months (created when missing)."""
    if not sums:
        return
    # The dialect's own upsert, imported for the database in use only.
    statement: postgresql.Insert | sqlite.Insert
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        statement = postgresql_insert(_TABLE)
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        statement = sqlite_insert(_TABLE)
    upsert = statement.on_conflict_do_update(
        index_elements=["item_id", "month_start"],
        set_={"quantity": _TABLE.c.quantity + statement.excluded.quantity},
    )
    rows = [
        {"station_id": station_id, "item_id": item_id, "month_start": month, "quantity": qty}
        for (station_id, item_id, month), qty in sorted(sums.items())
    ]
    for start in range(0, len(rows), _ROWS_PER_STATEMENT):
        conn.execute(upsert, rows[start : start + _ROWS_PER_STATEMENT])


def add_movements(conn: Connection, rows: Iterable[dict[str, Any]]) -> None:
    """Count movements inserted without the ORM (dicts of their column values)."""
    apply(
        conn,
        sums_of(
            (row["station_id"], row["item_id"], row["moved_at"], row["quantity"]) for row in rows
        ),
    )


def _stored_movements(conn: Connection, station_id: int | None) -> Sums:
    query = select(
        StockMovement.station_id,
        StockMovement.item_id,
        StockMovement.moved_at,
        StockMovement.quantity,
    )
    if station_id is not None:
        query = query.where(StockMovement.station_id == station_id)
    return sums_of(conn.execute(query.execution_options(yield_per=5_000)))


def rebuild(conn: Connection, station_id: int | None = None) -> int:
    """Compute the months again from the movements (of one station, or all);
    returns how many months are stored."""
    wipe = delete(_TABLE)
    if station_id is not None:
        wipe = wipe.where(_TABLE.c.station_id == station_id)
    conn.execute(wipe)
    sums = _stored_movements(conn, station_id)
    rows = [
        {"station_id": s, "item_id": i, "month_start": m, "quantity": q}
        for (s, i, m), q in sorted(sums.items())
    ]
    for start in range(0, len(rows), _ROWS_PER_STATEMENT):
        conn.execute(insert(_TABLE), rows[start : start + _ROWS_PER_STATEMENT])
    return len(rows)


def differences(conn: Connection) -> list[tuple[int, datetime, Decimal, Decimal]]:
    """Months whose stored sum is not the sum of their movements:
    ``(item_id, month_start, stored, movements)``, in item and month order."""
    actual = _stored_movements(conn, None)
    stored: Sums = {
        (s, i, m): q
        for s, i, m, q in conn.execute(
            select(
                StockMonth.station_id,
                StockMonth.item_id,
                StockMonth.month_start,
                StockMonth.quantity,
            )
        )
    }
    zero = Decimal(0)
    found = []
    for key in set(actual) | set(stored):
        _station, item, month = key
        if stored.get(key, zero) != actual.get(key, zero):
            found.append((item, month, stored.get(key, zero), actual.get(key, zero)))
    return sorted(found)


# ------------------------------------------------------------------ kept with every flush


def _before_and_after(obj: StockMovement, name: str) -> tuple[Any, Any]:
    history = attributes.get_history(obj, name)
    now = history.added[0] if history.added else (history.unchanged or [None])[0]
    before = history.deleted[0] if history.deleted else now
    return before, now


def _flushed_changes(session: Session) -> Sums:
    changes: list[tuple[int, int, datetime, Decimal]] = []
    for obj in session.new:
        if isinstance(obj, StockMovement):
            changes.append((obj.station_id, obj.item_id, obj.moved_at, obj.quantity))
    for obj in session.deleted:
        if isinstance(obj, StockMovement):
            changes.append((obj.station_id, obj.item_id, obj.moved_at, -obj.quantity))
    for obj in session.dirty:
        if isinstance(obj, StockMovement) and session.is_modified(obj):
            old = [_before_and_after(obj, n) for n in ("station_id", "item_id", "moved_at")]
            old_qty, new_qty = _before_and_after(obj, "quantity")
            changes.append((old[0][0], old[1][0], old[2][0], -old_qty))
            changes.append((old[0][1], old[1][1], old[2][1], new_qty))
    return {key: qty for key, qty in sums_of(changes).items() if qty}


@event.listens_for(Session, "before_flush")
def _keep_months(session: Session, _context: object, _instances: object) -> None:
    changes = _flushed_changes(session)
    if changes:
        apply(session.connection(), changes)
