"""`station-app report …`: the monthly statistics for the civil-affairs bureau
(PDF with charts, or XLSX) and the re-keying list of the period's help
requests (XLSX), for a month or any from–to period. ``report monthly
--all-stations`` writes every station of the database side by side with
their total (XLSX), as the prefecture bureau reads them.

A period reaching past today is reported up to today; one that ends before
it starts, or starts after today, is refused with a message (exit 2).
"""

from __future__ import annotations

import argparse
import gc
from datetime import date
from pathlib import Path

from sqlalchemy.engine import URL

from station_app.domain.enums import Role
from station_app.domain.errors import N_, UserError
from station_app.domain.permissions import Permission
from station_app.i18n import _
from station_app.services.context import Actor, Context, Database
from station_app.services.stations import all_stations

FORMATS = ("pdf", "xlsx")


def _period(args: argparse.Namespace) -> tuple[date, date]:
    """The days of ``--month``, or of ``--from`` and ``--to``."""
    from station_app.services import statistics

    if args.month is not None:
        if args.start is not None or args.end is not None:
            raise UserError(N_("Give either --month or --from and --to, not both."))
        return statistics.parse_month(args.month)
    if args.start is None or args.end is None:
        raise UserError(
            N_("Give the period: --month YYYY-MM, or --from YYYY-MM-DD and --to YYYY-MM-DD.")
        )
    return statistics.parse_day(args.start, "from"), statistics.parse_day(args.end, "to")


def _run(args: argparse.Namespace, url: URL, write: str) -> int:
    # A short-lived command: what is loaded by now lives to the end, so the
    # collector need not walk it again and again (about 0.1 s of a month's report).
    gc.freeze()
    # the command line's shared parts, imported here: main imports this module;
    # reports load reportlab and openpyxl only when asked for
    from station_app.services import statistics
    from station_app.services.statistics_print import print_statistics

    from .main import EXIT_OK, _context, _open, _out

    gc.freeze()

    everywhere = write == "monthly" and args.all_stations
    if everywhere:
        _check_all_stations(args)
    start, end = _period(args)
    start, end = statistics.report_period(start, end)
    out = Path(args.out).expanduser()
    with _open(url) as db:
        ctx = _prefecture(db) if everywhere else _context(db, args.station)
        ctx.require(Permission.REPORTS)
        if everywhere:
            statistics.export_prefecture_xlsx(ctx, start, end, out)
        elif write == "rekey":
            statistics.export_rekey_xlsx(ctx, start, end, out)
        elif _format(args, out) == "xlsx":
            statistics.export_statistics_xlsx(ctx, start, end, out)
        else:
            print_statistics(ctx, start, end, out)
    _out(
        _("{start} to {end} written to {path}").format(
            start=start.isoformat(), end=end.isoformat(), path=out
        )
    )
    return EXIT_OK


def _check_all_stations(args: argparse.Namespace) -> None:
    if args.station is not None:
        raise UserError(
            N_("--all-stations reads every station of the database: leave out --station.")
        )
    if args.format == "pdf":
        raise UserError(
            N_("The stations side by side are written as a workbook only: leave out --format pdf.")
        )


def _prefecture(db: Database) -> Context:
    """The command line reading every station, as the prefecture bureau does."""
    stations = all_stations(db)
    if not stations:
        raise UserError(
            N_(
                "The database holds no station yet. Start the application to set one up, "
                "or run `station-app demo` for a demo station."
            )
        )
    return Context(db, Actor.command_line(stations[0].id, Role.PREFECTURE))


def _format(args: argparse.Namespace, out: Path) -> str:
    """``--format``, else the file name's (``.xlsx``: a workbook), else PDF."""
    if args.format is not None:
        return str(args.format)
    return "xlsx" if out.suffix.lower() == ".xlsx" else "pdf"


def cmd_report_monthly(args: argparse.Namespace, url: URL) -> int:
    return _run(args, url, "monthly")


def cmd_report_rekey(args: argparse.Namespace, url: URL) -> int:
    return _run(args, url, "rekey")


def _period_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--month", metavar="YYYY-MM", help="a calendar month")
    parser.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="first day")
    parser.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="last day (included)")


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``report monthly`` and ``report rekey`` to the command line."""
    report = sub.add_parser("report", help="statistics for the civil-affairs bureau")
    report_sub = report.add_subparsers(dest="report", metavar="REPORT", required=True)
    monthly = report_sub.add_parser(
        "monthly",
        help="statistics of a period beside the same period last year (月报)",
    )
    _period_options(monthly)
    monthly.add_argument(
        "--format",
        choices=FORMATS,
        help="pdf (with charts) or xlsx (default: from the file name, else pdf)",
    )
    monthly.add_argument(
        "--all-stations",
        action="store_true",
        help="every station of the database side by side, with their total (XLSX only)",
    )
    monthly.add_argument("--out", required=True, metavar="FILE", help="file to write")
    monthly.set_defaults(func=cmd_report_monthly)
    rekey = report_sub.add_parser(
        "rekey",
        help="the period's help requests, one row each, for the national relief system",
    )
    _period_options(rekey)
    rekey.add_argument("--out", required=True, metavar="FILE", help="XLSX file to write")
    rekey.set_defaults(func=cmd_report_rekey)
