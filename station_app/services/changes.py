"""What committed writes changed, told to whoever watches the database.

The audited session sees every row a service writes. After the commit, the
set of ``(entity, id)`` pairs it wrote goes to the database's
:class:`ChangeFeed`, together with the records each row points at (a stay
service names its help request, an encounter its shift and person), so a
screen that shows a help request hears of a new service in it. Bulk writes
(the demo generator, imports) name their table with no id: "some rows of
this table".

Other programs writing to the same database (another desk on a shared
PostgreSQL server, a second window on the same file) are heard through the
audit trail, which every write fills: :func:`poll_others` reads the entries
written since the last poll by anyone but this process.

Nothing here knows of Qt: the GUI subscribes and turns the feed into one
application-wide signal.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from station_app.db.models import AuditEntry
from station_app.domain.enums import AuditAction

if TYPE_CHECKING:
    from .context import Context

log = logging.getLogger(__name__)

# Tables whose rows are named in every write (the acting user, the station):
# pointing at them says nothing about what changed.
NOT_PARENTS = frozenset({"station", "user_account"})
# How far below the newest entry seen a poll looks again: on PostgreSQL ids
# are taken at insert time, so a transaction may commit a lower id after a
# higher one was read.
LOOKBACK = 500
POLL_LIMIT = 5_000

Row = tuple[str, int | None]


@dataclass(frozen=True)
class Changes:
    """Rows written by one or more commits: ``(entity, id)``; a ``None`` id
    stands for some rows of that table."""

    rows: frozenset[Row] = frozenset()

    @classmethod
    def of(cls, rows: Iterable[Row]) -> Changes:
        return cls(frozenset(rows))

    def __bool__(self) -> bool:
        return bool(self.rows)

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.rows | other.rows)

    def __iter__(self) -> Iterator[Row]:
        return iter(self.rows)

    @property
    def entities(self) -> frozenset[str]:
        return frozenset(entity for entity, _id in self.rows)

    def touches(self, entity: str, ids: int | Iterable[int] | None = None) -> bool:
        """Whether a row of ``entity`` (one of ``ids``, if given) was written."""
        if ids is None:
            return entity in self.entities
        wanted = {ids} if isinstance(ids, int) else set(ids)
        return any(e == entity and (i is None or i in wanted) for e, i in self.rows)

    def touches_any(self, entities: Iterable[str]) -> bool:
        return not self.entities.isdisjoint(entities)


Observer = Callable[[Changes], None]


@dataclass
class _PollState:
    newest: int | None = None  # the highest audit id looked at
    seen: set[int] = field(default_factory=set)  # ids above newest - LOOKBACK already told


class ChangeFeed:
    """The observers of one database; :meth:`publish` is called after each commit."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._observers: list[Observer] = []
        self._own: set[int] = set()  # audit ids written by this process, not yet polled past
        self._poll = _PollState()

    def subscribe(self, observer: Observer) -> Callable[[], None]:
        """Call ``observer`` with every commit's changes; returns the unsubscriber."""
        with self._lock:
            self._observers.append(observer)

        def unsubscribe() -> None:
            with self._lock:
                if observer in self._observers:
                    self._observers.remove(observer)

        return unsubscribe

    def publish(self, changes: Changes, audit_ids: Iterable[int] = ()) -> None:
        """Tell every observer (in the writing thread: observers hand over, not work)."""
        with self._lock:
            self._own.update(audit_ids)
            observers = list(self._observers)
        if not changes:
            return
        for observer in observers:
            try:
                observer(changes)
            except Exception:  # the commit stands whatever an observer does
                log.exception("a change observer failed")

    def _take_external(self, entries: Sequence[tuple[int, str, int | None]]) -> Changes:
        with self._lock:
            state = self._poll
            if state.newest is None:  # the first poll only sets the starting point
                state.newest = max((i for i, _e, _x in entries), default=0)
                return Changes()
            rows: set[Row] = set()
            for audit_id, entity, entity_id in entries:
                if audit_id in state.seen or audit_id in self._own:
                    continue
                state.seen.add(audit_id)
                rows.add((entity, entity_id))
            state.newest = max([state.newest, *(i for i, _e, _x in entries)])
            floor = state.newest - LOOKBACK
            state.seen = {i for i in state.seen if i > floor}
            self._own = {i for i in self._own if i > floor}
            return Changes.of(rows)

    @property
    def poll_floor(self) -> int | None:
        with self._lock:
            newest = self._poll.newest
        return None if newest is None else max(0, newest - LOOKBACK)


def poll_others(ctx: Context) -> Changes:
    """What other programs wrote to the database since the last poll.

    The first call only notes where the audit trail stands. Entries this
    process wrote are left out: its own observers heard of them at commit.
    """
    feed = ctx.db.changes
    floor = feed.poll_floor
    with ctx.read() as session:
        if floor is None:
            newest = session.scalar(
                select(func.max(AuditEntry.id)).where(AuditEntry.station_id == ctx.station_id)
            )
            entries: list[tuple[int, str, int | None]] = [(int(newest or 0), "", None)]
        else:
            query = (
                select(AuditEntry.id, AuditEntry.entity, AuditEntry.entity_id, AuditEntry.action)
                .where(AuditEntry.id > floor, AuditEntry.station_id == ctx.station_id)
                .order_by(AuditEntry.id)
                .limit(POLL_LIMIT)
            )
            # a record looked at (VIEW) changed nothing: no screen reads it again
            entries = [
                (int(i), "" if a == AuditAction.VIEW else str(e), x)
                for i, e, x, a in session.execute(query)
            ]
    return feed._take_external(entries)
