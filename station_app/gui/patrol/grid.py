"""The people-met grid driven from the keyboard: Enter moves to the next cell
and adds a row after the last one; Delete asks, a second Delete removes.

Enter and Tab pass over the columns rarely filled in (condition, needs,
follow-up; the reason for refusing unless help was refused): the header's
context menu chooses them, per user of this computer. Arrow keys and clicks
still reach every cell. The action cell offers the action most taken in the
shift so far (else the station's usual one); the time cell the time of the row
before (else the shift's start).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView, QWidget
from typing_extensions import override

from station_app.domain.enums import EncounterAction
from station_app.domain.errors import N_
from station_app.gui.desktop_settings import desktop_settings
from station_app.i18n import _
from station_app.services.context import Context

from .delegates import EncounterDelegate
from .encounter_model import COLUMN, COLUMNS, EncounterTableModel

COLUMN_WIDTHS = (60, 120, 200, 110, 110, 170, 140, 150)
ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
TABS = (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
# columns Enter and Tab pass over until the user chooses otherwise
DEFAULT_SKIPPED = ("condition", "needs", "refusal_reason", "follow_up")
USUAL_ACTION = EncounterAction.CONTACT_CARD_LEFT  # a station with no encounters yet
SKIP_COLUMN = N_("Enter and Tab pass over “{column}”")
_SETTINGS_KEY = "patrol/skipped_columns"


def saved_skipped() -> set[str]:
    """The columns this computer's user has Enter and Tab pass over."""
    value = desktop_settings().value(_SETTINGS_KEY, None)
    if value is None:
        return set(DEFAULT_SKIPPED)
    names = [value] if isinstance(value, str) else list(value) if isinstance(value, list) else []
    return {n for n in names if n in COLUMN}


def save_skipped(skipped: set[str]) -> None:
    settings = desktop_settings()
    # an empty list is stored as a marker: "none skipped" is not "never chosen"
    settings.setValue(_SETTINGS_KEY, sorted(skipped) or "")
    settings.sync()


