"""Automatic backups: once a day, at exit and before every upgrade, rotating,
checked after writing; the folder chosen on this computer, with the default
folder when it is missing; a manager's backups and restore.

The user data folder (default backup folder, this computer's settings) is a
fresh temp dir per test.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from station_app.db.models import Person
from station_app.domain.enums import Role
from station_app.domain.errors import PermissionDenied
from station_app.services import maintenance, persons
from station_app.services.backups import automatic, folder
from station_app.services.backups.automatic import (
    FOLDER_NOT_AVAILABLE,
    NOT_VERIFIED,
    UPGRADE_NOT_BACKED_UP,
    BackupNotVerified,
)
from station_app.services.backups.files import (
    BackupKind,
    BackupName,
    parse_name,
    rotation_keeps,
    to_delete,
)
from station_app.services.context import Actor, Context, Database
from station_app.services.stations import create_station
from tests.support.stations import kangding_setup

DATA = Path(__file__).resolve().parents[1] / "data"
MORNING = datetime(2026, 12, 6, 9, 12, 0)  # a Sunday


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This computer's user data folder: the default backup folder and the settings."""
    path = tmp_path / "home"
    path.mkdir()
    monkeypatch.setenv("STATION_APP_HOME", str(path))
    return path


@pytest.fixture
def station(tmp_path: Path) -> Iterator[Context]:
    db = Database.open(f"sqlite:///{tmp_path / 'station.sqlite3'}")
    ctx = create_station(db, kangding_setup())
    persons.create_person(ctx, persons.PersonInput(name_zh="格桑"))
    yield ctx
    db.close()


def as_role(ctx: Context, role: Role) -> Context:
    return Context(ctx.db, Actor(ctx.station_id, role, role.value))


def files(where: Path, pattern: str = "*.sqlite3") -> list[str]:
    return sorted(p.name for p in where.glob(pattern))


