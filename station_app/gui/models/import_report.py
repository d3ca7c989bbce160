"""The lines of an import's report as a table: problems, possible duplicates, warnings.

Each line keeps the service's error or duplicate, not its text: cells are drawn
in the screen language when asked for, so a language switch redraws them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from typing_extensions import override

from station_app.domain.errors import N_, UserError
from station_app.gui.feedback import COLOURS, Level
from station_app.i18n import _
from station_app.services.duplicates import REASON_MESSAGES, Reason
from station_app.services.imports import DuplicatePolicy, DuplicateRow, ImportReport, RowWarning

from .rows import RowsModel

SORT_ROLE = Qt.ItemDataRole.UserRole + 1

ROW, COLUMN, KIND, MESSAGE, SAME_AS = range(5)
HEADERS = (
    N_("Row"),
    N_("Column"),
    N_("What"),
    N_("Message"),
    N_("Possibly the same person as"),
)
# TRANSLATORS: a person on record named in an import report, e.g. 扎西 (person 12)
NAMED_PERSON = N_("{name} (person {id})")
MAY_BE_SAME = N_("Possible duplicate")
LINKED = N_("Linked as the same person")
LEFT_OUT = N_("Left out: possible duplicate")


class LineKind(StrEnum):
    PROBLEM = "problem"
    DUPLICATE = "duplicate"
    WARNING = "warning"


KIND_LABELS = {
    LineKind.PROBLEM: N_("Not imported"),
    LineKind.WARNING: N_("Warning"),
}
KIND_LEVELS = {
    LineKind.PROBLEM: Level.ERROR,
    LineKind.DUPLICATE: Level.WARNING,
    LineKind.WARNING: Level.WARNING,
}


@dataclass(frozen=True)
class ReportLine:
    """One line: a row's problem or warning (``error``) or a possible duplicate."""

    kind: LineKind
    row: int | None
    column: str | None
    error: UserError | None = None
    duplicate: DuplicateRow | None = None
    policy: DuplicatePolicy = DuplicatePolicy.REFUSE
    committed: bool = False


def report_lines(report: ImportReport) -> list[ReportLine]:
    """Problems first (they stop the import), then possible duplicates, then warnings."""
    lines = [ReportLine(LineKind.PROBLEM, p.row, p.column, p.error) for p in report.problems]
    lines += [
        ReportLine(
            LineKind.DUPLICATE,
            d.row,
            None,
            duplicate=d,
            policy=report.duplicate_policy,
            committed=report.committed,
        )
        for d in report.duplicates
    ]
    for w in report.warnings:
        if isinstance(w, RowWarning):
            lines.append(ReportLine(LineKind.WARNING, w.row, w.column, w.error))
        else:
            lines.append(ReportLine(LineKind.WARNING, None, None, w))
    return lines


def reasons_shown(duplicate: DuplicateRow) -> str:
    """Why a row may be a person on record, in the screen language."""
    return "; ".join(Reason(code, REASON_MESSAGES[code]).shown(_) for code in duplicate.reasons)


def same_as_shown(duplicate: DuplicateRow, names: Mapping[int, str]) -> str:
    """The persons on record (by name where known) and earlier rows a row may be."""
    named = []
    for person_id in duplicate.person_ids:
        name = names.get(person_id)
        if name:
            named.append(_(NAMED_PERSON).format(name=name, id=person_id))
        else:
            named.append(_(N_("person {id}")).format(id=person_id))
    named += [_(N_("row {row}")).format(row=row) for row in duplicate.rows]
    return "; ".join(named)


class ImportReportModel(RowsModel[ReportLine]):
    """The report of the last import; ``names`` are the names of persons on record."""

    HEADERS = HEADERS
    NUMBER_COLUMNS = frozenset({ROW})

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.names: dict[int, str] = {}

    def show_report(self, report: ImportReport | None, names: Mapping[int, str]) -> None:
        self.names = dict(names)
        self.set_rows(report_lines(report) if report is not None else [])

    def lines_of(self, kind: LineKind) -> list[ReportLine]:
        return [line for line in self.rows if line.kind is kind]

    @override
    def _data(self, row: ReportLine, column: int, role: int) -> Any:
        if role == SORT_ROLE:
            return self._sort_key(row, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == KIND:
            return QColor(COLOURS[KIND_LEVELS[row.kind]])
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(row, column)
        return None

    def _sort_key(self, row: ReportLine, column: int) -> Any:
        if column == ROW:
            return row.row if row.row is not None else 0
        return self._text(row, column)

    def _text(self, line: ReportLine, column: int) -> str:
        if column == ROW:
            return str(line.row) if line.row is not None else ""
        if column == COLUMN:
            return line.column or ""
        if column == KIND:
            return _(self._kind_label(line))
        duplicate = line.duplicate
        if column == MESSAGE:
            if duplicate is not None:
                return reasons_shown(duplicate)
            return line.error.render(_) if line.error is not None else ""
        if column == SAME_AS and duplicate is not None:
            return same_as_shown(duplicate, self.names)
        return ""

    @staticmethod
    def _kind_label(line: ReportLine) -> str:
        if line.kind is not LineKind.DUPLICATE:
            return KIND_LABELS[line.kind]
        if line.committed and line.policy is DuplicatePolicy.LINK:
            return LINKED
        if line.committed and line.policy is DuplicatePolicy.SKIP:
            return LEFT_OUT
        return MAY_BE_SAME
