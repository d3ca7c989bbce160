"""Importing person ledgers: speed with the duplicate check, and memory on huge files.

``import``: a 10,000-row CSV ledger into a fresh SQLite station (the baseline:
nothing on record to compare with), then a second 10,000-row ledger of other
people with the same common names into the now-filled station, so that every
row is compared with the registry. Names are drawn (seeded) from common
Tibetan names written in Chinese, as in a real ledger where 扎西 and 卓玛
repeat hundreds of times. Prints rows per second of both and the possible
duplicates found. Budget (issue 2's checks): a station's whole Excel ledger
imports in well under a minute.

``import-size``: `station-app import persons` in a child process on a
1,000,000-row CSV and a 150,000-row workbook (both over the limit of
``imports.MAX_ROWS`` rows, so refused), and on a ledger of exactly the limit
(imported with ``--skip-duplicates``; left out with ``--limit-rows 0``). The child's peak memory
(``ru_maxrss``) and time are printed next to a baseline child that imports a
10-row file. Budget: peak under 500 MB, refusal within 10 s.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from bench import benchmark, bytecode_env

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_PARTS = (
    "扎西",
    "次仁",
    "卓玛",
    "格桑",
    "拉姆",
    "多吉",
    "央金",
    "尼玛",
    "达瓦",
    "巴桑",
    "索朗",
    "旦增",
    "平措",
    "洛桑",
    "益西",
    "曲珍",
    "泽仁",
    "降措",
    "四郎",
    "阿旺",
)
_COUNTIES = (
    "康定市",
    "泸定县",
    "丹巴县",
    "九龙县",
    "雅江县",
    "道孚县",
    "炉霍县",
    "甘孜县",
    "理塘县",
)
_HEADER = ["序号", "姓名", "别名", "性别", "民族", "出生日期", "身份证号", "户籍地", "联系电话"]
MEMORY_BUDGET_MB = 500.0
REFUSAL_BUDGET_S = 10.0


def _id(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


def _ledger(path: Path, rows: int, *, seed: int, with_ids: bool) -> None:
    rng = random.Random(seed)
    sequences: dict[date, int] = {}
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(_HEADER)
        for i in range(rows):
            birth = date(1940, 1, 1) + timedelta(days=rng.randrange(70 * 365))
            name = rng.choice(_PARTS) + rng.choice(_PARTS)
            sequence = sequences[birth] = sequences.get(birth, 0) + 1
            number = _id(f"513301{birth:%Y%m%d}{sequence:03d}") if with_ids else ""
            out.writerow(
                [
                    i + 1,
                    name,
                    rng.choice(_PARTS) + rng.choice(_PARTS) if rng.random() < 0.1 else "",
                    "",
                    "藏族",
                    birth.isoformat() if not with_ids else "",
                    number,
                    rng.choice(_COUNTIES),
                    f"139{i:08d}",
                ]
            )


@benchmark("import", "import 10,000-row person ledgers (CSV) with the duplicate check")
def run(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench import", description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args(argv)

    from station_app.services import imports
    from station_app.services.context import Database
    from station_app.services.stations import StationSetup, create_station

    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        first, second = Path(tmp) / "first.csv", Path(tmp) / "second.csv"
        _ledger(first, args.rows, seed=1, with_ids=True)
        _ledger(second, args.rows, seed=2, with_ids=False)
        db = Database.open(f"sqlite:///{Path(tmp) / 'import.sqlite3'}")
        try:
            ctx = create_station(
                db,
                StationSetup(
                    code="513301", name_zh="康定市救助管理站", admin_password="bench-pass-1"
                ),
            )
            for label, ledger, policy in (
                ("empty station (baseline)", first, imports.DuplicatePolicy.REFUSE),
                ("against the registry", second, imports.DuplicatePolicy.SKIP),
                ("the same ledger again (worst case)", second, imports.DuplicatePolicy.SKIP),
            ):
                started = time.perf_counter()
                report = imports.import_persons(ctx, ledger, duplicates=policy)
                elapsed = time.perf_counter() - started
                ok = ok and not report.problems
                print(f"-- {label}")
                print(
                    f"rows imported      {report.imported:>10,} (problems: {len(report.problems)})"
                )
                print(f"possible duplicates{len(report.duplicates):>10,}")
                print(f"time               {elapsed:>10.2f} s")
                print(f"rows per second    {report.rows_read / elapsed:>10,.0f}")
        finally:
            db.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory        {peak:>10.0f} MB")
    return 0 if ok else 1


# ---------------------------------------------------------------- size and memory

_CHILD = """
import resource, sys, time
from station_app.cli.main import main
started = time.perf_counter()
code = main(sys.argv[2:])
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
with open(sys.argv[1], "w") as fh:
    fh.write(f"{code} {elapsed} {peak}")
