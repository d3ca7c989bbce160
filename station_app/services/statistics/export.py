"""The statistics of a period as an XLSX workbook a bureau clerk can paste
from: a sheet naming the station and the periods, then one sheet per table
of the report, Chinese and Tibetan headers, every figure a number (no
formulas), the same period last year beside it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from station_app.db.models import Station
from station_app.domain.errors import N_
from station_app.printing.documents.monthly_report import (
    Figure,
    FigureTable,
    Label,
    label_texts,
)
from station_app.services import report_files as files
from station_app.services.context import Context

from .figures import compare
from .period import report_period
from .tables import report_tables

if TYPE_CHECKING:  # openpyxl is loaded when a workbook is written, not with the package
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

SHEET_REPORT = "Report"
STATION = N_("Station")
PERIOD_FROM = N_("This period: first day")
PERIOD_TO = N_("This period: last day")
BEFORE_FROM = N_("Same period last year: first day")
BEFORE_TO = N_("Same period last year: last day")
ITEM = N_("About this report")
VALUE = N_("Value")

HEADER_FILL = "E8EEF6"
TOTAL_FILL = "F2F4F8"
DATE_FORMAT = "yyyy-mm-dd"


def header(text: Label) -> str:
    """A column header: the Chinese over the Tibetan."""
    zh, bo = label_texts(text)
    return f"{zh}\n{bo}" if bo != zh else zh


def inline(text: Label) -> str:
    zh, bo = label_texts(text)
    return f"{zh} {bo}" if bo != zh else zh


def cell_value(value: Figure) -> int | float | None:
    """A figure as a spreadsheet number."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def number_format(value: Figure) -> str:
    if isinstance(value, float):
        return "0.0"
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return "0.##"
    return "0"


def new_workbook() -> Workbook:
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    return wb


def start_sheet(wb: Workbook, title: str, heads: list[str], widths: list[float]) -> Worksheet:
    """A sheet with a bold, tinted, wrapped header row frozen above the rows."""
    from openpyxl.styles import Alignment, Font, PatternFill

    ws = wb.create_sheet(title)
    ws.append(heads)
    for col, width in enumerate(widths, start=1):
        cell = ws.cell(row=1, column=col)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[cell.column_letter].width = width
    ws.row_dimensions[1].height = 45
    ws.freeze_panes = "A2"
    return ws


def _period_sheet(wb: Workbook, station: Station | None, days: list[tuple[str, date]]) -> None:
    """The station and the days of both periods (real dates)."""
    ws = start_sheet(wb, SHEET_REPORT, [header(ITEM), header(VALUE)], [40, 36])
    names = [n for n in (station.name_zh, station.name_bo) if n] if station else []
    ws.append([inline(STATION), " ".join(names)])
    for label, day in days:
        ws.append([label, day])
        ws.cell(row=ws.max_row, column=2).number_format = DATE_FORMAT


def _table_sheet(wb: Workbook, table: FigureTable) -> None:
    from openpyxl.styles import Font, PatternFill

    n = table.label_columns
    widths = [34.0 if i == 0 else 18.0 for i in range(n)] + [16.0] * (len(table.heads) - n)
    ws = start_sheet(wb, table.key, [header(h) for h in table.heads], widths)
    for row in table.rows:
        ws.append([*(inline(t) for t in row.labels), *(cell_value(v) for v in row.values)])
        r = ws.max_row
        for col, value in enumerate(row.values, start=n + 1):
            ws.cell(row=r, column=col).number_format = number_format(value)
        if row.total:
            for col in range(1, len(table.heads) + 1):
                ws.cell(row=r, column=col).font = Font(bold=True)
                ws.cell(row=r, column=col).fill = PatternFill("solid", fgColor=TOTAL_FILL)


def export_statistics_xlsx(
    ctx: Context, start: date, end: date, path: Path, *, today: date | None = None
) -> Path:
    """Write the statistics of China-local days ``start`` to ``end`` (cut at
    today) and of the same days last year to ``path`` (.xlsx, 0600)."""
    path = files.target(path)
    start, end = report_period(start, end, today=today)
    c = compare(ctx, start, end, today=today)
    with ctx.read() as session:
        station = session.get(Station, ctx.station_id)
    wb = new_workbook()
    now, before = c.current, c.previous
    _period_sheet(
        wb,
        station,
        [
            (inline(PERIOD_FROM), now.start),
            (inline(PERIOD_TO), now.end),
            (inline(BEFORE_FROM), before.start),
            (inline(BEFORE_TO), before.end),
        ],
    )
    for table in report_tables(c):
        _table_sheet(wb, table)
    return files.save_workbook(wb, path)
