"""The supplies screens as table models: stock on hand, the movements of a
period, the period's summary per item, donations per donor, and the counts
of a stock-take being entered.

Each model holds one tuple of the service's frozen views and is replaced
whole on every read: a station keeps tens of items and a month has hundreds
of movements, read in one query. Headers are English message ids (mostly
those of the printed ledger) translated when asked for; :meth:`retranslate`
tells the views to ask again after a language switch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont
from typing_extensions import override

from station_app.domain import labels
from station_app.domain.enums import MovementKind
from station_app.domain.errors import N_
from station_app.domain.labels import field_label
from station_app.gui import fonts
from station_app.gui.formatting import china_text, digits, number_text
from station_app.gui.models.rows import RowsModel
from station_app.i18n import _
from station_app.services.supplies import DonorLine, ItemView, MovementView, PeriodLine
from station_app.services.supplies.common import quantity_text
from station_app.services.supplies.export import party

SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # raw values: numbers sort as numbers
ITEM_ID_ROLE = Qt.ItemDataRole.UserRole + 2  # the catalogue item of a row

LOW_STOCK = QColor("#fbe3c4")  # background of an item at or below its threshold
LOW_TEXT = QColor("#8a4b00")

TIBETAN_NAME = N_("Name in Tibetan")
IN_LEDGER = N_("In the ledger")
COUNTED = N_("Counted")

Index = QModelIndex | QPersistentModelIndex


def kind_label(kind: MovementKind) -> str:
    """A movement kind in the screen language (the domain's labels, as on paper)."""
    return _(labels.enum_label(kind))


def time_text(moment: datetime) -> str:
    return china_text(moment)


def _number(value: Decimal | None) -> str:
    return "" if value is None else digits(quantity_text(value))


def _sort_number(value: Decimal | None) -> float:
    return float(value) if value is not None else float("-inf")


def _tibetan(text: str | None) -> QFont | None:
    return fonts.tibetan_font() if text else None


_SuppliesModel = RowsModel  # rows of one kind of view (see gui/models/rows.py)


class StockModel(_SuppliesModel[ItemView]):
    """The catalogue with the stock on hand now; items at or below their threshold marked."""

    HEADERS = (
        labels.LEDGER_CODE,
        labels.LEDGER_ITEM,
        TIBETAN_NAME,
        labels.LEDGER_UNIT,
        labels.LEDGER_STOCK,
        labels.LEDGER_LOW_STOCK,
    )
    NAME_BO_COLUMN = 2
    STOCK_COLUMN = 4
    NUMBER_COLUMNS = frozenset((4, 5))

    def _values(self, item: ItemView) -> tuple[Any, ...]:
        return (
            item.code,
            item.name_zh,
            item.name_bo or "",
            item.unit_zh,
            item.stock,
            item.low_stock_threshold,
        )

    @override
    def _data(self, item: ItemView, column: int, role: int) -> Any:
        value = self._values(item)[column]
        if role == Qt.ItemDataRole.DisplayRole:
            return _number(value) if column in self.NUMBER_COLUMNS else value
        if role == SORT_ROLE:
            return _sort_number(value) if column in self.NUMBER_COLUMNS else value
        if role == ITEM_ID_ROLE:
            return item.id
        if role == Qt.ItemDataRole.FontRole and column == self.NAME_BO_COLUMN:
            return _tibetan(item.name_bo)
        if role == Qt.ItemDataRole.BackgroundRole and item.low:
            return LOW_STOCK
        if role == Qt.ItemDataRole.ForegroundRole and item.low:
            return LOW_TEXT
        if role == Qt.ItemDataRole.ToolTipRole and item.low:
            return _(labels.LEDGER_LOW)
        return None

    def row_of(self, item_id: int) -> int:
        """The row of an item, or -1."""
        return next((i for i, item in enumerate(self._rows) if item.id == item_id), -1)


class MovementModel(_SuppliesModel[MovementView]):
    """The ledger lines of a period in time order; quantities signed."""

    HEADERS = (
        labels.LEDGER_TIME,
        labels.LEDGER_ITEM,
        labels.LEDGER_KIND,
        labels.LEDGER_QUANTITY,
        labels.LEDGER_UNIT,
        labels.LEDGER_PARTY,
        labels.LEDGER_REASON,
    )
    QUANTITY_COLUMN = 3
    NUMBER_COLUMNS = frozenset((3,))

    @override
    def _data(self, m: MovementView, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            values = (
                time_text(m.moved_at),
                m.item_name_zh,
                kind_label(m.kind),
                digits(f"{m.quantity.normalize():+f}"),
                m.unit_zh,
                party(m.donor, m.counterpart, m.person_name),
                m.reason or "",
            )
            return values[column]
        if role == SORT_ROLE:
            return float(m.quantity) if column == self.QUANTITY_COLUMN else m.moved_at.isoformat()
        if role == ITEM_ID_ROLE:
            return m.item_id
        if role == Qt.ItemDataRole.ToolTipRole and column == 6 and m.reason:
            return m.reason
        return None


class SummaryModel(_SuppliesModel[PeriodLine]):
    """Per item over the period: opening, in, out, stock-take difference, closing."""

    HEADERS = (
        labels.LEDGER_CODE,
        labels.LEDGER_ITEM,
        labels.LEDGER_UNIT,
        labels.LEDGER_OPENING,
        labels.LEDGER_RECEIVED,
        labels.LEDGER_ISSUED,
        labels.LEDGER_TRANSFERRED_IN,
        labels.LEDGER_TRANSFERRED_OUT,
        labels.LEDGER_ADJUSTED,
        labels.LEDGER_CLOSING,
    )
    NUMBER_COLUMNS = frozenset(range(3, 10))

    def _values(self, p: PeriodLine) -> tuple[Any, ...]:
        return (
            p.code,
            p.name_zh,
            p.unit_zh,
            p.opening,
            p.received_total,
            p.issued_total,
            p.transferred_in,
            p.transferred_out,
            p.adjusted,
            p.closing,
        )

    @override
    def _data(self, p: PeriodLine, column: int, role: int) -> Any:
        value = self._values(p)[column]
        if role == Qt.ItemDataRole.DisplayRole:
            return _number(value) if column in self.NUMBER_COLUMNS else value
        if role == SORT_ROLE:
            return _sort_number(value) if column in self.NUMBER_COLUMNS else value
        if role == ITEM_ID_ROLE:
            return p.item_id
        return None


class DonorModel(_SuppliesModel[DonorLine]):
    """Donations of the period per donor and item."""

    HEADERS = labels.LEDGER_DONOR_COLUMNS
    NUMBER_COLUMNS = frozenset((2, 4))

    @override
    def _data(self, d: DonorLine, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            values = (
                d.donor,
                d.name_zh,
                _number(d.quantity),
                d.unit_zh,
                number_text(d.donations),
                time_text(d.first_at),
                time_text(d.last_at),
            )
            return values[column]
        if role == ITEM_ID_ROLE:
            return d.item_id
        return None


@dataclass
class CountLine:
    """One item of a stock-take being entered: what the ledger says, what was counted."""

    item: ItemView
    counted: str = ""
    reason: str = ""


class StocktakeModel(_SuppliesModel[CountLine]):
    """The stock-take sheet: the counted quantity and the reason are typed in the table."""

    HEADERS = (
        labels.LEDGER_ITEM,
        labels.LEDGER_UNIT,
        IN_LEDGER,
        COUNTED,
        labels.LEDGER_REASON,
    )
    COUNTED_COLUMN = 3
    REASON_COLUMN = 4
    NUMBER_COLUMNS = frozenset((2, 3))

    def set_items(self, items: list[ItemView]) -> None:
        self.set_rows([CountLine(item) for item in items])

    @override
    def flags(self, index: Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() in (self.COUNTED_COLUMN, self.REASON_COLUMN):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    @override
    def _data(self, line: CountLine, column: int, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            values = (
                line.item.name_zh,
                line.item.unit_zh,
                _number(line.item.stock),
                line.counted,
                line.reason,
            )
            return values[column]
        if role == ITEM_ID_ROLE:
            return line.item.id
        if role == Qt.ItemDataRole.ToolTipRole and column == self.REASON_COLUMN:
            return _(field_label("movement_reason"))
        return None

    @override
    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        if index.column() not in (self.COUNTED_COLUMN, self.REASON_COLUMN):
            return False
        line = self._rows[index.row()]
        text = "" if value is None else str(value).strip()
        if index.column() == self.COUNTED_COLUMN:
            line.counted = text
        else:
            line.reason = text
        self.dataChanged.emit(index, index, [role, Qt.ItemDataRole.DisplayRole])
        return True

    def counts(self) -> dict[int, str]:
        """Item id -> the quantity typed, for the items counted."""
        return {line.item.id: line.counted for line in self._rows if line.counted}

    def reasons(self) -> dict[int, str]:
        return {line.item.id: line.reason for line in self._rows if line.reason}