def count_persons(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM person").fetchone()[0])
    finally:
        conn.close()


# ====================================================================== rotation


def test_rotation_keeps_7_days_4_weeks_and_12_months() -> None:
    # two automatic backups a day (start and exit) for more than a year
    first = date(2025, 10, 1)
    stamps = [
        datetime.combine(first + timedelta(days=n), datetime.min.time()) + timedelta(hours=h)
        for n in range((date(2026, 12, 6) - first).days + 1)
        for h in (9, 18)
    ]
    stamps = [s for s in stamps if s <= datetime(2026, 12, 6, 9, 0)]  # today: the start only

    kept = rotation_keeps(stamps, date(2026, 12, 6))

    evening = [datetime(2026, 11, d, 18) for d in (15, 22, 29, 30)]  # weeks, then a day
    days = [datetime(2026, 12, 6, 9)] + [datetime(2026, 12, d, 18) for d in range(1, 6)]
    months = [
        datetime(2026, m, d, 18)
        for m, d in (
            (1, 31),
            (2, 28),
            (3, 31),
            (4, 30),
            (5, 31),
            (6, 30),
            (7, 31),
            (8, 31),
            (9, 30),
            (10, 31),
        )
    ]
    assert kept == set(evening + days + months)
    assert len(kept) == 20


def test_rotation_keeps_the_newest_of_a_week_or_month_with_gaps_and_a_future_one() -> None:
    today = date(2026, 12, 6)
    stamps = [
        datetime(2026, 12, 6, 8),
        datetime(2026, 12, 6, 17),  # newest of today: the 8 o'clock one goes
        datetime(2026, 11, 18, 10),  # 3 weeks ago, alone in its week: kept
        datetime(2026, 11, 17, 10),  # same week, older: not the newest of week or month
        datetime(2025, 12, 31, 10),  # 12 months ago is December 2025: not kept any more
        datetime(2026, 1, 2, 10),  # January 2026, 11 months ago: kept
        datetime(2027, 1, 1, 10),  # after today (a clock set wrong): never removed
    ]
    assert rotation_keeps(stamps, today) == {
        datetime(2026, 12, 6, 17),
        datetime(2026, 11, 18, 10),
        datetime(2026, 1, 2, 10),
        datetime(2027, 1, 1, 10),
    }


def test_names_say_kind_and_time_and_only_automatic_and_old_upgrade_copies_rotate(
    tmp_path: Path,
) -> None:
    auto = BackupName("station", BackupKind.AUTOMATIC, MORNING)
    upgrade = BackupName("station", BackupKind.PRE_UPGRADE, MORNING, "0004")
    assert auto.file_name == "station-auto-20261206-091200.sqlite3"
    assert upgrade.file_name == "station-pre-upgrade-0004-20261206-091200.sqlite3"
    assert parse_name(upgrade.file_name) == upgrade
    assert parse_name("my-station-auto-20261206-091200.sqlite3") == BackupName(
        "my-station", BackupKind.AUTOMATIC, MORNING
    )
    # what `station-app backup` writes by itself is a manual backup
    assert parse_name("station-20261206-091200.sqlite3") == BackupName(
        "station", BackupKind.MANUAL, MORNING
    )
    assert parse_name("station-before-restore-20261206-091200.sqlite3") == BackupName(
        "station", BackupKind.BEFORE_RESTORE, MORNING
    )
    assert parse_name("station-damaged-20261206-091200") is None
    assert parse_name("notes.txt") is None

    old = [
        (tmp_path / BackupName("station", kind, MORNING - timedelta(days=400 + n)).file_name)
        for n, kind in enumerate([BackupKind.MANUAL, BackupKind.AUTOMATIC])
    ]
    upgrades = [
        tmp_path
        / BackupName(
            "station", BackupKind.PRE_UPGRADE, MORNING - timedelta(days=n), f"000{n}"
        ).file_name
        for n in range(1, 6)
    ]
    items = [(p, parse_name(p.name)) for p in old + upgrades]
    doomed = to_delete([(p, n) for p, n in items if n is not None], MORNING.date())
    # the manual one stays however old; the oldest two of five upgrade copies go
    assert sorted(p.name for p in doomed) == sorted(
        [old[1].name, upgrades[3].name, upgrades[4].name]
    )


# ====================================================================== automatic


def test_the_daily_backup_is_written_once_a_day_checked_and_owner_only(
    station: Context, home: Path
) -> None:
    backups = home / "backups"

    first = automatic.daily_backup(station.db, MORNING)
    assert first.written is not None
    assert first.notice is None
    assert first.written.path.parent == backups
    assert files(backups) == ["station-auto-20261206-091200.sqlite3"]
    assert maintenance.check(f"sqlite:///{first.written.path}").ok
    assert count_persons(first.written.path) == 1
    assert stat.S_IMODE(first.written.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(backups.stat().st_mode) == 0o700

    # a second start the same day: no second backup
    again = automatic.daily_backup(station.db, MORNING + timedelta(hours=3))
    assert again.written is None
    assert files(backups) == ["station-auto-20261206-091200.sqlite3"]

    # the next day: one more
    tomorrow = automatic.daily_backup(station.db, MORNING + timedelta(days=1))
    assert tomorrow.written is not None
    assert len(files(backups)) == 2

    listing = automatic.list_backups(station)
    assert [b.kind for b in listing.backups] == [BackupKind.AUTOMATIC] * 2
    assert all(b.verified and b.size > 0 for b in listing.backups)
    assert listing.backups[0].taken == MORNING + timedelta(days=1)


def test_the_exit_backup_is_written_and_rotation_keeps_the_newest_of_the_day(
    station: Context, home: Path
) -> None:
    backups = home / "backups"
    automatic.daily_backup(station.db, MORNING)
    persons.create_person(station, persons.PersonInput(name_zh="卓玛"))

    outcome = automatic.exit_backup(station.db, MORNING + timedelta(hours=8))

    assert outcome.written is not None
    assert files(backups) == ["station-auto-20261206-171200.sqlite3"]  # the morning one rotated
    assert [p.name for p in outcome.removed] == ["station-auto-20261206-091200.sqlite3"]
    assert count_persons(backups / "station-auto-20261206-171200.sqlite3") == 2


def test_a_missing_backup_folder_is_reported_and_the_backup_goes_to_the_default_folder(
    station: Context, home: Path, tmp_path: Path
) -> None:
    usb = tmp_path / "usb" / "backups"
    usb.mkdir(parents=True)
    automatic.set_backup_folder(station, usb)
    assert stat.S_IMODE(folder.settings_path().stat().st_mode) == 0o600
    written = automatic.daily_backup(station.db, MORNING)
    assert written.written is not None
    assert written.written.path.parent == usb

    shutil.rmtree(tmp_path / "usb")  # the disk is not plugged in the next day
    outcome = automatic.daily_backup(station.db, MORNING + timedelta(days=1))

    assert outcome.notice is not None
    assert outcome.notice.message == FOLDER_NOT_AVAILABLE
    assert outcome.notice.params["folder"] == str(usb)
    assert outcome.written is not None
    assert outcome.written.path.parent == home / "backups"
    # a later start the same day says it again, and writes no second backup
    later = automatic.daily_backup(station.db, MORNING + timedelta(days=1, hours=2))
    assert later.written is None
    assert later.notice is not None
    assert later.notice.message == FOLDER_NOT_AVAILABLE
    listing = automatic.list_backups(station)
    assert not listing.folder_available
    assert [b.path.parent for b in listing.backups] == [home / "backups"]


def test_a_copy_that_fails_its_check_is_removed_and_reported(
    station: Context, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_backup = maintenance.backup

    def bad_disk(url: object, out: Path | None = None) -> Path:
        written = real_backup(url, out)  # type: ignore[arg-type]
        with written.open("r+b") as f:  # the disk garbles the middle of the copy
            f.seek(4096)
            f.write(os.urandom(8192))
        return written

    monkeypatch.setattr(maintenance, "backup", bad_disk)

    outcome = automatic.daily_backup(station.db, MORNING)

    assert outcome.written is None
    assert outcome.notice is not None
    assert outcome.notice.message == NOT_VERIFIED
    assert "station-auto-20261206-091200.sqlite3" in outcome.notice.render(lambda s: s)
    assert files(home / "backups") == []
    assert automatic.list_backups(station).backups == ()
    with pytest.raises(BackupNotVerified):
        automatic.backup_now(station)
    assert files(home / "backups") == []


@pytest.mark.parametrize("revision", ["0001", "0004"])
def test_an_older_database_is_backed_up_before_its_upgrade(
    tmp_path: Path, home: Path, revision: str
) -> None:
    path = tmp_path / "station.sqlite3"
    shutil.copy(DATA / f"schema_{revision}.sqlite3", path)
    backups = home / "backups"
    backups.mkdir(parents=True, exist_ok=True)
    for n in range(3):  # three earlier upgrade backups: only the last 3 are kept
        old = BackupName(
            "station", BackupKind.PRE_UPGRADE, MORNING - timedelta(days=30 * (n + 1)), "0000"
        )
        shutil.copy(DATA / f"schema_{revision}.sqlite3", backups / old.file_name)

    Database.open(f"sqlite:///{path}").close()

    made = [n for n in files(backups) if n.startswith(f"station-pre-upgrade-{revision}-")]
    assert len(made) == 1
    copy = backups / made[0]
    conn = sqlite3.connect(copy)
    try:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone()[0] == revision
    finally:
        conn.close()
    kept = files(backups, "station-pre-upgrade-*")
    assert len(kept) == 3
    assert made[0] in kept
    assert made[0] in automatic._verified_names(backups)


def test_the_command_line_upgrade_backs_up_first(tmp_path: Path, home: Path) -> None:
    from station_app.cli.main import EXIT_OK, main

    path = tmp_path / "station.sqlite3"
    shutil.copy(DATA / "schema_0003.sqlite3", path)
    assert main(["--lang", "en", "--db", f"sqlite:///{path}", "db", "upgrade"]) == EXIT_OK
    assert len(files(home / "backups", "station-pre-upgrade-0003-*.sqlite3")) == 1


def test_an_upgrade_whose_backup_fails_its_check_does_not_start(
    tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "station.sqlite3"
    shutil.copy(DATA / "schema_0004.sqlite3", path)
    before = path.read_bytes()
    real_backup = maintenance.backup

    def bad_disk(url: object, out: Path | None = None) -> Path:
        written = real_backup(url, out)  # type: ignore[arg-type]
        written.write_bytes(written.read_bytes()[:2048])  # cut short
        return written

    monkeypatch.setattr(maintenance, "backup", bad_disk)
    with pytest.raises(BackupNotVerified) as refused:
        Database.open(f"sqlite:///{path}")
    assert refused.value.message == UPGRADE_NOT_BACKED_UP
    assert path.read_bytes() == before  # not upgraded
    assert files(home / "backups") == []


def test_a_new_database_without_a_station_is_not_backed_up(tmp_path: Path, home: Path) -> None:
    # the first start: nothing to lose, and no copy that "fails" its check
    with Database.open(f"sqlite:///{tmp_path / 'new.sqlite3'}") as db:
        assert automatic.daily_backup(db, MORNING) == automatic.BackupOutcome()
        assert automatic.exit_backup(db, MORNING) == automatic.BackupOutcome()
    assert files(home / "backups") == []


# ====================================================================== the manager's


@pytest.mark.parametrize("role", [Role.DESK, Role.PATROL, Role.PREFECTURE])
def test_only_managers_and_administrators_list_take_and_restore_backups(
    station: Context, role: Role, tmp_path: Path
) -> None:
    manager = as_role(station, Role.MANAGER)
    taken = automatic.backup_now(manager).written
    assert taken is not None
    assert taken.kind is BackupKind.MANUAL
    other = as_role(station, role)
    with pytest.raises(PermissionDenied):
        automatic.list_backups(other)
    with pytest.raises(PermissionDenied):
        automatic.backup_now(other)
    with pytest.raises(PermissionDenied):
        automatic.set_backup_folder(other, tmp_path)
    persons.create_person(station, persons.PersonInput(name_zh="卓玛"))
    with pytest.raises(PermissionDenied):
        automatic.restore_backup(other, taken.path)
    # nothing was restored and the database is still open for its users
    with station.read() as s:
        assert s.scalar(select(func.count()).select_from(Person)) == 2


def test_a_manager_restores_a_backup_and_the_current_database_is_saved_first(
    tmp_path: Path, home: Path
) -> None:
    path = tmp_path / "station.sqlite3"
    db = Database.open(f"sqlite:///{path}")
    ctx = as_role(create_station(db, kangding_setup()), Role.MANAGER)
    taken = automatic.backup_now(ctx).written
    assert taken is not None
    persons.create_person(ctx, persons.PersonInput(name_zh="卓玛"))

    saved = automatic.restore_backup(ctx, taken.path)

    assert count_persons(path) == 0
    assert saved is not None
    assert count_persons(saved) == 1
    with Database.open(f"sqlite:///{path}") as reopened, reopened.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Person)) == 0


def test_a_folder_that_cannot_be_written_is_refused(station: Context, tmp_path: Path) -> None:
    from station_app.domain.errors import UserError

    with pytest.raises(UserError) as refused:
        automatic.set_backup_folder(station, tmp_path / "not-there")
    assert refused.value.message == automatic.FOLDER_NOT_USABLE
    assert folder.chosen_folder() is None
    # the default folder again
    automatic.set_backup_folder(station, tmp_path)
    assert folder.chosen_folder() == tmp_path
    automatic.set_backup_folder(station, None)
    assert folder.chosen_folder() is None


def test_the_newest_good_backup_skips_a_damaged_one(station: Context, home: Path) -> None:
    good = automatic.daily_backup(station.db, MORNING).written
    damaged = automatic.exit_backup(station.db, MORNING + timedelta(days=1)).written
    assert good is not None
    assert damaged is not None
    damaged.path.write_bytes(damaged.path.read_bytes()[:3000])

    url = station.db.url.render_as_string(hide_password=False)
    found = automatic.newest_good_backup(url)

    assert found is not None
    assert found.path == good.path


@pytest.mark.pg
def test_a_postgresql_database_gets_no_backup_files(pg_url: str, home: Path) -> None:
    with Database.open(pg_url) as db:
        ctx = create_station(db, kangding_setup())
        assert automatic.daily_backup(db) == automatic.BackupOutcome()
        assert automatic.exit_backup(db) == automatic.BackupOutcome()
        listing = automatic.list_backups(ctx)
        assert not listing.file_backups
        assert listing.backups == ()
        assert automatic.newest_good_backup(pg_url) is None
    assert not (home / "backups").exists() or files(home / "backups") == []
