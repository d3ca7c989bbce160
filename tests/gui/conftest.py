"""Fixtures shared by the GUI tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from station_app.gui import save_dialog, window_sizes
from station_app.gui.language import save_language
from station_app.i18n import set_language


@pytest.fixture(autouse=True)
def _no_folder_saved_to(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's save dialogs start as a new session's do, not where
    another test saved last."""
    monkeypatch.setattr(save_dialog, "_last_folder", None)


@pytest.fixture(autouse=True)
def _chinese_after_each_test() -> Iterator[None]:
    """Every test starts and ends in Chinese, the default, also for the saved choice."""
    set_language("zh_CN")
    save_language("zh_CN")
    yield
    set_language("zh_CN")
    save_language("zh_CN")
    # Nobody stays signed in for the window sizes of the next test's windows.
    window_sizes.sign_out()
