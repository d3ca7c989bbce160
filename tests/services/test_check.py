"""`check` tells the truth: SQLite's own checks, the write-ahead log included,
and a message for each outcome that says what to do — advice that works."""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

import pytest

from station_app.cli.main import EXIT_CHECK_FAILED, EXIT_OK, main
from station_app.services import maintenance
from tests.support.station_files import person_names, python, station_file


def _url(path: Path) -> str:
    return f"sqlite:///{path}"


def test_check_counts_the_commits_still_in_the_log_after_a_full_disk(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The header already counts pages that only the -wal holds: the checkpoint
    that was growing the file ran out of disk, and the program was killed."""
    db = station_file(tmp_path / "station.sqlite3", "old")
    size_before = db.stat().st_size
    writer = python(
        """
        import os, sqlite3, sys
        conn = sqlite3.connect(sys.argv[1], isolation_level=None)
        conn.execute("PRAGMA wal_autocheckpoint = 0")
        cols = [r[1] for r in conn.execute("PRAGMA table_info(person)") if r[1] != "id"]
        picked = ["? AS name_zh" if c == "name_zh" else "? AS notes" if c == "notes" else c
                  for c in cols]
        copy = (f"INSERT INTO person ({', '.join(cols)}) "
                f"SELECT {', '.join(picked)} FROM person LIMIT 1")
        conn.execute("BEGIN")
        for i in range(400):
            conn.execute(copy, (f"wal {i}", "x" * 2000))
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")  # header and file grow
        os._exit(0)  # killed: the log stays
        """,
        str(db),
    )
    assert writer.wait(timeout=60) == 0
    assert db.stat().st_size > size_before
    with db.open("r+b") as fh:  # the growth never reached the disk
        fh.truncate(size_before)
    assert Path(f"{db}-wal").stat().st_size > 0

    assert main(["--lang", "en", "--db", _url(db), "check"]) == EXIT_OK
    assert "good order" in capsys.readouterr().out
    names = person_names(db)
    assert len(names) == 401
    assert "wal 399" in names
    assert maintenance.check(_url(db)).ok


def test_check_leaves_a_database_with_a_log_unchanged(tmp_path: Path) -> None:
    db = station_file(tmp_path / "station.sqlite3", "old")
    writer = python(
        """
        import os, sqlite3, sys
        conn = sqlite3.connect(sys.argv[1])
        conn.execute("UPDATE person SET notes = 'in the log'")
        conn.commit()
        os._exit(0)
        """,
        str(db),
    )
    assert writer.wait(timeout=60) == 0
    files = {p: p.read_bytes() for p in (db, Path(f"{db}-wal"))}
    assert maintenance.check(_url(db)).ok
    assert {p: p.read_bytes() for p in files} == files


def _garble(path: Path) -> None:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 20000] = os.urandom(20000)
    path.write_bytes(bytes(data))


def test_the_advice_for_a_damaged_database_works(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = station_file(tmp_path / "station.sqlite3", *(f"p{i}" for i in range(300)))
    backup = tmp_path / "station-backup.sqlite3"
    assert main(["--lang", "en", "--db", _url(db), "backup", "--out", str(backup)]) == EXIT_OK
    _garble(db)
    capsys.readouterr()

    assert main(["--lang", "en", "--db", _url(db), "check"]) == EXIT_CHECK_FAILED
    err = capsys.readouterr().err
    assert "damaged" in err
    advice = re.search(r"`station-app (restore) FILE`", err)
    assert advice is not None, err
    assert "station-app check" in err

    # Do what it says, with the backup as FILE.
    assert main(["--lang", "en", "--db", _url(db), advice.group(1), str(backup)]) == EXIT_OK
    assert main(["--lang", "en", "--db", _url(db), "check"]) == EXIT_OK
    assert len(person_names(db)) == 300


def test_a_foreign_database_is_named_as_such_with_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL)")
    conn.close()
    assert main(["--lang", "en", "--db", _url(other), "check"]) == EXIT_CHECK_FAILED
    err = capsys.readouterr().err
    assert "do not belong to the station application" in err
    assert "Check that you chose the right file" in err


def test_a_newer_database_says_to_install_the_newer_version(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = station_file(tmp_path / "station.sqlite3")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.close()
    assert main(["--lang", "en", "--db", _url(db), "check"]) == EXIT_CHECK_FAILED
    err = capsys.readouterr().err
    assert "newer version of the application (9999)" in err
    assert "Install that version or a newer one" in err
