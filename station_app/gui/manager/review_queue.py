"""The manager's queue of decisions to confirm (审核确认): what the desk
proposed and waits, oldest first, with the hours it has waited. A double
click opens the help request (:attr:`ReviewQueuePage.open_request`), where
the manager confirms the proposal or returns it in the decision tab.

Read off the GUI thread when the page is made, when a commit touches the
proposals or the requests (from this program or, through the audit trail,
another desk), on Refresh, and every five minutes while on screen, so that
the hours waited move on.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal
from PySide6.QtWidgets import QHeaderView, QLabel, QPushButton, QTableView, QWidget
from typing_extensions import override

from station_app.domain.errors import N_
from station_app.domain.labels import enum_label
from station_app.domain.text import has_tibetan
from station_app.gui import dialogs, fonts, ops, uiloader, watching
from station_app.gui.feedback import Level, MessageArea
from station_app.gui.formatting import china_text, number_text
from station_app.gui.models.rows import RowsModel
from station_app.i18n import _
from station_app.services import desk
from station_app.services.context import Context

REFRESH_INTERVAL_MS = 5 * 60 * 1000
REQUEST_ID_ROLE = Qt.ItemDataRole.UserRole + 2  # the help request a row opens
READING = N_("Reading the proposals…")
FAILED = N_("The proposals could not be read: {reason}")
COUNTS = N_("{count} waiting")
# What the queue shows: the proposals, and the requests and people they are about.
TABLES = ("decision_proposal", "help_request", "person")


class ProposalQueueModel(RowsModel[desk.ProposalView]):
    """The waiting proposals, in the service's order (oldest first)."""

    HEADERS = (
        N_("Hours waiting"),
        N_("Proposed"),
        N_("Person"),
        N_("Decision"),
        N_("Time of the decision"),
        N_("Reason"),
        N_("Proposed by"),
        N_("Status"),
    )
    NUMBER_COLUMNS = frozenset({0})
    PERSON_COLUMN = 2
    REASON_COLUMN = 5

    def _display(self, p: desk.ProposalView, column: int) -> str:
        values = (
            number_text(p.hours_waiting),
            china_text(p.proposed_at),
            p.person_name,
            _(enum_label(p.kind)),
            china_text(p.decided_at),
            p.reason or "",
            p.proposed_by or "—",
            _(enum_label(p.request_status)),
        )
        return values[column]

    @override
    def _data(self, row: desk.ProposalView, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == REQUEST_ID_ROLE:
            return row.request_id
        if role == Qt.ItemDataRole.ToolTipRole and column == self.REASON_COLUMN:
            return row.reason or None  # long: the column may cut it
        if (
            role == Qt.ItemDataRole.FontRole
            and column == self.PERSON_COLUMN
            and has_tibetan(row.person_name)
        ):
            return fonts.tibetan_font()  # a Tibetan name at Latin size is hard to read
        return None


class ReviewQueuePage(QObject):
    """Controller of ``ui/review_queue.ui``; the page is :attr:`page`."""

    open_request = Signal(int)  # a help request id: a row was activated
    loaded = Signal(object)  # the list of ProposalView now on screen

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__()
        self._ctx = ctx
        page = uiloader.load_ui("review_queue.ui", parent, on_retranslate=self._retranslate)
        self.page = page
        self.setParent(page)  # the page keeps its controller alive
        self.counts_label = uiloader.child(page, QLabel, "countsLabel")
        self.message_label = uiloader.child(page, QLabel, "messageLabel")
        self.empty_label = uiloader.child(page, QLabel, "emptyLabel")
        self.refresh_button = uiloader.child(page, QPushButton, "refreshButton")
        self.table = uiloader.child(page, QTableView, "proposalsTable")
        self.feedback = MessageArea(self.message_label)
        self.ops = ops.Ops(self, busy=[self.refresh_button])
        watching.watch(self, ctx.db, lambda _changes: self.refresh(), TABLES, page=page)

        self.proposals: list[desk.ProposalView] | None = None  # what is on screen
        self.model = ProposalQueueModel(self)
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        # activated: a double click, or Enter on the current row
        self.table.activated.connect(self._activated)
        self.refresh_button.clicked.connect(self.refresh)

        self.clock = watching.WhileShown(page, REFRESH_INTERVAL_MS, self.refresh, self)
        self.timer = self.clock.timer
        self.empty_label.hide()
        self.refresh()

    # ------------------------------------------------------------ loading

    @property
    def loading(self) -> bool:
        return self.ops.reading("queue")

    def refresh(self) -> None:
        """Read the queue again off the GUI thread; :attr:`loaded` follows."""
        ctx = self._ctx
        if self.proposals is None:
            self.feedback.tell(READING)
        self.ops.query(
            lambda: desk.pending_proposals(ctx), self._loaded, latest="queue", failed=self._failed
        )

    def _loaded(self, proposals: list[desk.ProposalView]) -> None:
        # A label, not a dialog, says a failed read; a good read clears it.
        self.feedback.clear()
        self.proposals = proposals
        self.clock.read()
        self.model.set_rows(proposals)
        self.empty_label.setVisible(not proposals)
        self.table.setVisible(bool(proposals))
        self.table.resizeColumnsToContents()
        self._show_counts()
        self.loaded.emit(proposals)

    def _failed(self, exc: BaseException) -> None:
        # No box over the manager's work: the old list stays, a line says why.
        self.feedback.tell(FAILED, Level.ERROR, reason=dialogs.describe(exc))

    # ------------------------------------------------------------ opening a request

    def _activated(self, index: QModelIndex) -> None:
        request_id = index.data(REQUEST_ID_ROLE)
        if isinstance(request_id, int):
            self.open_request.emit(request_id)

    # ------------------------------------------------------------ display

    def _show_counts(self) -> None:
        if self.proposals is None:
            self.counts_label.clear()
            return
        number = number_text(len(self.proposals))
        self.counts_label.setText(_(COUNTS).format(count=number))

    def _retranslate(self) -> None:
        self.model.retranslate()
        self._show_counts()
