"""Sealing the audit trail into its hash chain, verifying it, and its anchor.

A transaction's audit entries are inserted as its flushes happen and sealed
just before it commits: the station's chain head row is locked (``FOR UPDATE``
on PostgreSQL; on SQLite the write transaction already holds the file's write
lock, taken by ``BEGIN IMMEDIATE``), the entries get the next sequence numbers
and their hashes, and the head moves on. The head is the last lock a
transaction takes and it is held only for the commit, so it cannot deadlock
with the row locks taken earlier, and two desks committing at once append one
after the other instead of forking the chain.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, Table, bindparam, insert, select, update

from station_app.db.models import AuditChainHead, AuditEntry
from station_app.domain.audit_chain import GENESIS, Anchor, entry_hash
from station_app.domain.errors import N_

_T: Table = AuditEntry.__table__  # type: ignore[assignment]
_H: Table = AuditChainHead.__table__  # type: ignore[assignment]
_CHUNK = 2000  # ids per IN (...): well below SQLite's parameter limit

# Why a chain is broken; each names the entry (station, sequence number, time).
OUTSIDE_CHAIN = N_("an entry that is not part of the chain was added outside the application")
MISSING_BEFORE = N_("the entries before it are missing (deleted)")
CHANGED = N_("it was changed after it was written")
TAIL_MISSING = N_("the entries after it are missing (deleted)")
HEAD_MISSING = N_("the record of the chain's last entry is missing")
PREVIOUS_CHANGED = N_("the entry before it was changed or replaced")


def _hash_of(row: RowMapping, seq: int, prev: str) -> str:
    return entry_hash(
        station_id=row["station_id"],
        seq=seq,
        at=row["at"],
        user_id=row["user_id"],
        username=row["username"],
        action=str(row["action"].value if hasattr(row["action"], "value") else row["action"]),
        entity=row["entity"],
        entity_id=row["entity_id"],
        changes=row["changes"],
        summary=row["summary"],
        prev_hash=prev,
    )


def _columns() -> list[Any]:
    return [
        _T.c.id,
        _T.c.station_id,
        _T.c.at,
        _T.c.user_id,
        _T.c.username,
        _T.c.action,
        _T.c.entity,
        _T.c.entity_id,
        _T.c.changes,
        _T.c.summary,
        _T.c.seq,
        _T.c.prev_hash,
        _T.c.entry_hash,
    ]


def seal(conn: Connection, audit_ids: Iterable[int]) -> None:
    """Chain the entries ``audit_ids`` written by this transaction (call last,
    just before the commit)."""
    ids = sorted(set(audit_ids))
    rows: list[RowMapping] = []
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        rows.extend(
            conn.execute(select(*_columns()).where(_T.c.id.in_(chunk)).order_by(_T.c.id))
            .mappings()
            .all()
        )
    by_station: dict[int, list[RowMapping]] = defaultdict(list)
    for row in rows:
        if row["seq"] is None:
            by_station[row["station_id"]].append(row)
    for station_id in sorted(by_station):  # one lock order for every transaction
        _append(conn, station_id, by_station[station_id])


def _append(conn: Connection, station_id: int, rows: Sequence[RowMapping]) -> None:
    head = conn.execute(
        select(_H.c.seq, _H.c.hash).where(_H.c.station_id == station_id).with_for_update()
    ).first()
    if head is None:
        seq, prev = 0, GENESIS
    else:
        seq, prev = int(head.seq), str(head.hash)
    sealed = []
    for row in rows:
        seq += 1
        digest = _hash_of(row, seq, prev)
        sealed.append({"b_id": row["id"], "b_seq": seq, "b_prev": prev, "b_hash": digest})
        prev = digest
    conn.execute(
        update(_T)
        .where(_T.c.id == bindparam("b_id"))
        .values(
            seq=bindparam("b_seq"), prev_hash=bindparam("b_prev"), entry_hash=bindparam("b_hash")
        ),
        sealed,
    )
    values = {"seq": seq, "hash": prev, "at": rows[-1]["at"]}
    if head is None:
        conn.execute(insert(_H).values(station_id=station_id, **values))
    else:
        conn.execute(update(_H).where(_H.c.station_id == station_id).values(**values))


def anchor(conn: Connection, station_id: int) -> Anchor | None:
    """The head of the station's chain (None before its first entry)."""
    head = conn.execute(
        select(_H.c.seq, _H.c.hash, _H.c.at).where(_H.c.station_id == station_id)
    ).first()
    if head is None:
        return None
    return Anchor(station_id, int(head.seq), str(head.hash), head.at)


def anchors(conn: Connection) -> list[Anchor]:
    """The head of every station's chain, by station."""
    rows = conn.execute(
        select(_H.c.station_id, _H.c.seq, _H.c.hash, _H.c.at).order_by(_H.c.station_id)
    )
    return [Anchor(int(r.station_id), int(r.seq), str(r.hash), r.at) for r in rows]


@dataclass(frozen=True)
class ChainBreak:
    """The first entry where a station's chain does not hold."""

    station_id: int
    seq: int | None
    at: datetime | None
    entry_id: int | None
    reason: str  # a message id (above)


def _entries(conn: Connection) -> Iterator[RowMapping]:
    q = select(*_columns()).order_by(_T.c.station_id, _T.c.seq.is_(None), _T.c.seq, _T.c.id)
    result = conn.execute(q.execution_options(stream_results=True, yield_per=5000))
    yield from result.mappings()


def verify(conn: Connection) -> list[ChainBreak]:
    """The first break of every station's chain (empty when all hold)."""
    heads = {
        int(r.station_id): (int(r.seq), str(r.hash))
        for r in conn.execute(select(_H.c.station_id, _H.c.seq, _H.c.hash))
    }
    breaks: dict[int, ChainBreak] = {}
    last: dict[int, RowMapping] = {}
    expected: dict[int, tuple[int, str]] = {}
    for row in _entries(conn):
        sid = int(row["station_id"])
        if sid in breaks:
            continue
        seq, prev = expected.get(sid, (1, GENESIS))
        found = _break_at(row, seq, prev)
        if found is not None:
            breaks[sid] = found
            continue
        expected[sid] = (seq + 1, str(row["entry_hash"]))
        last[sid] = row
    for sid, row in last.items():
        if sid in breaks:
            continue
        head = heads.get(sid)
        if head is None:
            breaks[sid] = ChainBreak(sid, row["seq"], row["at"], row["id"], HEAD_MISSING)
        elif head != (row["seq"], row["entry_hash"]):
            breaks[sid] = ChainBreak(sid, row["seq"], row["at"], row["id"], TAIL_MISSING)
    for sid, (seq, _hash) in heads.items():
        if sid not in last and sid not in breaks and seq > 0:
            breaks[sid] = ChainBreak(sid, 0, None, None, TAIL_MISSING)
    return [breaks[s] for s in sorted(breaks)]


def _break_at(row: RowMapping, seq: int, prev: str) -> ChainBreak | None:
    sid = int(row["station_id"])

    def broken(reason: str) -> ChainBreak:
        return ChainBreak(sid, row["seq"], row["at"], row["id"], reason)

    if row["seq"] is None:
        return broken(OUTSIDE_CHAIN)
    if row["seq"] != seq:
        return broken(MISSING_BEFORE if row["seq"] > seq else CHANGED)
    if row["prev_hash"] != prev:
        return broken(PREVIOUS_CHANGED if seq > 1 else CHANGED)
    if row["entry_hash"] != _hash_of(row, seq, prev):
        return broken(CHANGED)
    return None
