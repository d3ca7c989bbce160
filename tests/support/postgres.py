"""A throwaway PostgreSQL server for the test session.

``PostgresServer.start()`` initialises a cluster in a temporary directory,
starts ``postgres`` on a free port of 127.0.0.1 with durability switched off
(the data is thrown away anyway) and waits until it accepts connections.
``stop()`` shuts it down and removes the directory.

When the tests run as root (CI containers), the server runs as the
``postgres`` system user: initdb and postgres refuse to run as root.
Nothing is ever skipped: if the server cannot start, ``PostgresServerError``
carries the tail of the server log.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Self

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

_SERVER_PROGRAMS = ("initdb", "pg_ctl", "postgres")
_DATABASE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
_SUPERUSER = "postgres"
_HOST = "127.0.0.1"
_LOG_TAIL_LINES = 40

# Settings for a disposable cluster: no durability, nothing outside the temp dir.
_SERVER_SETTINGS = {
    "listen_addresses": _HOST,
    "fsync": "off",
    "full_page_writes": "off",
    "synchronous_commit": "off",
    "log_min_messages": "warning",
}


class PostgresServerError(RuntimeError):
    """The throwaway server could not be found, started or used."""


@dataclass(frozen=True)
class _RunAs:
    """Credentials for the server processes (``None`` fields: the current user)."""

    uid: int | None = None
    gid: int | None = None

    @classmethod
    def for_current_user(cls) -> _RunAs:
        if os.geteuid() != 0:
            return cls()
        try:
            entry = pwd.getpwnam(_SUPERUSER)
        except KeyError:
            raise PostgresServerError(
                f"running as root, but there is no {_SUPERUSER!r} system user to run the "
                "server as (PostgreSQL refuses to run as root); install the postgresql package"
            ) from None
        return cls(entry.pw_uid, entry.pw_gid)

    def popen_kwargs(self) -> dict[str, Any]:
        if self.uid is None:
            return {}
        return {"user": self.uid, "group": self.gid, "extra_groups": []}

    def chown(self, path: Path) -> None:
        if self.uid is not None and self.gid is not None:
            os.chown(path, self.uid, self.gid)


def find_bindir() -> Path:
    """The directory holding initdb, pg_ctl and postgres.

    Tried in order: ``pg_config --bindir``, the newest
    ``/usr/lib/postgresql/*/bin`` (Debian, Ubuntu), then ``PATH``.
    """
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        result = subprocess.run(
            [pg_config, "--bindir"], capture_output=True, text=True, check=False
        )
        if result.returncode == 0 and result.stdout.strip():
            candidates.append(Path(result.stdout.strip()))
    candidates.extend(
        sorted(
            Path("/usr/lib/postgresql").glob("*/bin"),
            key=lambda path: _version_key(path.parent.name),
            reverse=True,
        )
    )
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).parent)

    for bindir in candidates:
        if all(os.access(bindir / program, os.X_OK) for program in _SERVER_PROGRAMS):
            return bindir
    searched = ", ".join(str(path) for path in candidates) or "nothing found to search"
    raise PostgresServerError(
        f"PostgreSQL server programs ({', '.join(_SERVER_PROGRAMS)}) not found "
        f"(searched: {searched}); install the postgresql package"
    )


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else -1 for part in name.split("."))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((_HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def _tail(path: Path, lines: int = _LOG_TAIL_LINES) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        return f"(no log: {exc})"
    return "\n".join(text.splitlines()[-lines:]) or "(log is empty)"


class PostgresServer:
    """A running throwaway server; build it with :meth:`start`."""

    def __init__(
        self,
        *,
        bindir: Path,
        root: Path,
        run_as: _RunAs,
        port: int,
        process: subprocess.Popen[bytes],
        log_file: IO[bytes],
    ) -> None:
        self.bindir = bindir
        self.root = root
        self.port = port
        self.host = _HOST
        self.version = ""
        self._run_as = run_as
        self._process = process
        self._log_file = log_file
        self._stopped = False

    # ------------------------------------------------------------ lifecycle

    @classmethod
    def start(cls, *, timeout: float = 60.0) -> PostgresServer:
        """Create a cluster in a new temporary directory and start a server on it."""
        bindir = find_bindir()
        run_as = _RunAs.for_current_user()
        root = Path(tempfile.mkdtemp(prefix="station-pg-"))
        try:
            run_as.chown(root)
            _initdb(bindir, root, run_as)
            port = _free_port()
            process, log_file = _launch(bindir, root, run_as, port)
        except BaseException:
            shutil.rmtree(root, ignore_errors=True)
            raise
        server = cls(
            bindir=bindir, root=root, run_as=run_as, port=port, process=process, log_file=log_file
        )
        try:
            server._wait_until_ready(timeout)
        except BaseException:
            server.stop()
            raise
        return server

    def stop(self) -> None:
        """Shut the server down (``pg_ctl stop -m fast``) and delete its directory."""
        if self._stopped:
            return
        self._stopped = True
        try:
            if self._process.poll() is None:
                pg_ctl = [str(self.bindir / "pg_ctl"), "stop", "--pgdata", str(self.root / "data")]
                subprocess.run(
                    [*pg_ctl, "--mode=fast", "--wait", "--timeout=30"],
                    stdin=subprocess.DEVNULL,
                    capture_output=True,
                    cwd=self.root,
                    check=False,
                    **self._run_as.popen_kwargs(),
                )
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        finally:
            self._log_file.close()
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def _wait_until_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while True:
            if self._process.poll() is not None:
                raise self._error(f"postgres exited with status {self._process.returncode}")
            try:
                with psycopg.connect(self.conninfo(), connect_timeout=2) as connection:
                    row = connection.execute("SHOW server_version").fetchone()
            except psycopg.OperationalError as exc:
                if time.monotonic() > deadline:
                    raise self._error(f"no connection after {timeout:.0f} s: {exc}") from exc
                time.sleep(0.1)
                continue
            self.version = str(row[0]) if row else "unknown"
            return

    def _error(self, message: str) -> PostgresServerError:
        return PostgresServerError(
            f"could not start PostgreSQL in {self.root}: {message}\n"
            f"--- server log (last lines) ---\n{_tail(self.root / 'server.log')}"
        )

    # ------------------------------------------------------------ addresses

    @property
    def url(self) -> str:
        """SQLAlchemy URL of the ``postgres`` maintenance database."""
        return self.database_url(_SUPERUSER)

    def database_url(self, name: str) -> str:
        return f"postgresql+psycopg://{_SUPERUSER}@{self.host}:{self.port}/{name}"

    def conninfo(self, dbname: str = _SUPERUSER) -> str:
        return make_conninfo(host=self.host, port=self.port, user=_SUPERUSER, dbname=dbname)

    # ------------------------------------------------------------ databases

    def create_database(self, name: str) -> str:
        """Create an empty UTF-8 database and return its SQLAlchemy URL."""
        self._execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0"), name)
        return self.database_url(name)

    def drop_database(self, name: str) -> None:
        """Drop a database, closing whatever connections a test left open."""
        self._execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)"), name)

    def _execute(self, statement: sql.SQL, name: str) -> None:
        if not _DATABASE_NAME.fullmatch(name):
            raise ValueError(f"database name {name!r} must match {_DATABASE_NAME.pattern}")
        with psycopg.connect(self.conninfo(), autocommit=True) as connection:
            connection.execute(statement.format(sql.Identifier(name)))


def _launch(
    bindir: Path, root: Path, run_as: _RunAs, port: int
) -> tuple[subprocess.Popen[bytes], IO[bytes]]:
    """Start ``postgres`` on ``root/data`` in the background, logging to ``root/server.log``."""
    settings = {**_SERVER_SETTINGS, "port": str(port), "unix_socket_directories": str(root)}
    command = [str(bindir / "postgres"), "-D", str(root / "data")]
    for name, value in settings.items():
        command += ["-c", f"{name}={value}"]
    log_file = (root / "server.log").open("ab")
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            cwd=root,
            start_new_session=True,  # Ctrl-C goes to pytest, whose teardown stops the server
            **run_as.popen_kwargs(),
        )
    except BaseException:
        log_file.close()
        raise
    return process, log_file


def _initdb(bindir: Path, root: Path, run_as: _RunAs) -> None:
    """Initialise ``root/data``, with the C.UTF-8 locale if the system has it, else C."""
    data = root / "data"
    failures: list[str] = []
    initdb = [str(bindir / "initdb"), "--pgdata", str(data), "--username", _SUPERUSER]
    for locale in ("C.UTF-8", "C"):
        result = subprocess.run(
            [*initdb, "--auth=trust", "--encoding=UTF8", f"--locale={locale}", "--no-sync"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            cwd=root,
            check=False,
            **run_as.popen_kwargs(),
        )
        if result.returncode == 0:
            return
        failures.append(f"--- initdb --locale={locale} ---\n{result.stdout}{result.stderr}")
        with contextlib.suppress(FileNotFoundError):
            shutil.rmtree(data)
    raise PostgresServerError("initdb failed:\n" + "\n".join(failures))
