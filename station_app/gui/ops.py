"""Every service call a screen makes: off the GUI thread, results back as signals.

A controller makes one :class:`Ops` for itself (``self.ops = Ops(self, ...)``)
and calls services only inside the closures it hands to it:

- :meth:`Ops.query` reads. With ``latest="key"`` only the newest read of that
  key counts: a read asked for while an older one of the key runs replaces
  any waiting one, and the older result is dropped (typing on in a search
  box, a page refreshed twice).
- :meth:`Ops.write` writes. Writes run one at a time, in the order asked, on
  one writer thread (the database takes one writer at a time anyway).
- :meth:`Ops.aside` runs long work that only reads the database file and
  must not hold up the writes queued behind it (the day's backup: seconds on
  a large station, while the clerk logs in), one at a time on its own thread.

Both run the closure on a thread pool and hand its result to ``done`` in the
GUI thread, if the owner is still alive. While an operation runs, the widgets
named ``busy`` are disabled and the window carries a busy cursor. A refusal
(:class:`UserError`) goes to the controller's message area, which points at the
field (and row) at fault; any other error is logged with its trace and the
user gets the apology. ``failed`` replaces that handling for one call.

After every commit the screens that show what was written read it again:
:mod:`.watching`.

A test script waits for the GUI to settle with :func:`idle`.
"""

from __future__ import annotations

import functools
import itertools
import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QApplication, QWidget

from station_app.domain.errors import SessionEnded, UserError

from . import dialogs, uiloader

log = logging.getLogger(__name__)

T = TypeVar("T")
Work = Callable[[], T]
BUSY = "opsBusy"  # dynamic property: operations that hold a widget disabled
ENABLED = "opsWasEnabled"  # its enabled state before the first of them
WINDOW_BUSY = "busy"  # dynamic property of a window while an operation of it runs


class _SessionWatch(QObject):
    """Says that a service refused because the signed-in account was deactivated:
    the main window logs out (see ``MainWindow``)."""

    ended = Signal(object)  # the SessionEnded refusal


session_watch = _SessionWatch()


class Feedback(Protocol):
    """Where a controller tells the user why a service refused (a MessageArea)."""

    def refusal(self, exc: UserError) -> None: ...

    def apology(self, text: str) -> None: ...

    def clear(self) -> None: ...


# ====================================================================== pools


_pools: dict[str, QThreadPool] = {}


def _pool(kind: str) -> QThreadPool:
    pool = _pools.get(kind)
    if pool is None:
        pool = QThreadPool()
        # One writer: writes keep their order and never wait on each other's locks;
        # work set aside runs one at a time too.
        readers = max(3, QThreadPool.globalInstance().maxThreadCount())
        threads = 1 if kind in ("write", "aside") else readers
        pool.setMaxThreadCount(threads)
        pool.setExpiryTimeout(60_000)
        _pools[kind] = pool
    return pool


# Operations are kept here from start to delivery: a controller may drop its
# reference, and an operation collected mid-run would lose its result.
_running: set[Operation] = set()


def running() -> bool:
    """Whether any operation is still to deliver its result."""
    return bool(_running)


def idle() -> bool:
    """Nothing running and no change waiting to be shown (for tests and shutdown)."""
    from .watching import refresh_due  # the watches are built on the operations

    return not _running and not refresh_due()


def wait_for_all(timeout_ms: int = 30_000) -> bool:
    """At exit: let running work end so no database write is cut off."""
    done = True
    for pool in _pools.values():
        done = pool.waitForDone(timeout_ms) and done
    return done


# ====================================================================== one operation


@dataclass
class _Job:
    """What a pool thread holds of an operation: plain Python, no Qt object.

    A Qt object whose last reference went away in a pool thread would be
    deleted there, beside the GUI thread's own use of PySide's object map: the
    operation itself stays with the GUI thread, and its result comes back
    through the one :class:`_Dispatcher` that lives as long as the application.
    """

    number: int
    work: Work[Any]
    cancelled: bool = False
    ended: threading.Event = field(default_factory=threading.Event)


def _run(job: _Job) -> None:  # in a pool thread
    try:
        result: object = None if job.cancelled else job.work()
    except Exception as exc:  # every failure is reported in the GUI thread
        job.ended.set()
        _deliver(job.number, False, exc)
    else:
        job.ended.set()
        _deliver(job.number, True, result)


class _Dispatcher(QObject):
    """Takes every result from the pool threads to the GUI thread."""

    delivered = Signal(int, bool, object)  # operation number, succeeded, result or exception

    def __init__(self) -> None:
        super().__init__(QApplication.instance())
        self.delivered.connect(self._hand_over)

    def _hand_over(self, number: int, succeeded: bool, value: object) -> None:
        operation = _numbered.pop(number, None)
        if operation is not None:
            (operation.succeeded if succeeded else operation.failed).emit(value)