"""


def _huge_csv(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(_HEADER) + "\n")
        for i in range(rows):
            fh.write(f"{i + 1},扎西{i % 977},,男,藏族,1985-03-02,,甘孜县,\n")


def _big_xlsx(path: Path, rows: int) -> None:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("人员")
    sheet.append(_HEADER)
    for i in range(rows):
        sheet.append([i + 1, f"扎西{i}", None, "男", "藏族", "1985-03-02", None, "甘孜县", None])
    workbook.save(path)


def _child(url: str, ledger: Path, out: Path, *extra: str) -> tuple[int, float, float]:
    """Exit code, seconds and peak MB of `station-app import persons` in a fresh process."""
    cmd = [sys.executable, "-c", _CHILD, str(out), "--lang", "en", "--db", url]
    cmd += ["import", "persons", str(ledger), *extra]
    subprocess.run(cmd, env=bytecode_env(), check=False, capture_output=True)
    code, seconds, peak_kb = out.read_text().split()
    return int(code), float(seconds), float(peak_kb) / 1024


@benchmark("import-size", "peak memory of `import persons` on 1,000,000 rows (refused)")
def run_size(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench import-size", description=__doc__)
    parser.add_argument("--csv-rows", type=int, default=1_000_000)
    parser.add_argument("--xlsx-rows", type=int, default=150_000)
    parser.add_argument(
        "--limit-rows",
        type=int,
        default=None,
        help="rows of the imported ledger (default: the limit)",
    )
    args = parser.parse_args(argv)

    from station_app.services.context import Database
    from station_app.services.imports import MAX_ROWS
    from station_app.services.stations import StationSetup, create_station

    limit_rows = MAX_ROWS if args.limit_rows is None else args.limit_rows
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        url = f"sqlite:///{folder / 'size.sqlite3'}"
        with Database.open(url) as db:
            create_station(
                db,
                StationSetup(
                    code="513301", name_zh="康定市救助管理站", admin_password="bench-pass-1"
                ),
            )
        cases: list[tuple[str, Path, bool]] = []
        small = folder / "baseline.csv"
        _ledger(small, 10, seed=3, with_ids=False)
        cases.append(("baseline: 10 rows", small, False))
        huge = folder / "huge.csv"
        started = time.perf_counter()
        _huge_csv(huge, args.csv_rows)
        print(f"(wrote {args.csv_rows:,} CSV rows in {time.perf_counter() - started:.1f} s)")
        cases.append((f"CSV {args.csv_rows:,} rows", huge, True))
        if args.xlsx_rows:
            book = folder / "big.xlsx"
            started = time.perf_counter()
            _big_xlsx(book, args.xlsx_rows)
            print(
                f"(wrote {args.xlsx_rows:,} workbook rows in {time.perf_counter() - started:.1f} s)"
            )
            cases.append((f"xlsx {args.xlsx_rows:,} rows", book, True))
        if limit_rows:
            full = folder / "limit.csv"
            _ledger(full, limit_rows, seed=4, with_ids=False)
            cases.append((f"CSV {limit_rows:,} rows (the limit)", full, False))
        print(f"limit: {MAX_ROWS:,} rows; budget: peak < {MEMORY_BUDGET_MB:.0f} MB")
        for label, ledger, refused in cases:
            size = ledger.stat().st_size / 1e6
            # the ledger at the limit is written whole: its possible duplicates left out
            extra = () if refused else ("--skip-duplicates",)
            code, seconds, peak = _child(url, ledger, folder / "child.txt", *extra)
            verdict = "ok" if peak < MEMORY_BUDGET_MB else "OVER"
            if refused:
                fast = seconds <= REFUSAL_BUDGET_S
                verdict += "" if fast else f", refusal slower than {REFUSAL_BUDGET_S:.0f} s"
                ok = ok and fast and code != 0
            ok = ok and peak < MEMORY_BUDGET_MB
            print(
                f"{label:34s} {size:8.1f} MB file  exit {code}  {seconds:7.2f} s  "
                f"peak {peak:6.0f} MB  {verdict}"
            )
    return 0 if ok else 1
