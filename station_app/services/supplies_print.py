"""Printing the supplies ledger (物资台账) of a period through the printing core."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from station_app.db.models import SupplyItem, utcnow
from station_app.domain.clock import china_date
from station_app.domain.permissions import Permission
from station_app.printing.documents.supplies_ledger import (
    LedgerMovementRow,
    LedgerStockRow,
    SuppliesLedger,
    build_supplies_ledger,
)

from .context import Context
from .printouts.common import heading
from .printouts.output import Output, use_station_fonts, write_pdf
from .supplies.catalogue import is_low
from .supplies.common import period_bounds
from .supplies.export import party
from .supplies.reports import movement_rows, summary_lines


def ledger_content(
    ctx: Context, start: date, end: date, *, today: date | None = None
) -> SuppliesLedger:
    """What the ledger of China-local days ``start`` to ``end`` prints."""
    lo, hi = period_bounds(start, end)
    ctx.require(Permission.VIEW_PERSONS)  # who got what: names of the persons
    with ctx.read(Permission.REPORTS) as session:
        station = heading(session, ctx.station_id)
        summary = summary_lines(session, ctx.station_id, lo, hi)
        moves = movement_rows(session, ctx.station_id, lo, hi)
        thresholds = {
            row.id: row.low_stock_threshold
            for row in session.execute(
                select(SupplyItem.id, SupplyItem.low_stock_threshold).where(
                    SupplyItem.station_id == ctx.station_id
                )
            )
        }
    stock = tuple(
        LedgerStockRow(
            p.code,
            p.name_zh,
            p.name_bo,
            p.unit_zh,
            p.opening,
            p.received_total,
            p.issued_total,
            p.transferred_in,
            p.transferred_out,
            p.adjusted,
            p.closing,
            is_low(p.closing, thresholds.get(p.item_id)),
        )
        for p in summary
    )
    rows = tuple(
        LedgerMovementRow(
            m.moved_at,
            m.item_name_zh,
            m.item_name_bo,
            m.unit_zh,
            m.kind,
            m.quantity,
            party(m.donor, m.counterpart, m.person_name),
            m.reason or "",
        )
        for m in moves
    )
    return SuppliesLedger(station, start, end, stock, rows, today or china_date(utcnow()))


def print_ledger(ctx: Context, start: date, end: date, out: Output) -> SuppliesLedger:
    """Print the supplies ledger of China-local days ``start`` to ``end`` (A4 PDF)."""
    content = ledger_content(ctx, start, end)
    use_station_fonts(ctx)
    write_pdf(out, lambda target: build_supplies_ledger(content, target))
    return content