_dispatcher: _Dispatcher | None = None
_numbered: dict[int, Operation] = {}  # running operations by number
_numbers = itertools.count(1)


def _deliver(number: int, succeeded: bool, value: object) -> None:
    try:
        assert _dispatcher is not None
        _dispatcher.delivered.emit(number, succeeded, value)
    except RuntimeError:  # the application is going away: nobody is left to tell
        log.debug("an operation ended after the application")


class Operation(QObject):
    """One service call on its way; its signals arrive in the GUI thread."""

    succeeded = Signal(object)  # the service's result
    failed = Signal(object)  # the exception

    def __init__(self, kind: str, work: Work[Any]) -> None:
        super().__init__()
        self.kind = kind
        self._job = _Job(next(_numbers), work)

    @property
    def running(self) -> bool:
        return self in _running

    @property
    def cancelled(self) -> bool:
        return self._job.cancelled

    def cancel(self) -> None:
        """Not wanted any more: it does not start if it has not, and its result is dropped."""
        self._job.cancelled = True

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the work has returned or raised (for shutdown and tests)."""
        return self._job.ended.wait(timeout)

    def _start(self, pool: QThreadPool) -> None:
        global _dispatcher
        if _dispatcher is None or not shiboken6.isValid(_dispatcher):
            _dispatcher = _Dispatcher()
        _numbered[self._job.number] = self
        pool.start(functools.partial(_run, self._job))


def _window_of(owner: QObject) -> QWidget | None:
    obj: QObject | None = owner
    while obj is not None and shiboken6.isValid(obj):
        if isinstance(obj, QWidget):
            return obj.window()
        obj = obj.parent()
    return None


def _discarded(owner: QObject) -> bool:
    """Whether the window of ``owner`` was closed for good (:func:`uiloader.discard`):
    it is deleted at the next turn of the event loop, its widgets may be gone already."""
    window = _window_of(owner)
    return window is not None and bool(window.property(uiloader.DISCARDED))


@contextmanager
def _window_going() -> Iterator[None]:
    """A result for a window being deleted (closed by Qt, not through
    :func:`uiloader.discard`) finds its widgets gone: nobody is left to show
    it to. Any other error is ours and goes on."""
    try:
        yield
    except RuntimeError as exc:
        if "already deleted" not in str(exc):
            raise
        log.debug("a result arrived for a window already deleted")


def _hold(widget: QWidget) -> None:
    count = widget.property(BUSY) or 0
    if not count:
        widget.setProperty(ENABLED, widget.isEnabled())
        widget.setEnabled(False)
    widget.setProperty(BUSY, count + 1)


def _release(widget: QWidget) -> None:
    if not shiboken6.isValid(widget):
        return
    count = max(0, (widget.property(BUSY) or 0) - 1)
    widget.setProperty(BUSY, count)
    if not count:
        widget.setEnabled(bool(widget.property(ENABLED)))


def is_busy(widget: QWidget) -> bool:
    """Whether an operation of the widget's window is running (the busy indication)."""
    return bool(widget.window().property(WINDOW_BUSY))


