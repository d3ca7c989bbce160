"""The other names and relatives of the person form (the "Names and relatives" tab)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from station_app.domain.enums import NameKind
from station_app.domain.errors import N_, UserError
from station_app.domain.labels import enum_label
from station_app.gui import uiloader
from station_app.i18n import _
from station_app.services.persons import PersonView, RelativeInput

from .identity import chosen

NAME_HEADERS = (N_("Kind"), N_("Name"))
RELATIVE_HEADERS = (N_("Name"), N_("Relation"), N_("Address"), N_("Phone"))
NAME_FIELDS = frozenset({"other_names", "other_name"})
RELATIVE_COLUMNS = {
    "relative_name": 0,
    "relative_relation": 1,
    "relative_address": 2,
    "relative_phone": 3,
    "relative_notes": 0,
}


def _cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return item.text().strip() if item is not None else ""


class OtherNames:
    """Other names (kind and text) and relatives, typed in two tables."""

    def __init__(self, dialog: QDialog) -> None:
        self.names_table = uiloader.child(dialog, QTableWidget, "namesTable")
        self.relatives_table = uiloader.child(dialog, QTableWidget, "relativesTable")
        self.fields: dict[str, QWidget] = {
            **dict.fromkeys(NAME_FIELDS, self.names_table),
            **dict.fromkeys(RELATIVE_COLUMNS, self.relatives_table),
        }
        # the table row of each other name and relative sent (blank rows are not)
        self._sent_names: list[int] = []
        self._sent_relatives: list[int] = []
        for table, headers in (
            (self.names_table, NAME_HEADERS),
            (self.relatives_table, RELATIVE_HEADERS),
        ):
            table.setColumnCount(len(headers))
            table.horizontalHeader().setStretchLastSection(True)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        uiloader.child(dialog, QPushButton, "addNamesButton").clicked.connect(
            lambda: self.add_name()
        )
        uiloader.child(dialog, QPushButton, "removeNamesButton").clicked.connect(
            lambda: self._remove_row(self.names_table)
        )
        uiloader.child(dialog, QPushButton, "addRelativesButton").clicked.connect(
            lambda: self.add_relative()
        )
        uiloader.child(dialog, QPushButton, "removeRelativesButton").clicked.connect(
            lambda: self._remove_row(self.relatives_table)
        )

    def retranslate(self) -> None:
        self.names_table.setHorizontalHeaderLabels([_(h) for h in NAME_HEADERS])
        self.relatives_table.setHorizontalHeaderLabels([_(h) for h in RELATIVE_HEADERS])
        for row in range(self.names_table.rowCount()):
            combo = self._kind_combo(row)
            for i in range(combo.count()):
                value = chosen(combo, NameKind, i)
                if value is not None:
                    combo.setItemText(i, _(enum_label(value)))

    def _kind_combo(self, row: int) -> QComboBox:
        combo = self.names_table.cellWidget(row, 0)
        assert isinstance(combo, QComboBox)
        return combo

    def add_name(self, kind: NameKind = NameKind.ALIAS, text: str = "") -> int:
        row = self.names_table.rowCount()
        self.names_table.insertRow(row)
        combo = QComboBox(self.names_table)
        for value in NameKind:
            combo.addItem(_(enum_label(value)), value)
        combo.setCurrentIndex(combo.findData(kind))
        self.names_table.setCellWidget(row, 0, combo)
        self.names_table.setItem(row, 1, QTableWidgetItem(text))
        return row

    def add_relative(self, relative: RelativeInput | None = None) -> int:
        r = relative or RelativeInput("")
        row = self.relatives_table.rowCount()
        self.relatives_table.insertRow(row)
        for column, value in enumerate((r.name, r.relation, r.address, r.phone)):
            self.relatives_table.setItem(row, column, QTableWidgetItem(value or ""))
        return row

    @staticmethod
    def _remove_row(table: QTableWidget) -> None:
        row = table.currentRow()
        if row < 0:
            row = table.rowCount() - 1
        if row >= 0:
            table.removeRow(row)

    def load(self, person: PersonView) -> None:
        self.names_table.setRowCount(0)
        for kind, text in person.other_names:
            self.add_name(kind, text)
        self.relatives_table.setRowCount(0)
        for relative in person.relatives:
            self.add_relative(relative)

    def values(self) -> dict[str, object]:
        """The tab's part of a PersonInput; remembers the table row of each entry sent."""
        other_names: list[tuple[NameKind, str]] = []
        self._sent_names = []
        for row in range(self.names_table.rowCount()):
            text = _cell(self.names_table, row, 1)
            kind = chosen(self._kind_combo(row), NameKind)
            if text and kind is not None:
                other_names.append((kind, text))
                self._sent_names.append(row)
        relatives: list[RelativeInput] = []
        self._sent_relatives = []
        table = self.relatives_table
        for row in range(table.rowCount()):
            if not any(_cell(table, row, c) for c in range(4)):
                continue  # a blank row added by mistake
            relatives.append(
                RelativeInput(
                    name=_cell(table, row, 0),
                    relation=_cell(table, row, 1) or None,
                    address=_cell(table, row, 2) or None,
                    phone=_cell(table, row, 3) or None,
                )
            )
            self._sent_relatives.append(row)
        return {"other_names": other_names, "relatives": relatives}

    def point_row(self, exc: UserError) -> QWidget | None:
        """Select the other name or relative a refusal names (its ``row``)."""
        field = exc.field or ""
        if field in NAME_FIELDS:
            table, sent, column = self.names_table, self._sent_names, 1
        elif field in RELATIVE_COLUMNS:
            table, sent = self.relatives_table, self._sent_relatives
            column = RELATIVE_COLUMNS[field]
        else:
            return None
        if exc.row is None or not 0 <= exc.row < len(sent):
            return None
        table.setCurrentCell(sent[exc.row], column)
        table.setFocus()
        return table
