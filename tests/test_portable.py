"""Portable mode: a bundle with ``portable.txt`` beside its program keeps its
data in ``data/`` beside it (a copy on a USB stick carries its station), and
says so in the main window's title; without the file, or when run from
Python, the data stay in the user's folder."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from station_app import paths


@pytest.fixture
def bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A bundled program's folder (sys.frozen, as PyInstaller sets it), and a
    user's data folder of its own."""
    folder = tmp_path / "stick" / "station-app"
    folder.mkdir(parents=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(folder / "station-app"))
    monkeypatch.delenv("STATION_APP_HOME", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "user-data"))
    return folder


def test_a_bundle_without_the_marker_keeps_its_data_in_the_users_folder(bundle: Path) -> None:
    assert not paths.is_portable()
    data = paths.user_data_dir()
    assert not data.is_relative_to(bundle)
    assert data.is_relative_to(bundle.parent.parent / "user-data")


def test_the_marker_beside_the_program_puts_the_data_beside_it(bundle: Path) -> None:
    (bundle / paths.PORTABLE_MARKER).write_text("", encoding="utf-8")
    assert paths.is_portable()
    assert paths.user_data_dir() == bundle / "data"
    assert paths.default_database_path() == bundle / "data" / "station.sqlite3"
    assert paths.backups_dir() == bundle / "data" / "backups"
    assert not (bundle.parent.parent / "user-data").exists()  # nothing left on the PC


def test_a_folder_chosen_for_the_run_wins_over_portable_mode(
    bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (bundle / paths.PORTABLE_MARKER).write_text("", encoding="utf-8")
    monkeypatch.setenv("STATION_APP_HOME", str(tmp_path / "chosen"))
    assert not paths.is_portable()
    assert paths.user_data_dir() == tmp_path / "chosen"


def test_run_from_python_the_marker_means_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delattr(sys, "frozen", raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python3"))
    (tmp_path / paths.PORTABLE_MARKER).write_text("", encoding="utf-8")
    assert paths.program_dir() is None
    assert paths.portable_data_dir() is None


def test_the_version_is_pyprojects() -> None:
    import tomllib

    import station_app

    with open(Path(__file__).resolve().parent.parent / "pyproject.toml", "rb") as f:
        assert station_app.__version__ == tomllib.load(f)["project"]["version"]


def test_the_title_bar_of_a_portable_copy_says_where_its_data_are(bundle: Path) -> None:
    from station_app.gui.dialogs import window_title
    from station_app.i18n import DEFAULT_LANGUAGE, set_language

    set_language("en")
    try:
        plain = window_title("Kangding")
        assert plain == "Kangding — Relief Station Records"
        (bundle / paths.PORTABLE_MARKER).write_text("", encoding="utf-8")
        portable = window_title("Kangding")
        assert portable.startswith(plain)
        assert "portable" in portable
        assert str(bundle / "data") in portable
    finally:
        set_language(DEFAULT_LANGUAGE)
