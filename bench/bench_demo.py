"""The demo generator at prefecture scale, and opening what it made.

Default: 200,000 people over 10 years into a fresh SQLite file in bench/out/.
Prints the time, rows per table, events, file size and peak memory; then the
time to open the database, count the people and list the 50 latest help
requests, once in a fresh process (cold) and again in this one (warm).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import func, select, text

from bench import OUT_DIR, benchmark, demo_persons, sized

DEFAULT_FILE = sized("demo")
TODAY = date(2026, 1, 1)  # fixed, so that runs are comparable


def _peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 if sys.platform != "darwin" else peak / 1024 / 1024  # KiB on Linux


def _file_mb(path: Path) -> float:
    files = [path, path.with_name(path.name + "-wal")]
    return sum(f.stat().st_size for f in files if f.exists()) / 1024 / 1024


def probe(url: str) -> dict[str, float]:
    """Open the database, count persons, list the 50 latest help requests; seconds each."""
    from station_app.db.models import HelpRequest, Person
    from station_app.services.context import Database

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    db = Database.open(url)
    timings["open"] = time.perf_counter() - t0
    try:
        with db.sessions() as session:
            station_id = session.scalar(select(func.min(Person.station_id)))
            t1 = time.perf_counter()
            persons = session.scalar(
                select(func.count()).select_from(Person).where(Person.station_id == station_id)
            )
            timings["count_persons"] = time.perf_counter() - t1
            t2 = time.perf_counter()
            latest = session.execute(
                select(HelpRequest.id, HelpRequest.arrived_at, Person.name_zh, Person.code_name)
                .join(Person, Person.id == HelpRequest.person_id)
                .where(HelpRequest.station_id == station_id)
                .order_by(HelpRequest.arrived_at.desc())
                .limit(50)
            ).all()
            timings["latest_50_requests"] = time.perf_counter() - t2
    finally:
        db.close()
    timings["total"] = time.perf_counter() - t0
    timings["persons"] = float(persons or 0)
    timings["rows_listed"] = float(len(latest))
    return timings


def _cold_probe(url: str) -> dict[str, float]:
    """The probe in a new process: nothing of this one's caches, the OS file
    cache as it is (a benchmark never changes the machine to empty it)."""
    root = Path(__file__).resolve().parent.parent
    code = (
        "import json, sys; from bench.bench_demo import probe; "
        "print(json.dumps(probe(sys.argv[1])))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, url], cwd=root, capture_output=True, text=True, check=True
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _show_probe(label: str, t: dict[str, float]) -> None:
    ms = {k: v * 1000 for k, v in t.items()}
    print(
        f"{label:5} open {ms['open']:8.1f} ms   count persons {ms['count_persons']:7.1f} ms"
        f"   50 latest requests {ms['latest_50_requests']:7.1f} ms"
        f"   total {ms['total']:8.1f} ms   ({int(t['persons'])} persons)"
    )


@benchmark("demo", "generate a 200k-person, 10-year station into SQLite; time opening it")
def run(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench demo", description=__doc__)
    parser.add_argument("--persons", type=int, default=demo_persons())
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--file", type=Path, default=None, help="SQLite file (replaced)")
    args = parser.parse_args(list(argv))

    from station_app.db.engine import make_engine
    from station_app.services.context import Database
    from station_app.services.demo import generate

    path: Path = args.file or (
        DEFAULT_FILE
        if (args.persons, args.years) == (demo_persons(), 10)
        else OUT_DIR / f"demo-{args.persons}-{args.years}y.sqlite3"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    for old in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        old.unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    print(f"generating {args.persons} persons over {args.years} years into {path}", flush=True)

    last_shown = [0.0]

    def progress(stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if done == total or now - last_shown[0] > 10:
            last_shown[0] = now
            print(f"  {stage}: month {done}/{total}", flush=True)

    with Database.open(url) as db:
        summary = generate(
            db, persons=args.persons, years=args.years, seed=args.seed, today=TODAY,
            progress=progress,
        )  # fmt: skip
    engine = make_engine(url)
    with engine.connect() as conn:  # fold the WAL into the file before measuring it
        conn.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
    engine.dispose()

    print(f"\nrows per table ({summary.elapsed_seconds:.1f} s):")
    for table, count in sorted(summary.counts.items(), key=lambda kv: -kv[1]):
        print(f"  {table:20} {count:>10,}")
    rate = summary.total_rows / max(summary.elapsed_seconds, 1e-9)
    print(f"  {'total rows':20} {summary.total_rows:>10,}   ({rate:,.0f} rows/s)")
    print(f"  {'events':20} {summary.events:>10,}   (rows other than the person registry)")
    print(f"generation   {summary.elapsed_seconds:8.1f} s")
    print(f"file size    {_file_mb(path):8.1f} MB")
    print(f"peak RSS     {_peak_rss_mb():8.1f} MB")

    cold = _cold_probe(url)
    _show_probe("cold", cold)
    print("      (cold: a new process; the OS file cache is left as it is)")
    probe(url)
    _show_probe("warm", probe(url))
    return 0
