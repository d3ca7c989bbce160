"""The hotline screen (issue 6): the calls and leads of a period with their
status and response minutes, the response figures, and the publicity days.

A call is logged as it comes in ("New call…"); on the selected call staff
then record who was sent ("Sent to…"), their arrival ("Arrived…") and the
outcome ("Close…"). Every write goes through :mod:`station_app.services.hotline`
in a dialog; the page reads the period again when a commit touches calls,
publicity days, or what a lead produced — from this window or another desk.
"""

from __future__ import annotations

from datetime import date

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QDateEdit, QHeaderView, QLabel, QPushButton, QTableView, QWidget

from station_app.domain.errors import N_
from station_app.gui import dialogs, ops, uiloader, watching
from station_app.gui.feedback import Level, MessageArea
from station_app.gui.form_dialog import FormDialog
from station_app.gui.formatting import day_of, set_day, today_in_china
from station_app.i18n import _
from station_app.services import hotline
from station_app.services.context import Context

from .dialogs import CallDialog, CloseDialog, PublicityDialog, Step, StepDialog
from .models import CALL_ID_ROLE, CallModel, CallStatus, PublicityModel, minutes_text, status_of

LOADING = N_("Reading the hotline records…")
FAILED = N_("The hotline records could not be read: {reason}")
FIGURES = N_(
    "{calls} calls, {answered} answered on the spot; minutes from the call to the arrival: "
    "median {median}, 90th percentile {p90}"
)
LEFT_OUT = N_(
    "{count} answered calls left out of these minutes: their arrival is recorded before "
    "the call; check their times."
)
PUBLICITY_FIGURES = N_(
    "{events} publicity days, {leaflets} leaflets handed out, {consulted} people consulted, "
    "{staff} staff person-times"
)
NO_FIGURE = "—"
SAVED = N_("Saved.")
# what the page shows: calls, publicity, and what a lead produced
TABLES = ("hotline_call", "publicity_event", "encounter", "help_request")


