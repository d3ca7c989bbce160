"""The prefecture's view of the statistics: for one period, every station the
user may read side by side, and their sum.

The prefecture bureau (``Permission.ALL_STATIONS``) reads every station of
the database; anyone else with ``Permission.REPORTS`` gets their own station
only, as :func:`~station_app.services.stations.list_stations` has it. The sum
is :func:`~.model.sum_comparisons`: counts added, medians and averages
recomputed from every station's samples.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from station_app.db.models import Station
from station_app.domain.permissions import Permission, allows
from station_app.printing.documents.monthly_report import Figure, FigureTable, Label
from station_app.services import report_files as files
from station_app.services.context import Context

from .export import (
    BEFORE_FROM,
    BEFORE_TO,
    DATE_FORMAT,
    HEADER_FILL,
    ITEM,
    PERIOD_FROM,
    PERIOD_TO,
    STATION,
    TOTAL_FILL,
    VALUE,
    cell_value,
    header,
    inline,
    new_workbook,
    number_format,
    start_sheet,
)
from .figures import read_statistics
from .model import Comparison, sum_comparisons
from .period import report_period, year_earlier
from .tables import ITEMS_KEY, TOTAL, item_keys, report_tables

if TYPE_CHECKING:
    from openpyxl import Workbook


@dataclass(frozen=True)
class StationColumn:
    """A station as the side-by-side view names it."""

    id: int
    code: str
    name_zh: str
    name_bo: str | None


@dataclass(frozen=True)
class PrefectureStatistics:
    """Each station's figures of one period beside last year's, and their sum."""

    stations: tuple[StationColumn, ...]  # in the order of their codes
    comparisons: tuple[Comparison, ...]  # one per station, in the order of ``stations``
    total: Comparison

    def of_station(self, station_id: int) -> Comparison:
        """The figures of one of the stations."""
        for station, comparison in zip(self.stations, self.comparisons, strict=True):
            if station.id == station_id:
                return comparison
        raise KeyError(station_id)


@dataclass(frozen=True)
class SideBySideRow:
    """One row of a table: for each value column of the report's table, the
    figure of every station (in the view's order) and then the total."""

    labels: tuple[Label, ...]
    values: tuple[tuple[Figure, ...], ...]
    total: bool = False


@dataclass(frozen=True)
class SideBySideTable:
    """A table of the report (:func:`~.tables.report_tables`) with a column
    per station and the total under each of its value columns."""

    key: str
    title: str
    heads: tuple[str, ...]  # message ids: the label columns, then the value columns
    label_columns: int
    rows: tuple[SideBySideRow, ...]

    @property
    def value_heads(self) -> tuple[str, ...]:
        return self.heads[self.label_columns :]


def prefecture_statistics(
    ctx: Context, start: date, end: date, *, today: date | None = None
) -> PrefectureStatistics:
    """The statistics of China-local days ``start`` to ``end`` (cut at today)
    and of the same days last year, for every station the acting user may
    read, and their sum."""
    start, end = report_period(start, end, today=today)
    before = year_earlier(start, end)
    query = select(Station).order_by(Station.code)
    if not allows(ctx.actor.role, Permission.ALL_STATIONS):
        query = query.where(Station.id == ctx.station_id)
    with ctx.read(Permission.REPORTS) as session:
        stations = tuple(
            StationColumn(s.id, s.code, s.name_zh, s.name_bo) for s in session.scalars(query)
        )
        comparisons = tuple(
            Comparison(
                read_statistics(session, s.id, start, end),
                read_statistics(session, s.id, *before),
            )
            for s in stations
        )
    return PrefectureStatistics(stations, comparisons, sum_comparisons(comparisons))


def _zero(figure: Figure) -> Figure:
    """What a station shows for a row it has nothing in (an item it did not issue)."""
    return Decimal(0) if isinstance(figure, Decimal) else 0


def _row_keys(table: FigureTable, c: Comparison) -> list[object]:
    """What a row of ``table`` stands for, to meet the same row of another station.

    Items are rows only where something was issued, and two stations may
    name one item code differently: those rows meet on the code and kind of
    issue. Every other table has the same rows everywhere."""
    if table.key == ITEMS_KEY:
        return list(item_keys(c))
    return list(range(len(table.rows)))


def side_by_side(p: PrefectureStatistics) -> tuple[SideBySideTable, ...]:
    """Every table of the report, each station's figures beside the others and the total."""
    per_station = [report_tables(c) for c in p.comparisons]
    out = []
    for n, table in enumerate(report_tables(p.total)):
        stations = [
            {
                key: row.values
                for key, row in zip(_row_keys(tables[n], c), tables[n].rows, strict=True)
            }
            for tables, c in zip(per_station, p.comparisons, strict=True)
        ]
        rows = []
        for key, row in zip(_row_keys(table, p.total), table.rows, strict=True):
            values = tuple(
                (*(s[key][column] if key in s else _zero(figure) for s in stations), figure)
                for column, figure in enumerate(row.values)
            )
            rows.append(SideBySideRow(row.labels, values, row.total))
        out.append(
            SideBySideTable(table.key, table.title, table.heads, table.label_columns, tuple(rows))
        )
    return tuple(out)


# ---------------------------------------------------------------- the workbook


def station_header(station: StationColumn) -> str:
    """A station's column header: the Chinese name over the Tibetan."""
    return f"{station.name_zh}\n{station.name_bo}" if station.name_bo else station.name_zh


def _report_sheet(wb: Workbook, p: PrefectureStatistics) -> None:
    ws = start_sheet(wb, "Report", [header(ITEM), header(VALUE)], [40, 48])
    for station in p.stations:
        names = " ".join(n for n in (station.name_zh, station.name_bo) if n)
        ws.append([inline(STATION), f"{station.code} {names}"])
    now, before = p.total.current, p.total.previous
    for label, day in (
        (PERIOD_FROM, now.start),
        (PERIOD_TO, now.end),
        (BEFORE_FROM, before.start),
        (BEFORE_TO, before.end),
    ):
        ws.append([inline(label), day])
        ws.cell(row=ws.max_row, column=2).number_format = DATE_FORMAT


def _table_sheet(wb: Workbook, table: SideBySideTable, stations: tuple[StationColumn, ...]) -> None:
    """Two header rows: the report's column (this period, last year …) over
    the station, each station then the total under every one of them."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    n = table.label_columns
    per = len(stations) + 1
    heads = [header(h) for h in table.heads[:n]]
    heads += [header(h) for h in table.value_heads for _ in range(per)]
    widths = [34.0 if i == 0 else 18.0 for i in range(n)] + [16.0] * (len(heads) - n)
    ws = start_sheet(wb, table.key, heads, widths)
    names = [station_header(s) for s in stations] + [header(TOTAL)]
    ws.append([""] * n + names * len(table.value_heads))
    for col in range(1, len(heads) + 1):
        cell = ws.cell(row=2, column=col)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[2].height = 45
    ws.freeze_panes = f"{get_column_letter(n + 1)}3"
    for row in table.rows:
        figures = [figure for column in row.values for figure in column]
        ws.append([*(inline(t) for t in row.labels), *(cell_value(v) for v in figures)])
        r = ws.max_row
        for index, value in enumerate(figures):
            cell = ws.cell(row=r, column=n + 1 + index)
            cell.number_format = number_format(value)
            if index % per == per - 1:  # the total of the stations
                cell.font = Font(bold=True)
        if row.total:
            for col in range(1, len(heads) + 1):
                ws.cell(row=r, column=col).font = Font(bold=True)
                ws.cell(row=r, column=col).fill = PatternFill("solid", fgColor=TOTAL_FILL)


def write_prefecture_xlsx(p: PrefectureStatistics, path: Path) -> Path:
    """Write statistics already read to ``path`` (.xlsx, 0600): a sheet naming
    the stations and the periods, then one sheet per table of the report."""
    path = files.target(path)
    wb = new_workbook()
    _report_sheet(wb, p)
    for table in side_by_side(p):
        _table_sheet(wb, table, p.stations)
    return files.save_workbook(wb, path)


def export_prefecture_xlsx(
    ctx: Context, start: date, end: date, path: Path, *, today: date | None = None
) -> Path:
    """Write the statistics of China-local days ``start`` to ``end`` (cut at
    today) of every station the acting user may read, side by side with
    their total, to ``path`` (.xlsx, 0600)."""
    files.target(path)  # refused before anything is read
    return write_prefecture_xlsx(prefecture_statistics(ctx, start, end, today=today), path)
