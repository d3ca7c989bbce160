"""The hotline screen (issue 6): the calls and leads of a period with their
status and response minutes, the response figures, and the publicity days.

A call is logged as it comes in ("New call…"); on the selected call staff
then record who was sent ("Sent to…"), their arrival ("Arrived…") and the
outcome ("Close…"). Every write goes through :mod:`station_app.services.hotline`
in a background task, after which the page reads the period again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QDateEdit, QHeaderView, QLabel, QPushButton, QTableView, QWidget

from station_app.domain.errors import N_, UserError
from station_app.gui import dialogs, uiloader
from station_app.gui.form_dialog import DONE_STYLE, ERROR_STYLE, FormDialog
from station_app.gui.request.common import day_of, set_day, today_in_china
from station_app.gui.tasks import BackgroundTask, Progress
from station_app.i18n import _
from station_app.services import hotline
from station_app.services.context import Context
from station_app.services.supplies import period_bounds

from .dialogs import CallDialog, CloseDialog, PublicityDialog, Step, StepDialog
from .models import CALL_ID_ROLE, CallModel, CallStatus, PublicityModel, minutes_text, status_of

log = logging.getLogger(__name__)

LOADING = N_("Reading the hotline records…")
FAILED = N_("The hotline records could not be read: {reason}")
FIGURES = N_(
    "{calls} calls, {answered} answered on the spot; minutes from the call to the arrival: "
    "median {median}, 90th percentile {p90}"
)
PUBLICITY_FIGURES = N_(
    "{events} publicity days, {leaflets} leaflets handed out, {consulted} people consulted, "
    "{staff} staff person-times"
)
NO_FIGURE = "—"
SAVED = N_("Saved.")


@dataclass(frozen=True)
class HotlineView:
    """What the page shows for a period of China-local days."""

    start: date
    end: date
    calls: list[hotline.CallView]
    figures: hotline.ResponseFigures
    publicity: list[hotline.PublicityView]
    publicity_figures: hotline.PublicityFigures


def read_view(ctx: Context, start: date, end: date) -> HotlineView:
    """Everything the page shows, read in one go (off the GUI thread)."""
    lo, hi = period_bounds(start, end)
    return HotlineView(
        start,
        end,
        hotline.list_calls(ctx, lo, hi),
        hotline.response_figures(ctx, lo, hi),
        hotline.list_publicity(ctx, start, end),
        hotline.publicity_figures(ctx, start, end),
    )


class HotlinePage(QObject):
    """Controller of ``ui/hotline_page.ui``; the page is :attr:`page`."""

    loaded = Signal(object)  # the HotlineView now on screen
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
        self.message_label.hide()

        self.view: HotlineView | None = None
        self.dialog: FormDialog | None = None
        self._loading: BackgroundTask | None = None
        self._again = False
        self._message: tuple[str, dict[str, object], bool] | None = None

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
        return self._loading is not None

    @property
    def period(self) -> tuple[date, date]:
        return day_of(self.from_edit), day_of(self.to_edit)

    def refresh(self) -> None:
        """Read the period again; :attr:`loaded` follows."""
        if self._loading is not None:
            self._again = True
            return
        ctx = self._ctx
        start, end = self.period

        def work(_progress: Progress) -> HotlineView:
            return read_view(ctx, start, end)

        task = BackgroundTask(work)  # no parent: see TodayPage.refresh
        task.finished.connect(self._loaded)
        task.failed.connect(self._failed)
        self._loading = task
        self.refresh_button.setEnabled(False)
        self.show_button.setEnabled(False)
        if self.view is None:
            self._set_message(LOADING)
        task.start()

    def _done_loading(self) -> bool:
        self._loading = None
        if not shiboken6.isValid(self.page):
            return False
        self.refresh_button.setEnabled(True)
        self.show_button.setEnabled(True)
        if self._again:
            self._again = False
            self.refresh()
        return True

    def _loaded(self, view: HotlineView) -> None:
        if not self._done_loading():
            return
        if self._message is not None and self._message[0] in (LOADING, FAILED):
            self._set_message(None)
        selected = self.selected_call()
        self.view = view
        self.call_model.set_rows(view.calls)
        self.publicity_model.set_rows(view.publicity)
        if selected is not None:
            self.select_call(selected.id)
        self._show_figures()
        self.calls_table.resizeColumnsToContents()
        self.publicity_table.resizeColumnsToContents()
        self._gate()
        self.loaded.emit(view)

    def _failed(self, exc: BaseException) -> None:
        if not self._done_loading():
            return
        if not isinstance(exc, UserError):
            log.error("the hotline records could not be read", exc_info=exc)
        self._set_message(FAILED, error=True, reason=dialogs.error_text(exc))

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
        if not shiboken6.isValid(self.page):
            return
        self._set_message(SAVED)

        def then(_view: object) -> None:
            self.loaded.disconnect(then)
            if isinstance(result, hotline.CallView):
                self.select_call(result.id)
                self._gate()
            self.recorded.emit(result)

        self.loaded.connect(then)
        self.refresh()

    # ------------------------------------------------------------ display

    def _show_figures(self) -> None:
        view = self.view
        if view is None:
            self.figures_label.clear()
            self.publicity_figures_label.clear()
            return
        f = view.figures
        self.figures_label.setText(
            _(FIGURES).format(
                calls=f.calls,
                answered=f.answered,
                median=minutes_text(f.median_minutes) or NO_FIGURE,
                p90=minutes_text(f.p90_minutes) or NO_FIGURE,
            )
        )
        p = view.publicity_figures
        self.publicity_figures_label.setText(
            _(PUBLICITY_FIGURES).format(
                events=p.events,
                leaflets=p.leaflets,
                consulted=p.people_consulted,
                staff=p.staff_person_times,
            )
        )

    def _set_message(self, message: str | None, *, error: bool = False, **params: object) -> None:
        self._message = None if message is None else (message, params, error)
        self._show_message()

    def _show_message(self) -> None:
        if self._message is None:
            self.message_label.clear()
            self.message_label.hide()
            return
        message, params, error = self._message
        self.message_label.setText(_(message).format(**params))
        self.message_label.setStyleSheet(ERROR_STYLE if error else DONE_STYLE)
        self.message_label.show()

    def _refit(self) -> None:
        if shiboken6.isValid(self.page):
            self.calls_table.resizeColumnsToContents()
            self.publicity_table.resizeColumnsToContents()

    def _retranslate(self) -> None:
        self.call_model.retranslate()
        self.publicity_model.retranslate()
        self._show_figures()
        self._show_message()
        QTimer.singleShot(0, self._refit)
