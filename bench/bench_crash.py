"""The kill test: writers killed with SIGKILL at random moments lose no
committed row and leave a database that ``check`` passes.

A demo station is made in a temporary folder; then, round after round, two
writer processes start on it — the demo load generator adding activity to the
station, and a patrol-shift writer entering shifts with encounters, new people
and hand-outs through the services — and both are killed with SIGKILL at a
random moment (in every other round, a random moment after each writer's first
commit, so that kills land deep in the work on a slow machine too). Each
writer appends what it committed to its own log, fsynced, only after the
commit has returned; after each kill ``maintenance.check`` must
pass and every logged row must be in the database.

Deterministic per ``--seed`` (the delays and the writers' data; the moment a
kill lands in a writer's work depends on the machine). Nothing is written
outside the temporary folder (``--keep`` keeps it for a look afterwards).
Prints kills, commits, lost rows (must be 0), check failures (must be 0), time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from random import Random
from typing import TYPE_CHECKING

from bench import benchmark

if TYPE_CHECKING:
    from station_app.services.context import Context

WRITERS = ("demo", "patrol")
# the tables whose rows the writers log; a demo run logs its highest id of each
DEMO_TABLES = ("person", "help_request", "stock_movement", "patrol_shift", "safety_check")
ITEM_CODES = ("CRASH-FOOD", "CRASH-CARD")
READY_TIMEOUT_S = 120.0
MAX_RETRIES = 50  # a write refused this often is not busy but wrong
# patrol shifts of round r start at SHIFT_EPOCH + r * ROUND_SPAN, one every few minutes
SHIFT_EPOCH = datetime(2020, 1, 1, 2, 0, tzinfo=UTC)
ROUND_SPAN = timedelta(days=20)


@dataclass
class CrashFigures:
    kills: int = 0  # moments at which every running writer got SIGKILL
    killed: int = 0  # writer processes killed
    commits: dict[str, int] = field(default_factory=lambda: dict.fromkeys(WRITERS, 0))
    retries: dict[str, int] = field(default_factory=lambda: dict.fromkeys(WRITERS, 0))
    logged_rows: int = 0
    lost_rows: int = 0
    check_failures: int = 0
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def sound(self) -> bool:
        return not self.problems and not self.lost_rows and not self.check_failures

    def lines(self) -> list[str]:
        commits = ", ".join(f"{w} {n}" for w, n in self.commits.items())
        retries = ", ".join(f"{w} {n}" for w, n in self.retries.items())
        return [
            f"kills: {self.kills} ({self.killed} writer processes)",
            f"writers' commits: {commits}  (busy retries: {retries})",
            f"committed rows checked: {self.logged_rows}",
            f"lost rows: {self.lost_rows}",
            f"check failures: {self.check_failures}",
            f"time: {self.seconds:.1f} s",
            *(f"problem: {p}" for p in self.problems),
        ]


# ====================================================================== the station


def prepare(folder: Path, seed: int) -> Path:
    """A demo station in ``folder`` with items stocked for the patrol writer;
    returns the database file."""
    from sqlalchemy import select

    from station_app.db.models import StockMovement, SupplyItem
    from station_app.domain.enums import MovementKind
    from station_app.domain.permissions import Permission
    from station_app.services import demo
    from station_app.services.context import Actor, Context, Database

    path = folder / "station.sqlite3"
    db = Database.open(_url(path))
    try:
        summary = demo.generate(db, persons=30, years=1, seed=seed)
        ctx = Context(db, Actor.command_line(summary.station_id))
        with ctx.write(Permission.MANAGE_SUPPLIES) as s:
            known = set(s.scalars(select(SupplyItem.code)))
            for code in ITEM_CODES:
                if code in known:
                    continue
                item = SupplyItem(station_id=ctx.station_id, code=code, name_zh=code, unit_zh="件")
                s.add(item)
                s.flush()
                s.add(
                    StockMovement(
                        station_id=ctx.station_id,
                        item_id=item.id,
                        kind=MovementKind.RECEIPT_DONATION,
                        quantity=Decimal(10_000_000),
                        moved_at=SHIFT_EPOCH - timedelta(days=1),
                        donor="crash test",
                    )
                )
    finally:
        db.close()
    return path


def _url(path: Path) -> str:
    return f"sqlite:///{path}"


# ====================================================================== the writers


class _Log:
    """Lines appended and fsynced: a line is on disk before the writer goes on."""

    def __init__(self, path: Path) -> None:
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

    def write(self, record: dict[str, object]) -> None:
        os.write(self._fd, (json.dumps(record) + "\n").encode())
        os.fsync(self._fd)


def _retrying(log: _Log, what: Callable[[int], dict[str, object]], n: int) -> None:
    """Run one write; a busy database (the other writer holds the lock) is
    retried, counted in the log. Anything else ends the writer with a trace."""
    from sqlalchemy.exc import OperationalError

    from station_app.domain.errors import UserError

    for _ in range(MAX_RETRIES):
        try:
            record = what(n)
        except (OperationalError, UserError) as exc:
            log.write({"retry": type(exc).__name__})
            time.sleep(0.05)
            continue
        log.write(record)
        return
    raise RuntimeError(f"still refused after {MAX_RETRIES} tries")


def _demo_writer(ctx: Context, log: _Log, seed: int) -> None:
    from sqlalchemy import text

    from station_app.services import demo

    def one(run: int) -> dict[str, object]:
        demo.generate(ctx.db, persons=20, years=1, seed=seed + run, station_id=ctx.station_id)
        # generate() has returned: every chunk it wrote is committed
        with ctx.db.sessions() as s:
            tops = {t: s.scalar(text(f"SELECT max(id) FROM {t}")) for t in DEMO_TABLES}
        return {"commit": "demo", "rows": {t: [i] for t, i in tops.items() if i is not None}}

    run = 0
    while True:
        _retrying(log, one, run)
        run += 1


def _patrol_writer(ctx: Context, log: _Log, seed: int, round_no: int) -> None:
    from sqlalchemy import select

    from station_app.db.models import SupplyItem
    from station_app.domain.clock import CHINA_TZ
    from station_app.domain.enums import EncounterAction as Act
    from station_app.domain.enums import PatrolArea
    from station_app.services import patrol
    from station_app.services.persons import PersonInput

    rng = Random(seed)
    with ctx.read() as s:
        items = {i.code: i.id for i in s.scalars(select(SupplyItem)) if i.code in ITEM_CODES}
    now = datetime.now(UTC)

    def one(n: int) -> dict[str, object]:
        start = SHIFT_EPOCH + round_no * ROUND_SPAN + timedelta(minutes=7 * n)
        given = [patrol.ItemGiven(items[c], rng.randint(1, 3)) for c in ITEM_CODES]
        encounters = [
            patrol.EncounterInput(
                met_at=start + timedelta(minutes=1),
                place=f"桥洞 {n}",
                action=Act.REFUSED_HELP,
                code_name=f"巡查{round_no}-{n}",
                refusal_reason="不愿离开",
                items=given,
            ),
            patrol.EncounterInput(
                met_at=start + timedelta(minutes=2),
                place="汽车站",
                action=Act.CONTACT_CARD_LEFT,
                new_person=PersonInput(name_zh=f"测试{n}", estimated_age=rng.randint(20, 80)),
                items=[patrol.ItemGiven(items["CRASH-CARD"], 1)],
            ),
        ]
        if n % 5 == 4:
            encounters.append(
                patrol.EncounterInput(
                    met_at=start + timedelta(minutes=3),
                    place="广场",
                    action=Act.ESCORTED_TO_STATION,
                    code_name=f"带回{round_no}-{n}",
                    arrived_at=start + timedelta(minutes=40),
                )
            )
        view = patrol.submit_shift(
            ctx,
            patrol.ShiftInput(
                shift_date=start.astimezone(CHINA_TZ).date(),
                started_at=start,
                ended_at=start + timedelta(hours=1),
                members=[patrol.MemberInput("张伟"), patrol.MemberInput("李娜")],
                staff_count=2,
                areas=[PatrolArea.BRIDGE_UNDERPASS],
                encounters=encounters,
            ),
            now=now,
        )
        rows: dict[str, list[int]] = defaultdict(list)
        rows["patrol_shift"].append(view.id)
        for e in view.encounters:
            rows["encounter"].append(e.id)
            if e.person_id is not None:
                rows["person"].append(e.person_id)
            if e.help_request_id is not None:
                rows["help_request"].append(e.help_request_id)
            rows["stock_movement"].extend(i.movement_id for i in e.items)
        return {"commit": "patrol", "rows": rows}

    n = 0
    while True:
        _retrying(log, one, n)
        n += 1


def writer_main(argv: Sequence[str]) -> int:
    """A writer process: ``KIND DATABASE LOG SEED ROUND``; runs until killed."""
    from station_app.services import demo, patrol  # noqa: F401 - imported before "ready"
    from station_app.services.context import Actor, Context, Database
    from station_app.services.stations import find_station

    kind, db_path, log_path, seed, round_no = argv
    log = _Log(Path(log_path))
    db = Database.open(_url(Path(db_path)))
    station = find_station(db)
    assert station is not None
    ctx = Context(db, Actor.command_line(station.id))
    log.write({"ready": kind})
    if kind == "demo":
        _demo_writer(ctx, log, int(seed))
    else:
        _patrol_writer(ctx, log, int(seed), int(round_no))
    return 0


# ====================================================================== the killer


def _read_log(path: Path) -> list[dict[str, object]]:
    """The complete lines of a writer's log (a kill may cut the last one)."""
    if not path.exists():
        return []
    out = []
    for line in path.read_bytes().split(b"\n"):
        try:
            out.append(json.loads(line))
        except ValueError:
            continue
    return out


