"""The wheel carries ui/, resources/ and i18n/, and the installed app finds them
when run from a folder far from the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--disable-pip-version-check",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("station_app-*.whl")
    return found


def test_wheel_contains_forms_resources_and_compiled_catalogs(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in (
        "station_app/_data/resources/default_settings.json",
        "station_app/_data/resources/icons/station-app.svg",
        "station_app/_data/i18n/zh_CN/LC_MESSAGES/messages.mo",
        "station_app/_data/i18n/bo/LC_MESSAGES/messages.mo",
        "station_app/_data/i18n/en/LC_MESSAGES/messages.mo",
        "station_app/db/migrations/versions/0001_first_schema.py",
        "station_app/db/migrations/script.py.mako",
        "station_app/domain/data/unihan_readings.tsv.gz",
        "station_app/domain/data/LICENSE-Unicode.txt",
    ):
        assert required in names, required
    assert any(n.startswith("station_app/_data/ui/") and n.endswith(".ui") for n in names)
    assert any(
        n.startswith("station_app/_data/resources/fonts/") and n.endswith(".ttf") for n in names
    )
    entry_points = (
        zipfile.ZipFile(wheel)
        .read(next(n for n in names if n.endswith("entry_points.txt")))
        .decode()
    )
    assert "station-app = station_app.cli.entry:main" in entry_points


def test_installed_app_runs_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--disable-pip-version-check",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "STATION_APP_HOME": str(tmp_path / "home")}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *args], cwd=work, env=env, capture_output=True, text=True, check=False
        )

    where = run(
        "-c",
        "import station_app, station_app.paths as p; "
        "print(station_app.__file__); print(p.data_root())",
    )
    assert where.returncode == 0, where.stderr
    module_file, data_root = where.stdout.split()
    assert module_file.startswith(str(site))
    assert data_root.startswith(str(site))

    demo = run(
        "-m",
        "station_app",
        "--lang",
        "en",
        "--db",
        "sqlite:///s.db",
        "demo",
        "--persons",
        "30",
        "--years",
        "1",
        "--seed",
        "7",
    )
    assert demo.returncode == 0, demo.stderr
    check = run("-m", "station_app", "--lang", "en", "--db", "sqlite:///s.db", "check")
    assert check.returncode == 0, check.stderr
    assert (work / "s.db").exists()
    zh = run("-m", "station_app", "--lang", "zh_CN", "--db", "sqlite:///s.db", "check")
    assert "良好" in zh.stdout or "完好" in zh.stdout or "正常" in zh.stdout, zh.stdout
