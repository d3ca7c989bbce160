"""Editors of the people-met grid, made for the keyboard: Enter moves on like
Tab; the action is an editable list (F4 or Alt+Down opens it; typing its number
or part of a label picks); the person column searches the records as one
types; the items column completes item names from the catalogue, one after
another (``棉衣×1, 食品×2``)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QStringListModel,
    Qt,
    QTimer,
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
from station_app.domain.errors import N_
from station_app.domain.labels import enum_label
from station_app.gui.feedback import INVALID_STYLE
from station_app.gui.ops import Ops
from station_app.i18n import _
from station_app.services import search
from station_app.services.context import Context

from .encounter_model import COLUMN, PERSON_ID_ROLE, EncounterTableModel

Index = QModelIndex | QPersistentModelIndex
Hit = tuple[str, int, str]  # (line shown in the list, person id, name)

SEARCH_DELAY_MS = 200
SEARCH_LIMIT = 20
HIT_LINE = N_("{name}, {details} — record {id}")
AGE = N_("{age} years")
_LAST_ITEM = re.compile(r"^(.*[,，、;；]\s*)?([^,，、;；]*)$")
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class ItemsCompleter(QCompleter):
    """Completes the item being typed after the ones already written."""

    @override
    def splitPath(self, path: str) -> list[str]:
        m = _LAST_ITEM.match(path)
        return [(m.group(2) if m else path).strip()]

    @override
    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:
        widget = self.widget()
        typed = widget.text() if isinstance(widget, QLineEdit) else ""
        m = _LAST_ITEM.match(typed)
        before = (m.group(1) or "") if m else ""
        return f"{before}{index.data()}×1"


def hit_lines(hits: Sequence[search.PersonHit]) -> list[Hit]:
    """The records found, as lines of the person cell's list."""
    out: list[Hit] = []
    for h in hits:
        details = [_(enum_label(h.sex))] if h.sex is not None else []
        if h.age is not None:
            details.append(_(AGE).format(age=h.age))
        line = _(HIT_LINE).format(name=h.display_name, details=" ".join(details), id=h.person_id)
        out.append((line, h.person_id, h.display_name))
    return out


class PersonEdit(QLineEdit):
    """The person cell's editor: the records found for what is typed."""

    def __init__(self, parent: QWidget | None, ctx: Context | None) -> None:
        super().__init__(parent)
        self.hits: dict[str, tuple[int, str]] = {}
        self._ctx = ctx
        self.ops = Ops(self)
        self._list = QStringListModel(self)
        completer = QCompleter(self._list, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCompleter(completer)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._search_now)
        self.textEdited.connect(lambda _t: self._timer.start())

    @property
    def searching(self) -> bool:
        return self.ops.reading("search") or self._timer.isActive()

    def _search_now(self) -> None:
        query = self.text().strip()
        ctx = self._ctx
        if not query or ctx is None or query in self.hits:
            return
        # A search that fails leaves the cell free text: the team types on.
        self.ops.query(
            lambda: search.search_persons(ctx, query, limit=SEARCH_LIMIT),
            lambda found: self._found(query, hit_lines(found)),
            latest="search",
            failed=lambda _exc: self._found(query, []),
        )

    def _found(self, query: str, hits: list[Hit]) -> None:
        self.hits = {line: (person_id, name) for line, person_id, name in hits}
        self._list.setStringList([line for line, _id, _name in hits])
        if hits and self.text().strip() == query and self.hasFocus():
            completer = self.completer()
            completer.setCompletionPrefix(query)
            completer.complete()


class EncounterDelegate(QStyledItemDelegate):
    """Editors per column; Enter commits and calls :attr:`on_enter`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx: Context | None = None  # whose records the person cell searches
        self.item_names: Sequence[str] = ()
        self.on_enter: Callable[[], None] | None = None
        self.on_typing: Callable[[], None] | None = None
        self.editor: QWidget | None = None  # the open editor
        self.editing: QPersistentModelIndex | None = None

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
        else:
            line = QLineEdit(parent)
            if column == COLUMN["items"]:
                items = ItemsCompleter(QStringListModel(list(self.item_names), line), line)
                items.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
                line.setCompleter(items)
            editor = line
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
            found = editor.findData(value)
            if found >= 0:
                editor.setCurrentIndex(found)
            else:
                editor.setCurrentIndex(-1)
                editor.setEditText("")
            line = editor.lineEdit()
            if line is not None:
                line.selectAll()
        elif isinstance(editor, QLineEdit) and editor.text() != (value or ""):
            editor.setText(value or "")
            editor.selectAll()

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
            model.setData(index, editor.text().strip(), Qt.ItemDataRole.EditRole)

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
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in _ENTER
            and not event.modifiers() & Qt.KeyboardModifier.ControlModifier
            and isinstance(watched, QWidget)
            and watched is self.editor
        ):
            if isinstance(watched, QComboBox) and watched.view().isVisible():
                return super().eventFilter(watched, event)  # Enter picks in the list
            self.commit_open_editor()
            if self.on_enter is not None:
                self.on_enter()
            return True
        return super().eventFilter(watched, event)


def action_of(combo: QComboBox) -> str | None:
    """The action an editable action list names: an item, its number, or part of its label."""
    text = combo.currentText().strip()
    if not text:
        return None
    found = combo.findText(text)
    if found >= 0:
        value: Any = combo.itemData(found)
        return str(value)
    number = text.split(" ", 1)[0]
    if number.isascii() and number.isdigit() and 1 <= int(number) <= combo.count():
        return str(combo.itemData(int(number) - 1))
    for i in range(combo.count()):
        if text.casefold() in combo.itemText(i).casefold():
            return str(combo.itemData(i))
    current = combo.currentData()
    return str(current) if current else None
