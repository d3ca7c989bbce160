"""Printing the monthly statistics (月报) of a period through the printing core."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from station_app.db.models import utcnow
from station_app.domain.clock import china_date
from station_app.domain.permissions import Permission
from station_app.printing.documents.monthly_report import MonthlyReport, build_monthly_report

from .context import Context
from .printouts.common import heading
from .printouts.output import Output, use_station_fonts, write_pdf
from .report_files import create_private
from .statistics import compare, report_tables


def report_content(
    ctx: Context, start: date, end: date, *, today: date | None = None
) -> MonthlyReport:
    """What the report of China-local days ``start`` to ``end`` (cut at today) prints."""
    c = compare(ctx, start, end, today=today)
    with ctx.read(Permission.REPORTS) as session:
        station = heading(session, ctx.station_id)
    return MonthlyReport(
        station,
        c.current.start,
        c.current.end,
        c.previous.start,
        c.previous.end,
        report_tables(c),
        today or china_date(utcnow()),
    )


def print_statistics(
    ctx: Context, start: date, end: date, out: Output, *, today: date | None = None
) -> MonthlyReport:
    """Print the statistics of China-local days ``start`` to ``end`` beside the
    same days last year, with charts (A4 PDF; a file is written 0600)."""
    content = report_content(ctx, start, end, today=today)
    use_station_fonts(ctx)

    def build(target: Output) -> None:
        if isinstance(target, Path):
            create_private(target)  # the builder writes into it and keeps the mode
        build_monthly_report(content, target)

    write_pdf(out, build)
    return content
