"""`make test-package`: the one-folder bundle, run as a station's PC runs it.

Copies the bundle (``dist/station-app``, made by ``make package``) to a
temporary folder outside the repository and runs it there with a data folder
of its own (``STATION_APP_HOME``) and the offscreen Qt platform:

1. its version is pyproject's;
2. it makes the demo station, prints an intake form and a card sheet (its
   messages in English, Tibetan and Chinese), whose text (pdftotext) holds
   the form's Chinese and Tibetan titles;
3. it writes the review workbook of the Tibetan texts (catalogs and glossary
   in the bundle);
4. it opens a database of every schema saved in ``tests/data`` (a station
   updating from any earlier release): backed up, then upgraded;
5. a database from a newer release is refused with the application's
   message, and not changed by a byte;
6. portable mode: with ``portable.txt`` beside the program its data go to
   ``data/`` beside it, and none to the user's folder;
7. it starts in Tibetan and in English and shows the main window;
8. it starts, logs in as the demo administrator and shows the main window
   with its first page (``gui --check``), and quits cleanly, five times:
   the start to the login window beside a bare PySide6 window's start
   (QApplication + QMainWindow, first paint) in the same rounds, and its ratio
   (goal <= 2.5x); the bundle's size.

Exit status 0 when every check held; the start ratio is a figure, reported
beside its goal, not a check (the machine's load moves it).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

TOP = Path(__file__).resolve().parent.parent
START_RATIO_GOAL = 2.5
RUNS = 5
DEMO_ADMIN = ("admin", "admin123")  # the demo station's administrator (README)
FORM_TEXTS = ("求助登记表", "རོགས་རམ་ཞུ་བའི་ཐོ་འགོད་རེའུ་མིག")
CARD_TEXTS = ("24小时求助电话", "རོགས་རམ་ཞུ་ཡུལ་ཁ་པར།")
NEWER_REFUSED = "newer version of the application"

# A bare PySide6 window: the same interpreter start, Qt and a first paint.
BARE = r"""
import json, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

class Paint(QObject):
    at = None
    def eventFilter(self, obj, event):
        if self.at is None and event.type() == QEvent.Type.Paint:
            Paint.at = time.time()
            QTimer.singleShot(0, app.quit)
        return False

