"""The command line: `station-app [--db URL] <command>`.

The same services back the GUI and these commands, so managers can script
monthly work and tests can drive the product without a window. Messages are
shown in the language of ``--lang`` (or ``STATION_APP_LANG``, else the system
locale, else Chinese).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy.engine import URL
from sqlalchemy.exc import DatabaseError, DBAPIError, OperationalError

from station_app import __version__
from station_app.cli import logs, long_documents, operator, report, safety, translations, users
from station_app.cli.options import add_global_options, internal_error_text, language_of
from station_app.db import schema
from station_app.db.engine import resolve_url
from station_app.domain.enums import Role
from station_app.domain.errors import N_, UserError
from station_app.i18n import DEFAULT_LANGUAGE, _, set_language
from station_app.services import backups, maintenance  # noqa: F401 - backups before upgrades
from station_app.services.context import Actor, Context, Database
from station_app.services.stations import StationView, all_stations

log = logging.getLogger("station_app")

EXIT_OK = 0
EXIT_USER_ERROR = 2  # something the user can fix; the message says what
EXIT_CHECK_FAILED = 3  # `check` found a problem
EXIT_INTERNAL = 70  # our fault: logged with a trace


def _out(text: str = "") -> None:
    print(text, flush=True)


def _err(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _open(url: URL) -> Database:
    """The database, with the station's reviewed wording laid over the shipped
    catalogs (messages and printed labels in the reviewed words)."""
    from station_app.services.translations import apply_reviewed

    db = Database.open(url)
    try:
        apply_reviewed(db)
    except BaseException:
        db.close()
        raise
    return db


def _choose_station(db: Database, code: str | None) -> StationView | None:
    """The station a command acts for: ``--station CODE``, else the only station;
    None in a database without stations. An unknown code, or several stations
    and no code, are refused with the codes to choose from: a command never
    acts for a station the user did not mean."""
    stations = all_stations(db)
    listed = ", ".join(f"{s.code} {s.name_zh}" for s in stations)
    if code is not None:
        chosen = next((s for s in stations if s.code == code), None)
        if chosen is not None:
            return chosen
        if not stations:
            raise UserError(
                N_("There is no station with code {code}: the database holds no station yet."),
                code=code,
            )
        raise UserError(
            N_("There is no station with code {code}. Choose one with --station CODE: {stations}."),
            code=code,
            stations=listed,
        )
    if len(stations) > 1:
        raise UserError(
            N_("The database holds several stations. Choose one with --station CODE: {stations}."),
            stations=listed,
        )
    return stations[0] if stations else None


def _context(db: Database, station_code: str | None) -> Context:
    station = _choose_station(db, station_code)
    if station is None:
        raise UserError(
            _(
                "The database holds no station yet. Start the application to set one up, "
                "or run `station-app demo` for a demo station."
            )
        )
    return operator.current.context(db, station.id)


# ---------------------------------------------------------------- commands


def cmd_gui(args: argparse.Namespace, url: URL) -> int:
    from station_app.gui.app import run_gui  # Qt is loaded only for the GUI

    if args.station is not None:  # refused here, before any window opens
        with _open(url) as db:
            _choose_station(db, args.station)
    if args.check is not None:
        from station_app.gui.start_check import run_check

        return run_check(url.render_as_string(hide_password=False), args.check, args.explicit_lang)
    # The window remembers the language chosen in it; only an explicit choice
    # on the command line overrides that.
    return run_gui(
        url.render_as_string(hide_password=False),
        language=args.explicit_lang,
        station=args.station,
    )


def cmd_db_upgrade(args: argparse.Namespace, url: URL) -> int:
    with _open(url) as db:
        st = schema.status(db.engine)
    _out(_("The database is at schema version {revision} (current).").format(revision=st.revision))
    return EXIT_OK


def cmd_db_rebuild_stock(args: argparse.Namespace, url: URL) -> int:
    from station_app.services import supplies

    with _open(url) as db:
        months = supplies.rebuild_stock_months(_context(db, None))
    _out(
        _(
            "The monthly stock sums were computed again from the movements: {count} item-months."
        ).format(count=months)
    )
    return EXIT_OK


def cmd_db_status(args: argparse.Namespace, url: URL) -> int:
    from station_app.db.engine import make_engine

    engine = make_engine(url)
    try:
        st = schema.status(engine)
    finally:
        engine.dispose()
    state_text = {
        schema.SchemaState.EMPTY: N_("the database is empty"),
        schema.SchemaState.CURRENT: N_("up to date"),
        schema.SchemaState.OLDER: N_("older: it will be upgraded when opened"),
        schema.SchemaState.NEWER: N_("made by a newer version of the application"),
        schema.SchemaState.FOREIGN: N_("not a station database"),
    }[st.state]
    _out(
        _("Schema version {revision}; this application's version is {head} ({state}).").format(
            revision=st.revision or "-", head=st.head, state=_(state_text)
        )
    )
    return EXIT_OK if st.state is schema.SchemaState.CURRENT else EXIT_CHECK_FAILED


def cmd_demo(args: argparse.Namespace, url: URL) -> int:
    from station_app.services import demo

    def progress(stage: str, done: int, total: int) -> None:
        if args.verbose:
            _err(f"{stage}: {done}/{total}")

    if args.stations is not None and args.station is not None:
        raise UserError(
            N_(
                "Use --station to add activity to one station, or --stations to add "
                "stations, not both."
            )
        )
    with _open(url) as db:
        if args.stations is None:
            station = _choose_station(db, args.station)
            summaries = [
                demo.generate(
                    db,
                    persons=args.persons,
                    years=args.years,
                    seed=args.seed,
                    progress=progress,
                    station_id=station.id if station is not None else None,
                )
            ]
        else:
            summaries = demo.generate_stations(
                db,
                args.stations,
                persons=args.persons,
                years=args.years,
                seed=args.seed,
                progress=progress,
            )
        stations = {s.id: s for s in all_stations(db)}
    if not summaries:
        _out(
            _("The database already holds {count} stations; none was added.").format(
                count=len(stations)
            )
        )
    for summary in summaries:
        station = stations[summary.station_id]
        _out(
            _("Demo activity generated at {station} ({code}) in {seconds:.1f} s:").format(
                station=station.name_zh, code=station.code, seconds=summary.elapsed_seconds
            )
        )
        for table, count in sorted(summary.counts.items()):
            if count:
                _out(f"  {table}: {count}")
    if args.stations is not None and summaries:
        _demo_prefecture_account(list(stations.values()))
    return EXIT_OK


def _demo_prefecture_account(stations: list[StationView]) -> None:
    """Where the demo's prefecture account logs in: Kangding, the prefecture seat."""
    from station_app.services.demo import DEMO_STATION_CODE, DEMO_USERS

    home = next((s for s in stations if s.code == DEMO_STATION_CODE), None)
    for username, _name, role, password in DEMO_USERS:
        if role is Role.PREFECTURE and home is not None:
            _out(
                _(
                    "The prefecture's account, which reads every station: {username}, "
                    "password {password}, at {station} ({code})."
                ).format(username=username, password=password, station=home.name_zh, code=home.code)
            )