class Ops(QObject):
    """The operations of one controller: its reads and writes, its feedback.

    ``owner`` bounds their life (results for a closed window are dropped);
    ``busy`` widgets are disabled while any of its operations runs, unless a
    call names its own; ``feedback`` shows refusals.
    """

    def __init__(
        self,
        owner: QObject,
        *,
        busy: Iterable[QWidget] = (),
        feedback: Feedback | None = None,
    ) -> None:
        super().__init__(owner)
        self.busy = tuple(busy)
        self.feedback = feedback
        self._latest: dict[str, Operation] = {}  # key -> the newest read wanted
        self._waiting: dict[str, tuple[Work[Any], Callable[[Any], object], dict[str, Any]]] = {}

    # ------------------------------------------------------------ entry points

    def query(
        self,
        work: Work[T],
        done: Callable[[T], object],
        *,
        latest: str | None = None,
        busy: Iterable[QWidget] | None = None,
        failed: Callable[[BaseException], object] | None = None,
    ) -> Operation | None:
        """Read off the GUI thread; ``done(result)`` follows in the GUI thread.

        With ``latest``, a read of the same key still running makes this one
        wait (replacing any read already waiting), and the running one's
        result is dropped. Returns None when the read waits.
        """
        options = {"busy": busy, "failed": failed}
        if latest is not None:
            current = self._latest.get(latest)
            if current is not None and current.running:
                current.cancel()
                self._waiting[latest] = (work, done, options)
                return None
        operation = self._start("read", work, done, busy=busy, failed=failed)
        if latest is not None:
            self._latest[latest] = operation
            operation.succeeded.connect(lambda _r, key=latest: self._next(key))
            operation.failed.connect(lambda _e, key=latest: self._next(key))
        return operation

    def write(
        self,
        work: Work[T],
        done: Callable[[T], object] | None = None,
        *,
        busy: Iterable[QWidget] | None = None,
        failed: Callable[[BaseException], object] | None = None,
    ) -> Operation:
        """Write off the GUI thread, after the writes asked before it.

        A new attempt clears the feedback: the last refusal's message and marks go.
        """
        if self.feedback is not None:
            self.feedback.clear()
        return self._start("write", work, done, busy=busy, failed=failed)

    def aside(
        self,
        work: Work[T],
        done: Callable[[T], object] | None = None,
        *,
        failed: Callable[[BaseException], object] | None = None,
    ) -> Operation:
        """Long work off the GUI thread that the writes do not wait for (a
        backup: a snapshot read that writers in WAL mode go on beside); no
        widget is held busy."""
        return self._start("aside", work, done, busy=(), failed=failed)

    def cancel(self, latest: str) -> None:
        """Drop the reads of ``latest``: the waiting one and the running one's result."""
        self._waiting.pop(latest, None)
        current = self._latest.get(latest)
        if current is not None:
            current.cancel()

    def reading(self, latest: str) -> bool:
        """Whether a read of ``latest`` runs or waits."""
        current = self._latest.get(latest)
        return latest in self._waiting or (current is not None and current.running)

    # ------------------------------------------------------------ running

    def _start(
        self,
        kind: str,
        work: Work[T],
        done: Callable[[T], object] | None,
        *,
        busy: Iterable[QWidget] | None,
        failed: Callable[[BaseException], object] | None,
    ) -> Operation:
        operation = Operation(kind, work)
        held = [w for w in (self.busy if busy is None else tuple(busy)) if shiboken6.isValid(w)]
        for widget in held:
            _hold(widget)
        window = _window_of(self)
        if window is not None:
            _busy_window(window, +1)

        def finish() -> bool:
            _running.discard(operation)
            for widget in held:
                _release(widget)
            if window is not None:
                _busy_window(window, -1)
            return shiboken6.isValid(self) and not operation.cancelled and not _discarded(self)

        def succeeded(result: Any) -> None:
            if finish() and done is not None:
                with _window_going():
                    done(result)

        def failed_(exc: BaseException) -> None:
            if not isinstance(exc, UserError):
                log.error("a %s of the screens failed", kind, exc_info=exc)
            if finish():
                ended = isinstance(exc, SessionEnded)
                with _window_going():
                    if failed is not None:
                        failed(exc)
                    elif not ended:  # ended: the login dialog says why, no box on top
                        self.report(exc)
                if ended:  # told on a screen still open: log out
                    session_watch.ended.emit(exc)

        operation.succeeded.connect(succeeded)
        operation.failed.connect(failed_)
        _running.add(operation)
        operation._start(_pool(kind))
        return operation

    def report(self, exc: BaseException) -> None:
        """Tell the user of a failure: a refusal in the feedback, else the apology."""
        if self.feedback is not None:
            if isinstance(exc, UserError):
                self.feedback.refusal(exc)
            else:
                self.feedback.apology(dialogs.apology())
        else:
            dialogs.show_error(_window_of(self), dialogs.describe(exc))

    def _next(self, key: str) -> None:
        if not shiboken6.isValid(self):
            return
        waiting = self._waiting.pop(key, None)
        if waiting is not None:
            work, done, options = waiting
            self.query(work, done, latest=key, **options)


def _busy_window(window: QWidget, step: int) -> None:
    if not shiboken6.isValid(window):
        return
    count = max(0, int(window.property(WINDOW_BUSY + "Count") or 0) + step)
    window.setProperty(WINDOW_BUSY + "Count", count)
    if bool(count) != bool(window.property(WINDOW_BUSY)):
        window.setProperty(WINDOW_BUSY, bool(count))
        if count:
            window.setCursor(Qt.CursorShape.BusyCursor)
        else:
            window.unsetCursor()


# ====================================================================== progress


class Progress(QObject):
    """A progress report a long write calls from its thread: ``progress(stage, done, total)``.

    :attr:`changed` arrives in the GUI thread on a change of stage or of
    whole percent only (a generator may report thousands of times).
    """

    changed = Signal(str, int, int)

    def __init__(self, owner: QObject) -> None:
        super().__init__(owner)
        self._last: tuple[str, int] | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        percent = done * 100 // total if total > 0 else 0
        if self._last != (stage, percent) or done >= total:
            self._last = (stage, percent)
            self.changed.emit(stage, done, total)
