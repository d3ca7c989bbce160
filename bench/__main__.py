"""``python -m bench``: run every benchmark; ``python -m bench NAME [options]``: one."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence

from bench import OUT_DIR, QUICK_ENV, registry

USAGE = """usage: python -m bench                 run every benchmark with its defaults
       python -m bench NAME [options]  run one (NAME --help lists its options)
       python -m bench --quick [NAME]  the same on a 20,000-person station, fewer rounds
       python -m bench --list          list the benchmarks"""

# The quick mode's rounds (before any options given on the command line): a
# few minutes for the whole set on a modest machine, figures still printed
# beside their baselines.
QUICK_ARGS: dict[str, list[str]] = {
    "crash": ["--kills", "6"],
    "dashboard": ["--runs", "2"],
    "desk_today": ["--runs", "5"],
    "duplicates": ["--persons", "50"],
    "gui": ["--runs", "2"],
    "import": ["--rows", "2000"],
    "import-size": ["--csv-rows", "100000", "--xlsx-rows", "15000"],
    "patrol_shift": ["--runs", "3"],
    "postgres": ["--queries", "10", "--today-runs", "5"],
    "printing": ["--repeat", "5"],
    "safety": ["--runs", "2"],
    "search": ["--queries", "20"],
    "statistics": ["--runs", "2"],
    "supplies_stock": ["--runs", "5"],
}


def main(argv: Sequence[str]) -> int:
    # The application's data folder (log, computer settings, automatic and
    # pre-upgrade backups) is the benchmarks' own, never the user's.
    os.environ.setdefault("STATION_APP_HOME", str(OUT_DIR / "home"))
    argv = list(argv)
    quick = bool(argv) and argv[0] == "--quick"
    if quick:
        argv = argv[1:]
        os.environ[QUICK_ENV] = "1"  # read by the benchmarks as they are imported
    benchmarks = registry()
    if argv and argv[0] in ("-h", "--help"):
        print(USAGE)
        return 0
    if argv and argv[0] == "--list":
        for b in benchmarks.values():
            print(f"{b.name:12} {b.summary}")
        return 0
    if argv:
        chosen = benchmarks.get(argv[0])
        if chosen is None:
            print(
                f"no benchmark named {argv[0]!r}; known: {', '.join(benchmarks)}", file=sys.stderr
            )
            return 2
        return chosen.run(_args(chosen.name, argv[1:], quick))
    worst = 0
    for b in benchmarks.values():
        print(f"=== {b.name}: {b.summary}", flush=True)
        started = time.perf_counter()
        code = b.run(_args(b.name, [], quick))
        print(f"=== {b.name} finished in {time.perf_counter() - started:.1f} s (exit {code})\n")
        worst = max(worst, code)
    return worst


def _args(name: str, given: Sequence[str], quick: bool) -> list[str]:
    """A benchmark's arguments: the quick mode's rounds, then those given."""
    return [*(QUICK_ARGS.get(name, []) if quick else []), *given]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
