"""The larger screen copy of the Tibetan font is made once and kept: later
starts read it instead of making it again before the first window."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from station_app import paths
from station_app.gui import fonts
from station_app.gui.sfnt_scaling import scaled_font
from tests.support import gui_session

pytestmark = pytest.mark.gui

home = gui_session.home

SOURCE = paths.fonts_dir() / "DDC_Uchen.ttf"


def kept_copies(home: Path) -> list[Path]:
    return sorted((home / "cache").glob("tibetan-screen-*.ttf"))


def test_the_screen_copy_is_made_once_and_kept_for_the_next_start(
    qtbot: QtBot, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert fonts._screen_copy(SOURCE) == [fonts.TIBETAN_FAMILY]
    (kept,) = kept_copies(home)
    if os.name == "posix":
        assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    made = scaled_font(
        SOURCE.read_bytes(), fonts.TIBETAN_GLYPH_SCALE, fonts.TIBETAN_FAMILY, fonts.TIBETAN_BLOCK
    )
    assert kept.read_bytes() == made

    def not_again(*_args: object) -> bytes:
        raise AssertionError("the screen copy was made again")

    monkeypatch.setattr(fonts, "scaled_font", not_again)
    assert fonts._screen_copy(SOURCE) == [fonts.TIBETAN_FAMILY]  # the next start reads it


def test_a_kept_copy_that_cannot_be_read_is_made_again(qtbot: QtBot, home: Path) -> None:
    fonts._screen_copy(SOURCE)
    (kept,) = kept_copies(home)
    good = kept.read_bytes()
    kept.write_bytes(b"not a font at all" * 100)  # a disk error, a half-written copy

    assert fonts._screen_copy(SOURCE) == [fonts.TIBETAN_FAMILY]
    assert kept.read_bytes() == good


def test_without_a_cache_folder_the_copy_is_made_at_each_start(
    qtbot: QtBot, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_folder() -> Path:
        raise PermissionError("read-only profile")

    monkeypatch.setattr(paths, "cache_dir", no_folder)
    assert fonts._screen_copy(SOURCE) == [fonts.TIBETAN_FAMILY]
    assert kept_copies(home) == []
