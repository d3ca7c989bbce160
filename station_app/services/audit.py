"""The audit trail: every row written through a service session is recorded
with who, when, which record, and old and new values.

Recording happens in session events, so no service can forget it; a write
without an acting user is refused outright.
"""

from __future__ import annotations

import enum
import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import Mapper, Session, UOWTransaction

from station_app.db.models import AuditEntry, Base, Station, utcnow
from station_app.domain.enums import AuditAction

from . import audit_chain
from .changes import NOT_PARENTS, ChangeFeed, Changes

if TYPE_CHECKING:
    from .context import Actor

# Never copied into the trail; only the fact that they changed.
SECRET_COLUMNS = frozenset({"password_hash"})
_SKIP_COLUMNS = frozenset({"id", "created_at", "updated_at"})
_PENDING = "audit_pending"
_CHANGED = "changed_rows"  # (entity, id) written in this transaction
_AUDIT_IDS = "audit_ids"  # ids of the audit entries it wrote
FEED = "change_feed"  # session.info key of the database's ChangeFeed


class AuditedSession(Session):
    """Session class whose writes are audited (see the listeners below)."""


class WriteWithoutActor(RuntimeError):
    """A programming error: something wrote to the database outside a service."""


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):  # a photo: its size and hash, not the picture
        return f"{len(value)} bytes, sha256 {hashlib.sha256(value).hexdigest()[:16]}"
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def _columns(obj: Base) -> list[str]:
    return [c.key for c in inspect(obj).mapper.column_attrs if c.key not in _SKIP_COLUMNS]


def _snapshot(obj: Base) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in _columns(obj):
        value = getattr(obj, key)
        if value is None:
            continue
        out[key] = "***" if key in SECRET_COLUMNS else _plain(value)
    return out


def _diff(obj: Base) -> dict[str, Any]:
    state = inspect(obj)
    changes: dict[str, Any] = {}
    for key in _columns(obj):
        hist = state.attrs[key].history
        if not hist.has_changes():
            continue
        old = hist.deleted[0] if hist.deleted else None
        new = hist.added[0] if hist.added else None
        if old == new:
            continue
        if key in SECRET_COLUMNS:
            changes[key] = {"old": "***", "new": "***"}
        else:
            changes[key] = {"old": _plain(old), "new": _plain(new)}
    return changes


def _station_of(obj: Base, actor: Actor) -> int:
    if isinstance(obj, Station):
        return obj.id
    station_id = getattr(obj, "station_id", None)
    return int(station_id) if station_id is not None else actor.station_id


def _actor(session: Session) -> Actor:
    actor: Actor | None = session.info.get("actor")
    if actor is None:
        raise WriteWithoutActor(
            "database write outside a service transaction (no acting user); use Context.write()"
        )
    return actor


@dataclass
class _Pending:
    new: list[Base]
    rows: list[dict[str, Any]]


@event.listens_for(AuditedSession, "before_flush")
def _before_flush(session: Session, _flush: UOWTransaction, _instances: object) -> None:
    objs = [o for o in (*session.new, *session.dirty, *session.deleted) if isinstance(o, Base)]
    objs = [o for o in objs if not isinstance(o, AuditEntry)]
    if not objs:
        return
    if session.info.get("read_only"):
        raise WriteWithoutActor("write attempted in a read-only session")
    actor = _actor(session)
    pending: _Pending = session.info.setdefault(_PENDING, _Pending([], []))
    now = utcnow()
    for obj in session.dirty:
        if isinstance(obj, AuditEntry) or not isinstance(obj, Base):
            continue
        if not session.is_modified(obj, include_collections=False):
            continue
        changes = _diff(obj)
        if changes:
            pending.rows.append(_row(obj, actor, AuditAction.UPDATE, changes, now))
    for obj in session.deleted:
        if isinstance(obj, Base) and not isinstance(obj, AuditEntry):
            pending.rows.append(_row(obj, actor, AuditAction.DELETE, {"old": _snapshot(obj)}, now))
    pending.new.extend(
        o for o in session.new if isinstance(o, Base) and not isinstance(o, AuditEntry)
    )
    changed = _changed(session)
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, Base) and not isinstance(obj, AuditEntry):
            changed.update(_rows_of(obj, old=True))


@event.listens_for(AuditedSession, "after_flush")
def _after_flush(session: Session, _flush: UOWTransaction) -> None:
    pending: _Pending | None = session.info.pop(_PENDING, None)
    if pending is None:
        return
    actor = _actor(session)
    now = utcnow()
    rows = [_row(o, actor, AuditAction.CREATE, {"new": _snapshot(o)}, now) for o in pending.new]
    rows.extend(pending.rows)
    changed = _changed(session)
    for obj in pending.new:
        changed.update(_rows_of(obj))
    if rows:
        _insert_entries(session, rows)


