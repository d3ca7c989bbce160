"""`station-app translations …`: the screen and print texts out for review by
readers of the language, and the reviewed workbook back into the station's
own catalog (:mod:`station_app.services.translations`).

    station-app translations export --lang bo --out review.xlsx
    station-app translations import review.xlsx --reviewer "NAME"
    station-app translations status
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sqlalchemy.engine import URL

from station_app.domain.permissions import Permission
from station_app.i18n import _


def cmd_export(args: argparse.Namespace, url: URL) -> int:
    from station_app.services import translations

    from .main import EXIT_OK, _context, _open, _out

    out = Path(args.out).expanduser()
    with _open(url) as db:
        ctx = _context(db, args.station)
        count = translations.export_review(ctx, args.language, out)
    _out(_("{count} texts written to {path} for review").format(count=count, path=out))
    return EXIT_OK


def cmd_import(args: argparse.Namespace, url: URL) -> int:
    from station_app.services import translations

    from .main import EXIT_OK, EXIT_USER_ERROR, _context, _open, _out

    with _open(url) as db:
        ctx = _context(db, args.station)
        ctx.require(Permission.REVIEW_WORDING)
        report = translations.import_review(ctx, Path(args.file), args.reviewer)
    for line in report.lines(_):
        _out(line)
    for line in report.summary(_):
        _out(line)
    return EXIT_USER_ERROR if report.any_refused else EXIT_OK


def cmd_status(args: argparse.Namespace, url: URL) -> int:
    from station_app.services import translations

    from .main import EXIT_OK, _context, _open, _out

    with _open(url) as db:
        ctx = _context(db, args.station)
        state = translations.review_state(ctx, args.language)
    _out(
        _("{verified} of {texts} texts verified ({share:.0%})").format(
            verified=state.verified, texts=state.texts, share=state.share
        )
    )
    if state.last_review is not None:
        _out(
            _("last review {day}, by {reviewers}").format(
                day=state.last_review.date().isoformat(), reviewers=", ".join(state.reviewers)
            )
        )
    return EXIT_OK


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``translations export``, ``import`` and ``status`` to the command line."""
    from station_app.services.translations import REVIEWED_LANGUAGES

    tr = sub.add_parser(
        "translations", help="texts out for review by readers of the language, and back in"
    )
    tr_sub = tr.add_subparsers(dest="translations", metavar="ACTION", required=True)
    export = tr_sub.add_parser(
        "export", help="a workbook of every text for a reviewer (Excel, printable)"
    )
    export.add_argument("--lang", dest="language", choices=REVIEWED_LANGUAGES, default="bo")
    export.add_argument("--out", required=True, metavar="FILE.xlsx", help="workbook to write")
    export.set_defaults(func=cmd_export)
    imp = tr_sub.add_parser("import", help="a reviewed workbook into the station's catalog")
    imp.add_argument("file", metavar="FILE.xlsx", help="the workbook the reviewer returned")
    imp.add_argument("--reviewer", required=True, help="who reviewed it (kept with each text)")
    imp.set_defaults(func=cmd_import)
    status = tr_sub.add_parser("status", help="how many texts readers have verified")
    status.add_argument("--lang", dest="language", choices=REVIEWED_LANGUAGES, default="bo")
    status.set_defaults(func=cmd_status)
