"""The monthly safety log (安全日志) on the 200k-person, 10-year station:
``station-app print safety-log --month YYYY-MM --out FILE`` end to end from
the command line (a new process: start-up, reading the month, the A4 PDF),
and in this process its two halves against bare baselines.

Uses a copy of ``bench/out/search-200k.sqlite3`` (made by ``python -m bench
search``), ``safety-200k.sqlite3``, made when first needed; ``--fresh``
copies again, ``--file`` reads another database. The month is the demo's
last whole month (``--month`` another); the output says how many checks,
hazards, incidents and visitors it holds, and warns if it holds none.

Baselines, measured in the same run:

* end to end: a new Python process that reads the same rows with the
  sqlite3 module and plain SQL, registers the same TrueType fonts with bare
  reportlab and draws the rows' text on as many A4 pages as the app's log
  has (no shaping, no tables, one pass);
* in process: reading the month (``safety_log_content``) against the same
  rows in plain SQL, and drawing the log (``build_safety_log``, warm)
  against that bare reportlab drawing.

Each ratio says what the application adds. Processes are timed after one
untimed run (bytecode cached under ``bench/out/pycache``, as an installed
app has it). Budget, median of the runs from the command line: <= 1 s. The
exit code is 1 if it is over budget or the rows read disagree with the raw
SQL.
"""

from __future__ import annotations

import argparse
import io
import json
import sqlite3
import statistics
import sys
from collections.abc import Sequence
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bench import OUT_DIR, benchmark, pdf_pages, run_child, show, sized, times
from bench.bare_pdf import draw_rows
from bench.bench_search import copy_of_search_database

DEFAULT_FILE = sized("safety")
BUDGET_S = 1.0
ROOT = Path(__file__).resolve().parent.parent

# The rows the safety log reads, as plain SQL. :lo/:hi are the month's China
# days as UTC text, :noon the China noon after its last day (a night round
# after midnight counts for the night before), :since the start of the first
# week or month ending in it, :first/:last its days, :y/:m the month.
RAW_QUERIES: dict[str, str] = {
    "station": "SELECT * FROM station WHERE id = :s",
    "templates": "SELECT * FROM safety_template WHERE station_id = :s",
    "fonts setting": """SELECT value FROM setting WHERE station_id = :s
        AND key = 'printing.extra_fonts'""",
    "checks": """SELECT * FROM safety_check WHERE station_id = :s
        AND checked_at >= :lo AND checked_at < :noon ORDER BY checked_at, id""",
    "checks' users": """SELECT id, display_name, username FROM user_account WHERE id IN
        (SELECT recorded_by_id FROM safety_check WHERE station_id = :s
         AND checked_at >= :lo AND checked_at < :noon)""",
    "signed months": """SELECT year, month FROM safety_log_signoff
        WHERE station_id = :s AND year = :y""",
    "missed: first check": "SELECT min(checked_at) FROM safety_check WHERE station_id = :s",
    "missed: periods' checks": """SELECT kind, checked_at FROM safety_check WHERE station_id = :s
        AND checked_at >= :since AND checked_at < :noon""",
    "hazards": """SELECT * FROM hazard WHERE station_id = :s
        AND ((found_on >= :first AND found_on <= :last)
          OR (closed_on >= :first AND closed_on <= :last)
          OR (found_on <= :last AND (closed_on IS NULL OR closed_on > :last)))
        ORDER BY found_on, id""",
    "incidents": """SELECT * FROM incident WHERE station_id = :s
        AND occurred_at >= :lo AND occurred_at < :hi ORDER BY occurred_at, id""",
    "incidents' persons": """SELECT id, name_zh, name_bo, code_name FROM person WHERE id IN
        (SELECT person_id FROM incident WHERE station_id = :s
         AND occurred_at >= :lo AND occurred_at < :hi)""",
    "visitors": """SELECT * FROM visitor WHERE station_id = :s
        AND arrived_at >= :lo AND arrived_at < :hi ORDER BY arrived_at, id""",
    "visitors' persons": """SELECT id, name_zh, name_bo, code_name FROM person WHERE id IN
        (SELECT visited_person_id FROM visitor WHERE station_id = :s
         AND arrived_at >= :lo AND arrived_at < :hi)""",
    "sign-off": """SELECT so.*, u.display_name, u.username FROM safety_log_signoff so
        LEFT JOIN user_account u ON u.id = so.signed_by_id
        WHERE so.station_id = :s AND so.year = :y AND so.month = :m""",
    "amendments": """SELECT a.*, u.display_name, u.username FROM safety_amendment a
        LEFT JOIN user_account u ON u.id = a.changed_by_id
        WHERE a.station_id = :s AND a.year = :y AND a.month = :m ORDER BY a.changed_at, a.id""",
}