def cmd_check(args: argparse.Namespace, url: URL) -> int:
    report = maintenance.check(url)
    for label, value in report.facts:
        _out(f"{_(label)}: {value}")
    if report.ok:
        _out(_("The database is in good order: {target}").format(target=report.target))
        return EXIT_OK
    for problem in report.problems:
        _err(problem.render(_))
    return EXIT_CHECK_FAILED


def cmd_backup(args: argparse.Namespace, url: URL) -> int:
    target = maintenance.backup(url, Path(args.out) if args.out else None)
    _out(_("Backup written to {path}").format(path=target))
    return EXIT_OK


def cmd_restore(args: argparse.Namespace, url: URL) -> int:
    saved = maintenance.restore(url, Path(args.file))
    if saved is not None:
        _out(_("The previous database was saved to {path}").format(path=saved))
    _out(_("Restored {source}.").format(source=args.file))
    return EXIT_OK


def _progress_line() -> Callable[[int, int | None], None] | None:
    """Rows checked so far, on one line of stderr redrawn every 1000 rows; only on a
    terminal, so that scripts and logs get the report alone."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int | None) -> None:
        if total:
            text = _("Checking rows: {done} of {total}").format(done=done, total=total)
        else:
            text = _("Checking rows: {done}").format(done=done)
        end = "\n" if total is not None and done >= total else ""
        print(f"\r{text}", end=end, file=sys.stderr, flush=True)

    return show


def cmd_import_persons(args: argparse.Namespace, url: URL) -> int:
    from station_app.services import imports

    policy = imports.DuplicatePolicy.REFUSE
    if args.link:
        policy = imports.DuplicatePolicy.LINK
    elif args.skip_duplicates:
        policy = imports.DuplicatePolicy.SKIP
    with _open(url) as db:
        ctx = _context(db, args.station)
        report = imports.import_persons(
            ctx,
            Path(args.file),
            skip_bad=args.skip_bad,
            duplicates=policy,
            progress=_progress_line(),
        )
    for line in report.render(_):
        _out(line)
    return EXIT_OK if report.committed and not report.problems else EXIT_USER_ERROR


def cmd_import_template(args: argparse.Namespace, url: URL) -> int:
    from station_app.services import imports

    imports.write_template(Path(args.file))
    _out(_("Template written to {path}").format(path=args.file))
    return EXIT_OK


def _pdf_path(text: str) -> Path:
    return Path(text).expanduser()


def _printed(path: Path) -> int:
    _out(_("Printed to {path}").format(path=path))
    return EXIT_OK


def cmd_print_intake(args: argparse.Namespace, url: URL) -> int:
    from station_app.services import printouts

    out = _pdf_path(args.out)
    with _open(url) as db:
        ctx = _context(db, args.station)
        printouts.print_intake(
            ctx, request_id=args.request, person_id=args.person, blank=args.blank, out=out
        )
    return _printed(out)


NOTICE_KINDS = {
    "refusal": "refusal",
    "termination": "termination",
    "self-departure": "self_departure",
    "departure-record": "departure_record",
}


def cmd_print_notice(args: argparse.Namespace, url: URL) -> int:
    from station_app.domain.enums import DocumentKind
    from station_app.services import printouts

    out = _pdf_path(args.out)
    with _open(url) as db:
        ctx = _context(db, args.station)
        printouts.print_notice(ctx, args.request, DocumentKind(NOTICE_KINDS[args.kind]), out)
    return _printed(out)


def cmd_print_cards(args: argparse.Namespace, url: URL) -> int:
    from station_app.services import printouts

    out = _pdf_path(args.out)
    with _open(url) as db:
        ctx = _context(db, args.station)
        printouts.print_cards(ctx, args.sheets, out)
    return _printed(out)


def cmd_print_test_page(args: argparse.Namespace, url: URL) -> int:
    """The test page needs no database; it names the station when there is one."""
    from station_app.db.engine import sqlite_path
    from station_app.services import printouts

    out = _pdf_path(args.out)
    texts = args.text or []
    local = sqlite_path(url)
    if local is not None and not local.is_file():
        if args.station is not None:
            raise UserError(
                N_("There is no station with code {code}: the database holds no station yet."),
                code=args.station,
            )
        printouts.print_test_page(None, texts, out)
        return _printed(out)
    with _open(url) as db:
        station = _choose_station(db, args.station)
        ctx = Context(db, Actor.command_line(station.id)) if station is not None else None
        printouts.print_test_page(ctx, texts, out)
    return _printed(out)


# Commands about the whole database, not one station: ``--station`` is refused
# rather than ignored, since the user may believe it narrows what they do.
_WHOLE_DATABASE: dict[Callable[[argparse.Namespace, URL], int], str] = {
    cmd_db_upgrade: "db upgrade",
    cmd_db_status: "db status",
    cmd_check: "check",
    cmd_backup: "backup",
    cmd_restore: "restore",
    cmd_import_template: "import template",
}


# ---------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="station-app",
        description="Relief-station records: desk, patrols, supplies, printing.",
    )
    p.add_argument("--version", action="version", version=f"station-app {__version__}")
    add_global_options(p)
    p.set_defaults(func=cmd_gui)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    gui = sub.add_parser("gui", help="start the desktop application (default)")
    gui.add_argument(
        "--check",
        metavar="USER",
        help="check this installation: start, log in as USER (the password is the first "
        "line of standard input), wait for the main window's first page, then quit; "
        "prints the moments of each step as JSON, exit status 0 when all worked",
    )
    gui.set_defaults(func=cmd_gui)

    db = sub.add_parser("db", help="database schema")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_sub.add_parser(
        "upgrade", help="apply migrations (backs up a SQLite file first)"
    ).set_defaults(func=cmd_db_upgrade)
    db_sub.add_parser("status", help="show the schema version").set_defaults(func=cmd_db_status)
    db_sub.add_parser(
        "rebuild-stock", help="compute the monthly stock sums again from the stock movements"
    ).set_defaults(func=cmd_db_rebuild_stock)

    demo = sub.add_parser(
        "demo", help="create a demo station, or add more activity to the existing station"
    )
    demo.add_argument("--persons", type=_positive_int, default=300, help="people to add (300)")
    demo.add_argument("--years", type=_positive_int, default=2, help="years of activity (2)")
    demo.add_argument("--seed", type=int, default=None, help="random seed (repeatable data)")
    demo.add_argument(
        "--stations",
        type=_station_count,
        metavar="N",
        help=f"add demo stations of Garzê's counties until the database holds N "
        f"(1-{MAX_DEMO_STATIONS}), each with --persons people over --years, and the "
        "prefecture's account",
    )
    demo.set_defaults(func=cmd_demo)

    sub.add_parser("check", help="integrity check; exit 0 when the database is sound").set_defaults(
        func=cmd_check
    )

    backup = sub.add_parser("backup", help="consistent snapshot of a SQLite database")
    backup.add_argument("--out", metavar="FILE", help="where to write (default: backups folder)")
    backup.set_defaults(func=cmd_backup)

    restore = sub.add_parser("restore", help="replace the database with a backup file")
    restore.add_argument("file", metavar="FILE")
    restore.set_defaults(func=cmd_restore)

    imp = sub.add_parser("import", help="import records from a ledger file")
    imp_sub = imp.add_subparsers(dest="import_kind", metavar="KIND", required=True)
    persons = imp_sub.add_parser("persons", help="persons from a CSV or XLSX ledger")
    persons.add_argument("file", metavar="FILE")
    persons.add_argument(
        "--skip-bad",
        action="store_true",
        help="import the good rows and list the bad ones (default: import nothing if any "
        "row is bad)",
    )
    same = persons.add_mutually_exclusive_group()
    same.add_argument(
        "--link",
        action="store_true",
        help="import rows that may be persons already on record (or entered twice) and link "
        "each to its match as the same person (default: import nothing if there are any)",
    )
    same.add_argument(
        "--skip-duplicates",
        action="store_true",
        help="import the other rows and leave out those that may be persons already on record",
    )
    persons.set_defaults(func=cmd_import_persons)
    template = imp_sub.add_parser("template", help="write an empty ledger template (.xlsx/.csv)")
    template.add_argument("file", metavar="FILE")
    template.set_defaults(func=cmd_import_template)

    pr = sub.add_parser("print", help="print a document to a PDF file (Chinese and Tibetan, A4)")
    pr_sub = pr.add_subparsers(dest="document", metavar="DOCUMENT", required=True)
    intake = pr_sub.add_parser("intake", help="help-request registration form (求助登记表)")
    which = intake.add_mutually_exclusive_group(required=True)
    which.add_argument("--request", type=_positive_int, metavar="ID", help="of a help request")
    which.add_argument("--person", type=_positive_int, metavar="ID", help="pre-filled for a person")
    which.add_argument("--blank", action="store_true", help="blank, to fill in by hand")
    intake.add_argument("--out", required=True, metavar="FILE", help="PDF file to write")
    intake.set_defaults(func=cmd_print_intake)
    notice = pr_sub.add_parser("notice", help="a numbered notice of a help request")
    notice.add_argument("--kind", required=True, choices=list(NOTICE_KINDS))
    notice.add_argument("--request", required=True, type=_positive_int, metavar="ID")
    notice.add_argument("--out", required=True, metavar="FILE", help="PDF file to write")
    notice.set_defaults(func=cmd_print_notice)
    cards = pr_sub.add_parser("cards", help="help contact cards, ten per A4 sheet")
    cards.add_argument("--sheets", type=_positive_int, default=1, help="sheets to print (1)")
    cards.add_argument("--out", required=True, metavar="FILE", help="PDF file to write")
    cards.set_defaults(func=cmd_print_cards)
    test_page = pr_sub.add_parser("test-page", help="printer test page: scripts and fonts")
    test_page.add_argument(
        "--text", action="append", metavar="TEXT", help="a line to print as well (repeatable)"
    )
    test_page.add_argument("--out", required=True, metavar="FILE", help="PDF file to write")
    test_page.set_defaults(func=cmd_print_test_page)
    safety.add_print_command(pr_sub)
    long_documents.add_print_commands(pr_sub, _positive_int)
    report.add_commands(sub)
    users.add_commands(sub)
    translations.add_commands(sub)
    return p


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return value


MAX_DEMO_STATIONS = 18  # the counties of Garzê


def _station_count(text: str) -> int:
    value = _positive_int(text)
    if value > MAX_DEMO_STATIONS:
        raise argparse.ArgumentTypeError(f"at most {MAX_DEMO_STATIONS}: {text!r}")
    return value


def _setup_logging(verbose: bool) -> Path | None:
    return logs.setup(verbose)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    args.explicit_lang = args.lang or os.environ.get("STATION_APP_LANG") or None
    args.lang = language_of(args.lang)
    try:
        set_language(args.lang)
    except ValueError:
        set_language(DEFAULT_LANGUAGE)
    log_file = _setup_logging(args.verbose)
    operator.use(args.user, password_stdin=args.operator_password_stdin)
    func: Callable[[argparse.Namespace, URL], int] = args.func
    try:
        url = resolve_url(args.db)
        if args.station is not None and func in _WHOLE_DATABASE:
            raise UserError(
                N_(
                    "`station-app {command}` concerns the whole database, not one station: "
                    "leave out --station."
                ),
                command=_WHOLE_DATABASE[func],
            )
        return func(args, url)
    except UserError as exc:
        _err(exc.render(_))
        return EXIT_USER_ERROR
    except ValueError as exc:  # a malformed --db URL
        _err(_("The database address is not valid: {detail}").format(detail=exc))
        return EXIT_USER_ERROR
    except DBAPIError as exc:
        from station_app.services.database import DATABASE_UNREACHABLE, database_error, is_busy

        if isinstance(exc, DatabaseError) and (is_busy(exc) or isinstance(exc, OperationalError)):
            # Busy, disk full, read-only and an unreachable server, each said as such.
            _err(database_error(exc, url).render(_))
        else:
            _err(_(DATABASE_UNREACHABLE).format(detail=str(exc.orig).strip()))
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and the like
        sys.stderr.close()
        return EXIT_OK
    except Exception:
        log.exception("unexpected error in command %s", args.command)
        _err(internal_error_text(log_file))
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
