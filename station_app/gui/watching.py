"""Change notifications in the screens: after every commit the services tell
the database's change feed what was written (:mod:`station_app.services.changes`);
:class:`ChangeHub` turns that into one application-wide signal, and
:func:`watch` re-reads a screen when a commit touches what it shows — from this
window, another one, or another program (polled from the audit trail).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

import shiboken6
from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget
from typing_extensions import override

from station_app.services import changes as change_feed
from station_app.services.changes import Changes
from station_app.services.context import Context, Database

from .ops import Ops, _discarded, _window_going

log = logging.getLogger(__name__)

POLL_OTHERS_MS = 3_000  # how often the trail is read for other programs' writes
COALESCE_MS = 30  # changes arriving within this are one refresh


class ChangeHub(QObject):
    """The application-wide signal of one database's changes."""

    changed = Signal(object)  # Changes

    def __init__(self, db: Database) -> None:
        super().__init__(QApplication.instance())
        self.db = db
        # Called in the writing thread: the signal takes the changes to the GUI thread.
        self._unsubscribe = db.changes.subscribe(self.changed.emit)
        self._ctx: Context | None = None
        self.ops = Ops(self)
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_OTHERS_MS)
        self._timer.timeout.connect(self.poll_others)

    def watch_others(self, ctx: Context) -> None:
        """Poll the audit trail for other programs' writes while ``ctx`` is signed in."""
        self._ctx = ctx
        self.poll_others()
        self._timer.start()

    def stop_watching_others(self) -> None:
        self._timer.stop()
        self._ctx = None

    def poll_others(self) -> None:
        ctx = self._ctx
        if ctx is None or self.ops.reading("others"):
            return
        self.ops.query(
            lambda: change_feed.poll_others(ctx),
            self._heard,
            latest="others",
            failed=lambda exc: log.warning("the audit trail could not be polled: %s", exc),
        )

    def _heard(self, changes: Changes) -> None:
        if changes:
            self.changed.emit(changes)

    def close(self) -> None:
        self.stop_watching_others()
        self._unsubscribe()
        _hubs.pop(id(self.db), None)


_hubs: dict[int, ChangeHub] = {}
_all_watches: set[Watch] = set()


def hub(db: Database) -> ChangeHub:
    """The change hub of ``db`` (made on first use, in the GUI thread)."""
    found = _hubs.get(id(db))
    if found is None or not shiboken6.isValid(found) or found.db is not db:
        found = ChangeHub(db)
        _hubs[id(db)] = found
    return found


class Watch(QObject):
    """Calls ``refresh(changes)`` when a commit touches ``entities`` (all if empty).

    Changes arriving together make one call. With ``page``, changes that come
    while the page is hidden wait until it is shown again.
    """

    def __init__(
        self,
        owner: QObject,
        db: Database,
        refresh: Callable[[Changes], object],
        entities: Iterable[str] = (),
        *,
        page: QWidget | None = None,
    ) -> None:
        super().__init__(owner)
        self.setObjectName("opsWatch")
        self.entities = frozenset(entities)
        self._refresh = refresh
        self._page = page
        self._pending = Changes()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(COALESCE_MS)
        self._timer.timeout.connect(self._fire)
        hub(db).changed.connect(self._changed)
        if page is not None:
            page.installEventFilter(self)
        _watches()  # forget the deleted ones
        _all_watches.add(self)

    @property
    def pending(self) -> bool:
        """A refresh is due (a hidden page's is not: it waits to be shown)."""
        return self._timer.isActive()

    def _changed(self, changes: Changes) -> None:
        if self.entities and not changes.touches_any(self.entities):
            return
        page = self._page
        if page is not None and not shiboken6.isValid(page):
            return  # the page went first; this watch goes with its owner
        self._pending = self._pending | changes
        if page is None or page.isVisible():
            self._timer.start()

    def _fire(self) -> None:
        changes, self._pending = self._pending, Changes()
        if changes and not _discarded(self):
            with _window_going():
                self._refresh(changes)

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._page and event.type() == QEvent.Type.Show and self._pending:
            self._timer.start()
        return False


def watch(
    owner: QObject,
    db: Database,
    refresh: Callable[[Changes], object],
    entities: Iterable[str] = (),
    *,
    page: QWidget | None = None,
) -> Watch:
    """Refresh ``owner``'s screen after commits that touch ``entities``."""
    return Watch(owner, db, refresh, entities, page=page)


def _watches() -> list[Watch]:
    global _all_watches
    _all_watches = {w for w in _all_watches if shiboken6.isValid(w)}
    return list(_all_watches)


def refresh_due() -> bool:
    """Whether a change waits to be shown on a screen on view."""
    return any(w.pending for w in _watches())


class _FirstShow(QObject):
    def __init__(self, page: QWidget, read: Callable[[], object]) -> None:
        super().__init__(page)
        self._page = page
        self._read = read
        page.installEventFilter(self)

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._page and event.type() == QEvent.Type.Show:
            self._page.removeEventFilter(self)
            self.deleteLater()
            self._read()
        return False


def on_first_show(page: QWidget, read: Callable[[], object]) -> None:
    """Call ``read`` when ``page`` is first shown (at once if it is on screen):
    nothing is read for a page the user has not opened."""
    if page.isVisible():
        read()
    else:
        _FirstShow(page, read)


class WhileShown(QObject):
    """Reads a page again every ``interval_ms`` while it is on screen (what
    changes with the clock alone: hours waited, days in the station), and at once
    when it is shown again after being hidden longer than that. Hidden, it reads
    nothing. The page calls :meth:`read` when what it shows was read."""

    def __init__(
        self, page: QWidget, interval_ms: int, refresh: Callable[[], object], parent: QObject
    ) -> None:
        super().__init__(parent)
        self._page = page
        self._refresh = refresh
        self._age = QElapsedTimer()  # since what is on screen was read
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(refresh)
        page.installEventFilter(self)

    def read(self) -> None:
        self._age.start()

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._page:
            if event.type() == QEvent.Type.Show:
                self.timer.start()
                if self._age.isValid() and self._age.hasExpired(self.timer.interval()):
                    self._refresh()  # the clock moved on while the page was hidden
            elif event.type() == QEvent.Type.Hide:
                self.timer.stop()
        return False
