"""Keystrokes of a patrol encounter in the shift form (issue 16): the three
usual encounters typed into the real form (offscreen), every key counted.

- known person: the place, 扎西 by his initials ``zx`` picked from the list,
  the usual action, ``my2`` (two coats);
- code-name person: the place, ``桥洞老汉，约六十岁`` (no record), the usual
  action, a contact card by part of its name (``卡``);
- brought to the station: the place, a code name and description, the
  action's number (escorted to the station), no item.

Each row starts in its time cell (filled in) and ends when the next row opens.
Chinese typed through an input method counts as one keystroke per commit (the
candidate chosen), as issue 16 counted; the figure with the pinyin letters
typed before each commit is printed beside it. The shift is then submitted
and what was saved is shown. Figures only: nothing is timed or asserted.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from bench import benchmark
from bench.bench_patrol import empty_station

if TYPE_CHECKING:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QWidget

    from station_app.gui.patrol import ShiftForm
    from station_app.services.context import Context

WAIT_S = 15.0
CATALOGUE = (("COAT", "棉衣", "件"), ("FOOD", "食品", "份"), ("CARD", "救助联系卡", "张"))


def _station(folder: Path) -> Context:
    from station_app.domain.enums import MovementKind, Sex
    from station_app.services import persons, supplies

    ctx = empty_station(folder, "keystrokes.sqlite3")
    received = datetime.now(UTC) - timedelta(days=30)
    for code, name, unit in CATALOGUE:
        item = supplies.add_item(ctx, supplies.ItemInput(code, name, unit))
        supplies.receive(
            ctx, supplies.ReceiptInput(item.id, 50, MovementKind.RECEIPT_PURCHASE, received)
        )
    persons.create_person(ctx, persons.PersonInput(name_zh="扎西", sex=Sex.MALE, estimated_age=45))
    return ctx


def _wait(condition: Callable[[], bool], what: str) -> None:
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + WAIT_S
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited too long for {what}")
        QApplication.processEvents()
        time.sleep(0.005)


@dataclass
class Typist:
    """Types into whatever has the keyboard; counts keys and pinyin letters."""

    keys: int = 0
    with_pinyin: int = 0
    log: list[str] = field(default_factory=list)

    def _target(self) -> QWidget:
        from PySide6.QtWidgets import QApplication

        widget = QApplication.activePopupWidget() or QApplication.focusWidget()
        if widget is None:
            raise RuntimeError("nothing has the keyboard")
        return widget

    def key(self, key: Qt.Key, shown: str) -> None:
        from PySide6.QtCore import QEvent
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QApplication

        window = QApplication.activeWindow()
        QTest.keyClick(self._target(), key)
        self.keys += 1
        self.with_pinyin += 1
        self.log.append(shown)
        # offscreen, a list closed with its editor deactivates the window (a desktop does not)
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
        QApplication.processEvents()
        if QApplication.activeWindow() is None and window is not None:
            window.activateWindow()
            _wait(lambda: QApplication.activeWindow() is window, "the form active again")

    def type(self, text: str) -> None:
        from PySide6.QtTest import QTest

        for ch in text:
            QTest.keyClicks(self._target(), ch)
            self.keys += 1
            self.with_pinyin += 1
            self.log.append(ch)

    def commit(self, text: str) -> None:
        """Chinese from an input method: a key for the candidate (plus the pinyin)."""
        from pypinyin import lazy_pinyin
        from PySide6.QtGui import QInputMethodEvent
        from PySide6.QtWidgets import QApplication

        widget = self._target()
        QApplication.sendEvent(widget, QInputMethodEvent("", []))
        event = QInputMethodEvent()
        event.setCommitString(text)
        QApplication.sendEvent(widget, event)
        self.keys += 1
        self.with_pinyin += sum(len(s) for s in lazy_pinyin(text)) + 1
        self.log.append(f"[{text}]")

    def list_shown(self) -> None:
        """Wait (no key) for the person cell's list of records."""
        from PySide6.QtWidgets import QApplication

        from station_app.gui.patrol.cells import PersonEdit

        editor = QApplication.focusWidget()
        if not isinstance(editor, PersonEdit):
            raise RuntimeError("not in the person cell")
        popup = editor.completer().popup()
        _wait(lambda: popup is not None and popup.isVisible(), "the records found")


