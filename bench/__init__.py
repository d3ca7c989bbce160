"""Benchmarks of the relief-station app, run with ``python -m bench`` (``make bench``).

Each ``bench/bench_*.py`` module registers its benchmarks with ``@benchmark``;
``python -m bench`` imports them all and runs every one with its defaults,
``python -m bench NAME [options]`` runs one. A benchmark prints its figures
and returns an exit code. Files go to ``bench/out/`` (not in git).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

OUT_DIR = Path(__file__).resolve().parent / "out"

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
