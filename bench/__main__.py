"""``python -m bench``: run every benchmark; ``python -m bench NAME [options]``: one."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence

from bench import OUT_DIR, registry

USAGE = """usage: python -m bench                 run every benchmark with its defaults
       python -m bench NAME [options]  run one (NAME --help lists its options)
       python -m bench --list          list the benchmarks"""


def main(argv: Sequence[str]) -> int:
    # The application's data folder (log, computer settings, automatic and
    # pre-upgrade backups) is the benchmarks' own, never the user's.
    os.environ.setdefault("STATION_APP_HOME", str(OUT_DIR / "home"))
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
        return chosen.run(list(argv[1:]))
    worst = 0
    for b in benchmarks.values():
        print(f"=== {b.name}: {b.summary}", flush=True)
        started = time.perf_counter()
        code = b.run([])
        print(f"=== {b.name} finished in {time.perf_counter() - started:.1f} s (exit {code})\n")
        worst = max(worst, code)
    return worst


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
