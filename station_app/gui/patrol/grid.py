"""The people-met grid driven from the keyboard: Enter moves to the next cell
and adds a row after the last one; Delete asks, a second Delete removes."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView
from typing_extensions import override

from station_app.services.context import Context

from .delegates import EncounterDelegate
from .encounter_model import COLUMNS, EncounterTableModel

COLUMN_WIDTHS = (60, 120, 200, 110, 110, 170, 140, 150)
ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class EncounterGrid(QObject):
    """The table view, its model and its editors."""

    asking = Signal(int, str)  # Delete pressed once: row number (from 1), place
    answered = Signal()  # the question is gone: removed, or another key pressed

    def __init__(
        self, table: QTableView, ctx: Context, item_names: Sequence[str], parent: QObject
    ) -> None:
        super().__init__(parent)
        self.table = table
        self.model = EncounterTableModel(self)
        self.delegate = EncounterDelegate(self)
        self.delegate.ctx = ctx
        self.delegate.item_names = item_names
        self.delegate.on_enter = self.advance
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

    def add_row(self) -> int:
        """A new person met at the end, the time taken from the row before."""
        rows = self.model.rows
        row = self.model.add_row(rows[-1].time if rows else "")
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.table.setCurrentIndex(self.model.index(row, 0))
        return row

    def advance(self) -> None:
        """Enter: the next cell, the next row, or a new row after the last cell."""
        current = self.table.currentIndex()
        if not current.isValid():
            current = self.model.index(0, 0)
        row, column = current.row(), current.column() + 1
        if column >= len(COLUMNS):
            row, column = row + 1, 0
            if row >= self.model.rowCount():
                self.add_row()
                return
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
        return False
