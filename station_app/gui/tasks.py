"""Long work off the GUI thread: one small helper for every background job.

``BackgroundTask(work)`` runs ``work(progress)`` on Qt's thread pool. The work
reports with ``progress(stage, done, total)``; the task's signals arrive in
the GUI thread: ``progress(stage, done, total)``, then either
``finished(result)`` or ``failed(exception)``. Show a failure with
:func:`station_app.gui.dialogs.error_text`, which says what to do.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal

Progress = Callable[[str, int, int], None]
Work = Callable[[Progress], Any]

# Tasks are kept here while they run: a caller may drop its reference, and a
# task collected mid-run would lose its result.
_running: set[BackgroundTask] = set()


class BackgroundTask(QObject):
    progress = Signal(str, int, int)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, work: Work, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self._done = threading.Event()
        self._last: tuple[str, int] | None = None
        self.finished.connect(self._forget)
        self.failed.connect(self._forget)

    @property
    def running(self) -> bool:
        return self in _running

    def start(self, pool: QThreadPool | None = None) -> None:
        if self.running:
            raise RuntimeError("the task is already running")
        self._done.clear()
        _running.add(self)
        (pool or QThreadPool.globalInstance()).start(self._run)

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the work has returned or raised (for shutdown, not the GUI)."""
        return self._done.wait(timeout)

    def _report(self, stage: str, done: int, total: int) -> None:
        # Called in the worker thread, maybe thousands of times: pass on a
        # change of stage or of whole percent only.
        percent = done * 100 // total if total > 0 else 0
        if self._last != (stage, percent) or done >= total:
            self._last = (stage, percent)
            self.progress.emit(stage, done, total)

    def _run(self) -> None:
        try:
            result = self._work(self._report)
        except Exception as exc:  # every failure is reported in the GUI thread
            self._done.set()
            self.failed.emit(exc)
        else:
            self._done.set()
            self.finished.emit(result)

    def _forget(self, _result: object) -> None:
        _running.discard(self)


def wait_for_all(timeout_ms: int = 30_000) -> bool:
    """At exit: let running tasks end so no database write is cut off."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
