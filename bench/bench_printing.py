"""Printing: a filled registration form and a card sheet in a warm process, and
`station-app print intake --request ID` end to end in a fresh process (cold).

A small demo station (60 people, one year) goes to bench/out/. Each figure is
printed with its budget; the exit code is 1 if one is over budget.
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from sqlalchemy import select

from bench import OUT_DIR, benchmark

TODAY = date(2026, 1, 1)  # fixed, so that runs are comparable
INTAKE_MS, INTAKE_KB, CARDS_MS, COLD_S = 100.0, 80.0, 200.0, 1.5


def _median_ms(action: Callable[[], object], repeat: int) -> float:
    action()  # warm: fonts read, shaping caches filled
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _verdict(ok: bool) -> str:
    return "ok" if ok else "OVER BUDGET"


def _station(path: Path) -> str:
    """A demo station in ``path`` (made once), its URL."""
    from station_app.services.context import Database
    from station_app.services.demo import generate

    url = f"sqlite:///{path}"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        with Database.open(url) as db:
            generate(db, persons=60, years=1, seed=11, today=TODAY)
    return url


@benchmark("printing", "registration form and card sheet (warm), print command (cold)")
def run(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench printing", description=__doc__)
    parser.add_argument("--repeat", type=int, default=20, help="warm runs to take the median of")
    parser.add_argument("--file", type=Path, default=OUT_DIR / "printing-demo.sqlite3")
    args = parser.parse_args(list(argv))

    from station_app.db.models import HelpRequest
    from station_app.services import printouts
    from station_app.services.context import Actor, Context, Database

    url = _station(args.file)
    ok = True
    with Database.open(url) as db:
        with db.sessions() as session:
            request_id = session.scalar(select(HelpRequest.id).order_by(HelpRequest.id))
            station_id = session.scalar(select(HelpRequest.station_id).limit(1))
        assert request_id is not None
        assert station_id is not None
        ctx = Context(db, Actor.command_line(station_id))

        # filled form: read from the records, laid out, shaped, embedded, written
        size = 0

        def intake() -> None:
            nonlocal size
            buffer = io.BytesIO()
            printouts.print_intake(ctx, request_id=request_id, out=buffer)
            size = len(buffer.getvalue())

        ms = _median_ms(intake, args.repeat)
        kb = size / 1024
        good = ms <= INTAKE_MS and kb <= INTAKE_KB
        ok &= good
        print(
            f"filled intake form (warm)  {ms:7.1f} ms  {kb:5.1f} KB"
            f"   budget {INTAKE_MS:.0f} ms, {INTAKE_KB:.0f} KB   {_verdict(good)}"
        )

        card_size = 0

        def cards() -> None:
            nonlocal card_size
            buffer = io.BytesIO()
            printouts.print_cards(ctx, 1, buffer)
            card_size = len(buffer.getvalue())

        ms = _median_ms(cards, max(5, args.repeat // 2))
        good = ms <= CARDS_MS
        ok &= good
        print(
            f"card sheet, 10 cards (warm) {ms:6.1f} ms  {card_size / 1024:5.1f} KB"
            f"   budget {CARDS_MS:.0f} ms          {_verdict(good)}"
        )

    # cold: a new process, as staff run it
    out = OUT_DIR / "printing-intake.pdf"
    script = Path(sys.executable).with_name("station-app")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "station_app"]
    command += ["--db", url, "print", "intake", "--request", str(request_id), "--out", str(out)]
    runs = []
    for _ in range(3):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        runs.append(time.perf_counter() - started)
    seconds = min(runs)
    good = seconds <= COLD_S
    ok &= good
    print(
        f"station-app print intake (cold) {seconds:5.2f} s  (best of 3: "
        f"{', '.join(f'{r:.2f}' for r in runs)})   budget {COLD_S:.1f} s   {_verdict(good)}"
    )
    print(f"written: {out} ({out.stat().st_size / 1024:.1f} KB)")
    return 0 if ok else 1