def _known_person(t: Typist) -> None:
    from PySide6.QtCore import Qt

    t.key(Qt.Key.Key_Return, "Enter")  # the time offered
    t.commit("跑马山脚")
    t.key(Qt.Key.Key_Return, "Enter")
    t.type("zx")
    t.list_shown()
    t.key(Qt.Key.Key_Down, "Down")
    t.key(Qt.Key.Key_Return, "Enter")
    t.key(Qt.Key.Key_Return, "Enter")  # the usual action
    t.type("my2")
    t.key(Qt.Key.Key_Return, "Enter")


def _code_name(t: Typist) -> None:
    from PySide6.QtCore import Qt

    t.key(Qt.Key.Key_Return, "Enter")
    t.commit("折多河桥洞")
    t.key(Qt.Key.Key_Return, "Enter")
    t.commit("桥洞老汉，约六十岁")
    t.key(Qt.Key.Key_Return, "Enter")
    t.key(Qt.Key.Key_Return, "Enter")  # the usual action
    t.commit("卡")
    t.key(Qt.Key.Key_Return, "Enter")


def _brought_in(t: Typist) -> None:
    from PySide6.QtCore import Qt

    from station_app.domain.enums import EncounterAction

    number = list(EncounterAction).index(EncounterAction.ESCORTED_TO_STATION) + 1
    t.key(Qt.Key.Key_Return, "Enter")
    t.commit("炉城镇汽车站")
    t.key(Qt.Key.Key_Return, "Enter")
    t.commit("汽车站老人，约七十岁，男")
    t.key(Qt.Key.Key_Return, "Enter")
    t.type(str(number))  # the action by its number
    t.key(Qt.Key.Key_Return, "Enter")
    t.key(Qt.Key.Key_Return, "Enter")  # no item


ENCOUNTERS = (
    ("known person", _known_person),
    ("code-name person", _code_name),
    ("brought to the station", _brought_in),
)


def _open_form(ctx: Context, folder: Path) -> ShiftForm:
    from PySide6.QtCore import QDate, QTime
    from PySide6.QtWidgets import QApplication, QLineEdit

    from station_app.gui.formatting import CHINA
    from station_app.gui.patrol import DraftStore, ShiftForm
    from station_app.gui.patrol.encounter_model import COLUMN

    store = DraftStore(ctx.station_id, ctx.actor.username, folder / "drafts")
    form = ShiftForm(ctx, None, draft_store=store)
    form.dialog.setMinimumSize(1100, 700)
    form.show()
    _wait(lambda: QApplication.activeWindow() is form.dialog, "the form")
    _wait(lambda: form.sheet is not None, "the form's catalogue")
    day = datetime.now(CHINA) - timedelta(days=1)
    h = form.header
    h.date_edit.setDate(QDate(day.year, day.month, day.day))
    h.start_edit.setTime(QTime(20, 0))
    h.end_edit.setTime(QTime(23, 30))
    form.table.setFocus()
    form.table.setCurrentIndex(form.model.index(0, COLUMN["time"]))
    _wait(lambda: isinstance(QApplication.focusWidget(), QLineEdit), "the first cell")
    return form


@benchmark("keystrokes", "keystrokes of the three usual patrol encounters in the shift form")
def run(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench keystrokes", description=__doc__)
    parser.add_argument("--keys", action="store_true", help="list the keys of each encounter")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from station_app.services import patrol

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="keystrokes-") as tmp:
        folder = Path(tmp)
        ctx = _station(folder)
        form = _open_form(ctx, folder)
        print(f"{'encounter':24} {'keys':>5} {'with pinyin':>12}")
        for name, typing in ENCOUNTERS:
            t = Typist()
            typing(t)
            print(f"{name:24} {t.keys:5d} {t.with_pinyin:12d}")
            if args.keys:
                print("    " + " ".join(t.log))
        saved: list[patrol.ShiftView] = []
        refused: list[str] = []
        form.submitted.connect(saved.append)
        form.failed.connect(refused.append)
        QTest.keyClick(form.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        _wait(lambda: bool(saved or refused), "the submit")
        if not saved:
            print(f"\nnot saved: {refused[0]}")
            form.close()
            return 1
        print("\nsaved:")
        for e in patrol.get_shift(ctx, saved[0].id).encounters:
            items = ", ".join(f"{i.item_name}×{i.quantity.normalize():f}" for i in e.items)
            who = f"record {e.person_id}" if e.person_id else "no record"
            person = e.person_name or e.code_name
            print(f"  {person} ({who}), {e.action.value}, {items or 'no item'}")
        form.close()
        ctx.db.close()
    del app
    return 0