def _insert_entries(session: Session, rows: list[dict[str, Any]]) -> None:
    """Write audit entries, keeping their ids: polls of the trail skip our own."""
    ids = session.connection().execute(insert(AuditEntry).returning(AuditEntry.id), rows)
    session.info.setdefault(_AUDIT_IDS, []).extend(ids.scalars())


def _changed(session: Session) -> set[tuple[str, int | None]]:
    changed: set[tuple[str, int | None]] = session.info.setdefault(_CHANGED, set())
    return changed


@cache
def _parent_columns(mapper: Mapper[Any]) -> tuple[tuple[str, str], ...]:
    """(attribute, table it points at) of a mapped class's foreign keys."""
    out: list[tuple[str, str]] = []
    for prop in mapper.column_attrs:
        for column in prop.columns:
            for fk in getattr(column, "foreign_keys", ()):
                table = fk.column.table.name
                if table not in NOT_PARENTS:
                    out.append((prop.key, table))
    return tuple(out)


def _rows_of(obj: Base, *, old: bool = False) -> list[tuple[str, int | None]]:
    """The row itself and the records it points at (before and after a change)."""
    state = inspect(obj)
    rows: list[tuple[str, int | None]] = [(obj.__tablename__, obj.id)]
    for key, table in _parent_columns(state.mapper):
        hist = state.attrs[key].history
        values = [*hist.added, *hist.unchanged, *(hist.deleted if old else ())]
        if not values and not hist.has_changes():
            values = [state.dict.get(key)]
        rows.extend((table, int(v)) for v in values if isinstance(v, int))
    return rows


@event.listens_for(AuditedSession, "before_commit")
def _before_commit(session: Session) -> None:
    """Seal this transaction's entries into the station's hash chain, last of all."""
    session.flush()  # before_commit runs before the commit's own flush
    audit_ids = session.info.get(_AUDIT_IDS)
    if audit_ids:
        audit_chain.seal(session.connection(), audit_ids)


@event.listens_for(AuditedSession, "after_commit")
def _after_commit(session: Session) -> None:
    changed = session.info.pop(_CHANGED, None)
    audit_ids = session.info.pop(_AUDIT_IDS, [])
    feed = session.info.get(FEED)
    if isinstance(feed, ChangeFeed) and (changed or audit_ids):
        feed.publish(Changes.of(changed or ()), audit_ids)


@event.listens_for(AuditedSession, "after_rollback")
def _after_rollback(session: Session) -> None:
    session.info.pop(_CHANGED, None)
    session.info.pop(_AUDIT_IDS, None)


def _row(
    obj: Base, actor: Actor, action: AuditAction, changes: dict[str, Any], at: datetime
) -> dict[str, Any]:
    return {
        "station_id": _station_of(obj, actor),
        "at": at,
        "user_id": actor.user_id,
        "username": actor.username,
        "action": action,
        "entity": obj.__tablename__,
        "entity_id": obj.id,
        "changes": changes,
        "summary": None,
    }


def record(
    session: Session,
    action: AuditAction,
    entity: str,
    entity_id: int | None,
    summary: str,
    changes: dict[str, Any] | None = None,
) -> None:
    """Record an event that is not a row change (a login, a bulk generation)."""
    actor = _actor(session)
    _changed(session).add((entity, entity_id))
    _insert_entries(
        session,
        [
            {
                "station_id": actor.station_id,
                "at": utcnow(),
                "user_id": actor.user_id,
                "username": actor.username,
                "action": action,
                "entity": entity,
                "entity_id": entity_id,
                "changes": _plain(changes or {}),
                "summary": summary,
            }
        ],
    )


@dataclass(frozen=True)
class AuditView:
    at: datetime
    username: str | None
    action: AuditAction
    entity: str
    entity_id: int | None
    changes: dict[str, Any]
    summary: str | None


def entries(
    session: Session,
    station_id: int,
    *,
    entity: str | None = None,
    entity_id: int | None = None,
    limit: int = 500,
) -> list[AuditView]:
    q = select(AuditEntry).where(AuditEntry.station_id == station_id)
    if entity is not None:
        q = q.where(AuditEntry.entity == entity)
    if entity_id is not None:
        q = q.where(AuditEntry.entity_id == entity_id)
    q = q.order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit)
    return [
        AuditView(e.at, e.username, e.action, e.entity, e.entity_id, e.changes, e.summary)
        for e in session.scalars(q)
    ]
