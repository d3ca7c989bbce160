"""The demo station's accounts as a small table model, for the login dialog."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from typing_extensions import override

from station_app.domain.errors import N_
from station_app.domain.labels import enum_label, field_label
from station_app.i18n import _
from station_app.services.overview import DemoLogin

Index = QModelIndex | QPersistentModelIndex

HEADERS = (
    field_label("username"),
    field_label("display_name"),
    N_("Role"),
    field_label("password"),
)


class DemoAccountsModel(QAbstractTableModel):
    """User name, full name, role and password of each demo account."""

    def __init__(self, logins: tuple[DemoLogin, ...], parent: Any = None) -> None:
        super().__init__(parent)
        self._logins = logins

    def login(self, row: int) -> DemoLogin:
        return self._logins[row]

    @override
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's default)
        return 0 if parent.isValid() else len(self._logins)

    @override
    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    @override
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        login = self._logins[index.row()]
        values = (login.username, login.display_name, _(enum_label(login.role)), login.password)
        return values[index.column()]

    @override
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return _(HEADERS[section]) if 0 <= section < len(HEADERS) else None
        return str(section + 1)

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(HEADERS) - 1)
        if self._logins:
            self.dataChanged.emit(
                self.index(0, 2),
                self.index(len(self._logins) - 1, 2),
                [Qt.ItemDataRole.DisplayRole],
            )
