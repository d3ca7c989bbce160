"""The manager's statistics page (issue 11): a month, a quarter, a year or any
days shown beside the same days last year, with the very figures the
statistics services give; the workbook, the re-keying list and the printed
report made from the screen; the prefecture bureau's view of both stations
side by side with their total; roles; what others record shows up.

A two-station demo (Kangding and Luding, two years of activity) is built
once for the module and copied for each test. Real widgets under the
offscreen platform; no fixed waits.
"""

from __future__ import annotations

import shutil
import stat
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QFileDialog, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from station_app.domain.clock import china_today
from station_app.gui import dialogs
from station_app.gui.formatting import day_text
from station_app.gui.main_window import MainWindow
from station_app.gui.manager.statistics_models import FIGURE_ROLE
from station_app.gui.manager.statistics_page import NO_REKEY, ONE_STATION, StatisticsPage
from station_app.gui.manager.statistics_period import PeriodKind, last_month
from station_app.gui.print_preview import PrintPreview
from station_app.i18n import _, bilingual, set_language
from station_app.services import demo, statistics, users
from station_app.services.context import Context, Database
from station_app.services.stations import all_stations
from station_app.services.statistics.tables import ARRIVALS, TIMES_HELPED
from tests.support.desk import arrive, pdf_text
from tests.support.gui import TIMEOUT, click, pick, settle, told

pytestmark = pytest.mark.gui

KANGDING = "513301-demo"
LUDING = "513322-demo"


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("statistics") / "demo.sqlite3"
    with Database.open(f"sqlite:///{path}") as db:
        demo.generate_stations(db, 2, persons=30, years=2, seed=11)
    return path


