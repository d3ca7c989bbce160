"""The command line's global options, and its choice of language: shared by
the full command line (:mod:`.main`) and the quick start of the desktop
application (:mod:`.entry`), which must not import the database layer."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from station_app.i18n import DEFAULT_LANGUAGE, LANGUAGES, _


def add_global_options(p: argparse.ArgumentParser) -> None:
    """The options given before the command (``station-app [OPTIONS] COMMAND``)."""
    p.add_argument(
        "--db",
        metavar="URL",
        help="database URL (sqlite:///FILE or postgresql://...); default: $STATION_DB_URL "
        "or the user's data folder",
    )
    p.add_argument(
        "--station",
        metavar="CODE",
        help="the station to act for (required when the database holds several)",
    )
    p.add_argument("--lang", choices=LANGUAGES, help="language of messages (zh_CN, bo, en)")
    p.add_argument(
        "--user",
        metavar="NAME",
        help="act as this user of the station (asks for the password); default: the "
        "computer's operator, cli:<login name>, with the administrator's rights",
    )
    p.add_argument(
        "--password-stdin",
        dest="operator_password_stdin",
        action="store_true",
        help="with --user: read the password from the first line of standard input",
    )
    p.add_argument("-v", "--verbose", action="store_true", help="show progress and details")


def language_of(explicit: str | None) -> str:
    """``--lang``, else ``STATION_APP_LANG``, else the system's language if it is
    one of ours, else Chinese (also for the bare C/POSIX locale of servers)."""
    for candidate in (explicit, os.environ.get("STATION_APP_LANG")):
        if candidate:
            return candidate
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        system = os.environ.get(var, "")
        if system:
            if system.startswith("bo"):
                return "bo"
            if system.startswith("en"):
                return "en"
            break
    return DEFAULT_LANGUAGE


def internal_error_text(log_file: Path | None) -> str:
    """What the user is told of an unexpected error (ours, not theirs)."""
    if log_file is None:
        return _("Sorry, something went wrong inside the application; it is not your mistake.")
    return _(
        "Sorry, something went wrong inside the application; it is not your "
        "mistake. The details are in the log file {path}."
    ).format(path=log_file)
