"""`station-app print ledger --from YYYY-MM-DD --to YYYY-MM-DD [--out FILE]` and
`station-app print patrol-shift --id N [--out FILE]`: the long documents the
screens print, from a script (and measurable, ``bench printing``).

The same services as the screens: the permission checks are theirs, and the
file is written owner-only. A day that is not one, a period that ends before
it starts, or a shift that does not exist is refused with a message (exit 2)
and no file. There is no roster document to print.
"""

from __future__ import annotations

import argparse
import gc
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL

from station_app.domain.iso_days import parse_day


def _target(given: str | None, default: str) -> Path:
    return Path(given if given is not None else default).expanduser()


def cmd_print_ledger(args: argparse.Namespace, url: URL) -> int:
    # main imports this module; printing loads reportlab only when asked for
    from station_app.services.supplies_print import print_ledger

    from .main import _context, _open, _printed

    gc.freeze()  # a short-lived command: what is loaded by now lives to the end
    start, end = parse_day(args.start, "from"), parse_day(args.end, "to")
    out = _target(args.out, f"supplies-ledger-{start.isoformat()}-{end.isoformat()}.pdf")
    with _open(url) as db:
        print_ledger(_context(db, args.station), start, end, out)
    return _printed(out)


def cmd_print_patrol_shift(args: argparse.Namespace, url: URL) -> int:
    from station_app.services.patrol_print import print_patrol_shift

    from .main import _context, _open, _printed

    gc.freeze()
    out = _target(args.out, f"patrol-shift-{args.id}.pdf")
    with _open(url) as db:
        print_patrol_shift(_context(db, args.station), args.id, out)
    return _printed(out)


def add_print_commands(documents: Any, positive_int: Any) -> None:
    """``ledger`` and ``patrol-shift`` under ``print`` (``documents``: its subparsers)."""
    ledger = documents.add_parser("ledger", help="the supplies ledger of a period (物资台账)")
    ledger.add_argument(
        "--from", dest="start", required=True, metavar="YYYY-MM-DD", help="first day"
    )
    ledger.add_argument(
        "--to", dest="end", required=True, metavar="YYYY-MM-DD", help="last day (included)"
    )
    ledger.add_argument(
        "--out",
        metavar="FILE",
        help="PDF file to write (default: supplies-ledger-FROM-TO.pdf in this folder)",
    )
    ledger.set_defaults(func=cmd_print_ledger)
    shift = documents.add_parser("patrol-shift", help="the record of a patrol shift (街面巡查记录)")
    shift.add_argument("--id", required=True, type=positive_int, metavar="N", help="the shift")
    shift.add_argument(
        "--out", metavar="FILE", help="PDF file to write (default: patrol-shift-N.pdf)"
    )
    shift.set_defaults(func=cmd_print_patrol_shift)
