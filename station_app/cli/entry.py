"""``station-app``: the desktop application at once, every other command through
:mod:`.main`.

Starting the desktop application (``station-app``, ``station-app gui``, with
``--db``, ``--lang`` or ``-v``; ``gui --check USER`` too) goes straight to
:mod:`station_app.gui.launch`, which shows the login window before the
database layer is even imported. Everything else — the other commands,
``--station`` and ``--user``, help, version and mistakes in the options — is
the full command line's.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from station_app.cli import logs
from station_app.cli.options import add_global_options, internal_error_text, language_of
from station_app.i18n import DEFAULT_LANGUAGE, set_language

log = logging.getLogger("station_app")

EXIT_INTERNAL = 70  # as the full command line's


class _NotQuick(Exception):
    """The arguments are for the full command line."""


class _QuietParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _NotQuick(message)


def quick_gui_options(argv: Sequence[str]) -> argparse.Namespace | None:
    """The global options when ``argv`` only starts the desktop application
    (nothing, or ``gui`` last, after options of its own); else None."""
    parser = _QuietParser(prog="station-app", add_help=False)
    add_global_options(parser)
    try:
        options, rest = parser.parse_known_args(list(argv))
    except _NotQuick:
        return None
    options.check = None
    if rest[:1] == ["gui"] and rest[1:]:
        gui = _QuietParser(prog="station-app gui", add_help=False)
        gui.add_argument("--check", metavar="USER")
        try:
            options.check = gui.parse_args(rest[1:]).check
        except _NotQuick:
            return None
        if argv[len(argv) - len(rest)] != "gui":
            return None  # global options after the command: the full command line's
    elif rest not in ([], ["gui"]) or (rest and argv[-1] != "gui"):
        return None
    if options.station is not None or options.user is not None or options.operator_password_stdin:
        return None  # checked against the database before any window: the full way
    return options


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    options = quick_gui_options(args)
    if options is None:
        from station_app.cli.main import main as full_command_line

        return full_command_line(args)
    try:
        set_language(language_of(options.lang))
    except ValueError:
        set_language(DEFAULT_LANGUAGE)
    log_file = logs.setup(options.verbose)
    # The window remembers the language chosen in it; only an explicit choice
    # on the command line overrides that.
    explicit = options.lang or os.environ.get("STATION_APP_LANG") or None
    try:
        if options.check is not None:
            from station_app.gui.start_check import run_check

            return run_check(options.db, options.check, explicit)
        from station_app.gui.launch import run

        return run(options.db, language=explicit)
    except KeyboardInterrupt:
        return 130
    except Exception:
        log.exception("unexpected error in command gui")
        print(internal_error_text(log_file), file=sys.stderr, flush=True)
        return EXIT_INTERNAL


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
