"""The tables of the statistics page: one table of the report at a time, as
a grid of label columns and figures — a station's own (this period, the same
period last year) or the prefecture's (every station, then the total, under
each of those).

Figures are written as the printed report writes them
(:func:`~station_app.services.statistics.figure_text`); :data:`FIGURE_ROLE`
gives the figure itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont
from typing_extensions import override

from station_app.domain.errors import N_
from station_app.gui import fonts, formatting
from station_app.gui.models.rows import RIGHT, RowsModel
from station_app.i18n import _, current_language
from station_app.services import statistics
from station_app.services.statistics import (
    Figure,
    FigureTable,
    Label,
    Named,
    SideBySideTable,
    StationColumn,
)

Index = QModelIndex | QPersistentModelIndex
FIGURE_ROLE = Qt.ItemDataRole.UserRole + 1  # the figure of a cell (int, float, Decimal or None)
TOTAL = N_("Total")


def station_name(station: StationColumn) -> str:
    """A station's name in the screen's script where the records have it."""
    if current_language() == "bo" and station.name_bo:
        return station.name_bo
    return station.name_zh


def label_text(label: Label) -> str:
    """A row label on screen: a message id translated, a name from the records as it is."""
    if isinstance(label, Named):
        return f"{label.zh} {label.bo}" if label.bo else label.zh
    return _(label)


@dataclass(frozen=True)
class Column:
    """A column: its head (a message id) and, side by side, the station under it
    (None: the total of the stations)."""

    head: str
    station: StationColumn | None = None
    side_by_side: bool = False

    @property
    def is_total(self) -> bool:
        """The total of the stations (side by side)."""
        return self.side_by_side and self.station is None

    def text(self) -> str:
        if not self.side_by_side:
            return _(self.head)
        under = _(TOTAL) if self.station is None else station_name(self.station)
        return f"{_(self.head)}\n{under}"


@dataclass(frozen=True)
class GridRow:
    labels: tuple[Label, ...]
    values: tuple[Figure, ...]
    total: bool = False


@dataclass(frozen=True)
class Grid:
    """One table of the report as the page shows it."""

    key: str
    title: str  # message id
    columns: tuple[Column, ...]  # the label columns, then the figures
    label_columns: int
    rows: tuple[GridRow, ...]

    @classmethod
    def of_table(cls, table: FigureTable) -> Grid:
        """A station's table: this period and last year beside each other."""
        return cls(
            table.key,
            table.title,
            tuple(Column(h) for h in table.heads),
            table.label_columns,
            tuple(GridRow(r.labels, r.values, r.total) for r in table.rows),
        )

    @classmethod
    def of_side_by_side(cls, table: SideBySideTable, stations: Sequence[StationColumn]) -> Grid:
        """The prefecture's table: under each of the report's columns, every
        station and then the total."""
        under: list[StationColumn | None] = [*stations, None]
        columns = [Column(h) for h in table.heads[: table.label_columns]]
        columns += [Column(h, s, side_by_side=True) for h in table.value_heads for s in under]
        return cls(
            table.key,
            table.title,
            tuple(columns),
            table.label_columns,
            tuple(
                GridRow(r.labels, tuple(f for column in r.values for f in column), r.total)
                for r in table.rows
            ),
        )


class GridModel(RowsModel[GridRow]):
    """The rows of one :class:`Grid`; its columns come with it."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.grid: Grid | None = None

    def set_grid(self, grid: Grid | None) -> None:
        self.beginResetModel()
        self.grid = grid
        self._rows = grid.rows if grid is not None else ()
        self.endResetModel()

    @override
    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's default)
        if parent.isValid() or self.grid is None:
            return 0
        return len(self.grid.columns)

    @override
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        grid = self.grid
        if (
            role != Qt.ItemDataRole.DisplayRole
            or orientation != Qt.Orientation.Horizontal
            or grid is None
            or not 0 <= section < len(grid.columns)
        ):
            return None
        return grid.columns[section].text()

    @override
    def _data(self, row: GridRow, column: int, role: int) -> Any:
        grid = self.grid
        assert grid is not None
        labels = grid.label_columns
        if column < labels:
            label = row.labels[column]
            if role == Qt.ItemDataRole.DisplayRole:
                return label_text(label)
            if role == Qt.ItemDataRole.FontRole and isinstance(label, Named) and label.bo:
                return self._bold(fonts.tibetan_font(), row.total)
            if role == Qt.ItemDataRole.FontRole and row.total:
                return self._bold(QFont(), row.total)
            return None
        figure = row.values[column - labels]
        if role == Qt.ItemDataRole.DisplayRole:
            return formatting.digits(statistics.figure_text(figure))
        if role == FIGURE_ROLE:
            return figure
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT
        if role == Qt.ItemDataRole.FontRole and (row.total or grid.columns[column].is_total):
            return self._bold(QFont(), True)
        return None

    @staticmethod
    def _bold(font: QFont, bold: bool) -> QFont:
        font.setBold(bold)
        return font