class HotlinePage(QObject):
    """Controller of ``ui/hotline_page.ui``; the page is :attr:`page`."""

    loaded = Signal(object)  # the HotlinePeriod now on screen
    recorded = Signal(object)  # a service's result, after the page read the period again
    dialog_opened = Signal(object)  # the FormDialog shown

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__()
        self._ctx = ctx
        page = uiloader.load_ui("hotline_page.ui", parent, on_retranslate=self._retranslate)
        self.page = page
        self.setParent(page)  # the page keeps its controller alive
        child = uiloader.child
        self.from_edit = child(page, QDateEdit, "fromEdit")
        self.to_edit = child(page, QDateEdit, "toEdit")
        self.show_button = child(page, QPushButton, "showButton")
        self.refresh_button = child(page, QPushButton, "refreshButton")
        self.message_label = child(page, QLabel, "messageLabel")
        self.new_call_button = child(page, QPushButton, "newCallButton")
        self.dispatch_button = child(page, QPushButton, "dispatchButton")
        self.arrived_button = child(page, QPushButton, "arrivedButton")
        self.close_call_button = child(page, QPushButton, "closeCallButton")
        self.figures_label = child(page, QLabel, "figuresLabel")
        self.calls_table = child(page, QTableView, "callsTable")
        self.new_event_button = child(page, QPushButton, "newEventButton")
        self.publicity_figures_label = child(page, QLabel, "publicityFiguresLabel")
        self.publicity_table = child(page, QTableView, "publicityTable")
        self.feedback = MessageArea(self.message_label)
        self.ops = ops.Ops(self, busy=[self.refresh_button, self.show_button])
        watching.watch(self, ctx.db, lambda _changes: self.refresh(), TABLES, page=page)

        self.view: hotline.HotlinePeriod | None = None
        self.dialog: FormDialog | None = None
        self._saved_result: object = None  # told with `recorded` once the page shows it
        self._select: int | None = None  # the call to select when the period is read

        self.call_model = CallModel(self)
        self.publicity_model = PublicityModel(self)
        self.calls_table.setModel(self.call_model)
        self.publicity_table.setModel(self.publicity_model)
        for table in (self.calls_table, self.publicity_table):
            header = table.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            header.setStretchLastSection(True)

        set_day(self.from_edit, today_in_china().replace(day=1))
        set_day(self.to_edit, today_in_china())

        self.show_button.clicked.connect(self.refresh)
        self.refresh_button.clicked.connect(self.refresh)
        self.new_call_button.clicked.connect(self.new_call)
        self.dispatch_button.clicked.connect(lambda: self.open_step(Step.DISPATCH))
        self.arrived_button.clicked.connect(lambda: self.open_step(Step.ARRIVAL))
        self.close_call_button.clicked.connect(self.close_call)
        self.new_event_button.clicked.connect(self.new_event)
        self.calls_table.selectionModel().currentRowChanged.connect(lambda *_a: self._gate())
        self._gate()
        self.refresh()

    # ------------------------------------------------------------ loading

    @property
    def loading(self) -> bool:
        return self.ops.reading("period")

    @property
    def period(self) -> tuple[date, date]:
        return day_of(self.from_edit), day_of(self.to_edit)

    def refresh(self) -> None:
        """Read the period again; :attr:`loaded` follows."""
        ctx = self._ctx
        start, end = self.period
        if self.view is None:
            self.feedback.tell(LOADING)
        self.ops.query(
            lambda: hotline.hotline_period(ctx, start, end),
            self._loaded,
            latest="period",
            failed=self._failed,
        )

    def _loaded(self, view: hotline.HotlinePeriod) -> None:
        if self.feedback.showing in (LOADING, FAILED):
            self.feedback.clear()
        selected = self.selected_call()
        chosen = self._select if self._select is not None else selected.id if selected else None
        self.view = view
        self.call_model.set_rows(view.calls)
        self.publicity_model.set_rows(view.publicity)
        if chosen is not None:
            self.select_call(chosen)
        self._show_figures()
        self.calls_table.resizeColumnsToContents()
        self.publicity_table.resizeColumnsToContents()
        self._gate()
        self.loaded.emit(view)
        if self._select is not None or self._saved_result is not None:
            result, self._saved_result, self._select = self._saved_result, None, None
            self.recorded.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self.feedback.tell(FAILED, Level.ERROR, reason=dialogs.describe(exc))

    # ------------------------------------------------------------ the selected call

    def selected_call(self) -> hotline.CallView | None:
        index = self.calls_table.currentIndex()
        if not index.isValid():
            return None
        call_id = index.data(CALL_ID_ROLE)
        return next((c for c in self.call_model.rows if c.id == call_id), None)

    def select_call(self, call_id: int) -> None:
        row = self.call_model.row_of(call_id)
        if row >= 0:
            self.calls_table.setCurrentIndex(self.call_model.index(row, 0))

    def _gate(self) -> None:
        call = self.selected_call()
        status = status_of(call) if call is not None else None
        open_call = status is not None and status is not CallStatus.CLOSED
        self.dispatch_button.setEnabled(
            open_call and status in (CallStatus.WAITING, CallStatus.SENT)
        )
        self.arrived_button.setEnabled(open_call and status is CallStatus.SENT)
        self.close_call_button.setEnabled(call is not None)

    # ------------------------------------------------------------ writing

    def _show_dialog(self, dialog: FormDialog) -> None:
        self.dialog = dialog
        dialog.saved.connect(self._saved)
        dialog.show()
        self.dialog_opened.emit(dialog)

    def new_call(self) -> CallDialog:
        dialog = CallDialog(self._ctx, self.page)
        self._show_dialog(dialog)
        return dialog

    def open_step(self, step: Step) -> StepDialog | None:
        """Who was sent to the selected call, or when they arrived."""
        call = self.selected_call()
        if call is None:
            return None
        dialog = StepDialog(self._ctx, call, step, self.page)
        self._show_dialog(dialog)
        return dialog

    def close_call(self) -> CloseDialog | None:
        call = self.selected_call()
        if call is None:
            return None
        dialog = CloseDialog(self._ctx, call, self.page)
        self._show_dialog(dialog)
        return dialog

    def new_event(self) -> PublicityDialog:
        dialog = PublicityDialog(self._ctx, self.page)
        self._show_dialog(dialog)
        return dialog

    def _saved(self, result: object) -> None:
        """A dialog saved: show the period as it is now, the saved call selected."""
        self.feedback.tell(SAVED)
        self._saved_result = result
        if isinstance(result, hotline.CallView):
            self._select = result.id
        # A read already running may predate the write: read again, the newest wins.
        self.refresh()

    # ------------------------------------------------------------ display

    def _show_figures(self) -> None:
        view = self.view
        if view is None:
            self.figures_label.clear()
            self.publicity_figures_label.clear()
            return
        f = view.figures
        text = _(FIGURES).format(
            calls=f.calls,
            answered=f.answered,
            median=minutes_text(f.median_minutes) or NO_FIGURE,
            p90=minutes_text(f.p90_minutes) or NO_FIGURE,
        )
        if f.left_out:
            text += "\n" + _(LEFT_OUT).format(count=f.left_out)
        self.figures_label.setText(text)
        p = view.publicity_figures
        self.publicity_figures_label.setText(
            _(PUBLICITY_FIGURES).format(
                events=p.events,
                leaflets=p.leaflets,
                consulted=p.people_consulted,
                staff=p.staff_person_times,
            )
        )

    def _refit(self) -> None:
        if shiboken6.isValid(self.page):
            self.calls_table.resizeColumnsToContents()
            self.publicity_table.resizeColumnsToContents()

    def _retranslate(self) -> None:
        self.call_model.retranslate()
        self.publicity_model.retranslate()
        self._show_figures()
        QTimer.singleShot(0, self._refit)