# The end-to-end baseline: a process of its own, so that its clock includes
# start-up as the command's does. Reads the rows, draws their text with bare
# reportlab on ``pages`` A4 pages (rows spread evenly), writes the PDF.
BARE_CHILD = r"""
import json, sqlite3, sys
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from bench.bare_pdf import draw_rows

path, params, queries, pages, out = sys.argv[1:6]
params, queries, pages = json.loads(params), json.loads(queries), int(pages)
with sqlite3.connect(path) as conn:
    rows = [r for sql in queries for r in conn.execute(sql, params).fetchall()]
fonts = json.loads(sys.argv[6])
for n, font in enumerate(fonts):
    pdfmetrics.registerFont(TTFont(f"F{n}", font))
draw_rows(out, rows, [f"F{n}" for n in range(len(fonts))], pages)
print(len(rows))
"""


def _utc_text(moment: datetime) -> str:
    """An aware moment as stored (UTC, SQLite text)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _params(station: int, year: int, month: int) -> dict[str, Any]:
    from station_app.services.safety.common import NIGHT_TURNS_AT_HOUR, local_instant, month_days

    first, last = month_days(year, month)
    since = min(first - timedelta(days=6), first)
    return {
        "s": station,
        "y": year,
        "m": month,
        "first": first.isoformat(),
        "last": last.isoformat(),
        "lo": _utc_text(local_instant(first)),
        "hi": _utc_text(local_instant(last + timedelta(days=1))),
        "noon": _utc_text(local_instant(last + timedelta(days=1), NIGHT_TURNS_AT_HOUR)),
        "since": _utc_text(local_instant(since)),
    }


def _raw(path: Path, params: dict[str, Any]) -> dict[str, int]:
    """Every row the safety log reads, with plain SQL; rows per query."""
    with closing(sqlite3.connect(path)) as conn:
        return {
            name: len(conn.execute(sql, params).fetchall()) for name, sql in RAW_QUERIES.items()
        }


def _bare_pdf(rows: list[tuple[Any, ...]], fonts: list[str], pages: int) -> bytes:
    """The rows' text drawn with bare reportlab on ``pages`` pages (fonts registered)."""
    buffer = io.BytesIO()
    draw_rows(buffer, rows, [f"BareF{n}" for n in range(len(fonts))], pages)
    return buffer.getvalue()


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _ratio(name: str, app: list[float], base: list[float]) -> None:
    print(f"{name:40s} {statistics.median(app) / statistics.median(base):.1f}x")


