"""Benchmarks of the relief-station app, run with ``python -m bench`` (``make bench``).

Each ``bench/bench_*.py`` module registers its benchmarks with ``@benchmark``;
``python -m bench`` imports them all and runs every one with its defaults,
``python -m bench NAME [options]`` runs one. A benchmark prints its figures
and returns an exit code. Files go to ``bench/out/`` (not in git).
"""

from __future__ import annotations

import gc
import importlib
import os
import pkgutil
import re
import statistics
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

OUT_DIR = Path(__file__).resolve().parent / "out"

# ``python -m bench --quick``: every benchmark on a 20,000-person station
# instead of 200,000 (and fewer rounds), in a few minutes. An environment
# variable, so that the benchmarks' child processes read the same size.
QUICK_ENV = "STATION_BENCH_QUICK"


def quick() -> bool:
    """Whether the benchmarks run in their quick mode."""
    return os.environ.get(QUICK_ENV) == "1"


def demo_persons() -> int:
    """The size of the demo station the benchmarks read."""
    return 20_000 if quick() else 200_000


def sized(stem: str) -> Path:
    """``bench/out/<stem>-200k.sqlite3`` (``-20k`` in the quick mode)."""
    return OUT_DIR / f"{stem}-{demo_persons() // 1000}k.sqlite3"


Runner = Callable[[Sequence[str]], int]


@dataclass(frozen=True)
class Benchmark:
    name: str
    summary: str
    run: Runner  # receives its own command-line arguments


_REGISTRY: dict[str, Benchmark] = {}


def benchmark(name: str, summary: str) -> Callable[[Runner], Runner]:
    """Register ``run(argv) -> exit code`` under ``name``."""

    def register(run: Runner) -> Runner:
        if name in _REGISTRY and _REGISTRY[name].run is not run:
            raise ValueError(f"two benchmarks are named {name!r}")
        _REGISTRY[name] = Benchmark(name, summary, run)
        return run

    return register


def registry() -> dict[str, Benchmark]:
    """Every benchmark, after importing each ``bench_*`` module of this package."""
    for module in pkgutil.iter_modules(__path__):
        if module.name.startswith("bench_"):
            importlib.import_module(f"{__name__}.{module.name}")
    return dict(sorted(_REGISTRY.items()))


# ------------------------------------------------------------------ what the benchmarks share


def times(runs: int, call: Callable[[], object], *, warm: bool = True) -> list[float]:
    """Seconds of ``runs`` calls (after one untimed call when ``warm``)."""
    if warm:
        call()
    out = []
    for _ in range(max(1, runs)):
        t0 = time.perf_counter()
        call()
        out.append(time.perf_counter() - t0)
    return out


def show(name: str, seconds: list[float], budget: float | None = None, *, width: int = 40) -> bool:
    """Print the median and the worst (and the verdict on ``budget``, seconds);
    False when the median is over it."""
    median, worst = statistics.median(seconds), max(seconds)
    verdict, ok = "", True
    if budget is not None:
        ok = median <= budget
        verdict = f"   budget {budget:.1f} s: {'ok' if ok else 'OVER'}"
    print(f"{name:{width}s} median {median * 1000:7.0f} ms   worst {worst * 1000:7.0f} ms{verdict}")
    return ok


def run_child(cmd: list[str], what: str) -> str:
    """Run a timed child process from the repository's root (:func:`bytecode_env`);
    its output, or the end of ``what`` failed with its error output."""
    done = subprocess.run(
        cmd,
        cwd=OUT_DIR.parent.parent,
        env=bytecode_env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{what} failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    return done.stdout


def pdf_pages(pdf: bytes) -> int:
    """The pages of a PDF, counted in its bytes (no reader needed)."""
    return len(re.findall(rb"/Type /Page(?![s\w])", pdf))


def bytecode_env() -> dict[str, str]:
    """The environment of a timed child process: bytecode kept under
    ``bench/out/pycache`` (an installed app has its modules compiled; a source
    checkout with PYTHONDONTWRITEBYTECODE set would compile them every run),
    never beside the sources."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("STATION_DB_URL", None)
    env["PYTHONPYCACHEPREFIX"] = str(OUT_DIR / "pycache")
    return env


COLLECTORS = ("app", "python")


@contextmanager
def collector(kind: str) -> Iterator[None]:
    """Python's garbage collector as the desktop app sets it once its main
    window is shown (``kind`` "app": what start-up made frozen, the oldest
    generation collected in idle time, ``station_app.gui.idle_gc``), or left
    as Python's own ("python"); as it was, after."""
    thresholds = gc.get_threshold()
    if kind == "app":
        gc.collect()
        gc.freeze()
        gc.set_threshold(thresholds[0], thresholds[1], 1_000_000)
    try:
        yield
    finally:
        if kind == "app":
            gc.unfreeze()
            gc.set_threshold(*thresholds)
