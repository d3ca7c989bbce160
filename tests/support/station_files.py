"""Small SQLite station databases on disk, and other processes that use them,
for the check, backup and restore tests."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from sqlalchemy import select

from station_app.db.models import Person
from station_app.services import persons
from station_app.services.context import Context, Database
from station_app.services.stations import StationSetup, create_station

ROOT = Path(__file__).resolve().parents[2]


def station_file(path: Path, *names: str) -> Path:
    """A station database at ``path`` holding persons named ``names``."""
    db = Database.open(f"sqlite:///{path}")
    try:
        ctx = create_station(
            db,
            StationSetup(code="513322", name_zh="泸定县救助管理站", admin_password="admin-pass-1"),
        )
        add_persons(ctx, *names)
    finally:
        db.close()
    return path


def add_persons(ctx: Context, *names: str) -> None:
    for name in names:
        persons.create_person(ctx, persons.PersonInput(name_zh=name))


def person_names(path: Path) -> list[str]:
    """The persons' names in the database, opened as the application opens it."""
    with Database.open(f"sqlite:///{path}") as db, db.sessions() as s:
        return sorted(s.scalars(select(Person.name_zh)))


def python(code: str, *args: str, **kwargs: object) -> subprocess.Popen[str]:
    """Another process running ``code`` (with ``sys.argv[1:] == args``)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-c", textwrap.dedent(code), *args],
        cwd=ROOT,
        env=env,
        text=True,
        **kwargs,
    )


# A second process that opens the database as the application does, says
# "ready", writes the names it is given, and closes the database when told.
HOLDER = """
    import sys
    from station_app.services.context import Actor, Context, Database
    from station_app.services import persons
    db = Database.open(f"sqlite:///{sys.argv[1]}")
    ctx = Context(db, Actor.command_line(station_id=1))
    for name in sys.argv[2:]:
        persons.create_person(ctx, persons.PersonInput(name_zh=name))
    print("ready", flush=True)
    sys.stdin.readline()
    db.close()
"""


def start_holder(path: Path, *names: str) -> subprocess.Popen[str]:
    proc = python(HOLDER, str(path), *names, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.strip() == "ready", line
    return proc


def stop_holder(proc: subprocess.Popen[str]) -> None:
    assert proc.stdin is not None
    assert proc.stdout is not None
    proc.stdin.write("\n")
    proc.stdin.close()
    assert proc.wait(timeout=60) == 0
    proc.stdout.close()