class EncounterGrid(QObject):
    """The table view, its model and its editors."""

    asking = Signal(int, str)  # Delete pressed once: row number (from 1), place
    answered = Signal()  # the question is gone: removed, or another key pressed

    def __init__(self, table: QTableView, ctx: Context, parent: QObject) -> None:
        super().__init__(parent)
        self.table = table
        self.model = EncounterTableModel(self)
        self.delegate = EncounterDelegate(self)
        self.delegate.ctx = ctx
        self.delegate.on_enter = self.advance
        self.delegate.on_tab = self.tab
        self.delegate.default_action = self.default_action
        self.delegate.default_time = self.default_time
        self.skipped: set[str] = saved_skipped()  # columns Enter and Tab pass over
        self.usual_action: EncounterAction | None = None  # the station's most taken
        self.start_time: Callable[[], str] = lambda: ""  # the shift's start, "20:00"
        self._removing: int | None = None  # row awaiting a second Delete
        table.setModel(self.model)
        table.setItemDelegate(self.delegate)
        # Arriving in a cell opens its editor: the team types, never clicks.
        table.setEditTriggers(
            QAbstractItemView.EditTrigger.CurrentChanged
            | QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        table.setTabKeyNavigation(True)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate(COLUMN_WIDTHS):
            table.setColumnWidth(column, width)
        table.installEventFilter(self)
        header = table.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._skip_menu)

    # ------------------------------------------------------------ what is offered

    def default_action(self) -> EncounterAction | None:
        """The action most taken in the shift so far, else the station's usual one."""
        taken = Counter(r.action for r in self.model.rows if r.action is not None)
        if taken:
            return taken.most_common(1)[0][0]
        return self.usual_action or USUAL_ACTION

    def default_time(self, row: int) -> str:
        """The time of the row before (else the shift's start) for an empty time cell."""
        for r in reversed(self.model.rows[:row]):
            if r.time:
                return r.time
        return self.start_time()

    # ------------------------------------------------------------ columns passed over

    def skips(self, row: int, column: int) -> bool:
        """Whether Enter and Tab pass over this cell (never a reason for a refusal)."""
        name = COLUMNS[column][0]
        rows = self.model.rows
        refused = 0 <= row < len(rows) and rows[row].action is EncounterAction.REFUSED_HELP
        if name == "refusal_reason" and refused:
            return False
        return name in self.skipped

    def _skip_menu(self, pos: QPoint) -> None:
        menu = QMenu(self.table)
        for name, header in COLUMNS:
            action = menu.addAction(_(SKIP_COLUMN).format(column=_(header)))
            action.setCheckable(True)
            action.setChecked(name in self.skipped)
            action.toggled.connect(lambda on, name=name: self.set_skipped(name, on))
        menu.popup(self.table.horizontalHeader().mapToGlobal(pos))

    def set_skipped(self, name: str, skipped: bool) -> None:
        if skipped:
            self.skipped.add(name)
        else:
            self.skipped.discard(name)
        save_skipped(self.skipped)

    def _step(self, row: int, column: int, forward: bool) -> tuple[int, int]:
        """The next cell not passed over (a row past the last: a row to add)."""
        for _i in range(len(COLUMNS) * 2):
            column += 1 if forward else -1
            if column >= len(COLUMNS):
                row, column = row + 1, 0
            elif column < 0:
                row, column = row - 1, len(COLUMNS) - 1
            if row < 0 or row >= self.model.rowCount() or not self.skips(row, column):
                return row, column
        return row, column  # every column passed over: stop anyway

    def add_row(self) -> int:
        """A new person met at the end, the time taken from the row before."""
        rows = self.model.rows
        row = self.model.add_row(rows[-1].time if rows else "")
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        column = 0 if not self.skips(row, 0) else self._step(row, 0, True)[1]
        self.table.setCurrentIndex(self.model.index(row, column))
        return row

    def advance(self) -> None:
        """Enter: the next cell, the next row, or a new row after the last cell."""
        current = self.table.currentIndex()
        if not current.isValid():
            current = self.model.index(0, 0)
        row, column = self._step(current.row(), current.column(), True)
        if row >= self.model.rowCount():
            self.add_row()
            return
        self._go(row, column)

    def tab(self, forward: bool) -> None:
        """Tab (Shift+Tab): the next (previous) cell not passed over; past the
        grid's ends, the next (previous) field of the form."""
        current = self.table.currentIndex()
        row, column = self._step(current.row(), current.column(), forward)
        if 0 <= row < self.model.rowCount():
            self._go(row, column)
            return
        widget: QWidget = self.table
        for _i in range(100):  # the form's fields, around the table's own parts
            step = widget.nextInFocusChain() if forward else widget.previousInFocusChain()
            if step is None or step is self.table:
                return
            widget = step
            tabbed = bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
            reachable = tabbed and widget.isEnabled() and widget.isVisible()
            if reachable and not self.table.isAncestorOf(widget):
                widget.setFocus(Qt.FocusReason.TabFocusReason)
                return

    def _go(self, row: int, column: int) -> None:
        index = self.model.index(row, column)
        self.table.setCurrentIndex(index)
        if self.table.state() != QAbstractItemView.State.EditingState:
            self.table.edit(index)

    def ask_remove(self) -> None:
        """First Delete: ask (:attr:`asking`); a second Delete removes the row."""
        self.delegate.commit_open_editor()
        row = self.table.currentIndex().row()
        if row < 0 or row >= self.model.rowCount():
            return
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if self._removing != row:
            self._removing = row
            self.asking.emit(row + 1, self.model.row(row).place or "—")
            return
        self._removing = None
        self.model.removeRows(row, 1)
        if self.model.rowCount() == 0:
            self.model.add_row()
        self.table.setCurrentIndex(self.model.index(min(row, self.model.rowCount() - 1), 0))
        self.answered.emit()

    def point(self, row: int | None, column: int) -> None:
        """Highlight a refused cell (and its row) and put the cursor there."""
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        if row is not None:
            self.model.mark(row, column)
            self.table.setCurrentIndex(self.model.index(row, column))

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.table or event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if event.key() == Qt.Key.Key_Delete and plain:
            self.ask_remove()
            return True
        if self._removing is not None:
            self._removing = None
            self.answered.emit()
        if event.key() in ENTER and plain:
            self.advance()
            return True
        if event.key() in TABS and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.tab(event.key() == Qt.Key.Key_Tab)
            return True
        return False
