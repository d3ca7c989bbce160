"""The audit trail as a table: time, user, action, record, summary."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from typing_extensions import override

from station_app.domain.errors import N_
from station_app.gui.formatting import moment_text
from station_app.i18n import _
from station_app.services.audit_view import AuditRow, summary_text

from .rows import RowsModel

TIME, USER, ACTION, RECORD, SUMMARY = range(5)
HEADERS = (N_("Time"), N_("User"), N_("Action"), N_("Record"), N_("Summary"))
RECORD_TEXT = N_("{kind} {id}")


def record_text(row: AuditRow) -> str:
    kind = _(row.entity_label)
    if row.entity_id is None:
        return kind
    return _(RECORD_TEXT).format(kind=kind, id=row.entity_id)


class AuditModel(RowsModel[AuditRow]):
    """Audit entries, newest first; the tooltip gives the entry's chain number."""

    HEADERS = HEADERS

    def add_rows(self, rows: tuple[AuditRow, ...]) -> None:
        """Append a further page."""
        if not rows:
            return
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self._rows = self._rows + tuple(rows)
        self.endInsertRows()

    @override
    def _data(self, row: AuditRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ToolTipRole and row.seq is not None:
            return f"#{row.seq}"
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == TIME:
            return moment_text(row.at, seconds=True)
        if column == USER:
            return row.username
        if column == ACTION:
            return _(row.action_label)
        if column == RECORD:
            return record_text(row)
        return summary_text(row, _)
