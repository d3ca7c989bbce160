"""Every file the product writes about people is readable by its owner only
(0600, folders 0700) on Linux: the data folder, the database and its WAL,
backups, patrol drafts, printed PDFs, exports, the log and this computer's
settings. Windows keeps its per-user folder's ACL (nothing to test here)."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from station_app import paths
from station_app.services import persons
from station_app.services.backups import automatic as backups
from station_app.services.context import Context, Database
from station_app.services.printouts import print_test_page
from station_app.services.stations import create_station
from tests.support.stations import kangding_setup

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


def mode(path: Path) -> str:
    return oct(stat.S_IMODE(path.stat().st_mode))


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("STATION_APP_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """The usual desktop umask (022), whatever the test runner's."""
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.fixture
def station(home: Path) -> Iterator[Context]:
    db = Database.open(f"sqlite:///{paths.default_database_path()}")
    ctx = create_station(db, kangding_setup())
    persons.create_person(ctx, persons.PersonInput(name_zh="扎西", notes="糖尿病"))
    yield ctx
    db.close()


def test_the_data_folder_is_owner_only(home: Path) -> None:
    assert mode(paths.user_data_dir()) == "0o700"
    assert mode(paths.backups_dir()) == "0o700"


def test_a_data_folder_made_by_an_older_release_is_narrowed(home: Path) -> None:
    home.mkdir(mode=0o755)
    home.chmod(0o755)
    assert mode(paths.user_data_dir()) == "0o700"


def test_the_database_and_its_wal_are_owner_only(station: Context) -> None:
    db_file = paths.default_database_path()
    wal = db_file.with_name(db_file.name + "-wal")
    shm = db_file.with_name(db_file.name + "-shm")
    assert wal.exists()  # open, in WAL mode
    assert shm.exists()
    assert {mode(p) for p in (db_file, wal, shm)} == {"0o600"}


def test_a_database_made_by_an_older_release_is_narrowed(home: Path) -> None:
    db_file = paths.default_database_path()
    Database.open(f"sqlite:///{db_file}").close()
    db_file.chmod(0o644)
    db = Database.open(f"sqlite:///{db_file}")
    try:
        assert mode(db_file) == "0o600"
    finally:
        db.close()


def test_backups_and_this_computers_settings_are_owner_only(
    station: Context, tmp_path: Path
) -> None:
    outcome = backups.backup_now(station)
    assert outcome.written is not None
    assert mode(outcome.written.path) == "0o600"
    assert mode(outcome.written.path.parent) == "0o700"
    elsewhere = tmp_path / "usb"
    elsewhere.mkdir()
    backups.set_backup_folder(station, elsewhere)
    assert mode(paths.user_data_dir() / "computer-settings.json") == "0o600"


def test_a_printed_pdf_is_owner_only(station: Context, tmp_path: Path) -> None:
    out = tmp_path / "page.pdf"
    print_test_page(station, ["test"], out)
    assert mode(out) == "0o600"


def test_a_patrol_draft_is_owner_only(home: Path) -> None:
    from station_app.gui.patrol.drafts import DraftStore

    store = DraftStore(1, "dorje")
    store.save({"encounters": [{"health": "咳嗽发热"}]})
    assert mode(store.path) == "0o600"
    assert mode(store.directory) == "0o700"


def test_exports_are_owner_only(station: Context, tmp_path: Path) -> None:
    from datetime import date

    from station_app.services import supplies

    out = supplies.export_xlsx(station, date(2026, 1, 1), date(2026, 1, 31), tmp_path / "s.xlsx")
    assert mode(out) == "0o600"
