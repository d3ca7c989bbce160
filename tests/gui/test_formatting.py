"""Dates, times and numbers on screen, one way per screen language.

Chinese ``2026年12月5日 14:53``, English ``5 Dec 2026, 14:53`` (never the US
``12/5/26, 2:53 PM``), Tibetan ``2026 ལོའི་ཟླ་12 ཚེས་5 14:53``; on the Tibetan
screen Latin digits unless Tibetan digits are chosen in the language menu,
a choice applied to dates and counts together, live, and kept across a restart.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import QDate, QDateTime, QSettings, Qt, QTime
from PySide6.QtWidgets import QDateEdit, QDateTimeEdit, QLabel, QMainWindow, QMenu
from pytestqt.qtbot import QtBot

from station_app import paths
from station_app.gui import formatting, language, uiloader
from station_app.gui.formatting import day_text, moment_text, number_text
from station_app.gui.models.today_models import ResidentModel
from station_app.gui.today_page import COUNTS_TEXT, TodayPage
from station_app.i18n import _, set_language
from tests.gui.test_today_page import context, page, station_file  # noqa: F401 (fixtures)

pytestmark = pytest.mark.gui

MOMENT = datetime(2026, 12, 5, 6, 53, tzinfo=UTC)  # 14:53 China time
DAY = date(2026, 12, 5)
TIBETAN_DIGIT = re.compile("[༠-༩]")
LATIN_DIGIT = re.compile("[0-9]")
US_SHORT = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2}\b|\b[AP]M\b")


@pytest.fixture(autouse=True)
def _latin_digits() -> Iterator[None]:
    """Every test starts and ends with Latin digits, also for the saved choice."""
    language.choose_tibetan_digits(False)
    yield
    language.choose_tibetan_digits(False)


# ---------------------------------------------------------------- the formats


@pytest.mark.parametrize(
    ("code", "moment", "day", "count"),
    [
        ("zh_CN", "2026年12月5日 14:53", "2026年12月5日", "12,345"),
        ("en", "5 Dec 2026, 14:53", "5 Dec 2026", "12,345"),
        ("bo", "2026 ལོའི་ཟླ་12 ཚེས་5 14:53", "2026 ལོའི་ཟླ་12 ཚེས་5", "12,345"),
    ],
)
def test_each_language_has_one_date_time_and_number_format(
    code: str, moment: str, day: str, count: str
) -> None:
    set_language(code)
    assert moment_text(MOMENT) == moment
    assert formatting.china_text(MOMENT) == moment
    assert day_text(DAY) == day
    assert number_text(12345) == count
    assert formatting.clock_text(MOMENT) == "14:53"  # 24-hour clock, China time


def test_english_never_shows_us_short_dates_or_a_12_hour_clock() -> None:
    set_language("en")
    for text in (moment_text(MOMENT), day_text(DAY), day_text(DAY, weekday=True)):
        assert not US_SHORT.search(text), text
    assert day_text(DAY, weekday=True) == "Saturday, 5 Dec 2026"


def test_tibetan_digits_are_a_choice_and_never_mixed_with_latin_ones() -> None:
    set_language("bo")
    # CLDR's own Tibetan month abbreviation carries Tibetan digits (ཟླ་༡༢):
    # with Latin digits chosen, none is left.
    assert not TIBETAN_DIGIT.search(day_text(DAY, weekday=True))
    language.choose_tibetan_digits(True)
    assert moment_text(MOMENT) == "༢༠༢༦ ལོའི་ཟླ་༡༢ ཚེས་༥ ༡༤:༥༣"
    assert number_text(12345) == "༡༢,༣༤༥"
    assert not LATIN_DIGIT.search(day_text(DAY, weekday=True))
    # the other screen languages keep Latin digits
    set_language("zh_CN")
    assert moment_text(MOMENT) == "2026年12月5日 14:53"


def test_the_digit_choice_is_saved_next_to_the_language_and_read_at_the_next_start() -> None:
    assert not language.saved_tibetan_digits()  # Latin at first, as on government forms
    language.choose_tibetan_digits(True)
    ini = QSettings(str(paths.user_data_dir() / "desktop.ini"), QSettings.Format.IniFormat)
    assert ini.value("tibetanDigits") in (True, "true")
    # a restart: the module forgets, the saved file is read again
    formatting.set_tibetan_digits(False)
    language.install()
    set_language("bo")
    assert formatting.tibetan_digits_on()
    assert number_text(7) == "༧"


# ---------------------------------------------------------------- Today, live


def _residents_arrivals(page: TodayPage) -> list[str]:  # noqa: F811 (fixture name)
    proxy = page.residents_proxy
    return [str(proxy.index(row, 4).data()) for row in range(proxy.rowCount())]


def test_today_shows_its_date_line_table_dates_and_counts_in_the_screen_language(
    page: TodayPage,  # noqa: F811 (fixture)
) -> None:
    view = page.view
    assert view is not None
    residents = sorted(view.residents, key=lambda r: r.arrived_at)

    assert page.date_label.text() == day_text(view.day, weekday=True)
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日 星期.", page.date_label.text())
    assert set(_residents_arrivals(page)) == {moment_text(r.arrived_at) for r in residents}

    set_language("en")
    assert not any(US_SHORT.search(text) for text in _residents_arrivals(page))
    assert re.fullmatch(r"\w+day, \d{1,2} \w{3} \d{4}", page.date_label.text())
    assert page.date_label.text() == view.day.strftime("%A, ") + day_text(view.day)

    # sorting by arrival follows the moment, not the text
    proxy = page.residents_proxy
    proxy.sort(4, Qt.SortOrder.AscendingOrder)
    assert _residents_arrivals(page) == [moment_text(r.arrived_at) for r in residents]


def test_switching_tibetan_digits_changes_dates_and_counts_together_at_once(
    page: TodayPage,  # noqa: F811 (fixture)
) -> None:
    set_language("bo")
    date_line, arrivals, counts = (
        page.date_label.text(),
        _residents_arrivals(page),
        page.counts_label.text(),
    )
    for text in (date_line, counts, *arrivals):
        assert LATIN_DIGIT.search(text), text
        assert not TIBETAN_DIGIT.search(text), text

    language.choose_tibetan_digits(True)  # what the menu's check box does

    assert page.date_label.text() != date_line
    for text in (page.date_label.text(), page.counts_label.text(), *_residents_arrivals(page)):
        assert TIBETAN_DIGIT.search(text), text
        assert not LATIN_DIGIT.search(text), text
    assert page.counts_label.text() == _(COUNTS_TEXT).format(residents="༥", free="༣")
    model = page.residents_model
    days = [
        model.index(row, ResidentModel.CLOCK_COLUMN - 1).data() for row in range(model.rowCount())
    ]
    assert days == [number_text(r.days_in_station) for r in model.rows]
    assert all(TIBETAN_DIGIT.search(text) for text in days)

    language.choose_tibetan_digits(False)
    assert page.date_label.text() == date_line
    assert page.counts_label.text() == counts


def _ink_height(text: str) -> int:
    label = QLabel(text)
    label.adjustSize()
    image = label.grab().toImage()
    rows = [
        y
        for y in range(image.height())
        if any(image.pixelColor(x, y).lightness() < 128 for x in range(image.width()))
    ]
    assert rows, text
    return rows[-1] - rows[0] + 1


def test_tibetan_digits_are_as_large_as_latin_ones_at_the_normal_font_size(qtbot: QtBot) -> None:
    set_language("bo")
    latin = _ink_height(number_text(2026) + " " + number_text(1234567890))
    language.choose_tibetan_digits(True)
    tibetan = _ink_height(number_text(2026) + " " + number_text(1234567890))
    assert tibetan >= 0.85 * latin, (tibetan, latin)


# ---------------------------------------------------------------- date edits


def test_date_edits_show_the_language_format_and_still_take_typed_digits(
    qtbot: QtBot,
) -> None:
    form = uiloader.load_ui("hotline_page.ui")
    qtbot.addWidget(form)
    day_edit = uiloader.child(form, QDateEdit, "fromEdit")
    day_edit.setDate(QDate(2026, 12, 5))
    incident = uiloader.load_ui("safety_incident.ui")
    qtbot.addWidget(incident)
    time_edit = uiloader.child(incident, QDateTimeEdit, "occurredAtEdit")
    time_edit.setDateTime(QDateTime(QDate(2026, 12, 5), QTime(14, 53)))

    assert day_edit.text() == "2026年12月05日"
    assert time_edit.text() == "2026年12月05日 14:53"
    set_language("bo")
    assert day_edit.text() == "2026 ལོའི་ཟླ་12 ཚེས་05"
    assert time_edit.text() == "2026 ལོའི་ཟླ་12 ཚེས་05 14:53"
    set_language("en")
    assert day_edit.text() == "2026-12-05"  # numeric fields; no US order
    assert time_edit.text() == "2026-12-05 14:53"
    assert time_edit.date() == QDate(2026, 12, 5)  # a switch keeps the value

    set_language("zh_CN")
    form.show()
    qtbot.waitExposed(form)
    day_edit.setFocus()
    day_edit.setSelectedSection(QDateEdit.Section.YearSection)
    qtbot.keyClicks(day_edit, "20250317")
    assert day_edit.date() == QDate(2025, 3, 17)
    assert day_edit.text() == "2025年03月17日"


# ---------------------------------------------------------------- the menu


def test_the_language_menu_has_a_tibetan_digits_check_box(qtbot: QtBot) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    menu = QMenu(window)
    action = language.digits_action(window)
    menu.addAction(action)
    set_language("bo")
    assert action.isCheckable()
    assert not action.isChecked()
    assert TIBETAN_DIGIT.search(action.text())  # named in Tibetan, with its digits

    action.trigger()

    assert action.isChecked()
    assert formatting.tibetan_digits_on()
    assert language.saved_tibetan_digits()
    assert number_text(5) == "༥"
    action.trigger()
    assert number_text(5) == "5"
    assert not language.saved_tibetan_digits()
