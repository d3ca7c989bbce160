"""The query planner's statistics, and the indexes some queries must use.

SQLite plans without statistics until ``ANALYZE`` has run: it then guesses,
and a guess that prefers the wrong index makes a query read the whole history
(Today's open requests through the arrival-time index: every request the
station ever had). So the statistics are gathered after every schema upgrade
and every bulk write (:func:`refresh_statistics`), and each connection runs
``PRAGMA optimize`` before it closes, as SQLite advises
(https://sqlite.org/lang_analyze.html): it re-analyzes what that connection's
queries would have planned better with fresh statistics. On PostgreSQL the
same moments run ``ANALYZE``; autovacuum keeps the statistics fresh after.

Statistics can still mislead (gathered when the station was young and every
request was open): a query that must stay flat with the size of the history
names its index with :func:`through_index` (SQLite's ``INDEXED BY``, which fails
loudly rather than planning otherwise; PostgreSQL's statement is unchanged).
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from sqlalchemy import Engine, Table, event
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import FromClause
from sqlalchemy.sql.selectable import Alias
from sqlalchemy.sql.visitors import InternalTraversal

from .engine import is_sqlite

log = logging.getLogger(__name__)

# Rows ANALYZE reads per index on SQLite (PRAGMA analysis_limit): enough for
# the planner's averages, and a few milliseconds even on a 200k-person file.
ANALYSIS_LIMIT = 1000
# How long the PRAGMA optimize of a closing connection waits for another
# program's write: closing the window never hangs on it.
CLOSING_BUSY_TIMEOUT_MS = 200


def refresh_statistics(engine: Engine) -> None:
    """Gather the planner's statistics of every table anew (after a schema
    upgrade or a bulk write): SQLite's ``ANALYZE`` bounded by
    :data:`ANALYSIS_LIMIT`, PostgreSQL's ``ANALYZE``."""
    with engine.connect() as conn:
        if is_sqlite(engine):
            conn.exec_driver_sql(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
        conn.exec_driver_sql("ANALYZE")
        conn.commit()


def optimize_on_close(engine: Engine) -> None:
    """Run ``PRAGMA optimize`` on each SQLite connection of ``engine`` just
    before it closes (a no-op on PostgreSQL and on read-only opens)."""
    if not is_sqlite(engine) or engine.url.query.get("mode") == "ro":
        return
    if not event.contains(engine, "close", _optimize):
        event.listen(engine, "close", _optimize)


def _optimize(dbapi_conn: Any, _record: Any) -> None:
    if not isinstance(dbapi_conn, sqlite3.Connection):
        return
    try:
        if dbapi_conn.in_transaction:
            return  # closed in the middle of something (an error): leave it alone
        dbapi_conn.execute(f"PRAGMA busy_timeout = {CLOSING_BUSY_TIMEOUT_MS}")
        dbapi_conn.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
        dbapi_conn.execute("PRAGMA optimize")
    except sqlite3.Error as exc:  # busy, read-only, damaged: statistics can wait
        log.info("PRAGMA optimize skipped at close: %s", type(exc).__name__)


class _IndexedAlias(Alias):
    """A table read through a named index: ``t AS t INDEXED BY ix`` on SQLite,
    ``t AS t`` elsewhere."""

    inherit_cache = True
    _traverse_internals = [  # noqa: RUF012 - SQLAlchemy's own declaration
        *Alias._traverse_internals,
        ("index_name", InternalTraversal.dp_string),
    ]
    index_name: str


@compiles(_IndexedAlias, "sqlite")
def _indexed_by(element: _IndexedAlias, compiler: SQLCompiler, **kw: Any) -> str:
    text: str = compiler.visit_alias(element, **kw)  # type: ignore[no-untyped-call]
    if kw.get("asfrom") and not kw.get("lateral"):
        text += f" INDEXED BY {compiler.preparer.quote(element.index_name)}"
    return text


def through_index(table: Table, index: str) -> FromClause:
    """``table`` (under its own name) read through ``index`` on SQLite whatever the
    statistics say (``INDEXED BY``: an error, never another plan, if the index
    cannot answer); the plain table on PostgreSQL. Use with ``aliased()``."""
    assert index in {ix.name for ix in table.indexes}, index
    alias = _IndexedAlias._construct(table, name=table.name)
    alias.index_name = index
    return alias
