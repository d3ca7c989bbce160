"""Cell editors of the people-met grid that complete what is typed.

The person cell finds records with the product's one search (any spelling of
a name: characters, pinyin ``jike``, initials, Wylie; an ID fragment), off
the GUI thread; its list shows each record's number in full and marks who is
in the station now. The items cell completes an item by any part of its name
(``联系``, ``卡`` → 救助联系卡) or its pinyin initials (``my`` → 棉衣), a
quantity typed with it (``棉衣2``, ``mb*2``).

In either list Enter or Tab takes the line chosen (none: what is typed stays)
and moves on as in any cell.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QStringListModel,
    Qt,
    QTimer,
)
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QApplication, QCompleter, QLineEdit, QWidget
from typing_extensions import override

from station_app.domain.errors import N_
from station_app.domain.labels import enum_label
from station_app.gui.ops import Ops
from station_app.gui.widgets.person_picker import IN_STATION
from station_app.i18n import _
from station_app.services import search
from station_app.services.context import Context
from station_app.services.supplies import ItemView

from .rows import ITEM_SEPARATORS, item_keys, quantity_splits

Hit = tuple[str, int, str]  # (line shown in the list, person id, name)

SEARCH_DELAY_MS = 200
SEARCH_LIMIT = 20
HIT_LINE = N_("{name}, {details} — record {id}")
AGE = N_("{age} years")
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 1  # what an item is found by
_TAKE_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
_LIST_MARGIN = 24  # the list's frame and padding around the widest line


def hit_lines(hits: Sequence[search.PersonHit]) -> list[Hit]:
    """The records found, as lines of the person cell's list."""
    out: list[Hit] = []
    for h in hits:
        details = [_(enum_label(h.sex))] if h.sex is not None else []
        if h.age is not None:
            details.append(_(AGE).format(age=h.age))
        if h.in_station:
            details.append(f"· {_(IN_STATION)}")
        line = _(HIT_LINE).format(name=h.display_name, details=" ".join(details), id=h.person_id)
        out.append((line, h.person_id, h.display_name))
    return out


class PopupKeys(QObject):
    """Enter or Tab in a completion list: the line chosen (if any) goes into the
    cell, and the key moves on from the cell as it does without a list."""

    def __init__(self, edit: QLineEdit, take: Callable[[QModelIndex], str]) -> None:
        super().__init__(edit)
        self.edit = edit
        self.take = take
        popup = edit.completer().popup()
        assert popup is not None
        popup.installEventFilter(self)  # after the completer's own: sees keys first

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() != QEvent.Type.KeyPress
            or not isinstance(event, QKeyEvent)
            or event.key() not in _TAKE_KEYS
            or not isinstance(watched, QAbstractItemView)
        ):
            return False
        index = watched.currentIndex()
        if index.isValid():
            self.edit.setText(self.take(index))
        watched.hide()
        again = QKeyEvent(event.type(), event.key(), event.modifiers(), event.text())
        QApplication.sendEvent(self.edit, again)
        return True


def fit_list(completer: QCompleter, lines: Sequence[str], at_least: int) -> None:
    """The list as wide as its widest line (no record number cut off)."""
    popup = completer.popup()
    if popup is None or not lines:
        return
    metrics = popup.fontMetrics()
    widest = max(metrics.horizontalAdvance(line) for line in lines)
    scroll = popup.verticalScrollBar().sizeHint().width()
    popup.setMinimumWidth(max(at_least, widest + scroll + 2 * popup.frameWidth() + _LIST_MARGIN))


class PersonEdit(QLineEdit):
    """The person cell's editor: the records found for what is typed."""

    def __init__(self, parent: QWidget | None, ctx: Context | None) -> None:
        super().__init__(parent)
        self.hits: dict[str, tuple[int, str]] = {}
        self._ctx = ctx
        self.ops = Ops(self)
        self._list = QStringListModel(self)
        completer = QCompleter(self._list, self)
        # the search has chosen the lines: pinyin or an ID fragment is in none of them
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.setCompleter(completer)
        self.keys = PopupKeys(self, lambda index: str(index.data() or ""))
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._search_now)
        self.textEdited.connect(self._typed)

    @property
    def searching(self) -> bool:
        return self.ops.reading("search") or self._timer.isActive()

    def _typed(self, _text: str) -> None:
        # the lines of the text before are not offered for this one
        self._list.setStringList([])
        self._timer.start()

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
        if self.text().strip() != query:
            return  # typed on meanwhile: a newer search follows
        self.hits.update({line: (person_id, name) for line, person_id, name in hits})
        lines = [line for line, _id, _name in hits]
        self._list.setStringList(lines)
        completer = self.completer()
        fit_list(completer, lines, self.width())
        if hits and self.hasFocus():
            completer.complete()


class ItemsCompleter(QCompleter):
    """Completes the item being typed after the ones already written, by any
    part of its name or its pinyin (initials), keeping a quantity typed."""

    def __init__(self, catalogue: Sequence[ItemView], parent: QLineEdit):
        model = QStandardItemModel(parent)
        for item in catalogue:
            line = QStandardItem(item.name_zh)
            line.setData("\n".join(item_keys(item)), SEARCH_ROLE)
            model.appendRow(line)
        super().__init__(model, parent)
        self.setCompletionRole(SEARCH_ROLE)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterMode(Qt.MatchFlag.MatchContains)

    @staticmethod
    def _typed(path: str) -> tuple[str, str, str]:
        """What is written before the item being typed, its name, its quantity."""
        parts = ITEM_SEPARATORS.split(path)
        last = parts[-1]
        before = path[: len(path) - len(last)]
        name, quantity = quantity_splits(last.strip())[0] if last.strip() else ("", "1")
        return before, name, quantity

    @override
    def splitPath(self, path: str) -> list[str]:
        return [self._typed(path)[1].casefold()]

    def line_of(self, index: QModelIndex | QPersistentModelIndex) -> str:
        widget = self.widget()
        typed = widget.text() if isinstance(widget, QLineEdit) else ""
        before, _name, quantity = self._typed(typed)
        return f"{before}{index.data(Qt.ItemDataRole.DisplayRole)}×{quantity}"

    @override
    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:
        return self.line_of(index)


def items_edit(parent: QWidget, catalogue: Sequence[ItemView]) -> QLineEdit:
    """The items cell's editor."""
    line = QLineEdit(parent)
    completer = ItemsCompleter(catalogue, line)
    line.setCompleter(completer)
    PopupKeys(line, completer.line_of)  # owned by the line
    return line
