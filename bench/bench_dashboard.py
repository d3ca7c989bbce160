"""The manager's dashboard on the 200k-person, 10-year station: its first
paint, in a fresh process, against a bare Qt window in a fresh process.

Each run is a new process (``QT_QPA_PLATFORM=offscreen``, ``STATION_APP_HOME``
a temporary folder) that starts the application as ``bench gui`` does, types
the demo manager's name and password into the login dialog and clicks the
button. A manager's main window opens on the dashboard
(``gui/manager/dashboard_page.py``): its figures are read off the GUI thread
(``services/dashboard.py``), then drawn. The run ends at the first paint of
the dashboard's chart after its figures arrived (``DashboardPage.loaded``,
then a paint event of the chart's viewport). Two figures:

* login click to dashboard painted: what the manager waits for, judged
  against the budget, median <= 1 s;
* start to dashboard painted: interpreter start (measured around the launch)
  plus everything in the child, against the baseline, a bare Qt window
  (``QMainWindow`` with a label, of the main window's size) shown and
  painted in a fresh process; the ratio is printed.

The dashboard shows the twelve months up to "today". The demo's records end
on its last day, so by default the child pins China's today
(``station_app.domain.clock.china_today``) to the China day of the last
arrival, as if the station were in use; ``--today real`` keeps the clock,
``--today YYYY-MM-DD`` another day. The service's own time (``dashboard()``,
warm, in this process) is printed too.

Uses ``bench/out/search-200k.sqlite3`` (made by ``python -m bench search``,
made here if missing), ``--file`` another database. Each run logs in once: one
audit entry is added to that file. Processes are timed after one untimed run
each (bytecode cached under ``bench/out/pycache``, as an installed app has it).
The exit code is 1 if the median is over budget or a run fails.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bench import benchmark, bytecode_env, show
from bench.bench_gui import DEFAULT_FILE, QT_WAIT, _ensure_database

BUDGET_S = 1.0
DEADLINE_S = 120.0  # a step that takes longer than this is a hang, not a figure
ROOT = Path(__file__).resolve().parent.parent

# What both children share: a clock started before any import, and waiting in
# Qt's event loop for a condition (checked on a signal and every millisecond).
COMMON = (
    r"""
import time
T0 = time.perf_counter()
WALL0 = time.time()
import json, os, sys

deadline_s = 120.0  # the app's child reads its own from the command line
"""
    + QT_WAIT
    + r"""

def paints(widget):
    # perf_counter() of each paint event ``widget`` receives
    from PySide6.QtCore import QEvent, QObject

    class Watch(QObject):
        times = []

        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint:
                self.times.append(time.perf_counter())
            return False

    watch = Watch(widget)
    widget.installEventFilter(watch)
    return watch.times
"""
)

APP_CHILD = (
    COMMON
    + r"""
db_url, user, password, day, deadline_s = sys.argv[1:6]
deadline_s = float(deadline_s)
if day:  # the day the dashboard is for: China's today, pinned before anything binds it
    from datetime import date
    import station_app.domain.clock as clock

    pinned = date.fromisoformat(day)
    clock.china_today = lambda: pinned
marks = {}

from station_app.gui.app import start_gui
from station_app.gui.launch import application

app = application()
marks["qapplication_s"] = time.perf_counter() - T0
session = start_gui(db_url)
wait_until(
    "the login dialog",
    lambda: session.login is not None or session.first_start is not None
)
login = session.login
if login is None:
    fail("no login dialog: the database has no station")
marks["login_dialog_s"] = time.perf_counter() - T0
login.username_edit.setText(user)
login.password_edit.setText(password)
t_click = time.perf_counter()
marks["click_s"] = t_click - T0
login.login_button.click()  # the password is checked off the GUI thread
wait_until(
    "the password check",
    lambda: session.main_window is not None or login.error_label.isVisible()
)
if session.main_window is None:
    fail("login failed: " + login.error_label.text())
window = session.main_window
marks["main_window_s"] = time.perf_counter() - T0
page = window.area_pages.get("dashboardContainer")
if page is None or window.pages.currentWidget().objectName() != "dashboardContainer":
    fail("the main window did not open on the dashboard: is the user a manager?")