@pytest.fixture
def db(demo_file: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "station.sqlite3"
    shutil.copy(demo_file, path)
    with Database.open(f"sqlite:///{path}") as database:
        yield database


def _station(db: Database, code: str) -> int:
    return next(s.id for s in all_stations(db) if s.code == code)


@pytest.fixture
def manager(db: Database) -> Context:
    return users.login(db, _station(db, KANGDING), "manager", "manager123")


@pytest.fixture
def prefecture(db: Database) -> Context:
    return users.login(db, _station(db, KANGDING), "prefecture", "prefecture123")


class Pages:
    """Opens the statistics page as a user, in a window of its own, and waits for its figures."""

    def __init__(self, qtbot: QtBot) -> None:
        self.qtbot = qtbot
        self.windows: list[QWidget] = []

    def open(self, ctx: Context) -> StatisticsPage:
        window = QWidget()
        window.setMinimumSize(1100, 760)
        self.qtbot.addWidget(window)
        page = StatisticsPage(ctx, window)
        page.page.resize(1100, 760)
        window.show()
        self.qtbot.waitExposed(window)
        self.windows.append(window)
        self.qtbot.waitUntil(lambda: page.shown is not None, timeout=TIMEOUT)
        return page

    def show(self, page: StatisticsPage) -> None:
        """Click Show and wait for the figures."""
        with self.qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
            click(self.qtbot, page.show_button)


@pytest.fixture
def pages(qtbot: QtBot) -> Iterator[Pages]:
    yield Pages(qtbot)
    settle(qtbot)


def _cells(page: StatisticsPage) -> list[list[str]]:
    model = page.model
    return [
        [str(model.index(r, c).data()) for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def _figures(page: StatisticsPage) -> list[list[object]]:
    grid = page.current_grid
    assert grid is not None
    model = page.model
    return [
        [model.index(r, c).data(FIGURE_ROLE) for c in range(grid.label_columns, len(grid.columns))]
        for r in range(model.rowCount())
    ]


def _assert_shows(page: StatisticsPage, c: statistics.Comparison) -> None:
    """Every table of the page holds the figures of ``c``, written as the report writes them."""
    tables = statistics.report_tables(c)
    assert page.tables_list.count() == len(tables)
    for row, table in enumerate(tables):
        page.tables_list.setCurrentRow(row)
        grid = page.current_grid
        assert grid is not None
        assert grid.key == table.key
        assert page.tables_list.currentItem().text() == _(table.title)
        heads = [
            page.model.headerData(i, Qt.Orientation.Horizontal)
            for i in range(page.model.columnCount())
        ]
        assert heads == [_(h) for h in table.heads]
        assert _figures(page) == [list(r.values) for r in table.rows], table.key
        shown = [cells[table.label_columns :] for cells in _cells(page)]
        assert shown == [[statistics.figure_text(v) for v in r.values] for r in table.rows]


# ---------------------------------------------------------------- periods


def test_a_month_shows_the_figures_of_the_statistics(
    qtbot: QtBot, pages: Pages, manager: Context
) -> None:
    page = pages.open(manager)
    year, month = last_month(china_today())
    first, last = statistics.month_period(year, month)
    assert page.shown == (first, last)  # last month, the one reported, comes first
    assert page.chooser.kind is PeriodKind.MONTH
    ModelTester(qtbot).check(page.model)

    # two months back, chosen as a user does
    back = first - timedelta(days=1)
    pick(page.chooser.kind_combo, PeriodKind.MONTH.value)
    page.chooser.year_spin.setValue(back.year)
    pick(page.chooser.month_combo, back.month)
    assert not page.chooser.from_edit.isVisible()
    pages.show(page)
    start, end = statistics.month_period(back.year, back.month)
    assert page.shown == (start, end)
    c = statistics.compare(manager, start, end)
    assert c.current.shifts > 0  # the demo station worked that month
    assert page.comparison == c
    _assert_shows(page, c)
    label = page.period_label.text()
    for day in (start, end, c.previous.start, c.previous.end):
        assert day_text(day) in label


@pytest.mark.parametrize("kind", [PeriodKind.QUARTER, PeriodKind.YEAR, PeriodKind.DAYS])
def test_a_quarter_a_year_or_any_days(pages: Pages, manager: Context, kind: PeriodKind) -> None:
    page = pages.open(manager)
    year = china_today().year - 1
    if kind is PeriodKind.QUARTER:
        page.choose(kind, year=year, number=3)
        period = (date(year, 7, 1), date(year, 9, 30))
    elif kind is PeriodKind.YEAR:
        page.choose(kind, year=year)
        period = (date(year, 1, 1), date(year, 12, 31))
    else:
        period = (date(year, 2, 20), date(year, 5, 3))
        page.choose(kind, start=period[0], end=period[1])
        assert page.chooser.from_edit.isVisible()
        assert not page.chooser.year_spin.isVisible()
    assert page.period == period
    pages.show(page)
    assert page.shown == period
    c = statistics.compare(manager, *period)
    assert (c.current.start, c.current.end) == period
    _assert_shows(page, c)


def test_a_period_after_today_is_refused_with_what_to_do(
    qtbot: QtBot, pages: Pages, manager: Context
) -> None:
    page = pages.open(manager)
    shown = page.comparison
    tomorrow = china_today() + timedelta(days=1)
    page.choose(PeriodKind.DAYS, start=tomorrow, end=tomorrow + timedelta(days=3))
    with qtbot.waitSignal(page.failed, timeout=TIMEOUT):
        click(qtbot, page.show_button)
    message = told(page)
    assert message.error
    assert tomorrow.isoformat() in message.text
    assert page.comparison is shown  # what was on screen stays
    page.choose(PeriodKind.DAYS, start=date(2026, 3, 1), end=date(2026, 2, 1))
    with qtbot.waitSignal(page.failed, timeout=TIMEOUT):
        click(qtbot, page.show_button)
    assert "2026-02-01" in told(page).text


# ---------------------------------------------------------------- workbook, PDF, re-keying


def test_export_writes_the_workbook_of_the_period_on_screen(
    qtbot: QtBot,
    pages: Pages,
    manager: Context,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    documents = tmp_path / "Documents"
    documents.mkdir()
    monkeypatch.setattr(QStandardPaths, "writableLocation", lambda _where: str(documents))
    page = pages.open(manager)
    target = tmp_path / "statistics"  # the dialog's name without .xlsx: it is added
    asked: list[str] = []

    def save_as(_parent: object, _title: str, name: str, _filter: str) -> tuple[str, str]:
        asked.append(name)
        return str(target), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    with qtbot.waitSignal(page.exported, timeout=TIMEOUT) as done:
        click(qtbot, page.export_button)
    path = target.with_suffix(".xlsx")
    assert done.args == [path]
    start, end = page.shown or (None, None)
    # offered in Documents, as every save is, not in the program's own folder
    assert asked == [str(documents / f"statistics-{start}-{end}.xlsx")]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    message = told(page)
    assert message.information
    assert str(path) in message.text

    c = page.comparison
    assert c is not None
    book = openpyxl.load_workbook(path)
    zh, bo = bilingual(ARRIVALS)
    help_ = {row[0]: row[1:] for row in book["Help"].iter_rows(min_row=2, values_only=True)}
    assert help_[f"{zh} {bo}"] == (c.current.arrivals, c.previous.arrivals)
    zh, bo = bilingual(TIMES_HELPED)
    assert help_[f"{zh} {bo}"] == (c.current.person_times, c.previous.person_times)
    patrols = [row[1:] for row in book["Patrols"].iter_rows(min_row=2, values_only=True)]
    assert patrols[0] == (c.current.shifts, c.previous.shifts)
    book.close()


def test_the_statistics_print_through_the_preview(
    qtbot: QtBot, pages: Pages, manager: Context, tmp_path: Path
) -> None:
    page = pages.open(manager)
    with qtbot.waitSignal(page.preview_opened) as opened:
        click(qtbot, page.preview_button)
    preview = opened.args[0]
    assert isinstance(preview, PrintPreview)
    if preview.pdf_path is None:
        with qtbot.waitSignal(preview.ready, timeout=TIMEOUT):
            pass
    pdf = tmp_path / "statistics.pdf"
    preview.save_to(pdf)
    text = pdf_text(pdf)
    assert "康定市救助管理站" in text
    c = page.comparison
    assert c is not None
    for day in (c.current.start, c.current.end, c.previous.start, c.previous.end):
        assert day.isoformat() in text
    assert bilingual(ARRIVALS)[0] in text
    preview.close()


def test_the_rekey_list_is_written_for_a_manager(
    qtbot: QtBot, pages: Pages, manager: Context, tmp_path: Path
) -> None:
    page = pages.open(manager)
    assert page.rekey_button.isEnabled()
    target = tmp_path / "rekey.xlsx"
    with qtbot.waitSignal(page.exported, timeout=TIMEOUT):
        page.export_rekey(target)
    c = page.comparison
    assert c is not None
    sheet = openpyxl.load_workbook(target)["Help requests"]
    assert sheet.max_row - 1 == c.current.arrivals
    assert str(target) in told(page).text


def test_the_rekey_list_is_closed_to_a_role_that_may_not_see_people(
    pages: Pages, prefecture: Context, db: Database
) -> None:
    """The bureau reads figures, not people: no re-keying list, whichever station."""
    page = pages.open(prefecture)
    assert not page.rekey_button.isEnabled()
    assert page.rekey_button.toolTip() == _(NO_REKEY)
    page.choose_station(_station(db, LUDING))
    assert not page.rekey_button.isEnabled()
    assert page.rekey_button.toolTip() == _(NO_REKEY)
    assert page.preview_button.isEnabled()


# ---------------------------------------------------------------- the prefecture


def test_the_prefecture_sees_both_stations_and_their_total(
    qtbot: QtBot, pages: Pages, prefecture: Context, db: Database, tmp_path: Path
) -> None:
    page = pages.open(prefecture)
    p = page.prefecture
    assert p is not None
    assert [s.code for s in p.stations] == [KANGDING, LUDING]
    combo = page.station_combo
    assert combo.isVisible()
    assert [combo.itemText(i) for i in range(combo.count())][1:] == [
        "康定市救助管理站",
        "泸定县救助管理站",
    ]
    start, end = page.shown or (None, None)
    own = [
        statistics.compare(users.login(db, _station(db, code), "manager", "manager123"), start, end)
        for code in (KANGDING, LUDING)
    ]
    total = statistics.sum_comparisons(own)
    assert p.total == total
    ModelTester(qtbot).check(page.model)

    # every station, then the total, under this period and under last year
    grid = page.show_table("Help")
    heads = [
        page.model.headerData(i, Qt.Orientation.Horizontal) for i in range(page.model.columnCount())
    ]
    this, last = _("This period"), _("Same period last year")
    assert heads[1:] == [
        f"{this}\n康定市救助管理站",
        f"{this}\n泸定县救助管理站",
        f"{this}\n{_('Total')}",
        f"{last}\n康定市救助管理站",
        f"{last}\n泸定县救助管理站",
        f"{last}\n{_('Total')}",
    ]
    arrivals = [row.labels for row in grid.rows].index((ARRIVALS,))
    assert _figures(page)[arrivals] == [
        own[0].current.arrivals,
        own[1].current.arrivals,
        total.current.arrivals,
        own[0].previous.arrivals,
        own[1].previous.arrivals,
        total.previous.arrivals,
    ]
    assert total.current.arrivals == own[0].current.arrivals + own[1].current.arrivals
    help_figures = _figures(page)
    page.show_table("Decisions")  # the median recomputed from both stations' cases
    assert _figures(page)[1][2] == total.current.decision_median_hours

    # the side by side is not printed (one station's report is), but written
    assert not page.preview_button.isEnabled()
    assert page.preview_button.toolTip() == _(ONE_STATION)
    target = tmp_path / "prefecture.xlsx"
    with qtbot.waitSignal(page.exported, timeout=TIMEOUT):
        page.export(target)
    book = openpyxl.load_workbook(target)
    zh, bo = bilingual(ARRIVALS)
    rows = {r[0]: list(r[1:]) for r in book["Help"].iter_rows(min_row=3, values_only=True)}
    assert rows[f"{zh} {bo}"] == help_figures[arrivals]
    book.close()

    # one station: its own report, as its manager sees it
    page.choose_station(_station(db, LUDING))
    assert page.on_screen == own[1]
    _assert_shows(page, own[1])
    assert page.preview_button.isEnabled()


def test_the_figures_follow_what_the_desk_records(
    qtbot: QtBot, pages: Pages, manager: Context
) -> None:
    page = pages.open(manager)
    today = china_today()
    page.choose(PeriodKind.DAYS, start=today - timedelta(days=7), end=today)
    pages.show(page)
    c = page.comparison
    assert c is not None
    before = c.current.arrivals
    with qtbot.waitSignal(page.loaded, timeout=TIMEOUT):
        now = datetime.now(UTC)
        arrive(manager, at=now - timedelta(minutes=5), now=now)
    c = page.comparison
    assert c is not None
    assert c.current.arrivals == before + 1
    page.show_table("Help")
    assert _figures(page)[0][0] == before + 1


def test_the_page_follows_the_language(pages: Pages, manager: Context) -> None:
    page = pages.open(manager)
    set_language("en")
    assert page.tables_list.item(0).text() == "Help given"
    assert page.chooser.month_combo.itemText(0) == "January"
    assert page.model.headerData(1, Qt.Orientation.Horizontal) == "This period"
    set_language("zh_CN")
    assert page.tables_list.item(0).text() == _("Help given")
    assert page.chooser.month_combo.itemText(0) == "一月"


def test_the_prefecture_signs_in_to_the_areas_it_may_read(
    qtbot: QtBot, prefecture: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The read-only bureau sees no person and no station's day: no area of
    the main window opens a read its role is refused (it used to get the
    registry's refusal in a box, and the dashboard's on the page)."""
    refusals: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _parent, text: refusals.append(text))
    main = MainWindow(prefecture)
    qtbot.addWidget(main.window)
    main.window.show()
    assert [name for name, _msgid in main.areas] == ["overviewScroll", "statisticsContainer"]
    assert main.persons_page is None
    main.show_area("statisticsContainer")
    page = main.area_pages["statisticsContainer"]
    assert isinstance(page, StatisticsPage)
    qtbot.waitUntil(lambda: page.prefecture is not None, timeout=TIMEOUT)
    qtbot.waitUntil(lambda: main.overview is not None, timeout=TIMEOUT)
    settle(qtbot)
    assert refusals == []
    assert not main.problem.text
