"""Possible duplicates on the 200k-person station: latency of one check.

Uses the search benchmark's upgraded copy (``search-200k.sqlite3``, made by
``python -m bench search`` when missing) and only reads it. Persons are drawn
(seeded) from the registry, as the check runs when a record is opened or saved.
Budget on SQLite: median <= 30 ms, worst <= 150 ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import func, select

from bench import benchmark
from bench.bench_search import DEFAULT_FILE, _prepare

MEDIAN_BUDGET_MS = 30.0
WORST_BUDGET_MS = 150.0


@benchmark("duplicates", "possible-duplicate check latency on the 200k-person database")
def run(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench duplicates", description=__doc__)
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--persons", type=int, default=200, help="persons checked")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    from station_app.db.models import Person
    from station_app.services.context import Actor, Context, Database
    from station_app.services.duplicates import find_possible_duplicates

    if not args.file.exists():
        _prepare(args.file, fresh=False)
    with Database.open(f"sqlite:///{args.file}", prepare=False) as db:
        with db.sessions() as s:
            station_id = s.scalar(select(Person.station_id).limit(1))
            top = int(s.scalar(select(func.max(Person.id))) or 0)
        if station_id is None:
            print("no persons on record")
            return 1
        ctx = Context(db, Actor.command_line(station_id))
        rng = random.Random(args.seed)
        ids = [rng.randint(1, top) for _ in range(args.persons)]
        find_possible_duplicates(ctx, ids[0])  # warm up (pypinyin dictionaries)
        times: list[float] = []
        found: list[int] = []
        for person_id in ids:
            start = time.perf_counter()
            found.append(len(find_possible_duplicates(ctx, person_id)))
            times.append((time.perf_counter() - start) * 1000)
    median, worst = statistics.median(times), max(times)
    print(
        f"duplicates: {len(times)} persons, median {median:.1f} ms, worst {worst:.1f} ms, "
        f"{statistics.mean(found):.1f} candidates on average"
    )
    ok = median <= MEDIAN_BUDGET_MS and worst <= WORST_BUDGET_MS
    print(
        f"budget median <= {MEDIAN_BUDGET_MS:.0f} ms, worst <= {WORST_BUDGET_MS:.0f} ms: "
        + ("ok" if ok else "OVER")
    )
    return 0 if ok else 1
