"""The statistics for the civil-affairs bureau (月报, issue 11): a month, a
quarter, a year or any days, each figure beside the same days last year;
printed with charts, written to Excel, and the period's help requests listed
for re-keying into the national system.

For the prefecture bureau (``Permission.ALL_STATIONS``) the page shows every
station side by side with their total; under Station it shows one station's
own report, which then prints and exports as that station's. The re-keying
list names people: only a role that may see them gets it.

Read off the GUI thread when the page is made, on Show, and again when a
commit touches what the statistics count while the page is on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSignalBlocker, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableView,
    QWidget,
)

from station_app.domain.errors import N_
from station_app.domain.permissions import Permission, allows
from station_app.gui import dialogs, ops, uiloader, watching
from station_app.gui.feedback import Level, MessageArea
from station_app.gui.formatting import day_text
from station_app.gui.print_preview import PrintPreview, open_preview
from station_app.gui.save_dialog import XLSX_FILES, ask_save_path
from station_app.i18n import _
from station_app.services import statistics, statistics_print
from station_app.services.context import Context
from station_app.services.statistics import Comparison, PrefectureStatistics

from .statistics_models import Grid, GridModel, station_name
from .statistics_period import PeriodChooser, PeriodKind

EVERY_STATION = 0  # the station chooser's item: every station side by side, and the total
ALL_STATIONS = N_("All stations side by side")
READING = N_("Reading the statistics…")
PERIOD = N_("Period: {start} to {end}")
COMPARED = N_("Compared with the same period last year: {start} to {end}")
PRINT_TITLE = N_("Monthly statistics")
EXPORTING = N_("Writing the workbook…")
EXPORTED = N_("The statistics were written to {path}.")
REKEY_EXPORTED = N_("The re-keying list was written to {path}.")
EXPORT_FAILED = N_("The workbook could not be written: {reason}")
EXPORT_TITLE = N_("Export the statistics")
REKEY_TITLE = N_("Export the re-keying list")
NO_REKEY = N_(
    "The re-keying list holds names and ID numbers of the people helped; your role may not "
    "see them."
)
ONE_STATION = N_("This is made for one station at a time: choose the station under Station.")
KEPT = (EXPORTING, EXPORTED, REKEY_EXPORTED, EXPORT_FAILED)  # outlive a new read

# What the statistics count: help requests and their people, screenings,
# decisions, stays and departures, patrols, supplies, hotline, publicity, and
# the station (its region code places household registrations).
TABLES = (
    "help_request",
    "person",
    "screening",
    "decision",
    "stay",
    "departure",
    "patrol_shift",
    "encounter",
    "stock_movement",
    "supply_item",
    "hotline_call",
    "publicity_event",
    "station",
)


class StatisticsPage(QObject):
    """Controller of ``ui/statistics_page.ui``; the page is :attr:`page`."""

    loaded = Signal(object)  # the Comparison on screen, or the PrefectureStatistics
    exported = Signal(object)  # Path of the workbook written (statistics or re-keying list)
    preview_opened = Signal(object)  # PrintPreview
    failed = Signal(str)  # the refusal or apology shown

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__()
        self._ctx = ctx
        page = uiloader.load_ui("statistics_page.ui", parent, on_retranslate=self._retranslate)
        self.page = page
        self.setParent(page)  # the page keeps its controller alive
        child = uiloader.child
        self.chooser = PeriodChooser(page)
        self.station_label = child(page, QLabel, "stationLabel")
        self.station_combo = child(page, QComboBox, "stationCombo")
        self.show_button = child(page, QPushButton, "showButton")
        self.period_label = child(page, QLabel, "periodLabel")
        self.preview_button = child(page, QPushButton, "previewButton")
        self.export_button = child(page, QPushButton, "exportButton")
        self.rekey_button = child(page, QPushButton, "rekeyButton")
        self.tables_list = child(page, QListWidget, "tablesList")
        self.figures_table = child(page, QTableView, "figuresTable")
        self.feedback = MessageArea(
            child(page, QLabel, "messageLabel"),
            {"start": self.chooser.from_edit, "end": self.chooser.to_edit},
            on_refusal=self.failed.emit,
        )
        self.ops = ops.Ops(self, busy=[self.show_button], feedback=self.feedback)
        watching.watch(self, ctx.db, lambda _changes: self.refresh(), TABLES, page=page)

        # Every station the user may read, side by side (the prefecture), or the own one.
        self.everywhere = allows(ctx.actor.role, Permission.ALL_STATIONS)
        self.comparison: Comparison | None = None
        self.prefecture: PrefectureStatistics | None = None
        self.shown: tuple[date, date] | None = None  # the period asked for what is on screen
        self.grids: tuple[Grid, ...] = ()
        self.preview: PrintPreview | None = None
        self.model = GridModel(self)
        self.figures_table.setModel(self.model)
        header = self.figures_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        splitter = child(page, QSplitter, "statisticsSplitter")
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)

        self.station_label.setVisible(self.everywhere)
        self.station_combo.setVisible(self.everywhere)
        if self.everywhere:
            self.station_combo.addItem(_(ALL_STATIONS), EVERY_STATION)
        self._gate()

        self.station_combo.currentIndexChanged.connect(lambda _i: self._station_changed())
        self.tables_list.currentRowChanged.connect(self._table_chosen)
        self.show_button.clicked.connect(self.show_period)
        self.preview_button.clicked.connect(self.print_statistics)
        self.export_button.clicked.connect(self.choose_export_file)
        self.rekey_button.clicked.connect(self.choose_rekey_file)
        self.refresh()

    # ------------------------------------------------------------ the period

    @property
    def period(self) -> tuple[date, date]:
        """The days chosen (:attr:`shown`: those of what is on screen)."""
        return self.chooser.period

    def choose(self, kind: PeriodKind, **days: Any) -> None:
        """Choose a period as a user would (:meth:`PeriodChooser.choose`), without reading it."""
        self.chooser.choose(kind, **days)

    @property
    def chosen_station(self) -> int | None:
        """The station chosen by the prefecture; None: every station side by side,
        or the user's own station for anyone else."""
        if not self.everywhere:
            return None
        data = self.station_combo.currentData()
        return None if data in (None, EVERY_STATION) else int(data)

    def choose_station(self, station_id: int | None) -> None:
        """Show one station's report (None: every station side by side)."""
        index = self.station_combo.findData(EVERY_STATION if station_id is None else station_id)
        if index < 0:
            raise KeyError(station_id)
        self.station_combo.setCurrentIndex(index)

    # ------------------------------------------------------------ reading

    @property
    def loading(self) -> bool:
        return self.ops.reading("statistics")

    def show_period(self) -> None:
        """Read the period chosen; :attr:`loaded` follows."""
        self._read(self.period)

    def refresh(self) -> None:
        """Read the period on screen again (the one chosen, before anything is shown)."""
        self._read(self.shown or self.period)

    def _read(self, period: tuple[date, date]) -> None:
        ctx = self._ctx
        start, end = period
        if self.shown is None:
            self.feedback.tell(READING)

        def done(result: Comparison | PrefectureStatistics) -> None:
            self._loaded(period, result)

        if self.everywhere:
            self.ops.query(
                lambda: statistics.prefecture_statistics(ctx, start, end),
                done,
                latest="statistics",
            )
        else:
            self.ops.query(lambda: statistics.compare(ctx, start, end), done, latest="statistics")

    def _loaded(self, period: tuple[date, date], result: Comparison | PrefectureStatistics) -> None:
        if self.feedback.showing not in KEPT:
            self.feedback.clear()
        self.shown = period
        if isinstance(result, PrefectureStatistics):
            self.prefecture = result
            self._list_stations(result)
        else:
            self.comparison = result
        self._show_tables()
        self._gate()
        self.loaded.emit(result)

    def _list_stations(self, p: PrefectureStatistics) -> None:
        chosen = self.chosen_station
        with QSignalBlocker(self.station_combo):
            while self.station_combo.count() > 1:
                self.station_combo.removeItem(1)
            for station in p.stations:
                self.station_combo.addItem(station_name(station), station.id)
            index = self.station_combo.findData(chosen)
            self.station_combo.setCurrentIndex(max(0, index))

    # ------------------------------------------------------------ display

    @property
    def on_screen(self) -> Comparison | None:
        """The figures of the report on screen: a station's, or the total of the stations."""
        p = self.prefecture
        if p is None:
            return self.comparison
        station = self.chosen_station
        return p.total if station is None else p.of_station(station)

    def _station_changed(self) -> None:
        self._show_tables()
        self._gate()

    def _show_tables(self) -> None:
        p, station = self.prefecture, self.chosen_station
        if p is not None and station is None:
            self.grids = tuple(
                Grid.of_side_by_side(t, p.stations) for t in statistics.side_by_side(p)
            )
        else:
            c = self.on_screen
            self.grids = () if c is None else tuple(map(Grid.of_table, statistics.report_tables(c)))
        key = self.current_grid.key if self.current_grid is not None else None
        keys = [g.key for g in self.grids]
        with QSignalBlocker(self.tables_list):
            self.tables_list.clear()
            self.tables_list.addItems([_(g.title) for g in self.grids])
        if self.grids:
            row = keys.index(key) if key in keys else 0
            self.tables_list.setCurrentRow(row)
            self._table_chosen(row)
        self._show_period()

    @property
    def current_grid(self) -> Grid | None:
        return self.model.grid

    def show_table(self, key: str) -> Grid:
        """Show the table with ``key`` (the workbook's sheet name)."""
        row = [g.key for g in self.grids].index(key)
        self.tables_list.setCurrentRow(row)
        grid = self.current_grid
        assert grid is not None
        return grid

    def _table_chosen(self, row: int) -> None:
        if not 0 <= row < len(self.grids):
            return
        self.model.set_grid(self.grids[row])
        self.figures_table.resizeColumnsToContents()
        self.figures_table.resizeRowsToContents()

    def _show_period(self) -> None:
        c = self.on_screen
        if c is None:
            self.period_label.clear()
            return
        now, before = c.current, c.previous
        self.period_label.setText(
            "　".join(
                (
                    _(PERIOD).format(start=day_text(now.start), end=day_text(now.end)),
                    _(COMPARED).format(start=day_text(before.start), end=day_text(before.end)),
                )
            )
        )

    # ------------------------------------------------------------ who may do what

    @property
    def may_rekey(self) -> bool:
        return allows(self._ctx.actor.role, Permission.VIEW_PERSONS)

    def _gate(self) -> None:
        shown = self.shown is not None
        one = not self.everywhere or self.chosen_station is not None
        _enable(self.preview_button, shown and one, "" if one else _(ONE_STATION))
        _enable(self.export_button, shown, "")
        if not self.may_rekey:
            _enable(self.rekey_button, False, _(NO_REKEY))
        else:
            _enable(self.rekey_button, shown and one, "" if one else _(ONE_STATION))

    # ------------------------------------------------------------ export and print

    def _target(self) -> tuple[Context, int | None, date, date]:
        """Who reads what is written: the user, the station chosen, the period on screen."""
        assert self.shown is not None, "nothing is shown yet"
        start, end = self.shown
        return self._ctx, self.chosen_station, start, end

    def _ask_file(self, title: str, name: str) -> Path | None:
        return ask_save_path(self.page, _(title), name, [(_(XLSX_FILES), ".xlsx")])

    def _file_name(self, what: str) -> str:
        _ctx, station, start, end = self._target()
        where = "all-stations-" if self.everywhere and station is None else ""
        return f"{what}-{where}{start.isoformat()}-{end.isoformat()}.xlsx"

    def choose_export_file(self) -> None:
        """Ask where to write the workbook, then write it in the background."""
        path = self._ask_file(EXPORT_TITLE, self._file_name("statistics"))
        if path is not None:
            self.export(path)

    def export(self, path: Path) -> None:
        """Write the statistics on screen to ``path``; :attr:`exported` follows."""
        ctx, station, start, end = self._target()
        if self.everywhere and station is None:
            self.ops.write(
                lambda: statistics.export_prefecture_xlsx(ctx, start, end, path),
                self._written(EXPORTED),
                busy=[self.export_button],
                failed=self._not_written,
            )
        else:
            self.ops.write(
                lambda: statistics.export_statistics_xlsx(
                    ctx if station is None else ctx.at_station(station), start, end, path
                ),
                self._written(EXPORTED),
                busy=[self.export_button],
                failed=self._not_written,
            )
        self.feedback.tell(EXPORTING)

    def choose_rekey_file(self) -> None:
        path = self._ask_file(REKEY_TITLE, self._file_name("rekey"))
        if path is not None:
            self.export_rekey(path)

    def export_rekey(self, path: Path) -> None:
        """Write the period's help requests for re-keying to ``path``; :attr:`exported` follows."""
        ctx, station, start, end = self._target()
        self.ops.write(
            lambda: statistics.export_rekey_xlsx(
                ctx if station is None else ctx.at_station(station), start, end, path
            ),
            self._written(REKEY_EXPORTED),
            busy=[self.rekey_button],
            failed=self._not_written,
        )
        self.feedback.tell(EXPORTING)

    def _written(self, said: str) -> Callable[[Path], None]:
        def done(path: Path) -> None:
            self.feedback.tell(said, path=path)
            self.exported.emit(path)

        return done

    def _not_written(self, exc: BaseException) -> None:
        self.feedback.tell(EXPORT_FAILED, Level.ERROR, reason=dialogs.describe(exc))
        self.failed.emit(self.feedback.text)

    def print_statistics(self) -> PrintPreview:
        """Preview the report on screen (one station's); print it or save the PDF from there."""
        ctx, station, start, end = self._target()

        def make_pdf(out: Path) -> object:
            reader = ctx if station is None else ctx.at_station(station)
            return statistics_print.print_statistics(reader, start, end, out)

        self.preview = open_preview(
            PRINT_TITLE,
            make_pdf,
            self.page,
            f"{start.isoformat()} {end.isoformat()}",
            self.preview_opened,
        )
        return self.preview

    # ------------------------------------------------------------ language

    def _retranslate(self) -> None:
        self.chooser.retranslate()
        if self.everywhere:
            self.station_combo.setItemText(0, _(ALL_STATIONS))
            if self.prefecture is not None:
                for index, station in enumerate(self.prefecture.stations, start=1):
                    self.station_combo.setItemText(index, station_name(station))
        for row, grid in enumerate(self.grids):
            item = self.tables_list.item(row)
            if item is not None:
                item.setText(_(grid.title))
        self.model.retranslate()
        self.figures_table.resizeColumnsToContents()
        self._show_period()
        self._gate()


def _enable(button: QPushButton, on: bool, tip: str) -> None:
    """Enable or disable a button, or what it returns to after an operation holding it."""
    if button.property(ops.BUSY):
        button.setProperty(ops.ENABLED, on)
    else:
        button.setEnabled(on)
    button.setToolTip(tip)
