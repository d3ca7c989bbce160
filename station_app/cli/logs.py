"""The application's log: what went wrong inside, never whom it concerned.

The log file sits in the user's data folder, readable by its owner only, and
rotates (``MAX_BYTES`` × ``BACKUP_COUNT``) so that years at a desk never fill
the disk. A logged database error keeps its class and the operation and table
of its statement, never its message: SQLAlchemy and the drivers put the
failing row's values there (names, ID numbers, health notes). Both the GUI
(started through :func:`station_app.cli.main.main`) and the command line log
through :func:`setup`.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import sqlite3
import sys
import traceback
from pathlib import Path
from types import TracebackType

from station_app import paths

LOG_FILE_NAME = "station-app.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 3
PRIVATE_FILE = 0o600
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_OPERATION = re.compile(
    r"^\s*(?:WITH\b.*?\)\s*)?(?P<op>INSERT|UPDATE|DELETE|SELECT|CREATE|DROP|ALTER|PRAGMA)\b"
    r"(?:.*?\b(?:INTO|FROM|UPDATE|TABLE)\s+(?P<table>[\"\w.]+))?",
    re.IGNORECASE | re.DOTALL,
)

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def log_path() -> Path:
    return paths.user_data_dir() / LOG_FILE_NAME


def _is_database_error(exc: BaseException) -> bool:
    """An error whose message may carry a row's values: SQLAlchemy's or a driver's."""
    if isinstance(exc, sqlite3.Error):
        return True
    # SQLAlchemy is not imported for this check (the login window shows before
    # it is loaded); none of its errors exists before it is.
    sa_exc = sys.modules.get("sqlalchemy.exc")
    if sa_exc is not None and isinstance(exc, sa_exc.StatementError):
        return True
    return type(exc).__module__.split(".")[0] in ("psycopg", "psycopg2")


def _statement_summary(exc: BaseException) -> str:
    statement = getattr(exc, "statement", None)
    if not isinstance(statement, str):
        return ""
    found = _OPERATION.match(statement)
    if found is None:
        return ""
    table = (found.group("table") or "").strip('"')
    return f"{found.group('op').upper()} {table}".strip()


def safe_message(exc: BaseException) -> str:
    """The exception's text for the log: a database error's own text is dropped
    (it may hold the failing row's values); its statement's operation and table
    are kept."""
    if not _is_database_error(exc):
        return str(exc)
    orig = getattr(exc, "orig", None)
    parts = [f"({type(orig).__module__}.{type(orig).__name__})" if orig is not None else ""]
    summary = _statement_summary(exc)
    if summary:
        parts.append(f"on {summary}")
    parts.append("[message left out: it may hold personal data]")
    return " ".join(p for p in parts if p)


def _chain(exc: BaseException) -> list[tuple[BaseException, str]]:
    """The exception and its causes, oldest first, each with the line that links it."""
    seen: set[int] = set()
    out: list[tuple[BaseException, str]] = []
    link = ""
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        out.append((current, link))
        if current.__cause__ is not None:
            link = "The above exception was the direct cause of the following exception:"
            current = current.__cause__
        elif current.__context__ is not None and not current.__suppress_context__:
            link = "During handling of the above exception, another exception occurred:"
            current = current.__context__
        else:
            current = None
    out.reverse()
    # each link belongs between an exception and the next (newer) one
    return [(e, out[i - 1][1] if i else "") for i, (e, _) in enumerate(out)]


def format_exception(exc: BaseException) -> str:
    """A traceback like Python's, with database errors' messages left out."""
    lines: list[str] = []
    for error, link in _chain(exc):
        if link:
            lines.append(f"\n{link}\n\n")
        if error.__traceback__ is not None:
            lines.append("Traceback (most recent call last):\n")
            lines.extend(traceback.format_tb(error.__traceback__))
        name = type(error).__qualname__
        module = type(error).__module__
        if module not in ("builtins", "__main__"):
            name = f"{module}.{name}"
        message = safe_message(error)
        lines.append(f"{name}: {message}\n" if message else f"{name}\n")
    return "".join(lines).rstrip("\n")


class PrivateFormatter(logging.Formatter):
    """Formats tracebacks through :func:`format_exception`."""

    def formatException(self, ei: object) -> str:
        if isinstance(ei, tuple) and len(ei) == 3 and isinstance(ei[1], BaseException):
            return format_exception(ei[1])
        return super().formatException(ei)  # type: ignore[arg-type]


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose files are created readable by their owner only."""

    def _open(self):  # type: ignore[no-untyped-def]  # logging's own signature
        path = Path(self.baseFilename)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE)
        if os.name == "posix":
            os.fchmod(fd, PRIVATE_FILE)  # a log written before this release was 0644
        return os.fdopen(fd, "a", encoding=self.encoding, errors=self.errors)


def setup(verbose: bool = False) -> Path | None:
    """Log warnings to stderr (everything with ``verbose``) and INFO and up to the
    rotating file; the file's path, or None when it cannot be written."""
    formatter = PrivateFormatter(FORMAT)
    stream = logging.StreamHandler(sys.stderr)
    stream.setLevel(logging.INFO if verbose else logging.WARNING)
    stream.setFormatter(formatter)
    handlers: list[logging.Handler] = [stream]
    log_file: Path | None = None
    try:
        log_file = log_path()
        file_handler = PrivateRotatingFileHandler(
            log_file, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
        )
        file_handler.setLevel(logging.INFO)
        file_handler.setFormatter(formatter)
        handlers.append(file_handler)
    except OSError:
        log_file = None
    logging.basicConfig(level=logging.INFO, handlers=handlers, force=True)
    return log_file
