"""Stock figures of the supplies ledger on the 200k-person station (10 years
of demo movements): stock on hand now and at a past moment, the summary of a
month and of a year, and the movements of a month.

Uses a copy of ``bench/out/search-200k.sqlite3`` (made by ``python -m bench
search``), ``supplies-200k.sqlite3``, upgraded to the current schema when it
is first made; ``--fresh`` copies again. The stock figures are recomputed
once in Python from the raw rows and must agree. Budget on SQLite: stock on
hand median <= 200 ms, worst <= 400 ms.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Sequence
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from bench import benchmark, sized
from bench.bench_search import copy_of_search_database

DEFAULT_FILE = sized("supplies")
MEDIAN_BUDGET_MS = 200.0
WORST_BUDGET_MS = 400.0


def _time(runs: int, call: Callable[[], object]) -> list[float]:
    call()  # warm the connection pool and the page cache
    times = []
    for _ in range(max(1, runs)):
        t0 = time.perf_counter()
        call()
        times.append((time.perf_counter() - t0) * 1000)
    return times


@benchmark("supplies_stock", "stock figures of 10 years of supplies movements")
def run(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench supplies_stock", description=__doc__)
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--fresh", action="store_true", help="copy the source again")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args(list(argv))

    from station_app.db.models import StockMovement
    from station_app.domain.clock import CHINA_TZ
    from station_app.services import supplies
    from station_app.services.context import Actor, Context, Database

    copy_of_search_database(args.file, args.fresh)
    with Database.open(f"sqlite:///{args.file}") as db:
        with db.sessions() as s:
            station_id = int(s.scalar(select(func.min(StockMovement.station_id))) or 0)
            count = s.scalar(select(func.count()).select_from(StockMovement)) or 0
            first, last = s.execute(
                select(func.min(StockMovement.moved_at), func.max(StockMovement.moved_at))
            ).one()
            expected: dict[int, Decimal] = {}
            for item_id, qty in s.execute(
                select(StockMovement.item_id, StockMovement.quantity).where(
                    StockMovement.station_id == station_id
                )
            ):
                expected[item_id] = expected.get(item_id, Decimal(0)) + qty
        ctx = Context(db, Actor.command_line(station_id))
        end = last.astimezone(CHINA_TZ).date()
        month_start = end - timedelta(days=30)
        year_start = end - timedelta(days=364)
        past = first + (last - first) / 2

        figures = {line.item_id: line.quantity for line in supplies.stock_on_hand(ctx)}
        agree = {k: v for k, v in figures.items() if v or k in expected} == expected
        timings = {
            "stock on hand (now)": _time(args.runs, lambda: supplies.stock_on_hand(ctx)),
            "stock on hand (5 years ago)": _time(
                args.runs, lambda: supplies.stock_on_hand(ctx, past)
            ),
            "summary of a month": _time(
                args.runs, lambda: supplies.period_summary(ctx, month_start, end)
            ),
            "summary of a year": _time(
                args.runs, lambda: supplies.period_summary(ctx, year_start, end)
            ),
            "movements of a month": _time(
                max(1, args.runs // 4), lambda: supplies.movements(ctx, month_start, end)
            ),
        }
    print(f"{count:,} movements from {first:%Y-%m-%d} to {last:%Y-%m-%d}")
    for name, times in timings.items():
        print(f"{name:28s} median {statistics.median(times):7.1f} ms   worst {max(times):7.1f} ms")
    print("stock on hand agrees with the raw rows:", "yes" if agree else "NO")
    stock = timings["stock on hand (now)"]
    median, worst = statistics.median(stock), max(stock)
    ok = agree and median <= MEDIAN_BUDGET_MS and worst <= WORST_BUDGET_MS
    print(
        f"budget: median <= {MEDIAN_BUDGET_MS:.0f} ms, worst <= {WORST_BUDGET_MS:.0f} ms: "
        f"{'ok' if ok else 'OVER'}"
    )
    return 0 if ok else 1