def _missing(path: Path, logged: dict[str, set[int]]) -> int:
    """How many logged rows are not in the database (read-only look)."""
    uri = f"file:{path}?mode=ro"
    conn = sqlite3.connect(uri, uri=True)
    try:
        lost = 0
        for table, ids in logged.items():
            wanted = sorted(ids)
            for lo in range(0, len(wanted), 500):
                chunk = wanted[lo : lo + 500]
                marks = ",".join("?" * len(chunk))
                found = conn.execute(
                    f"SELECT count(*) FROM {table} WHERE id IN ({marks})", chunk
                ).fetchone()[0]
                lost += len(chunk) - int(found)
        return lost
    finally:
        conn.close()


def _writer_env(folder: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("STATION_DB_URL", None)
    env["STATION_APP_HOME"] = str(folder / "home")  # the app's log and settings stay here
    return env


def _wait_ready(proc: subprocess.Popen[bytes], log: Path) -> bool:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if any("ready" in r for r in _read_log(log)[-3:]):
            return True
        time.sleep(0.02)
    return False


def _wait_committed(procs: dict[str, subprocess.Popen[bytes]], logs: dict[str, Path]) -> bool:
    """Wait until every writer has logged a commit (or ended); False on timeout."""
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if all(
            p.poll() is not None or any("rows" in r for r in _read_log(logs[w]))
            for w, p in procs.items()
        ):
            return True
        time.sleep(0.05)
    return False


def _tail(path: Path) -> str:
    lines = path.read_text(errors="replace").strip().splitlines() if path.exists() else []
    return " | ".join(lines[-3:])


def run_kills(
    folder: Path,
    *,
    kills: int,
    seed: int,
    max_delay: float = 3.0,
    progress: Callable[[str], None] | None = None,
) -> CrashFigures:
    """Kill the writers ``kills`` times in ``folder`` (a station is made there
    first); the figures say what was lost."""
    from station_app.services import maintenance

    say = progress or (lambda _line: None)
    started = time.perf_counter()
    rng = Random(seed)
    path = prepare(folder, seed)
    env = _writer_env(folder)
    figures = CrashFigures()
    logged: dict[str, set[int]] = defaultdict(set)
    round_no = 0
    while round_no < kills:
        round_no += 1
        procs: dict[str, subprocess.Popen[bytes]] = {}
        logs = {w: folder / f"{w}-{round_no}.log" for w in WRITERS}
        errs = {w: folder / f"{w}-{round_no}.err" for w in WRITERS}
        for w in WRITERS:
            with os.fdopen(os.open(errs[w], os.O_WRONLY | os.O_CREAT, 0o600), "wb") as err:
                procs[w] = subprocess.Popen(
                    [sys.executable, "-m", "bench.bench_crash", "--writer", w, str(path),
                     str(logs[w]), str(seed * 1000 + round_no), str(round_no)],
                    stdout=subprocess.DEVNULL,
                    stderr=err,
                    env=env,
                )  # fmt: skip
        ready = {w: _wait_ready(p, logs[w]) for w, p in procs.items()}
        # every other round the kill lands after each writer's first commit, so
        # kills deep in the work happen however slow the machine is; the other
        # rounds may kill a writer in its first transaction
        if round_no % 2 == 0 and not _wait_committed(procs, logs):
            figures.problems.append(
                f"round {round_no}: a writer committed nothing in {READY_TIMEOUT_S:.0f} s"
            )
        time.sleep(rng.uniform(0.0, max_delay))
        for w, p in procs.items():
            if p.poll() is None:
                p.kill()
                figures.killed += 1
            else:
                figures.problems.append(
                    f"round {round_no}: the {w} writer ended by itself (exit {p.returncode}, "
                    f"ready {ready[w]}): {_tail(errs[w])}"
                )
            p.wait()
        figures.kills = round_no
        for w in WRITERS:
            for record in _read_log(logs[w]):
                if "retry" in record:
                    figures.retries[w] += 1
                rows = record.get("rows")
                if isinstance(rows, dict):
                    figures.commits[w] += 1
                    for table, ids in rows.items():
                        logged[table].update(ids)
        report = maintenance.check(_url(path))
        if not report.ok:
            figures.check_failures += 1
            figures.problems.append(
                f"round {round_no}: check failed: " + "; ".join(p.message for p in report.problems)
            )
        lost = _missing(path, logged)
        figures.lost_rows = max(figures.lost_rows, lost)
        figures.logged_rows = sum(len(ids) for ids in logged.values())
        say(
            f"kill {round_no}: {figures.killed} writers killed, "
            f"commits {sum(figures.commits.values())}, lost {lost}, "
            f"check {'ok' if report.ok else 'FAILED'}"
        )
        if figures.problems and not any(ready.values()):
            break  # the writers cannot even start: more rounds would say the same
    figures.seconds = time.perf_counter() - started
    return figures


@benchmark("crash", "writers killed with SIGKILL at random moments: nothing committed is lost")
def run(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench crash", description=__doc__)
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--max-delay", type=float, default=3.0, help="seconds (3.0)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("-q", "--quiet", action="store_true", help="no line per round")
    args = parser.parse_args(list(argv))
    folder = Path(tempfile.mkdtemp(prefix="station-crash-"))
    try:
        figures = run_kills(
            folder,
            kills=args.kills,
            seed=args.seed,
            max_delay=args.max_delay,
            progress=None if args.quiet else lambda line: print(line, flush=True),
        )
    finally:
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    for line in figures.lines():
        print(line)
    print("PASS" if figures.sound else "FAIL")
    return 0 if figures.sound else 1


if __name__ == "__main__":
    if sys.argv[1:2] == ["--writer"]:
        sys.exit(writer_main(sys.argv[2:]))
    sys.exit(run(sys.argv[1:]))
