"""Shared fixtures of the test suite.

Sections:
    environment -- Qt runs offscreen; the app's user data folder is a temp dir
    PostgreSQL  -- one throwaway real server per session, a fresh database per test
    databases   -- ``db_url``: the same test against SQLite and PostgreSQL
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.postgres import PostgresServer

# ====================================================================== environment

# Before anything imports Qt: no display is needed, locally or in CI.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

_app_home_key = pytest.StashKey[tuple[pytest.MonkeyPatch, Path]]()


def pytest_configure(config: pytest.Config) -> None:
    """Point ``STATION_APP_HOME`` at a temp dir before any test module imports the app.

    Set unconditionally: no test may read or write the real user data folder,
    even when the developer's shell sets the variable.
    """
    home = Path(tempfile.mkdtemp(prefix="station-app-home-"))
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setenv("STATION_APP_HOME", str(home))
    config.stash[_app_home_key] = (monkeypatch, home)


def pytest_unconfigure(config: pytest.Config) -> None:
    monkeypatch, home = config.stash[_app_home_key]
    monkeypatch.undo()
    shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(autouse=True)
def _shipped_wording() -> Iterator[None]:
    """Each test ends with the shipped catalogs again: a station's reviewed
    wording laid by one test (an import, a start) must not leak into the next."""
    yield
    from station_app.i18n import set_reviewed_texts

    set_reviewed_texts({}, notify=False)


# ====================================================================== PostgreSQL


@dataclass
class _PgUsage:
    """What the terminal summary reports about the PostgreSQL server."""

    server: PostgresServer | None = None
    tests: int = 0


_pg_usage_key = pytest.StashKey[_PgUsage]()


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    session.config.stash[_pg_usage_key] = _PgUsage()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that use the server directly are ``pg`` tests (``-m "not pg"`` skips them)."""
    for item in items:
        if "pg_server" in getattr(item, "fixturenames", ()) and not item.get_closest_marker("pg"):
            item.add_marker(pytest.mark.pg)


def pytest_runtest_call(item: pytest.Item) -> None:
    if item.get_closest_marker("pg"):
        item.config.stash[_pg_usage_key].tests += 1


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say in the output (CI logs) that PostgreSQL tests used a real server."""
    usage = terminalreporter.config.stash.get(_pg_usage_key, None)
    if usage is None or usage.server is None:
        return
    server = usage.server
    terminalreporter.write_line(
        f"PostgreSQL tests ran against a real server: PostgreSQL {server.version} "
        f"on {server.host}:{server.port} ({usage.tests} tests)"
    )


@pytest.fixture(scope="session")
def pg_server(pytestconfig: pytest.Config) -> Iterator[PostgresServer]:
    """A real PostgreSQL server, started on first use and stopped after the session.

    Starting it fails the requesting tests with the server log; it never skips.
    """
    server = PostgresServer.start()
    pytestconfig.stash[_pg_usage_key].server = server
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server: PostgresServer, request: pytest.FixtureRequest) -> Iterator[str]:
    """SQLAlchemy URL of a new empty database, dropped after the test."""
    slug = re.sub(r"[^a-z0-9]+", "_", request.node.name.lower()).strip("_")[:40]
    name = f"t_{slug}_{uuid.uuid4().hex[:8]}"
    url = pg_server.create_database(name)
    try:
        yield url
    finally:
        pg_server.drop_database(name)


# ====================================================================== databases


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """SQLAlchemy URL of an empty database, once for SQLite and once for PostgreSQL.

    The PostgreSQL instance carries the ``pg`` marker; the server is only
    started when that instance runs.
    """
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'station.sqlite3'}"
    url: str = request.getfixturevalue("pg_url")
    return url


# ====================================================================== stations

ADMIN_PASSWORD = "admin-pass-1"


@pytest.fixture
def database(db_url: str) -> Iterator[object]:
    """The app's Database on ``db_url`` (SQLite and PostgreSQL), schema at head."""
    from station_app.services.context import Database

    db = Database.open(db_url)
    try:
        yield db
    finally:
        db.close()


@pytest.fixture
def admin_ctx(database: object) -> object:
    """A Kangding station with rooms, acted on by its first administrator."""
    from station_app.services.context import Database
    from station_app.services.stations import create_station
    from tests.support.stations import kangding_setup

    assert isinstance(database, Database)
    return create_station(database, kangding_setup(password=ADMIN_PASSWORD))
