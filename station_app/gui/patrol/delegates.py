"""Editors of the people-met grid, made for the keyboard: Enter moves on like
Tab (both past the columns the grid skips); the action is an editable list
(F4 or Alt+Down opens it; typing its number or part of a label picks), the
usual action already chosen; the time is filled in (the row before's, or the
shift's start) and Up/Down step it; the person column searches the records as
one types; the items column completes item names from the catalogue, one
after another (``棉衣×1, 食品×2``; ``my2`` is read as ``棉衣×2``).

Esc in a cell whose text was typed puts back what the cell held and says so
(Ctrl+Z brings the typed text back); Esc again leaves the cell.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QComboBox,
    QCompleter,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)
from typing_extensions import override

from station_app.domain.enums import EncounterAction
from station_app.domain.labels import enum_label
from station_app.gui.feedback import INVALID_STYLE
from station_app.i18n import _
from station_app.services.context import Context
from station_app.services.supplies import ItemView

from .cells import PersonEdit, items_edit
from .encounter_model import COLUMN, PERSON_ID_ROLE, EncounterTableModel
from .rows import CellError, normal_items, parse_time

Index = QModelIndex | QPersistentModelIndex

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_TABS = (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
_STEPS = {Qt.Key.Key_Up: 1, Qt.Key.Key_Down: -1}
TIME_STEP_MINUTES = 5  # Up and Down in the time cell
MINUTES_A_DAY = 24 * 60


class EncounterDelegate(QStyledItemDelegate):
    """Editors per column; Enter commits and calls :attr:`on_enter`, Tab
    :attr:`on_tab` (forward or back)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx: Context | None = None  # whose records the person cell searches
        self.catalogue: Sequence[ItemView] = ()  # items by name, code or pinyin
        self.on_enter: Callable[[], None] | None = None
        self.on_tab: Callable[[bool], None] | None = None  # Tab (True) or Shift+Tab
        self.on_typing: Callable[[], None] | None = None
        self.on_undone: Callable[[str], None] | None = None  # Esc put back a cell
        self.default_action: Callable[[], EncounterAction | None] = lambda: None
        self.default_time: Callable[[int], str] = lambda _row: ""
        self.editor: QWidget | None = None  # the open editor
        self.editing: QPersistentModelIndex | None = None
        self._shown = ""  # the open editor's text as it opened

    @property
    def item_names(self) -> list[str]:
        """The items the items cell completes, by their Chinese names."""
        return [item.name_zh for item in self.catalogue]

    # ------------------------------------------------------------ editors

    @override
    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        column = index.column()
        editor: QWidget
        if column == COLUMN["action"]:
            combo = QComboBox(parent)
            combo.setEditable(True)
            combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            for n, action in enumerate(EncounterAction, start=1):
                combo.addItem(f"{n} {_(enum_label(action))}", action.value)
            completer = combo.completer()
            assert completer is not None  # an editable combo has one
            completer.setCompletionMode(QCompleter.CompletionMode.InlineCompletion)
            edit = combo.lineEdit()
            assert edit is not None
            edit.textEdited.connect(lambda _t: self._typed())
            combo.activated.connect(lambda _i: self._typed())
            editor = combo
        elif column == COLUMN["person"]:
            editor = PersonEdit(parent, self.ctx)
        elif column == COLUMN["items"]:
            editor = items_edit(parent, self.catalogue)
        else:
            editor = QLineEdit(parent)
        if isinstance(editor, QLineEdit):  # typed by the team, not filled in by the view
            editor.textEdited.connect(lambda _t: self._typed())
        model = index.model()
        if isinstance(model, EncounterTableModel) and model.marked == (index.row(), column):
            editor.setStyleSheet(INVALID_STYLE)  # the refused cell, now being corrected
        self.editor = editor
        self.editing = QPersistentModelIndex(index)
        return editor

    @override
    def destroyEditor(self, editor: QWidget, index: Index) -> None:
        if editor is self.editor:
            self.editor, self.editing = None, None
        super().destroyEditor(editor, index)

    def _typed(self) -> None:
        if self.on_typing is not None:
            self.on_typing()

    @override
    def setEditorData(self, editor: QWidget, index: Index) -> None:
        value = index.data(Qt.ItemDataRole.EditRole)
        if isinstance(editor, QComboBox):
            if not value:  # the usual action, taken with Enter
                usual = self.default_action()
                value = usual.value if usual is not None else None
            found = editor.findData(value)
            if found >= 0:
                editor.setCurrentIndex(found)
            else:
                editor.setCurrentIndex(-1)
                editor.setEditText("")
            line = editor.lineEdit()
            if line is not None:
                line.selectAll()
        elif isinstance(editor, QLineEdit):
            text = str(value or "")
            if not text and index.column() == COLUMN["time"]:
                text = self.default_time(index.row())
            if editor.text() != text:
                editor.setText(text)
                editor.selectAll()
            self._shown = text

    @override
    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, action_of(editor), Qt.ItemDataRole.EditRole)
        elif isinstance(editor, PersonEdit):
            text = editor.text().strip()
            hit = editor.hits.get(text)
            if hit is not None:
                person_id, name = hit
                model.setData(index, name, Qt.ItemDataRole.EditRole)
                model.setData(index, person_id, PERSON_ID_ROLE)
            else:
                model.setData(index, text, Qt.ItemDataRole.EditRole)
        elif isinstance(editor, QLineEdit):
            text = editor.text().strip()
            if index.column() == COLUMN["items"] and self.catalogue:
                text = normal_items(text, self.catalogue)
            model.setData(index, text, Qt.ItemDataRole.EditRole)

    def pending_text(self) -> tuple[int, int, str] | None:
        """What the open editor holds, not yet in the model (row, column, text)."""
        editor, index = self.editor, self.editing
        if editor is None or index is None or not index.isValid():
            return None
        if not shiboken6.isValid(editor):
            return None
        if isinstance(editor, QComboBox):
            return index.row(), index.column(), editor.currentText()
        if isinstance(editor, QLineEdit):
            return index.row(), index.column(), editor.text()
        return None

    def commit_open_editor(self) -> None:
        """Put what the open editor holds into the model and close it."""
        editor = self.editor
        if editor is not None and shiboken6.isValid(editor):
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    # ------------------------------------------------------------ keys

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() != QEvent.Type.KeyPress
            or not isinstance(event, QKeyEvent)
            or watched is not self.editor
            or not isinstance(watched, QWidget)
        ):
            return super().eventFilter(watched, event)
        key, modifiers = event.key(), event.modifiers()
        plain = not modifiers & ~(
            Qt.KeyboardModifier.KeypadModifier | Qt.KeyboardModifier.ShiftModifier
        )
        if isinstance(watched, QComboBox) and watched.view().isVisible():
            return super().eventFilter(watched, event)  # Enter picks in the list
        if key in _ENTER and not modifiers & Qt.KeyboardModifier.ControlModifier:
            self.commit_open_editor()
            if self.on_enter is not None:
                self.on_enter()
            return True
        if key in _TABS and plain and self.on_tab is not None:
            forward = key == Qt.Key.Key_Tab and not modifiers & Qt.KeyboardModifier.ShiftModifier
            self.commit_open_editor()
            self.on_tab(forward)
            return True
        if isinstance(watched, QLineEdit) and plain:
            if key == Qt.Key.Key_Escape and self._undo_typing(watched):
                return True
            editing = self.editing
            if key in _STEPS and editing is not None and editing.column() == COLUMN["time"]:
                return step_time(watched, _STEPS[Qt.Key(key)])
        return super().eventFilter(watched, event)

    def _undo_typing(self, edit: QLineEdit) -> bool:
        """Esc with typed text: put back what the cell held, say so; Ctrl+Z undoes it."""
        typed = edit.text()
        if typed.strip() == self._shown.strip():
            return False  # nothing typed: Esc leaves the cell
        edit.selectAll()
        edit.insert(self._shown)  # an edit of its own: Ctrl+Z brings the typed text back
        edit.selectAll()
        if self.on_undone is not None:
            self.on_undone(typed.strip())
        return True