painted = paints(page.people_chart.view.viewport())
wait_until("the dashboard's figures", lambda: page.view is not None, page.loaded)
t_loaded = time.perf_counter()
marks["dashboard_data_s"] = t_loaded - T0
wait_until("the dashboard's paint", lambda: any(t >= t_loaded for t in painted))
marks["painted_s"] = min(t for t in painted if t >= t_loaded) - T0
view = page.view
size = window.window.size()
print(json.dumps({
    "wall0": WALL0,
    "marks": marks,
    "size": [size.width(), size.height()],
    "day": view.day.isoformat(),
    "months": [m.month.isoformat()[:7] for m in view.months[:1] + view.months[-1:]],
    "arrivals": sum(m.person_times for m in view.months),
    "rows": [len(view.low_stock), len(view.overdue_hazards), len(view.over_limit),
             len(view.missed_checks)],
}))
sys.stdout.flush()
session.close()
os._exit(0)
"""
)

BARE_CHILD = (
    COMMON
    + r"""
width, height = int(sys.argv[1]), int(sys.argv[2])
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

app = QApplication(sys.argv[:1])
marks = {"qapplication_s": time.perf_counter() - T0}
window = QMainWindow()
label = QLabel("A bare window", window)
window.setCentralWidget(label)
window.resize(width, height)
painted = paints(label)
window.show()
wait_until("the bare window's paint", lambda: bool(painted))
marks["painted_s"] = painted[0] - T0
import resource
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
print(json.dumps({"wall0": WALL0, "marks": marks, "peak_rss_mb": peak_mb}))
sys.stdout.flush()
os._exit(0)
"""
)


def _child(script: str, args: list[str]) -> dict[str, Any]:
    env = bytecode_env()
    env["QT_QPA_PLATFORM"] = "offscreen"
    with tempfile.TemporaryDirectory(prefix="bench-dashboard-") as home:
        env["STATION_APP_HOME"] = home
        wall_launch = time.time()
        proc = subprocess.run(
            [sys.executable, "-c", script, *args],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=DEADLINE_S * 4,
        )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(
            f"the child exited with {proc.returncode} and no figures:\n{proc.stderr[-3000:]}"
        )
    result: dict[str, Any] = json.loads(lines[-1])
    if "error" in result:
        raise RuntimeError(f"{result['error']}\n{proc.stderr[-3000:]}")
    result["interpreter_s"] = result["wall0"] - wall_launch
    result["start_s"] = result["interpreter_s"] + result["marks"]["painted_s"]
    return result


def bare_window(width: str, height: str) -> dict[str, Any]:
    """The baseline of the GUI benchmarks: a bare PySide6 window's start to
    paint and peak memory, in a fresh process."""
    return _child(BARE_CHILD, [width, height])


def _demo_day(path: Path) -> tuple[date, int, int | None]:
    """China day of the last arrival, the station, and the manager's account id."""
    from station_app.db.models import HelpRequest, User
    from station_app.domain.clock import china_date
    from station_app.domain.enums import Role
    from station_app.services.context import Database

    with Database.open(f"sqlite:///{path}") as db, db.sessions() as s:
        station = int(s.scalar(select(func.min(HelpRequest.station_id))) or 0)
        newest = s.scalar(select(func.max(HelpRequest.arrived_at)))
        if newest is None:
            raise SystemExit(f"{path} holds no help requests: no day to show")
        last = china_date(newest)
        manager = s.scalar(
            select(func.min(User.id)).where(User.station_id == station, User.role == Role.MANAGER)
        )
    return last, station, manager


def _service_times(
    path: Path, station: int, user_id: int | None, day: date | None, runs: int
) -> list[float]:
    """``dashboard()`` as the manager, warm, in this process."""
    from station_app.domain.enums import Role
    from station_app.services import dashboard
    from station_app.services.context import Actor, Context, Database

    with Database.open(f"sqlite:///{path}") as db:
        ctx = Context(db, Actor(station, Role.MANAGER, "manager", user_id))
        dashboard.dashboard(ctx, today=day)
        out = []
        for _ in range(max(1, runs)):
            t0 = time.perf_counter()
            dashboard.dashboard(ctx, today=day)
            out.append(time.perf_counter() - t0)
    return out


