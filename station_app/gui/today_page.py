"""The desk's Today page: who is in the station now, beds free per room, and
the alerts that need action today, each opening its help request.

The page reads :func:`station_app.services.desk.today` off the GUI thread when
it is made, when the clerk presses Refresh, when a commit touches the desk's
records (a patrol bringing someone in, another desk's departure), and every
five minutes while it is on screen, so that deadlines such as the 24-hour
family-search notice move from "due" to "overdue" without anyone touching the
desk.

Persons a patrol persuaded to come (劝导来站) are listed apart until the
clerk records that they came (their arrival is registered and opened) or
that they will not come; the list hides itself when it is empty.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import shiboken6
from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QWidget,
)

from station_app.domain.errors import N_
from station_app.gui.formatting import number_text
from station_app.i18n import _
from station_app.services import desk
from station_app.services.context import Context

from . import dialogs, fonts, ops, uiloader, watching
from .feedback import Level, show_level
from .models.today_models import (
    EXPECTED_ID_ROLE,
    REQUEST_ID_ROLE,
    SORT_ROLE,
    AlertModel,
    ExpectedModel,
    ResidentModel,
    RoomBedsModel,
    day_text,
)

T = TypeVar("T")

REFRESH_INTERVAL_MS = 5 * 60 * 1000

COUNTS_TEXT = N_("{residents} in the station, {free} beds free")
LOADING_TEXT = N_("Reading the station's records…")
FAILED_TEXT = N_("Today's page could not be read: {reason}")

FIT_ROWS = 60  # rows measured to size the columns
# What Today shows: requests and everything hanging from them, beds, persons,
# decisions waiting for a manager.
TABLES = (
    "help_request",
    "stay",
    "room",
    "person",
    "family_search",
    "decision_proposal",
    "expected_arrival",
)


def _stretch_last_column(table: QTableView) -> None:
    """Let the last column take the width left again after fitting to contents.

    Fitting shrinks the stretched last column to its text, and the header
    stretches it again only when the view is resized: without this the table
    lost width at every language switch."""
    header = table.horizontalHeader()
    if header.stretchLastSection():
        header.setStretchLastSection(False)
        header.setStretchLastSection(True)


class TodayPage(QObject):
    """Controller of ``ui/today_page.ui``; the page is :attr:`page`."""

    open_request = Signal(int)  # a help request id: a resident or an alert was activated
    loaded = Signal(object)  # the TodayView now on screen

    def __init__(
        self, ctx: Context, parent: QWidget | None = None, *, read_now: bool = True
    ) -> None:
        """``read_now``: read the day at once (the first page the user sees), else
        when the page is first shown (nothing read for a page not opened)."""
        super().__init__()
        self._ctx = ctx
        page = uiloader.load_ui("today_page.ui", parent, on_retranslate=self._retranslate)
        self.page = page
        self.setParent(page)  # the page keeps its controller alive
        self.date_label = uiloader.child(page, QLabel, "dateLabel")
        self.counts_label = uiloader.child(page, QLabel, "countsLabel")
        self.error_label = uiloader.child(page, QLabel, "errorLabel")
        self.no_alerts_label = uiloader.child(page, QLabel, "noAlertsLabel")
        self.refresh_button = uiloader.child(page, QPushButton, "refreshButton")
        self.rooms_table = uiloader.child(page, QTableView, "roomsTable")
        self.alerts_table = uiloader.child(page, QTableView, "alertsTable")
        self.residents_table = uiloader.child(page, QTableView, "residentsTable")
        self.expected_group = uiloader.child(page, QWidget, "expectedGroup")
        self.expected_table = uiloader.child(page, QTableView, "expectedTable")
        self.came_button = uiloader.child(page, QPushButton, "cameButton")
        self.dismiss_button = uiloader.child(page, QPushButton, "dismissButton")
        self.expected_group.hide()
        self.error_label.hide()
        self.no_alerts_label.hide()

        self.view: desk.TodayView | None = None  # what is on screen
        self.ops = ops.Ops(self, busy=[self.refresh_button])
        self.expected_ops = ops.Ops(self, busy=[self.came_button, self.dismiss_button])
        watching.watch(self, ctx.db, lambda _changes: self.refresh(), TABLES, page=page)
        self._error: BaseException | None = None  # why the last read failed
        self._refusal: BaseException | None = None  # why the last came / will not come failed

        self.rooms_model = RoomBedsModel(self)
        self.alerts_model = AlertModel(self)
        self.residents_model = ResidentModel(self)
        self.residents_proxy = QSortFilterProxyModel(self)
        self.residents_proxy.setSortRole(SORT_ROLE)
        self.residents_proxy.setSourceModel(self.residents_model)
        self.rooms_table.setModel(self.rooms_model)
        self.alerts_table.setModel(self.alerts_model)
        self.residents_table.setModel(self.residents_proxy)
        self.expected_model = ExpectedModel(self)
        self.expected_table.setModel(self.expected_model)
        header = self.residents_table.horizontalHeader()
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the service's order: arrival
        self.residents_table.setSortingEnabled(True)
        for table in (self.rooms_table, self.alerts_table, self.residents_table):
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # Alert texts are sentences: the last column takes the width left and
        # wraps them over two lines (the whole text is in the tooltip). Rows of
        # a fixed height, and column widths from the first rows only: a big
        # station has hundreds of alerts, and measuring every wrapped cell
        # would hold up the page for half a second.
        self.alerts_table.setWordWrap(True)
        self.alerts_table.horizontalHeader().setSectionResizeMode(
            AlertModel.MESSAGE_COLUMN, QHeaderView.ResizeMode.Stretch
        )
        for table in (self.rooms_table, self.alerts_table, self.residents_table):
            table.horizontalHeader().setResizeContentsPrecision(FIT_ROWS)
        self.alerts_table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        splitter = uiloader.child(page, QSplitter, "todaySplitter")
        self.splitter = splitter
        splitter.setStretchFactor(0, 1)  # beds and alerts
        splitter.setStretchFactor(1, 0)  # persuaded to come: a few rows
        splitter.setStretchFactor(2, 1)  # the people in the station
        self._fit_rows()

        self.clock = watching.WhileShown(page, REFRESH_INTERVAL_MS, self.refresh, self)
        self.timer = self.clock.timer
        self.refresh_button.clicked.connect(self.refresh)
        self.came_button.clicked.connect(self.confirm_expected)
        self.dismiss_button.clicked.connect(self.dismiss_expected)
        for table in (self.alerts_table, self.residents_table):
            # activated: a double click, or Enter on the current row
            table.activated.connect(self._activated)
        self._show_header()
        self._unread = True  # nothing asked for yet
        if read_now:
            self.refresh()
        else:
            watching.on_first_show(page, self._read_unread)

    def _read_unread(self) -> None:
        if self._unread:  # first shown, and not read meanwhile: the day is read now
            self.refresh()

    # ------------------------------------------------------------ loading

    @property
    def loading(self) -> bool:
        return self.ops.reading("today")

    def refresh(self) -> None:
        """Read the Today view again off the GUI thread; :attr:`loaded` follows."""
        ctx = self._ctx
        self._unread = False
        if self.view is None:
            self.counts_label.setText(_(LOADING_TEXT))
        self.ops.query(lambda: desk.today(ctx), self._loaded, latest="today", failed=self._failed)

    def _loaded(self, view: desk.TodayView) -> None:
        self.view = view
        self.clock.read()
        self._error = None
        self._show_error()
        self.rooms_model.set_rows(view.rooms)
        self.alerts_model.set_rows(view.alerts)
        self.residents_model.set_residents(view.residents, view.now)
        self._show_expected(view)
        self.no_alerts_label.setVisible(not view.alerts)
        self.alerts_table.setVisible(bool(view.alerts))
        self._show_header()
        self._fit_columns()
        self.loaded.emit(view)

    def _failed(self, exc: BaseException) -> None:
        # A label, not a dialog: the five-minute refresh must not pop up boxes
        # over whatever the clerk is doing; the old view stays on screen.
        self._error = exc
        self._show_error()
        self._show_header()

    def _show_error(self) -> None:
        exc = self._error
        if exc is None and self._refusal is not None:
            show_level(self.error_label, dialogs.describe(self._refusal), Level.WARNING)
            return
        if exc is None:
            self.error_label.hide()
            return
        reason = dialogs.describe(exc)
        show_level(self.error_label, _(FAILED_TEXT).format(reason=reason), Level.ERROR)

    # ------------------------------------------------------------ opening a record

    def _activated(self, index: QModelIndex) -> None:
        request_id = index.data(REQUEST_ID_ROLE)
        if isinstance(request_id, int):
            self.open_request.emit(request_id)

    # ------------------------------------------------------------ persuaded to come

    def _show_expected(self, view: desk.TodayView) -> None:
        chosen = self.chosen_expected()
        self.expected_model.set_rows(view.expected)
        if view.expected and self.expected_group.isHidden():
            self._make_room_for_expected()
        self.expected_group.setVisible(bool(view.expected))
        ids = [x.id for x in view.expected]
        row = ids.index(chosen) if chosen in ids else 0
        if ids:
            self.expected_table.selectRow(row)
        self.came_button.setEnabled(bool(ids))
        self.dismiss_button.setEnabled(bool(ids))

    def _make_room_for_expected(self) -> None:
        """A panel shown in a splitter gets no height of its own: take enough for
        a few rows and the buttons from the taller of the others first (the
        people in the station keep their rows while beds and alerts scroll)."""
        self.expected_group.show()
        table = self.expected_table
        chrome = self.expected_group.sizeHint().height() - table.sizeHint().height()
        rows = min(max(self.expected_model.rowCount(), 2), 4)
        want = (
            chrome
            + table.horizontalHeader().sizeHint().height()
            + rows * table.verticalHeader().defaultSectionSize()
            + 2 * table.frameWidth()
        )
        top, middle, bottom = self.splitter.sizes()
        need = want - middle
        if need <= 0:
            return
        from_top = min(need, max(0, top - bottom))
        from_bottom = min(need - from_top, max(0, bottom - top))
        rest = need - from_top - from_bottom
        from_top = min(from_top + rest // 2, max(0, top - self.rooms_table.minimumHeight()))
        from_bottom = min(need - from_top, max(0, bottom - self.residents_table.minimumHeight()))
        self.splitter.setSizes(
            [top - from_top, middle + from_top + from_bottom, bottom - from_bottom]
        )

    def chosen_expected(self) -> int | None:
        """The expected arrival of the selected row."""
        rows = self.expected_table.selectionModel().selectedRows()
        value = rows[0].data(EXPECTED_ID_ROLE) if rows else None
        return value if isinstance(value, int) else None

    def confirm_expected(self) -> None:
        """The person chosen came: register the arrival, then open it."""
        self._on_chosen_expected(
            desk.confirm_expected,
            lambda registration: self.open_request.emit(registration.request.id),
        )

    def dismiss_expected(self) -> None:
        """The person chosen will not come: the desk stops expecting them."""
        self._on_chosen_expected(desk.dismiss_expected, lambda _none: self.refresh())

    def _on_chosen_expected(
        self, write: Callable[[Context, int], T], done: Callable[[T], None]
    ) -> None:
        expected_id = self.chosen_expected()
        if expected_id is None:
            return
        ctx = self._ctx
        self._refusal = None
        self.expected_ops.write(lambda: write(ctx, expected_id), done, failed=self._refused)

    def _refused(self, exc: BaseException) -> None:
        # e.g. another desk recorded the arrival first: said, and the list read again
        self._refusal = exc
        self._show_error()
        self.refresh()

    # ------------------------------------------------------------ display

    def _show_header(self) -> None:
        view = self.view
        if view is None:
            self.date_label.setText("")
            return
        self.date_label.setText(day_text(view.day, "full"))
        number = number_text
        free = sum(room.free for room in view.rooms)
        self.counts_label.setText(
            _(COUNTS_TEXT).format(residents=number(len(view.residents)), free=number(free))
        )

    def _fit_rows(self) -> None:
        # rows tall enough for Tibetan stacks and vowel signs
        height = fonts.row_height()
        for table in (self.rooms_table, self.residents_table, self.expected_table):
            table.verticalHeader().setDefaultSectionSize(height)
            table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        line = QFontMetrics(self.alerts_table.font()).lineSpacing()
        alerts = self.alerts_table.verticalHeader()
        alerts.setDefaultSectionSize(max(height, 2 * line + 8))
        alerts.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)

    def _fit_columns(self) -> None:
        self.rooms_table.resizeColumnsToContents()
        self.residents_table.resizeColumnsToContents()
        _stretch_last_column(self.residents_table)
        self.expected_table.resizeColumnsToContents()
        _stretch_last_column(self.expected_table)
        for column in range(AlertModel.MESSAGE_COLUMN):
            self.alerts_table.resizeColumnToContents(column)
        rooms = self.rooms_table
        width = sum(rooms.columnWidth(c) for c in range(self.rooms_model.columnCount()))
        # A narrow strip: the room table as wide as its columns, the rest for alerts.
        rooms.setFixedWidth(
            width + 2 * rooms.frameWidth() + rooms.verticalScrollBar().sizeHint().width()
        )

    def _refit(self) -> None:
        if shiboken6.isValid(self.page) and self.view is not None:
            self._fit_rows()
            self._fit_columns()

    def _retranslate(self) -> None:
        self.rooms_model.retranslate()
        self.alerts_model.retranslate()
        self.residents_model.retranslate()
        self.expected_model.retranslate()
        self._show_header()
        # The screen font changes with the language (Tibetan is drawn larger);
        # the views take the new font as they process their events: fit after.
        QTimer.singleShot(0, self._refit)
        if self.view is None and self.loading:
            self.counts_label.setText(_(LOADING_TEXT))
        self._show_error()
