"""The Today page shown in a window of its own, its first read done."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from station_app.gui.today_page import TodayPage
from station_app.services.context import Context
from tests.support.gui import TIMEOUT


def open_today(
    qtbot: QtBot,
    context: Context,
    size: tuple[int, int] = (1100, 760),
    window: QWidget | None = None,
) -> TodayPage:
    """Today in ``window`` (a new one by default) at ``size``, once it has read
    the station (the page starts reading as it is made)."""
    if window is None:
        window = QWidget()
        qtbot.addWidget(window)
    page = TodayPage(context, window)
    qtbot.waitUntil(lambda: page.view is not None, timeout=TIMEOUT)
    window.resize(*size)
    page.page.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    return page