@benchmark("dashboard", "the manager's dashboard: first paint after login, against a bare window")
def run(argv: Sequence[str]) -> int:
    from station_app.services.demo import DEMO_USERS

    parser = argparse.ArgumentParser(prog="python -m bench dashboard", description=__doc__)
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--today", default="demo", help="demo (default), real, or YYYY-MM-DD: the dashboard's day"
    )
    parser.add_argument("--user", default=None, help="a manager's user name (default: the demo's)")
    parser.add_argument("--password", default=None)
    args = parser.parse_args(list(argv))

    _ensure_database(args.file)
    manager = next(u for u in DEMO_USERS if u[0] == "manager")
    user = args.user or manager[0]
    password = args.password or manager[3]
    last, station, user_id = _demo_day(args.file)
    day: date | None
    if args.today == "demo":
        day = last
    elif args.today == "real":
        day = None
    else:
        day = date.fromisoformat(args.today)
    url = f"sqlite:///{args.file.resolve()}"
    size_mb = args.file.stat().st_size / 1024 / 1024
    print(
        f"{args.file.name} ({size_mb:,.0f} MB), user {user!r}, dashboard day "
        f"{day.isoformat() if day else 'today (real clock)'}; {args.runs} fresh processes each"
        " after one untimed, offscreen\n"
    )
    app_args = [url, user, password, day.isoformat() if day else "", str(DEADLINE_S)]
    runs: list[dict[str, Any]] = []
    bare: list[dict[str, Any]] = []
    print(
        f"{'run':>3} {'interp s':>8} {'QApp s':>7} {'login s':>7} {'window s':>8} "
        f"{'data s':>7} {'painted s':>9} {'click→paint s':>13} {'start s':>7} {'bare s':>7}"
    )
    try:
        first = _child(APP_CHILD, app_args)  # untimed: fills the bytecode cache
        size = [str(v) for v in first["size"]]
        bare_window(*size)
        for i in range(1, args.runs + 1):
            r = _child(APP_CHILD, app_args)
            b = bare_window(*size)
            m = r["marks"]
            r["click_to_paint_s"] = m["painted_s"] - m["click_s"]
            print(
                f"{i:>3} {r['interpreter_s']:>8.3f} {m['qapplication_s']:>7.3f} "
                f"{m['login_dialog_s']:>7.3f} {m['main_window_s']:>8.3f} "
                f"{m['dashboard_data_s']:>7.3f} {m['painted_s']:>9.3f} "
                f"{r['click_to_paint_s']:>13.3f} {r['start_s']:>7.3f} {b['start_s']:>7.3f}",
                flush=True,
            )
            runs.append(r)
            bare.append(b)
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        print(f"a run failed: {exc}")
        return 1
    last_run = runs[-1]
    print(
        f"\n(columns: since the child's first line — imports and QApplication; login dialog shown; "
        f"main window shown after the click; the dashboard's figures arrived; its chart painted; "
        f"start = interpreter + painted; bare = a bare window's start to paint)\n"
        f"dashboard of {last_run['day']}: months {' to '.join(last_run['months'])}, "
        f"{last_run['arrivals']:,} arrivals; rows low stock / overdue hazards / over the limit "
        f"/ missed checks: {' / '.join(str(n) for n in last_run['rows'])}; "
        f"window {'x'.join(size)}\n"
    )
    ok = show("login click to dashboard painted", [r["click_to_paint_s"] for r in runs], BUDGET_S)
    app_start = [r["start_s"] for r in runs]
    bare_start = [b["start_s"] for b in bare]
    show("start to dashboard painted", app_start)
    show("baseline: bare Qt window, start to paint", bare_start)
    print(
        f"{'start to dashboard / bare window':40s} "
        f"{statistics.median(app_start) / statistics.median(bare_start):.1f}x"
    )
    show("dashboard() in process (warm)", _service_times(args.file, station, user_id, day, 5))
    return 0 if ok else 1
