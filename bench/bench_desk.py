"""The desk's Today page on the 200k-person station: people in the station,
free beds and today's alerts, built from the records.

Uses a copy of ``bench/out/search-200k.sqlite3`` (made by ``python -m bench
search``), ``desk-200k.sqlite3``, upgraded to the current schema when it is
first made; ``--fresh`` copies again; ``--persons 20000`` works on the 20,000
person demo instead (``desk-20000.sqlite3``), for a quick run. Budget on
SQLite: median <= 200 ms, worst <= 400 ms over the runs; the goal of issue 17
(printed beside it, not judged): a median of 20 ms or less at 200k, flat with
the size of the history. Python's garbage collector is set as the desktop
app sets it (``--collector python`` leaves Python's own: a collection of the
oldest generation then falls on some run, 50 ms on this 200k process).

Baseline measured in the same run, beside the figure: the statements the page
ran, replayed raw on the database connection (the service's own SQL without
the ORM); the ratio says what the rest costs.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import func, select

from bench import COLLECTORS, OUT_DIR, benchmark, collector, sized
from bench.bench_search import DEFAULT_PERSONS, copy_of_search_database, replay_ms, statements_sent

DEFAULT_FILE = sized("desk")
MEDIAN_BUDGET_MS = 200.0
WORST_BUDGET_MS = 400.0
GOAL_MS = 20.0  # at 200k (issue 17)


@benchmark("desk_today", "the desk's Today page on the 200k-person database")
def run(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench desk_today", description=__doc__)
    parser.add_argument("--persons", type=int, default=DEFAULT_PERSONS, help="demo size")
    parser.add_argument("--file", type=Path, default=None)
    parser.add_argument("--fresh", action="store_true", help="copy the source again")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--collector",
        choices=COLLECTORS,
        default="app",
        help="the garbage collector as the desktop app sets it (default) or Python's own",
    )
    args = parser.parse_args(list(argv))

    from station_app.db.models import HelpRequest, Person
    from station_app.services.context import Actor, Context, Database
    from station_app.services.desk import today

    path: Path = args.file or (
        DEFAULT_FILE
        if args.persons == DEFAULT_PERSONS
        else OUT_DIR / f"desk-{args.persons}.sqlite3"
    )
    copy_of_search_database(path, args.fresh, args.persons)
    with Database.open(f"sqlite:///{path}") as db:
        with db.sessions() as s:
            station_id = int(s.scalar(select(func.min(Person.station_id))) or 0)
            persons = s.scalar(select(func.count()).select_from(Person)) or 0
            requests = s.scalar(select(func.count()).select_from(HelpRequest)) or 0
            # the demo's present: its last arrival
            now = s.scalar(select(func.max(HelpRequest.arrived_at)))
        ctx = Context(db, Actor.command_line(station_id))
        view = today(ctx, now=now)  # warm the connection pool and caches
        times: list[float] = []
        own: list[float] = []
        with collector(args.collector):
            for _ in range(max(1, args.runs)):
                with statements_sent(db) as ran:
                    t0 = time.perf_counter()
                    view = today(ctx, now=now)
                    times.append((time.perf_counter() - t0) * 1000)
                own.append(replay_ms(db, ran))
                statements = len(ran)
    median, worst = statistics.median(times), max(times)
    own_median = statistics.median(own)
    ok = median <= MEDIAN_BUDGET_MS and worst <= WORST_BUDGET_MS
    kinds: dict[str, int] = {}
    for alert in view.alerts:
        kinds[alert.kind.value] = kinds.get(alert.kind.value, 0) + 1
    print(f"{persons:,} persons, {requests:,} help requests; now = {now}")
    print(f"garbage collector: {args.collector}")
    print(
        f"{len(view.residents)} in the station, {sum(r.free for r in view.rooms)} beds free, "
        f"{len(view.alerts)} alerts {kinds}"
    )
    print(
        f"today(): median {median:.1f} ms, worst {worst:.1f} ms over {len(times)} runs"
        f"   budget {MEDIAN_BUDGET_MS:.0f}/{WORST_BUDGET_MS:.0f} ms   {'PASS' if ok else 'FAIL'}"
    )
    print(
        f"its own SQL replayed raw ({statements} statements): median {own_median:.2f} ms;"
        f" ratio {median / max(own_median, 1e-6):.1f}x"
    )
    print(
        f"goal: median <= {GOAL_MS:g} ms at 200k persons:"
        f" {'met' if median <= GOAL_MS else 'NOT met'} at {persons:,} ({median:.1f} ms)"
    )
    return 0 if ok else 1
