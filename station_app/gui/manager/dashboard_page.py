"""The manager's dashboard, the first page a manager sees: twelve months of
people helped, patrol effort and handouts (QtCharts), and what needs the
manager now — stock below its minimum, overdue hazards, people past the 10-day
limit, missed safety checks, last month's sign-off.

Read in one service call off the GUI thread; read again when a commit touches
what it shows, while the page is on screen.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QObject, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QHeaderView, QLabel, QPushButton, QTableView, QWidget
from typing_extensions import override

from station_app.domain.clock import china_date
from station_app.domain.errors import N_
from station_app.domain.labels import enum_label
from station_app.gui import dialogs, fonts, formatting, ops, uiloader, watching
from station_app.gui.feedback import COLOURS, Level, MessageArea
from station_app.gui.models.rows import RowsModel
from station_app.i18n import _, current_language
from station_app.services import dashboard
from station_app.services.dashboard import (
    Dashboard,
    MissedCheck,
    MonthFigures,
    OverdueHazard,
    OverLimit,
)
from station_app.services.supplies import ItemView
from station_app.services.supplies.common import quantity_text

READING = N_("Reading the station's figures…")
FAILED = N_("The dashboard could not be read: {reason}")
SIGNED = N_("Safety log of {month}: signed off by {name} on {day}.")
NOT_SIGNED = N_("Safety log of {month}: not signed off yet.")
PEOPLE_TITLE = N_("People helped")
PEOPLE = N_("People")
PERSON_TIMES = N_("Person-times")
PATROL_TITLE = N_("Patrol effort")
STAFF_TIMES = N_("Staff person-times")
VEHICLE_TIMES = N_("Vehicle-times")
HANDOUTS_TITLE = N_("Supplies handed out")
HANDOUTS = N_("Issues recorded")
# What the page shows: arrivals, patrols, supplies, hazards, sign-offs, stays.
TABLES = (
    "help_request",
    "stay",
    "patrol_shift",
    "stock_movement",
    "supply_item",
    "hazard",
    "safety_check",
    "safety_log_signoff",
)
SERIES_COLOURS = ("#1f4e8c", "#c77c0e")


def month_text(first: date, *, long: bool = False) -> str:
    """A month as the screen language writes it (in the screen's digits)."""
    # Under a chart, twelve months side by side in a third of a 1366-pixel
    # screen: the month's number, which fits in every language upright.
    return formatting.month_text(first) if long else formatting.digits(str(first.month))


class LowStockModel(RowsModel[ItemView]):
    HEADERS = (N_("Item"), N_("Stock on hand"), N_("Minimum"))
    NUMBER_COLUMNS = frozenset({1, 2})

    @override
    def _data(self, row: ItemView, column: int, role: int) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        threshold = row.low_stock_threshold
        values = (
            row.name_zh,
            f"{quantity_text(row.stock)} {row.unit_zh}",
            "" if threshold is None else quantity_text(threshold),
        )
        return values[column]


class HazardModel(RowsModel[OverdueHazard]):
    HEADERS = (N_("Hazard"), N_("Owner"), N_("Deadline"), N_("Days overdue"))
    NUMBER_COLUMNS = frozenset({3})

    @override
    def _data(self, row: OverdueHazard, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole:
            return QColor(COLOURS[Level.ERROR])
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        what = f"{row.description}（{row.location}）" if row.location else row.description
        return (
            what,
            row.owner,
            formatting.day_text(row.deadline),
            formatting.number_text(row.days_overdue),
        )[column]


class OverLimitModel(RowsModel[OverLimit]):
    HEADERS = (N_("Name"), N_("Days in the station"))
    NUMBER_COLUMNS = frozenset({1})

    @override
    def _data(self, row: OverLimit, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.FontRole and column == 0:
            return fonts.tibetan_font()
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return (row.name, formatting.number_text(row.days_in_station))[column]


class MissedModel(RowsModel[MissedCheck]):
    """Missed safety checks: which checklist, and the day (or days) it was due."""

    HEADERS = (N_("Check"), N_("Due"))

    @override
    def _data(self, row: MissedCheck, column: int, role: int) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == 0:
            return _(enum_label(row.kind))
        first, last = formatting.day_text(row.first_day), formatting.day_text(row.last_day)
        return first if first == last else f"{first} – {last}"


class TrendChart:
    """A chart of monthly figures: bars (or a line for the second series)."""

    def __init__(self, holder: QWidget, title: str, series: Sequence[str], *, line: bool) -> None:
        self.title = title
        self.names = tuple(series)
        self.line = line
        self.chart = QChart()
        self.chart.setMargins(QMargins(2, 2, 2, 2))
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.view = QChartView(self.chart, holder)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        layout = holder.layout()
        assert layout is not None
        layout.addWidget(self.view)
        self.values: list[list[int]] = [[] for _ in series]
        self.months: list[date] = []

    def show(self, months: Sequence[date], values: Sequence[Sequence[int]]) -> None:
        self.months = list(months)
        self.values = [list(v) for v in values]
        self.draw()

    def draw(self) -> None:
        chart = self.chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        font = fonts.ui_font(current_language())
        chart.setTitle(_(self.title))
        chart.setTitleFont(font)
        chart.legend().setFont(font)
        categories = [month_text(m) for m in self.months]
        axis_x = QBarCategoryAxis()
        axis_x.append(categories)
        months_font = QFont(font)  # twelve numbers in a third of the screen: a size smaller
        months_font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
        axis_x.setLabelsFont(months_font)
        axis_y = QValueAxis()
        axis_y.setLabelFormat("%d")
        axis_y.setLabelsFont(font)
        top = max((max(v) for v in self.values if v), default=0)
        axis_y.setRange(0, max(4, top + top // 5 + 1))
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        bars = QBarSeries()
        for index, (name, values) in enumerate(zip(self.names, self.values, strict=True)):
            if self.line and index == 1:
                line = QLineSeries()
                line.setName(_(name))
                line.setColor(QColor(SERIES_COLOURS[1]))
                for x, value in enumerate(values):
                    line.append(x, value)
                chart.addSeries(line)
                line.attachAxis(axis_y)
                continue
            bar_set = QBarSet(_(name))
            bar_set.setColor(QColor(SERIES_COLOURS[index % 2]))
            bar_set.append([float(v) for v in values])
            bars.append(bar_set)
        chart.addSeries(bars)
        bars.attachAxis(axis_x)
        bars.attachAxis(axis_y)


class DashboardPage(QObject):
    """Controller of ``ui/dashboard_page.ui``; the page is :attr:`page`."""

    loaded = Signal(object)  # the Dashboard on screen

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__()
        self._ctx = ctx
        page = uiloader.load_ui("dashboard_page.ui", parent, on_retranslate=self._retranslate)
        self.page = page
        self.setParent(page)  # the page keeps its controller alive
        child = uiloader.child
        self.day_label = child(page, QLabel, "dayLabel")
        self.signoff_label = child(page, QLabel, "signoffLabel")
        self.refresh_button = child(page, QPushButton, "refreshButton")
        self.feedback = MessageArea(child(page, QLabel, "messageLabel"))
        self.ops = ops.Ops(self, busy=[self.refresh_button])
        watching.watch(self, ctx.db, lambda _changes: self.refresh(), TABLES, page=page)
        self.view: Dashboard | None = None
        self.people_chart = TrendChart(
            child(page, QWidget, "peopleChart"), PEOPLE_TITLE, (PEOPLE, PERSON_TIMES), line=False
        )
        self.patrol_chart = TrendChart(
            child(page, QWidget, "patrolChart"),
            PATROL_TITLE,
            (STAFF_TIMES, VEHICLE_TIMES),
            line=True,
        )
        self.handouts_chart = TrendChart(
            child(page, QWidget, "handoutsChart"), HANDOUTS_TITLE, (HANDOUTS,), line=False
        )
        self.low_stock = LowStockModel(self)
        self.hazards = HazardModel(self)
        self.over_limit = OverLimitModel(self)
        self.missed = MissedModel(self)
        self.tables: dict[str, tuple[QTableView, RowsModel[Any]]] = {}
        for name, model in (
            ("lowStockTable", self.low_stock),
            ("hazardsTable", self.hazards),
            ("overLimitTable", self.over_limit),
            ("missedTable", self.missed),
        ):
            table = child(page, QTableView, name)
            table.setModel(model)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            self.tables[name] = (table, model)
        self.refresh_button.clicked.connect(self.refresh)
        self.refresh()

    @property
    def loading(self) -> bool:
        return self.ops.reading("dashboard")

    def refresh(self) -> None:
        ctx = self._ctx
        if self.view is None:
            self.feedback.tell(READING)
        self.ops.query(
            lambda: dashboard.dashboard(ctx),
            self._loaded,
            latest="dashboard",
            failed=lambda exc: self.feedback.tell(
                FAILED, Level.ERROR, reason=dialogs.describe(exc)
            ),
        )

    def _loaded(self, view: Dashboard) -> None:
        self.feedback.clear()
        self.view = view
        months = [m.month for m in view.months]

        def series(*figures: Callable[[MonthFigures], int]) -> list[list[int]]:
            return [[figure(m) for m in view.months] for figure in figures]

        self.people_chart.show(months, series(lambda m: m.people, lambda m: m.person_times))
        self.patrol_chart.show(
            months, series(lambda m: m.staff_person_times, lambda m: m.vehicle_times)
        )
        self.handouts_chart.show(months, series(lambda m: m.handouts))
        self.low_stock.set_rows(view.low_stock)
        self.hazards.set_rows(view.overdue_hazards)
        self.over_limit.set_rows(view.over_limit)
        self.missed.set_rows(view.missed_checks)
        self._show_header()
        self.loaded.emit(view)

    def _show_header(self) -> None:
        view = self.view
        if view is None:
            return
        self.day_label.setText(formatting.day_text(view.day, weekday=True))
        s = view.last_month
        month = month_text(date(s.year, s.month, 1), long=True)
        if s.signed_at is None:
            self.signoff_label.setText(_(NOT_SIGNED).format(month=month))
            self.signoff_label.setStyleSheet(f"color: {COLOURS[Level.WARNING]};")
        else:
            self.signoff_label.setText(
                _(SIGNED).format(month=month, name=s.signed_by or "", day=china_date(s.signed_at))
            )
            self.signoff_label.setStyleSheet("")

    def _retranslate(self) -> None:
        for chart in (self.people_chart, self.patrol_chart, self.handouts_chart):
            chart.draw()
        for _table, model in self.tables.values():
            model.retranslate()
        self._show_header()
