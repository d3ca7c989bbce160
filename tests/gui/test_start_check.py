"""``station-app gui --check USER``: an installation checked by a script (the
bundle's ``make test-package``, the Debian package's test, a station's IT):
the real start, the login window, the password typed, the main window with
its first page, then a clean end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from station_app.domain.enums import Role
from station_app.gui.start_check import CheckFailed, check_start
from tests.support import gui_session
from tests.support.gui import settle
from tests.support.gui_session import build_station, sqlite_url
from tests.support.stations import ADMIN_PASSWORD

pytestmark = pytest.mark.gui

home = gui_session.home

DESK = ("dawa", "达瓦", Role.DESK, "desk-pass-1")
REPO = Path(__file__).resolve().parents[2]
CHECK = ("gui", "--check", "admin")


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    return build_station(tmp_path / "station.sqlite3", [DESK])


def test_the_check_logs_in_and_reaches_the_first_page_in_order(
    qtbot: QtBot, home: Path, db_file: Path
) -> None:
    moments = check_start(sqlite_url(db_file), "dawa", "desk-pass-1")
    settle(qtbot)
    assert moments["first_page"] == "todayContainer"  # a desk clerk's first page
    login_at, open_at, usable_at = (
        float(moments[k])  # type: ignore[arg-type]
        for k in ("login_window_at", "station_open_at", "usable_at")
    )
    assert login_at <= usable_at
    assert open_at <= usable_at


def test_a_wrong_password_fails_the_check_with_the_login_windows_words(
    qtbot: QtBot, home: Path, db_file: Path
) -> None:
    with pytest.raises(CheckFailed, match=r"the login was refused: .+"):
        check_start(sqlite_url(db_file), "dawa", "not-her-password", deadline_s=30)
    settle(qtbot)


@pytest.mark.slow
def test_the_command_reads_the_password_from_standard_input_and_prints_json(
    tmp_path: Path, db_file: Path
) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "STATION_APP_HOME": str(tmp_path)}

    def check(password: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "station_app", "--db", sqlite_url(db_file), *CHECK],
            input=password + "\n",
            capture_output=True,
            text=True,
            env=env,
            cwd=REPO,
            timeout=120,
            check=False,
        )

    done = check(ADMIN_PASSWORD)
    assert done.returncode == 0, done.stderr
    said = json.loads(done.stdout)
    assert said["first_page"] == "dashboardContainer"  # the administrator's
    assert ADMIN_PASSWORD not in done.stdout + done.stderr
    refused = check("wrong")
    assert refused.returncode == 3
    assert "error" in json.loads(refused.stdout)
