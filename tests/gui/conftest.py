"""Fixtures shared by the GUI tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from station_app.gui import window_sizes
from station_app.gui.language import save_language
from station_app.i18n import set_language


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