app = QApplication(sys.argv[:1])
paint = Paint()
app.installEventFilter(paint)
window = QMainWindow()
window.resize(800, 600)
window.show()
app.exec()
print(json.dumps({"window_at": Paint.at}))
"""


class Failed(Exception):
    pass


def version() -> str:
    with open(TOP / "pyproject.toml", "rb") as f:
        return str(tomllib.load(f)["project"]["version"])


def size_mb(folder: Path) -> float:
    return (
        sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
        / 1024
        / 1024
    )


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Bundle:
    def __init__(self, program: Path, home: Path) -> None:
        self.program = program
        self.home = home

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("STATION_", "PYTHON"))}
        env.update(QT_QPA_PLATFORM="offscreen", STATION_APP_HOME=str(self.home), **extra)
        env.pop("QT_QPA_PLATFORM_PLUGIN_PATH", None)
        return env

    def run(
        self, *args: str, stdin: str | None = None, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.program), *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=env or self.env(),
            cwd=self.program.parent.parent,
            timeout=300,
            check=False,
        )

    def ok(self, *args: str, stdin: str | None = None) -> str:
        done = self.run(*args, stdin=stdin)
        if done.returncode != 0:
            raise Failed(
                f"`station-app {' '.join(args)}` exited {done.returncode}:\n"
                f"{done.stdout}\n{done.stderr}"
            )
        return done.stdout


def stored_revision(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    finally:
        conn.close()


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def check_version(bundle: Bundle) -> None:
    said = bundle.ok("--version").split()
    if said[-1] != version():
        raise Failed(f"the bundle says version {said[-1]}, pyproject {version()}")
    print(f"version: {said[-1]} (pyproject's)")


def check_printing(bundle: Bundle, work: Path) -> None:
    bundle.ok("--lang", "en", "demo", "--persons", "40", "--years", "1", "--seed", "3")
    form, cards = work / "intake.pdf", work / "cards.pdf"
    # each in another screen language: the CLDR data of all three are bundled
    bundle.ok("--lang", "bo", "print", "intake", "--request", "1", "--out", str(form))
    bundle.ok("--lang", "zh_CN", "print", "cards", "--out", str(cards))
    for pdf, texts in ((form, FORM_TEXTS), (cards, CARD_TEXTS)):
        text = pdf_text(pdf)
        missing = [t for t in texts if t not in text]
        if missing:
            raise Failed(f"{pdf.name}: the text {missing} is not in the printed PDF")
        if pdf.stat().st_mode & 0o077:
            raise Failed(f"{pdf.name} is readable by others: {oct(pdf.stat().st_mode)}")
    print(f"demo station made; intake form and card sheet printed, their text found: {FORM_TEXTS}")


def check_translations(bundle: Bundle, work: Path) -> None:
    """The review workbook, made from the catalogs and glossary the bundle carries."""
    from openpyxl import load_workbook

    out = work / "review.xlsx"
    bundle.ok("--lang", "en", "translations", "export", "--out", str(out))
    wb = load_workbook(out, read_only=True)
    texts = wb["Texts"].max_row - 1
    terms = wb["Glossary"].max_row - 1
    if texts < 1000 or terms < 100:
        raise Failed(f"the review workbook holds {texts} texts and {terms} terms")
    said = bundle.ok("--lang", "en", "translations", "status")
    if "texts verified" not in said:
        raise Failed(f"translations status said: {said}")
    print(f"translations: a review workbook of {texts} texts and {terms} glossary terms")


def check_upgrades(bundle: Bundle, work: Path) -> None:
    saved = sorted((TOP / "tests" / "data").glob("schema_*.sqlite3"))
    if not saved:
        raise Failed("no saved schemas in tests/data")
    backups = bundle.home / "backups"
    for source in saved:
        copy = work / "upgrade" / source.name
        copy.parent.mkdir(exist_ok=True)
        shutil.copy2(source, copy)
        before = set(backups.glob("*.sqlite3")) if backups.is_dir() else set()
        url = f"sqlite:///{copy}"
        older = stored_revision(copy)
        bundle.ok("--lang", "en", "--db", url, "db", "upgrade")
        made = (set(backups.glob("*.sqlite3")) if backups.is_dir() else set()) - before
        if stored_revision(copy) != older and not made:
            raise Failed(f"{source.name}: upgraded without a backup of the older schema")
        bundle.ok("--lang", "en", "--db", url, "check")
    print(f"databases of {len(saved)} saved schemas: backed up, upgraded and checked")
    # a newer release's database: refused, untouched
    newer = work / "upgrade" / "newer.sqlite3"
    shutil.copy2(work / "upgrade" / saved[-1].name, newer)
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_a_newer_release'")
    conn.close()
    before = digest(newer)
    refused = bundle.run("--lang", "en", "--db", f"sqlite:///{newer}", "check")
    if refused.returncode == 0 or NEWER_REFUSED not in refused.stdout + refused.stderr:
        raise Failed(f"a newer database was not refused:\n{refused.stdout}\n{refused.stderr}")
    if digest(newer) != before:
        raise Failed("the newer database was changed")
    print("a newer release's database: refused with the application's message, unchanged")


def check_portable(bundle: Bundle, work: Path) -> None:
    folder = bundle.program.parent
    marker = folder / "portable.txt"
    marker.write_text("", encoding="utf-8")
    home = work / "portable-home"  # where the user's data would go: must stay empty
    env = bundle.env(HOME=str(home), XDG_DATA_HOME=str(home / ".local" / "share"))
    env.pop("STATION_APP_HOME")
    try:
        done = bundle.run("--lang", "en", "demo", "--persons", "10", "--years", "1", env=env)
        if done.returncode != 0:
            raise Failed(f"portable demo exited {done.returncode}: {done.stderr}")
        data = folder / "data" / "station.sqlite3"
        if not data.is_file():
            raise Failed("portable mode: no database beside the program")
        left = [p for p in home.rglob("*") if p.is_file()] if home.exists() else []
        if any("station" in str(p) for p in left):
            raise Failed(f"portable mode wrote to the user's folder: {left}")
    finally:
        marker.unlink()
        shutil.rmtree(folder / "data", ignore_errors=True)
    print("portable mode: the station beside the program, nothing in the user's folder")


def check_start(bundle: Bundle, runs: int) -> tuple[float, float, float]:
    """Median start to the login window, to the usable main window, and the
    bare window's start, in seconds; each a fresh process."""
    login: list[float] = []
    usable: list[float] = []
    bare: list[float] = []
    for _ in range(runs):
        started = time.time()
        done = bundle.run("gui", "--check", DEMO_ADMIN[0], stdin=DEMO_ADMIN[1] + "\n")
        if done.returncode != 0:
            raise Failed(f"gui --check exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
        moments = json.loads(done.stdout.strip().splitlines()[-1])
        login.append(moments["login_window_at"] - started)
        usable.append(moments["usable_at"] - started)
        started = time.time()
        plain = subprocess.run(
            [sys.executable, "-c", BARE],
            capture_output=True,
            text=True,
            env=bundle.env(),
            check=True,
            timeout=120,
        )
        bare.append(json.loads(plain.stdout)["window_at"] - started)
    return statistics.median(login), statistics.median(usable), statistics.median(bare)


def check_languages(bundle: Bundle) -> None:
    """The main window in Tibetan and in English too (fonts, catalogs, Qt's texts)."""
    for language in ("bo", "en"):
        done = bundle.run(
            "--lang", language, "gui", "--check", DEMO_ADMIN[0], stdin=DEMO_ADMIN[1] + "\n"
        )
        if done.returncode != 0:
            raise Failed(f"gui --check in {language} exited {done.returncode}: {done.stdout}")
    print("main window in Tibetan and in English: shown, logged in, closed")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundle", type=Path, nargs="?", default=TOP / "dist" / "station-app")
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args()
    if not (args.bundle / "station-app").is_file():
        print(f"no bundle at {args.bundle}: run `make package` first", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="station-app-package-") as tmp:
        work = Path(tmp)
        copy = work / "station-app"
        shutil.copytree(args.bundle, copy, symlinks=True)
        bundle = Bundle(copy / "station-app", work / "home")
        try:
            check_version(bundle)
            check_printing(bundle, work)
            check_translations(bundle, work)
            check_upgrades(bundle, work)
            check_portable(bundle, work)
            check_languages(bundle)
            login, usable, bare = check_start(bundle, args.runs)
        except Failed as failed:
            print(f"FAILED: {failed}", file=sys.stderr)
            return 1
        ratio = login / bare
        print(
            f"start (median of {args.runs}): login window {login:.2f} s, main window usable "
            f"{usable:.2f} s; bare PySide6 window {bare:.2f} s; login window / bare "
            f"{ratio:.1f}x (goal <= {START_RATIO_GOAL:g}x: "
            f"{'met' if ratio <= START_RATIO_GOAL else 'NOT met'})"
        )
        print(f"bundle size: {size_mb(args.bundle):.0f} MB ({args.bundle})")
        print("the bundle works: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
