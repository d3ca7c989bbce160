"""Monthly statistics (月报) on the 200k-person, 10-year station: a month and
a year, end to end from the command line (a new process: start-up, the
figures of the period and of the same period last year, the PDF with charts
or the workbook), and in this process against the raw SQL they stand on.

Uses a copy of ``bench/out/search-200k.sqlite3`` (made by ``python -m bench
search``), ``statistics-200k.sqlite3``, upgraded to the current schema when
it is first made; ``--fresh`` copies again, ``--file`` reads another
database. The period is the demo's last whole month (and its year). The baseline
is the same rows read with the sqlite3 module and plain SQL, no ORM; the
ratio says what the service adds (classifying, sampling, two periods'
objects). Budget, median of the runs from the command line: a month
<= 1 s, a year <= 3 s.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import subprocess
import sys
from collections.abc import Sequence
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from bench import OUT_DIR, benchmark, show, sized, times
from bench.bench_search import copy_of_search_database

DEFAULT_FILE = sized("statistics")
MONTH_BUDGET_S = 1.0
YEAR_BUDGET_S = 3.0
ROOT = Path(__file__).resolve().parent.parent

# The rows the statistics read, as plain SQL (:lo/:hi UTC text, :a/:b dates).
RAW_QUERIES = (
    """SELECT hr.id, hr.person_id, hr.arrived_at, p.sex, p.birth_date, p.estimated_age,
       p.age_estimated_on, p.hukou_code, p.disability
       FROM help_request hr JOIN person p ON p.id = hr.person_id
       WHERE hr.station_id = :s AND hr.arrived_at >= :lo AND hr.arrived_at < :hi""",
    """SELECT sc.help_request_id, sc.is_minor, sc.critical_illness, sc.infectious_disease,
       sc.injured, sc.suspected_mental_illness, sc.dementia, sc.intellectual_disability,
       sc.trafficking_victim, sc.domestic_violence_victim, sc.left_behind_child
       FROM screening sc JOIN help_request hr ON hr.id = sc.help_request_id
       WHERE hr.station_id = :s AND hr.arrived_at >= :lo AND hr.arrived_at < :hi""",
    """SELECT d.help_request_id, d.kind, min(d.decided_at) FROM decision d
       JOIN help_request hr ON hr.id = d.help_request_id
       WHERE hr.station_id = :s AND hr.arrived_at >= :lo AND hr.arrived_at < :hi
       AND d.kind IN ('accept', 'refuse', 'terminate') GROUP BY d.help_request_id, d.kind""",
    """SELECT outcome, count(*) FROM departure WHERE station_id = :s
       AND departed_at >= :lo AND departed_at < :hi GROUP BY outcome""",
    """SELECT d.departed_at, (SELECT min(st.started_at) FROM stay st
       WHERE st.help_request_id = d.help_request_id) FROM departure d
       WHERE d.station_id = :s AND d.departed_at >= :lo AND d.departed_at < :hi""",
    """SELECT count(*), sum(staff_count), sum(vehicle_count) FROM patrol_shift
       WHERE station_id = :s AND shift_date >= :a AND shift_date <= :b""",
    """SELECT e.action, count(*) FROM encounter e JOIN patrol_shift ps ON ps.id = e.shift_id
       WHERE ps.station_id = :s AND ps.shift_date >= :a AND ps.shift_date <= :b
       GROUP BY e.action""",
    """SELECT m.kind, i.code, sum(m.quantity) FROM stock_movement m
       JOIN supply_item i ON i.id = m.item_id WHERE m.station_id = :s
       AND m.moved_at >= :lo AND m.moved_at < :hi AND m.kind LIKE 'issue%'
       GROUP BY m.kind, i.code""",
    """SELECT received_at, arrived_at FROM hotline_call WHERE station_id = :s
       AND received_at >= :lo AND received_at < :hi""",
    """SELECT count(*), sum(leaflets), sum(people_consulted), sum(staff_count)
       FROM publicity_event WHERE station_id = :s AND held_on >= :a AND held_on <= :b""",
)


def _utc_text(day: date) -> str:
    """China midnight of ``day`` as stored (UTC, SQLite text)."""
    moment = datetime(day.year, day.month, day.day, tzinfo=UTC) - timedelta(hours=8)
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def _raw(path: Path, station: int, periods: list[tuple[date, date]]) -> int:
    """Read every row the statistics read, with plain SQL; the arrivals counted."""
    arrivals = 0
    with closing(sqlite3.connect(path)) as conn:
        for start, end in periods:
            params = {
                "s": station,
                "lo": _utc_text(start),
                "hi": _utc_text(end + timedelta(days=1)),
                "a": start.isoformat(),
                "b": end.isoformat(),
            }
            for n, sql in enumerate(RAW_QUERIES):
                rows = conn.execute(sql, params).fetchall()
                if n == 0:
                    arrivals += len(rows)
    return arrivals


def _cli(path: Path, args: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "station_app", "--db", f"sqlite:///{path}", "report", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"station-app report {' '.join(args)} failed:\n{done.stderr}")


@benchmark("statistics", "monthly statistics of a month and a year, from the command line")
def run(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench statistics", description=__doc__)
    parser.add_argument("--file", type=Path, default=None, help="SQLite file to read")
    parser.add_argument("--fresh", action="store_true", help="copy the source again")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(list(argv))

    from station_app.db.models import HelpRequest
    from station_app.domain.clock import china_date
    from station_app.services import statistics as figures
    from station_app.services.context import Actor, Context, Database

    path: Path = args.file or DEFAULT_FILE
    if args.file is None:
        copy_of_search_database(path, args.fresh)
    out = OUT_DIR / "statistics"
    out.mkdir(parents=True, exist_ok=True)
    with Database.open(f"sqlite:///{path}") as db:
        with db.sessions() as s:
            station = int(s.scalar(select(func.min(HelpRequest.station_id))) or 0)
            last = china_date(s.scalar(select(func.max(HelpRequest.arrived_at))))
        ctx = Context(db, Actor.command_line(station))
        # the last whole month and year of the demo's records
        month = figures.parse_month(f"{last.replace(day=1) - timedelta(days=1):%Y-%m}")
        year = (date(month[0].year, 1, 1), date(month[0].year, 12, 31))
        inside: dict[str, list[float]] = {}
        raw: dict[str, list[float]] = {}
        agree = True
        for name, (start, end) in (("month", month), ("year", year)):
            c = figures.compare(ctx, start, end)
            periods = [(start, end), (c.previous.start, c.previous.end)]
            counted = _raw(path, station, periods)
            agree = agree and counted == c.current.arrivals + c.previous.arrivals
            inside[name] = times(args.runs, lambda s=start, e=end: figures.compare(ctx, s, e))
            raw[name] = times(args.runs, lambda p=periods: _raw(path, station, p))
        current = figures.period_statistics(ctx, *month)

    print(f"{path.name}: station {station}; month {month[0]:%Y-%m}, year {year[0].year}")
    print(
        f"the month: {current.arrivals:,} arrivals, {current.person_times:,} person-times, "
        f"{current.departed:,} departures, {current.shifts:,} shifts"
    )
    ok = True
    month_arg = ["--month", f"{month[0]:%Y-%m}"]
    year_arg = ["--from", year[0].isoformat(), "--to", year[1].isoformat()]
    cli = {
        "month, PDF (command line)": (
            [*month_arg, "--out", str(out / "month.pdf")],
            MONTH_BUDGET_S,
        ),
        "month, XLSX (command line)": (
            [*month_arg, "--format", "xlsx", "--out", str(out / "month.xlsx")],
            MONTH_BUDGET_S,
        ),
        "year, PDF (command line)": ([*year_arg, "--out", str(out / "year.pdf")], YEAR_BUDGET_S),
    }
    for name, (cli_args, budget) in cli.items():
        seconds = times(args.runs, lambda a=cli_args: _cli(path, ["monthly", *a]), warm=False)
        ok = show(name, seconds, budget, width=34) and ok
    rekey = ["rekey", *month_arg, "--out", str(out / "rekey.xlsx")]
    show(
        "month, re-keying list (command line)",
        times(args.runs, lambda: _cli(path, rekey)),
        width=34,
    )
    for name in ("month", "year"):
        show(f"{name}: compare() in process", inside[name], width=34)
        show(f"{name}: the same rows, raw SQL", raw[name], width=34)
        ratio = statistics.median(inside[name]) / statistics.median(raw[name])
        print(f"{name}: compare() / raw SQL = {ratio:.1f}x")
    print("arrivals agree with the raw rows:", "yes" if agree else "NO")
    return 0 if ok and agree else 1
