"""`station-app print safety-log --month YYYY-MM --out FILE`: the monthly
safety log (安全日志), A4, Chinese and Tibetan. A month that is not one
(``2026-13``, ``abc``) or has not begun is refused with a message (exit 2)."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL

from station_app.domain.errors import N_, UserError

_MONTH = re.compile(r"([0-9]{4})-([0-9]{1,2})")


def parse_month(text: str) -> tuple[int, int]:
    """``2026-01`` as (2026, 1); anything else is refused with an example."""
    match = _MONTH.fullmatch(text.strip())
    if match is None or not 1 <= int(match[2]) <= 12:
        raise UserError(
            N_("{month} is not a month: write the year and the month as YYYY-MM, e.g. 2026-01."),
            field="month",
            month=text,
        )
    return int(match[1]), int(match[2])


def cmd_print_safety_log(args: argparse.Namespace, url: URL) -> int:
    # main imports this module; printing loads reportlab only when asked for
    from station_app.services.safety_print import print_safety_log

    from .main import _context, _open, _printed

    year, month = parse_month(args.month)  # before the database is opened
    out = Path(args.out).expanduser()
    with _open(url) as db:
        print_safety_log(_context(db, args.station), year, month, out)
    return _printed(out)


def add_print_command(documents: Any) -> None:
    """``safety-log`` under ``print`` (``documents``: its subparsers)."""
    log = documents.add_parser("safety-log", help="the monthly safety log (安全日志)")
    log.add_argument("--month", required=True, metavar="YYYY-MM", help="the month, e.g. 2026-01")
    log.add_argument("--out", required=True, metavar="FILE", help="PDF file to write")
    log.set_defaults(func=cmd_print_safety_log)
