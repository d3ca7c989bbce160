"""The ledger of a period as an XLSX workbook: stock on hand, movements,
the period's summary and the donations, with Chinese and Tibetan headers.

Numbers are written as numbers and times as dates (China time, without a
zone: spreadsheets have none), so the figures can be added up in the sheet.
The workbook is written to a temporary file beside the target, readable by
its owner only, and renamed; text that looks like a formula stays text.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from station_app.domain import labels
from station_app.domain.clock import CHINA_TZ
from station_app.domain.enums import MovementKind
from station_app.domain.errors import N_, UserError
from station_app.domain.permissions import Permission
from station_app.i18n import bilingual
from station_app.services.context import Context
from station_app.services.report_files import save_workbook

from .common import period_bounds
from .reports import donor_lines, movement_rows, stock_lines, summary_lines

if TYPE_CHECKING:  # openpyxl is imported when a workbook is written: printing
    # the ledger (``party``) and the supplies screens need none of it
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

_HEADER_FILL_COLOUR = "E8EEF6"
_QTY = "0.##"


def _header(msgid: str) -> str:
    zh, bo = bilingual(msgid)
    return f"{zh}\n{bo}" if bo != zh else zh


def _local(moment: datetime) -> datetime:
    return moment.astimezone(CHINA_TZ).replace(tzinfo=None)


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _sheet(wb: Workbook, title: str, headers: Sequence[str], widths: Sequence[int]) -> Worksheet:
    from openpyxl.styles import Alignment, Font, PatternFill

    ws = wb.create_sheet(title)
    ws.append([_header(h) for h in headers])
    for col, width in enumerate(widths, start=1):
        cell = ws.cell(row=1, column=col)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=_HEADER_FILL_COLOUR)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[cell.column_letter].width = width
    ws.row_dimensions[1].height = 45
    ws.freeze_panes = "A2"
    return ws


def _format(ws: Worksheet, numeric: Sequence[int], dated: Sequence[int] = ()) -> None:
    for row in ws.iter_rows(min_row=2):
        for col in numeric:
            row[col - 1].number_format = _QTY
        for col in dated:
            row[col - 1].number_format = "yyyy-mm-dd hh:mm"


def export_xlsx(ctx: Context, start: date, end: date, path: Path) -> Path:
    """Write the ledger of China-local days ``start`` to ``end`` to ``path`` (.xlsx)."""
    lo, hi = period_bounds(start, end)
    path = Path(path).resolve()
    if path.is_dir():
        raise UserError(N_("{path} is a folder; give the name of the file to write."), path=path)
    if not path.parent.is_dir():
        raise UserError(N_("The folder {folder} does not exist."), folder=path.parent)
    ctx.require(Permission.VIEW_PERSONS)  # who got what: names of the persons
    with ctx.read(Permission.REPORTS) as session:
        stock = stock_lines(session, ctx.station_id, hi, inclusive=False)  # end of period
        moves = movement_rows(session, ctx.station_id, lo, hi)
        summary = summary_lines(session, ctx.station_id, lo, hi)
        donors = donor_lines(session, ctx.station_id, lo, hi)

    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)

    ws = _sheet(
        wb,
        "Stock on hand",
        (
            labels.LEDGER_CODE,
            labels.field_label("name_zh"),
            labels.field_label("name_bo"),
            labels.LEDGER_UNIT,
            labels.LEDGER_STOCK,
            labels.LEDGER_LOW_STOCK,
            labels.LEDGER_LOW,
        ),
        (10, 16, 24, 8, 12, 12, 8),
    )
    for s in stock:
        ws.append(
            [
                s.code,
                s.name_zh,
                s.name_bo or "",
                s.unit_zh,
                _number(s.quantity),
                None if s.low_stock_threshold is None else _number(s.low_stock_threshold),
                _header(labels.LEDGER_LOW) if s.low else "",
            ]
        )
    _format(ws, (5, 6))

    ws = _sheet(
        wb,
        "Movements",
        (
            labels.LEDGER_TIME,
            labels.LEDGER_CODE,
            labels.LEDGER_ITEM,
            labels.LEDGER_KIND,
            labels.LEDGER_QUANTITY,
            labels.LEDGER_UNIT,
            labels.LEDGER_PARTY,
            labels.LEDGER_REASON,
        ),
        (17, 10, 16, 22, 10, 8, 26, 30),
    )
    for m in moves:
        zh, bo = bilingual(labels.enum_label(m.kind))
        ws.append(
            [
                _local(m.moved_at),
                m.item_code,
                m.item_name_zh,
                f"{zh} {bo}",
                _number(m.quantity),
                m.unit_zh,
                party(m.donor, m.counterpart, m.person_name),
                m.reason or "",
            ]
        )
    _format(ws, (5,), (1,))

    receipt_kinds = [k for k in MovementKind if k.is_receipt and k.value.startswith("receipt_")]
    issue_kinds = [k for k in MovementKind if k.is_issue]
    ws = _sheet(
        wb,
        "Summary",
        (
            labels.LEDGER_CODE,
            labels.LEDGER_ITEM,
            labels.LEDGER_UNIT,
            labels.LEDGER_OPENING,
            *(labels.enum_label(k) for k in receipt_kinds),
            *(labels.enum_label(k) for k in issue_kinds),
            labels.LEDGER_TRANSFERRED_IN,
            labels.LEDGER_TRANSFERRED_OUT,
            labels.LEDGER_ADJUSTED,
            labels.LEDGER_CLOSING,
        ),
        (10, 16, 8, *([12] * (len(receipt_kinds) + len(issue_kinds) + 5))),
    )
    for p in summary:
        ws.append(
            [
                p.code,
                p.name_zh,
                p.unit_zh,
                _number(p.opening),
                *(_number(p.received[k]) for k in receipt_kinds),
                *(_number(p.issued[k]) for k in issue_kinds),
                _number(p.transferred_in),
                _number(p.transferred_out),
                _number(p.adjusted),
                _number(p.closing),
            ]
        )
    _format(ws, range(4, 4 + len(receipt_kinds) + len(issue_kinds) + 5))

    ws = _sheet(
        wb,
        "Donors",
        labels.LEDGER_DONOR_COLUMNS,
        (28, 16, 10, 8, 10, 17, 17),
    )
    for d in donors:
        ws.append(
            [
                d.donor,
                d.name_zh,
                _number(d.quantity),
                d.unit_zh,
                d.donations,
                _local(d.first_at),
                _local(d.last_at),
            ]
        )
    _format(ws, (3,), (6, 7))

    return save_workbook(wb, path)


def party(donor: str | None, counterpart: str | None, person: str | None) -> str:
    """Who gave or got the supplies, as one text."""
    return " / ".join(x for x in (donor, counterpart, person) if x)