def step_time(edit: QLineEdit, steps: int) -> bool:
    """Up or Down in the time cell: :data:`TIME_STEP_MINUTES` later or earlier."""
    try:
        clock = parse_time(edit.text(), 0, 0)
    except CellError:
        return True  # not a time: nothing to step, and the cell stays open
    minutes = (clock.hour * 60 + clock.minute + steps * TIME_STEP_MINUTES) % MINUTES_A_DAY
    edit.setText(f"{minutes // 60:02d}:{minutes % 60:02d}")
    edit.selectAll()
    return True


def action_of(combo: QComboBox) -> str | None:
    """The action an editable action list names: an item, its number, or part of its label."""
    text = combo.currentText().strip()
    if not text:
        return None
    found = combo.findText(text)
    if found >= 0:
        value: Any = combo.itemData(found)
        return str(value)
    for i in range(combo.count()):  # typed after the action offered, not over it
        label = combo.itemText(i)
        if text.startswith(label) and text[len(label) :].strip():
            text = text[len(label) :].strip()
            break
    number = text.split(" ", 1)[0]
    if number.isascii() and number.isdigit() and 1 <= int(number) <= combo.count():
        return str(combo.itemData(int(number) - 1))
    for i in range(combo.count()):
        if text.casefold() in combo.itemText(i).casefold():
            return str(combo.itemData(i))
    current = combo.currentData()
    return str(current) if current else None
