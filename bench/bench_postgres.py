"""Search and Today on a real PostgreSQL server beside SQLite: the same data,
the same queries, the same results.

A throwaway PostgreSQL server is started on a loopback port (its cluster in a
temporary folder, removed at the end; as the test suite starts its own), the
search benchmark's SQLite station (``bench/out/search-200k.sqlite3``, made if
missing) is copied into it table by table, and both are ANALYZEd. Then the
search queries of ``python -m bench search`` (drawn, seeded, from the people
on record) run on both, and the Today view a clerk opens; printed per query
kind: the median on SQLite, on PostgreSQL, their ratio, PostgreSQL's own SQL
replayed raw (the service's statements, no ORM, no ranking) and the ratio to
it, and whether every query found the same persons in the same order on
both. Exits 1 when any result differs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, text

from bench import benchmark, demo_persons

ROOT = Path(__file__).resolve().parent.parent
BATCH = 5_000  # rows per INSERT while copying


def _copy(sqlite_url: str, pg_url: str) -> tuple[int, float]:
    """Every table of the SQLite station into the (empty, current-schema)
    PostgreSQL database; returns the rows copied and the seconds taken."""
    from sqlalchemy import create_engine

    from station_app.db.models import Base

    started = time.perf_counter()
    source = create_engine(sqlite_url)
    target = create_engine(pg_url)
    copied = 0
    with source.connect() as src, target.begin() as dst:
        # The rows arrive table by table: no foreign key is checked meanwhile.
        dst.execute(text("SET session_replication_role = replica"))
        for table in Base.metadata.sorted_tables:
            dst.execute(table.delete())  # rows the schema's creation put there
            rows = src.execute(select(table)).mappings()
            while batch := rows.fetchmany(BATCH):
                dst.execute(insert(table), [dict(r) for r in batch])
                copied += len(batch)
            # The next id after the copied ones, where the table counts its own.
            pk = list(table.primary_key.columns)
            if len(pk) == 1 and pk[0].autoincrement in (True, "auto"):
                column = pk[0]
                sequence = dst.execute(
                    text("SELECT pg_get_serial_sequence(:t, :c)"),
                    {"t": table.name, "c": column.name},
                ).scalar()
                if sequence:
                    top = dst.execute(select(func.max(column))).scalar()
                    if top is not None:
                        dst.execute(text("SELECT setval(:s, :v)"), {"s": sequence, "v": top})
        dst.execute(text("SET session_replication_role = DEFAULT"))
    with target.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))
    source.dispose()
    target.dispose()
    return copied, time.perf_counter() - started


def _timed(call: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    result = call()
    return (time.perf_counter() - t0) * 1000, result


def _hits(result: Sequence[Any]) -> list[int]:
    return [int(hit.person_id) for hit in result]


@benchmark("postgres", "search and Today on a real PostgreSQL server beside SQLite, same data")
def run(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench postgres", description=__doc__)
    parser.add_argument("--persons", type=int, default=demo_persons(), help="demo size")
    parser.add_argument("--queries", type=int, default=30, help="queries per kind")
    parser.add_argument("--today-runs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(list(argv))

    sys.path.insert(0, str(ROOT))  # the test suite's server starter
    from bench.bench_search import _prepare, _queries, replay_ms, search_file, statements_sent
    from station_app.db.models import Person
    from station_app.services.context import Actor, Context, Database
    from station_app.services.desk.today import today
    from station_app.services.search import search_persons
    from tests.support.postgres import PostgresServer, PostgresServerError

    path = search_file(args.persons)
    _prepare(path, fresh=False, persons=args.persons)
    sqlite_url = f"sqlite:///{path}"
    queries = _queries(sqlite_url, args.queries, args.seed)

    try:
        server = PostgresServer.start()
    except PostgresServerError as exc:
        print(f"no PostgreSQL server could be started here: {exc}")
        return 1
    with server:
        pg_url = server.create_database("bench")
        with Database.open(pg_url):
            pass  # the current schema, created as the application creates it
        copied, copy_s = _copy(sqlite_url, pg_url)
        print(
            f"{server.version or 'PostgreSQL'} on {server.host}:{server.port}; "
            f"{path.name} copied in: {copied:,} rows in {copy_s:.1f} s\n"
        )
        with Database.open(sqlite_url) as lite, Database.open(pg_url) as pg:
            with lite.sessions() as s:
                station_id = int(s.scalar(select(func.min(Person.station_id))) or 0)
            contexts = {
                name: Context(db, Actor.command_line(station_id))
                for name, db in (("sqlite", lite), ("postgres", pg))
            }
            for ctx in contexts.values():
                search_persons(ctx, "扎西")  # connections and caches warm
                today(ctx)
            different = 0
            header = (
                f"{'query kind':22} {'n':>3} {'SQLite ms':>9} {'PG ms':>7} {'PG/SQLite':>9}"
                f" {'PG own SQL':>10} {'ratio':>6} {'PG worst':>8} {'same hits':>9}"
            )
            print(header)
            for kind, qs in queries.items():
                lite_ms: list[float] = []
                pg_ms: list[float] = []
                own: list[float] = []
                same = 0
                for q in qs:
                    t_lite, lite_hits = _timed(lambda q=q: search_persons(contexts["sqlite"], q))
                    with statements_sent(pg) as ran:
                        t_pg, pg_hits = _timed(lambda q=q: search_persons(contexts["postgres"], q))
                    own.append(replay_ms(pg, ran))
                    lite_ms.append(t_lite)
                    pg_ms.append(t_pg)
                    same += _hits(lite_hits) == _hits(pg_hits)
                different += len(qs) - same
                m_lite, m_pg, m_own = (statistics.median(x) for x in (lite_ms, pg_ms, own))
                print(
                    f"{kind:22} {len(qs):>3} {m_lite:>9.1f} {m_pg:>7.1f} {m_pg / m_lite:>8.2f}x"
                    f" {m_own:>10.2f} {m_pg / max(m_own, 1e-6):>5.1f}x {max(pg_ms):>8.1f}"
                    f" {same:>4}/{len(qs):<4}"
                )
            now = datetime.now(UTC)  # one moment for both: hours waited alike
            runs: dict[str, list[float]] = {"sqlite": [], "postgres": []}
            views: dict[str, Any] = {}
            for _ in range(args.today_runs):
                for name, ctx in contexts.items():
                    ms, views[name] = _timed(lambda ctx=ctx: today(ctx, now=now))
                    runs[name].append(ms)
            t_lite, t_pg = (statistics.median(runs[n]) for n in ("sqlite", "postgres"))
            same_today = _today_rows(views["sqlite"]) == _today_rows(views["postgres"])
            different += not same_today
            print(
                f"\n{'Today (desk.today)':22} {args.today_runs:>3} {t_lite:>9.1f} {t_pg:>7.1f}"
                f" {t_pg / t_lite:>8.2f}x {'':>10} {'':>6} {max(runs['postgres']):>8.1f}"
                f" {'yes' if same_today else 'NO':>9}"
            )
        print(
            "\nPG own SQL: the statements the search ran on PostgreSQL, replayed raw on the "
            "driver's connection (median per query); same hits: the same persons in the same "
            "order on both"
        )
    print("\nthe same results on both" if not different else f"\n{different} RESULTS DIFFER")
    return 1 if different else 0


def _today_rows(view: Any) -> tuple[Any, ...]:
    """What the Today page shows (both read for the same moment)."""
    return (view.residents, view.rooms, view.alerts, view.expected)
