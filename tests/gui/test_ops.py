"""The operations layer on its own: results in the GUI thread, busy widgets,
newest-read-wins, writes in order, refusals and our own faults told apart,
and change notifications coalesced and held for hidden pages.

Real Qt event loop, real thread pools; the work is plain Python (a service
call in the screens), gated by events so nothing depends on timing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from station_app.domain.errors import ValidationError
from station_app.gui import dialogs, ops, watching
from station_app.gui.feedback import Level, MessageArea
from station_app.services.changes import Changes
from station_app.services.context import ACCOUNT_DEACTIVATED, Database, SessionEnded
from tests.support.gui import TIMEOUT, is_busy, marked_invalid, settle, told

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[QWidget]:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    settle(qtbot)


@pytest.fixture
def gate() -> Iterator[threading.Event]:
    """Holds the work until the test opens it (always opened at the end)."""
    event = threading.Event()
    yield event
    event.set()


def test_a_read_runs_off_the_gui_thread_and_its_result_arrives_in_it(
    qtbot: QtBot, window: QWidget, gate: threading.Event
) -> None:
    gui_thread = threading.get_ident()
    threads: list[int] = []  # thread identities (a QThread wrapper of a pool
    # thread would outlive the thread, and PySide would hand it out again for
    # a new widget at the same address)
    results: list[tuple[int, object]] = []
    button = QPushButton(window)

    def work() -> int:
        threads.append(threading.get_ident())
        assert gate.wait(TIMEOUT / 1000)
        return 42

    runner = ops.Ops(window, busy=[button])
    runner.query(work, lambda result: results.append((result, threading.get_ident())))
    qtbot.waitUntil(lambda: bool(threads), timeout=TIMEOUT)
    # while it runs: the button cannot be pressed, the window says it is busy
    assert not button.isEnabled()
    assert is_busy(window)
    assert not ops.idle()
    gate.set()
    qtbot.waitUntil(lambda: bool(results), timeout=TIMEOUT)
    assert results == [(42, gui_thread)]
    assert threads[0] != gui_thread
    assert button.isEnabled()
    assert not is_busy(window)


def test_a_widget_disabled_before_stays_disabled_after(qtbot: QtBot, window: QWidget) -> None:
    button = QPushButton(window)
    button.setEnabled(False)  # the role may not use it
    runner = ops.Ops(window, busy=[button])
    done: list[object] = []
    runner.query(lambda: 1, done.append)
    runner.query(lambda: 2, done.append)  # two at once hold it twice
    qtbot.waitUntil(lambda: len(done) == 2, timeout=TIMEOUT)
    assert not button.isEnabled()


def test_the_result_for_a_closed_window_is_dropped(qtbot: QtBot, gate: threading.Event) -> None:
    owner = QWidget()
    owner.show()
    results: list[object] = []
    runner = ops.Ops(owner)
    operation = runner.query(lambda: gate.wait(TIMEOUT / 1000), results.append)
    assert operation is not None
    with qtbot.waitSignal(owner.destroyed, timeout=TIMEOUT):
        owner.deleteLater()  # the clerk closed the window while it read
    gate.set()
    qtbot.waitUntil(lambda: not operation.running, timeout=TIMEOUT)
    assert results == []


def test_only_the_newest_read_of_a_key_is_shown(
    qtbot: QtBot, window: QWidget, gate: threading.Event
) -> None:
    """Typing on in a search box: the reads asked meanwhile never run but the
    last, and the one running when the box changed is not shown."""
    ran: list[str] = []
    shown: list[str] = []
    runner = ops.Ops(window)

    def search(query: str) -> str:
        ran.append(query)
        if query == "z":
            assert gate.wait(TIMEOUT / 1000)
        return query

    runner.query(lambda: search("z"), shown.append, latest="search")
    qtbot.waitUntil(lambda: ran == ["z"], timeout=TIMEOUT)
    for query in ("zh", "zha", "zhax"):
        assert runner.query(lambda q=query: search(q), shown.append, latest="search") is None
    assert runner.reading("search")
    gate.set()
    qtbot.waitUntil(lambda: not runner.reading("search"), timeout=TIMEOUT)
    assert ran == ["z", "zhax"]
    assert shown == ["zhax"]


def test_a_cancelled_read_shows_nothing(
    qtbot: QtBot, window: QWidget, gate: threading.Event
) -> None:
    shown: list[str] = []
    runner = ops.Ops(window)
    runner.query(lambda: gate.wait(TIMEOUT / 1000) and "hits", shown.append, latest="search")
    runner.cancel("search")  # the box was cleared
    gate.set()
    settle(qtbot)
    assert shown == []


def test_writes_run_one_at_a_time_in_the_order_asked(
    qtbot: QtBot, window: QWidget, gate: threading.Event
) -> None:
    order: list[int] = []
    running = threading.Semaphore(1)

    def write(n: int) -> int:
        assert running.acquire(blocking=False), "two writes at once"
        try:
            if n == 0:
                assert gate.wait(TIMEOUT / 1000)
            order.append(n)
            return n
        finally:
            running.release()

    runner = ops.Ops(window)
    done: list[int] = []
    for n in range(5):
        runner.write(lambda n=n: write(n), done.append)
    gate.set()
    qtbot.waitUntil(lambda: len(done) == 5, timeout=TIMEOUT)
    assert order == [0, 1, 2, 3, 4]
    assert done == [0, 1, 2, 3, 4]


def test_a_refusal_points_at_the_field_and_the_next_attempt_clears_it(
    qtbot: QtBot, window: QWidget
) -> None:
    label = QLabel(window)
    edit = QLineEdit(window)
    area = MessageArea(label, {"place": edit})
    runner = ops.Ops(window, feedback=area)

    def refuse() -> None:
        raise ValidationError("Write where the person was met.", field="place")

    runner.write(refuse)
    qtbot.waitUntil(lambda: told(area).error, timeout=TIMEOUT)
    assert told(area) == told(label)
    assert told(area).text == "Write where the person was met."
    assert marked_invalid(edit)
    runner.write(lambda: None)
    assert not marked_invalid(edit)  # cleared as the next attempt starts
    settle(qtbot)
    assert told(area).level is None


def test_our_own_fault_is_logged_with_its_trace_and_the_user_gets_the_apology(
    qtbot: QtBot, window: QWidget, caplog: pytest.LogCaptureFixture
) -> None:
    area = MessageArea(QLabel(window))
    runner = ops.Ops(window, feedback=area)

    def broken() -> None:
        raise KeyError("a bug")

    with caplog.at_level(logging.ERROR, logger="station_app.gui.ops"):
        runner.write(broken)
        qtbot.waitUntil(lambda: told(area).error, timeout=TIMEOUT)
    assert told(area).text == dialogs.apology()
    [record] = [r for r in caplog.records if r.name == "station_app.gui.ops"]
    assert record.exc_info is not None
    assert record.exc_info[0] is KeyError


def test_the_level_of_a_message_is_readable(window: QWidget) -> None:
    area = MessageArea(QLabel(window))
    area.tell("Saved.")
    assert told(area).information
    area.tell("Please check: {what}", Level.WARNING, what="the age")
    assert told(area).warning
    assert told(area).text == "Please check: the age"
    area.clear()
    assert told(area).level is None


# ------------------------------------------------------------------ change notifications


def test_changes_arriving_together_make_one_refresh_and_a_hidden_page_waits(
    qtbot: QtBot, window: QWidget, tmp_path: object
) -> None:
    db = Database.open(f"sqlite:///{tmp_path}/changes.sqlite3")  # type: ignore[str-bytes-safe]
    try:
        page = QWidget(window)
        page.show()
        heard: list[Changes] = []
        watch = watching.watch(page, db, heard.append, ("help_request",), page=page)
        for request_id in (1, 2, 3):
            db.changes.publish(Changes.of([("help_request", request_id)]))
        db.changes.publish(Changes.of([("supply_item", 9)]))  # not what the page shows
        qtbot.waitUntil(lambda: bool(heard), timeout=TIMEOUT)
        settle(qtbot)
        assert len(heard) == 1
        assert heard[0].touches("help_request", [1, 2, 3])
        assert not heard[0].touches("supply_item")

        page.hide()
        db.changes.publish(Changes.of([("help_request", 4)]))
        settle(qtbot)
        assert len(heard) == 1  # hidden: nothing read for nobody
        assert not watch.pending
        page.show()
        qtbot.waitUntil(lambda: len(heard) == 2, timeout=TIMEOUT)
        assert heard[1].touches("help_request", 4)
    finally:
        watching.hub(db).close()
        db.close()


def test_a_result_for_widgets_already_deleted_is_dropped_quietly(
    qtbot: QtBot, window: QWidget, gate: threading.Event
) -> None:
    """A window closed by Qt itself (not discarded by the application) while
    it read: its widgets are gone when the result comes; nobody is told."""
    combo = QComboBox(window)
    runner = ops.Ops(window)
    runner.query(lambda: gate.wait(TIMEOUT / 1000), lambda _r: combo.currentData())
    shiboken6.delete(combo)
    gate.set()
    settle(qtbot)  # pytest-qt fails the test on an exception in the event loop


def test_an_error_of_ours_in_a_result_handler_is_not_hidden(qtbot: QtBot, window: QWidget) -> None:
    def broken(_result: object) -> None:
        raise RuntimeError("a bug in a screen")

    with qtbot.captureExceptions() as caught:
        ops.Ops(window).query(lambda: 1, broken)
        settle(qtbot)
    assert [str(e[1]) for e in caught] == ["a bug in a screen"]


def test_a_deactivated_account_logs_out_without_a_box_on_top(
    qtbot: QtBot, window: QWidget, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An account deactivated while its windows are open: the next call of any
    screen is refused; the main window logs out and the login dialog says why.
    A screen without a message area of its own (Today, the hotline, a print
    preview) used to put an error box on top of that as well, whichever of them
    was first to hear it, and a box left open stopped the logout."""
    boxes: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda parent, text: boxes.append(text))
    owner = ops.Ops(window)  # no feedback of its own

    def refused() -> None:
        raise SessionEnded(ACCOUNT_DEACTIVATED)

    with qtbot.waitSignal(ops.session_watch.ended, timeout=TIMEOUT) as ended:
        owner.query(refused, lambda _result: None)
    assert isinstance(ended.args[0], SessionEnded)
    assert boxes == []