@benchmark("safety", "monthly safety log of a month, from the command line (200k persons)")
def run(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench safety", description=__doc__)
    parser.add_argument("--file", type=Path, default=None, help="SQLite file to read")
    parser.add_argument("--fresh", action="store_true", help="copy the source again")
    parser.add_argument("--month", default=None, metavar="YYYY-MM", help="default: last whole")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(list(argv))

    from station_app.db.models import HelpRequest, Station
    from station_app.domain.clock import china_date
    from station_app.printing.documents.safety_log import build_safety_log
    from station_app.printing.fonts import font_chain
    from station_app.services.context import Actor, Context, Database
    from station_app.services.printouts.output import use_station_fonts
    from station_app.services.safety_print import safety_log_content

    path: Path = args.file or DEFAULT_FILE
    if args.file is None:
        copy_of_search_database(path, args.fresh)
    elif not path.exists():
        raise SystemExit(f"{path} does not exist")
    out = OUT_DIR / "safety"
    out.mkdir(parents=True, exist_ok=True)
    with Database.open(f"sqlite:///{path}") as db:
        with db.sessions() as s:
            station = int(s.scalar(select(func.min(HelpRequest.station_id))) or 0)
            code = s.scalar(select(Station.code).where(Station.id == station))
            newest = s.scalar(select(func.max(HelpRequest.arrived_at)))
            if newest is None:
                raise SystemExit(f"{path} holds no help requests: no month to take")
            last = china_date(newest)
        if args.month:
            year, month = (int(x) for x in args.month.split("-"))
        else:  # the last whole month of the demo's records
            before = last.replace(day=1) - timedelta(days=1)
            year, month = before.year, before.month
        ctx = Context(db, Actor.command_line(station))
        content = safety_log_content(ctx, year, month)
        params = _params(station, year, month)
        raw_rows = _raw(path, params)
        agree = raw_rows["incidents"] == len(content.incidents) and raw_rows["visitors"] == len(
            content.visitors
        )
        read_app = times(args.runs, lambda: safety_log_content(ctx, year, month))
        read_raw = times(args.runs, lambda: _raw(path, params))
        use_station_fonts(ctx)
        pdf = io.BytesIO()
        build_safety_log(content, pdf)
        pages = pdf_pages(pdf.getvalue())
        draw_app = times(args.runs, lambda: build_safety_log(content, io.BytesIO()))
        chain = font_chain()
        fonts = [
            str(f.path)
            for f in (chain.chinese, chain.tibetan, chain.latin)
            if f.path.suffix == ".ttf"
        ]

    # the bare drawing in this process: the same fonts, the rows' text, as many pages
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for n, font in enumerate(fonts):
        pdfmetrics.registerFont(TTFont(f"BareF{n}", font))
    with closing(sqlite3.connect(path)) as conn:
        rows = [r for sql in RAW_QUERIES.values() for r in conn.execute(sql, params).fetchall()]
    draw_bare = times(args.runs, lambda: _bare_pdf(rows, fonts, pages))

    month_text = f"{year:04d}-{month:02d}"
    figures = (
        f"{len(content.checks) + len(content.nights)} checks and night lines, "
        f"{len(content.missed)} missed, {len(content.hazards)} hazards, "
        f"{len(content.incidents)} incidents, {len(content.visitors)} visitors, "
        f"{len(content.amendments)} amendments, "
        f"{'signed off' if content.signoff else 'not signed off'}"
    )
    print(f"{path.name}: station {code}; month {month_text}: {figures}; {pages} pages")
    if not (content.checks or content.nights or content.incidents or content.visitors):
        print(f"WARNING: {month_text} holds no safety records: the figures time an empty log")

    log_pdf = out / "safety-log.pdf"
    cli = [
        sys.executable, "-m", "station_app", "--db", f"sqlite:///{path}", "--station", str(code),
        "print", "safety-log", "--month", month_text, "--out", str(log_pdf),
    ]  # fmt: skip
    # one run first, untimed: it fills the bytecode cache (the OS file cache is warm anyway)
    cli_times = times(args.runs, lambda: run_child(cli, "station-app print safety-log"))
    json_params, json_queries = _json(params), _json(list(RAW_QUERIES.values()))
    bare = [
        sys.executable, "-c", BARE_CHILD, str(path), json_params, json_queries, str(pages),
        str(out / "bare.pdf"), _json(fonts),
    ]  # fmt: skip
    bare_times = times(args.runs, lambda: run_child(bare, "the bare baseline"))

    ok = show("print safety-log (command line)", cli_times, BUDGET_S)
    show("baseline: sqlite3 + bare reportlab (proc)", bare_times)
    show("reading: safety_log_content()", read_app)
    show("reading: the same rows, raw SQL", read_raw)
    show(f"drawing: build_safety_log(), {pages} pages", draw_app)
    show(f"drawing: bare reportlab, {pages} pages", draw_bare)
    _ratio("command line / bare process", cli_times, bare_times)
    _ratio("reading / raw SQL", read_app, read_raw)
    _ratio("drawing / bare reportlab", draw_app, draw_bare)
    print(f"the printed log: {log_pdf} ({log_pdf.stat().st_size / 1024:,.0f} KB)")
    print("incidents and visitors agree with the raw rows:", "yes" if agree else "NO")
    return 0 if ok and agree else 1
