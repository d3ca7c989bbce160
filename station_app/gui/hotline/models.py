"""The hotline screen as table models: the calls and leads of a period with
their status and response minutes, and the publicity days.

Like the supplies models, each holds one tuple of the service's frozen views,
replaced whole on every read; headers and code-list values are English
message ids translated when asked for.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from typing_extensions import override

from station_app.domain.enums import LeadOutcome, LeadSource
from station_app.domain.errors import N_
from station_app.domain.labels import enum_label
from station_app.gui.feedback import COLOURS, Level
from station_app.gui.formatting import china_text, day_text, number_text
from station_app.i18n import _
from station_app.services.hotline import CallView, PublicityView

CALL_ID_ROLE = Qt.ItemDataRole.UserRole + 2  # the lead a row shows
WAITING_COLOUR = QColor(COLOURS[Level.ERROR])  # nobody sent yet

Index = QModelIndex | QPersistentModelIndex
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


class CallStatus(Enum):
    """Where a lead stands; derived from its times and outcome, never stored."""

    WAITING = "waiting"
    SENT = "sent"
    ARRIVED = "arrived"
    CLOSED = "closed"


STATUS_LABELS = {
    CallStatus.WAITING: N_("waiting"),
    CallStatus.SENT: N_("sent"),
    CallStatus.ARRIVED: N_("arrived"),
    CallStatus.CLOSED: N_("closed"),
}
SOURCE_LABELS = {source: enum_label(source) for source in LeadSource}
OUTCOME_LABELS = {outcome: enum_label(outcome) for outcome in LeadOutcome}


def status_of(call: CallView) -> CallStatus:
    if call.outcome is not None:
        return CallStatus.CLOSED
    if call.arrived_at is not None:
        return CallStatus.ARRIVED
    if call.dispatched_at is not None:
        return CallStatus.SENT
    return CallStatus.WAITING


def time_text(moment: datetime | None) -> str:
    return "" if moment is None else china_text(moment)


def minutes_text(minutes: float | None) -> str:
    return "" if minutes is None else f"{minutes:.0f}"


class _HotlineModel(QAbstractTableModel):
    HEADERS: tuple[str, ...] = ()

    @override
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's default)
        return 0 if parent.isValid() else self._count()

    @override
    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def _count(self) -> int:
        raise NotImplementedError

    @override
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return _(self.HEADERS[section]) if 0 <= section < len(self.HEADERS) else None
        return str(section + 1)

    def retranslate(self) -> None:
        """Headers and cells in the new screen language."""
        columns = self.columnCount()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, columns - 1)
        rows = self.rowCount()
        if rows:
            self.dataChanged.emit(self.index(0, 0), self.index(rows - 1, columns - 1))


class CallModel(_HotlineModel):
    """The calls of a period, latest first (the service's order)."""

    HEADERS = (
        N_("Call received"),
        N_("Source"),
        N_("Caller"),
        N_("Phone"),
        N_("Place"),
        N_("Sent to"),
        N_("Arrived"),
        N_("Minutes"),
        N_("Status"),
        N_("Result"),
    )
    MINUTES_COLUMN = 7
    STATUS_COLUMN = 8

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: tuple[CallView, ...] = ()

    @property
    def rows(self) -> tuple[CallView, ...]:
        return self._rows

    def set_rows(self, rows: list[CallView] | tuple[CallView, ...]) -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
        self.endResetModel()

    @override
    def _count(self) -> int:
        return len(self._rows)

    def row_of(self, call_id: int) -> int:
        return next((i for i, c in enumerate(self._rows) if c.id == call_id), -1)

    def _display(self, c: CallView, column: int) -> str:
        values = (
            time_text(c.received_at),
            _(SOURCE_LABELS.get(c.source, str(c.source))),
            c.caller_name or "",
            c.caller_phone or "",
            c.place or c.description or "",
            c.dispatched_to or "",
            time_text(c.arrived_at),
            minutes_text(c.response_minutes),
            _(STATUS_LABELS[status_of(c)]),
            _(OUTCOME_LABELS.get(c.outcome, str(c.outcome))) if c.outcome else "",
        )
        return values[column]

    @override
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        c, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(c, column)
        if role == CALL_ID_ROLE:
            return c.id
        if role == Qt.ItemDataRole.ToolTipRole and column == 4:
            return c.description or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.MINUTES_COLUMN:
            return _RIGHT
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and column == self.STATUS_COLUMN
            and status_of(c) is CallStatus.WAITING
        ):
            return WAITING_COLOUR
        return None


class PublicityModel(_HotlineModel):
    """Publicity days of a period, latest first."""

    HEADERS = (
        N_("Held on"),
        N_("Place"),
        N_("Leaflets handed out"),
        N_("People consulted"),
        N_("Staff"),
        N_("Notes"),
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: tuple[PublicityView, ...] = ()

    @property
    def rows(self) -> tuple[PublicityView, ...]:
        return self._rows

    def set_rows(self, rows: list[PublicityView] | tuple[PublicityView, ...]) -> None:
        self.beginResetModel()
        self._rows = tuple(rows)
        self.endResetModel()

    @override
    def _count(self) -> int:
        return len(self._rows)

    @override
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        e, column = self._rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            values = (
                day_text(e.held_on),
                e.place,
                number_text(e.leaflets),
                number_text(e.people_consulted),
                number_text(e.staff_count),
                e.notes or "",
            )
            return values[column]
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (2, 3, 4):
            return _RIGHT
        return None
