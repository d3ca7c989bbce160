"""Importing a person ledger: 10,000 rows from CSV into a fresh SQLite station.

Prints rows per second and peak memory. Budget (issue 2's checks): a station's
whole Excel ledger imports in well under a minute.
"""

from __future__ import annotations

import argparse
import csv
import resource
import tempfile
import time
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from bench import benchmark

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _id(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


def _ledger(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(
            [
                "序号",
                "姓名",
                "藏文姓名",
                "别名",
                "性别",
                "民族",
                "身份证号",
                "户籍地",
                "联系电话",
                "亲属姓名",
                "亲属关系",
            ]
        )
        for i in range(rows):
            birth = date(1940, 1, 1) + timedelta(days=i * 2)
            number = _id(f"513301{birth:%Y%m%d}{i % 1000:03d}")
            out.writerow(
                [
                    i + 1,
                    f"扎西{i}",
                    "བཀྲ་ཤིས་སྒྲོལ་མ",
                    f"扎喜{i}、札西{i}",
                    "",
                    "藏族",
                    number,
                    "甘孜县",
                    f"139{i:08d}",
                    "次仁",
                    "兄",
                ]
            )


@benchmark("import", "import a 10,000-row person ledger (CSV) into SQLite")
def run(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench import", description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args(argv)

    from station_app.services import imports
    from station_app.services.context import Database
    from station_app.services.stations import StationSetup, create_station

    with tempfile.TemporaryDirectory() as tmp:
        ledger = Path(tmp) / "ledger.csv"
        _ledger(ledger, args.rows)
        db = Database.open(f"sqlite:///{Path(tmp) / 'import.sqlite3'}")
        try:
            ctx = create_station(
                db,
                StationSetup(
                    code="513301", name_zh="康定市救助管理站", admin_password="bench-pass-1"
                ),
            )
            started = time.perf_counter()
            report = imports.import_persons(ctx, ledger)
            elapsed = time.perf_counter() - started
        finally:
            db.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"rows imported      {report.imported:>10,} (problems: {len(report.problems)})")
    print(f"time               {elapsed:>10.2f} s")
    print(f"rows per second    {report.imported / elapsed:>10,.0f}")
    print(f"peak memory        {peak:>10.0f} MB")
    return 0 if report.committed and not report.problems else 1
