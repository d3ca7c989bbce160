"""The people met on a shift as an editable table: one :class:`EncounterRow`
per row, a column per thing the team notes. Headers and action labels are
message ids translated when asked for."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from typing_extensions import override

from station_app.domain.enums import EncounterAction
from station_app.domain.errors import N_
from station_app.domain.labels import enum_label
from station_app.i18n import _

from .rows import EncounterRow, normal_time

Index = QModelIndex | QPersistentModelIndex
# the roles of a change made by the team (a retranslation or a highlight is not)
EDITED = [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole]

PERSON_ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the person picked from the records
INVALID_ROW = QColor("#fbe3e0")  # the row a refusal points at
INVALID_CELL = QColor("#f2b8b0")  # its cell

# (field of EncounterRow, header message id)
COLUMNS: tuple[tuple[str, str], ...] = (
    ("time", N_("Time")),
    ("place", N_("Place")),
    ("person", N_("Person met")),
    ("condition", N_("Condition")),
    ("needs", N_("Needs")),
    ("action", N_("Action taken")),
    ("refusal_reason", N_("Reason for refusing help")),
    ("items", N_("Items handed out")),
    ("follow_up", N_("Follow-up")),
)
COLUMN = {name: i for i, (name, _header) in enumerate(COLUMNS)}
PERSON_TIP = N_(
    "Type a name to find the person in the records and pick them from the list; "
    "for someone not on record, a code name and a description, e.g. 桥洞老人，约六十岁。"
)
ON_RECORD = N_("On record (person {id})")
AT_DESK = N_("Brought to the station: help request {id}")


class EncounterTableModel(QAbstractTableModel):
    """Editable rows of the people met; :meth:`mark` highlights a refused cell."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[EncounterRow] = []
        self._marked: tuple[int, int] | None = None

    @property
    def rows(self) -> list[EncounterRow]:
        return self._rows

    def set_rows(self, rows: list[EncounterRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._marked = None
        self.endResetModel()

    def row(self, index: int) -> EncounterRow:
        return self._rows[index]

    # ------------------------------------------------------------ Qt model

    @override
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's default)
        return 0 if parent.isValid() else len(self._rows)

    @override
    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    @override
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return _(COLUMNS[section][1]) if 0 <= section < len(COLUMNS) else None
        return str(section + 1)

    @override
    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    @override
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        name = COLUMNS[index.column()][0]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            value = getattr(r, name)
            if name == "action":
                if role == Qt.ItemDataRole.EditRole:
                    return value.value if value is not None else None
                return _(enum_label(value)) if value is not None else ""
            return value
        if role == PERSON_ID_ROLE and name == "person":
            return r.person_id
        if role == Qt.ItemDataRole.ToolTipRole and name == "person":
            if r.help_request_id is not None:
                return _(AT_DESK).format(id=r.help_request_id)
            if r.person_id is not None:
                return _(ON_RECORD).format(id=r.person_id)
        if role == Qt.ItemDataRole.ForegroundRole and name == "person" and r.person_id:
            return QColor("#1f4e8c")  # a record, not a description
        if role == Qt.ItemDataRole.BackgroundRole and self._marked is not None:
            row, column = self._marked
            if index.row() == row:
                return INVALID_CELL if index.column() == column else INVALID_ROW
        return None

    @override
    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return False
        r = self._rows[index.row()]
        name = COLUMNS[index.column()][0]
        if role == PERSON_ID_ROLE and name == "person":
            r.person_id = value if isinstance(value, int) else None
        elif role != Qt.ItemDataRole.EditRole:
            return False
        elif name == "action":
            r.action = EncounterAction(value) if value else None
        elif name == "person":
            text = str(value or "")
            if text != r.person:
                r.person_id = None  # typed over: no longer the record picked
            r.person = text
        elif name == "time":
            r.time = normal_time(str(value or ""))
        else:
            setattr(r, name, str(value or ""))
        self.dataChanged.emit(index, index, EDITED)
        return True

    @override
    def insertRows(self, row: int, count: int, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid() or not 0 <= row <= len(self._rows) or count < 1:
            return False
        self.beginInsertRows(QModelIndex(), row, row + count - 1)
        for _i in range(count):
            self._rows.insert(row, EncounterRow())
        self.endInsertRows()
        return True

    @override
    def removeRows(self, row: int, count: int, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid() or row < 0 or count < 1 or row + count > len(self._rows):
            return False
        self.beginRemoveRows(QModelIndex(), row, row + count - 1)
        del self._rows[row : row + count]
        self.endRemoveRows()
        self._marked = None
        return True

    # ------------------------------------------------------------ the form's use

    def add_row(self, time: str = "") -> int:
        """A new row at the end, its time prefilled; its number."""
        row = len(self._rows)
        self.insertRows(row, 1)
        self._rows[row].time = time
        return row

    def mark(self, row: int, column: int) -> None:
        """Highlight the row a refusal points at, and its cell."""
        self._marked = (row, column)
        self._repaint_row(row)

    def clear_mark(self) -> None:
        marked, self._marked = self._marked, None
        if marked is not None and marked[0] < len(self._rows):
            self._repaint_row(marked[0])

    @property
    def marked(self) -> tuple[int, int] | None:
        return self._marked

    def _repaint_row(self, row: int) -> None:
        last = len(COLUMNS) - 1
        self.dataChanged.emit(
            self.index(row, 0), self.index(row, last), [Qt.ItemDataRole.BackgroundRole]
        )

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(len(self._rows) - 1, len(COLUMNS) - 1),
                [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole],
            )
