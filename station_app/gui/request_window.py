"""The record of one help request, from arrival to departure (issue 5).

A window per request: a header with the arrival, the status, the 10-day
clock, what the quick intake still lacks and the "back within a month" flag;
a tab per stage (registration, security check and custody, screening,
decision, stay, family search, departure). Each tab's controller lives in
:mod:`station_app.gui.request`. Every write runs in a :class:`BackgroundTask`
through :meth:`RequestWindow.run`; a refused write is shown in the window,
the field at fault highlighted, and nothing typed is lost. After a write the
whole record is read again and every tab refreshed; :attr:`changed` tells the
Today page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QTabWidget, QWidget

from station_app.domain.errors import N_, UserError
from station_app.domain.labels import enum_label
from station_app.i18n import _
from station_app.services import desk
from station_app.services.context import Context

from . import dialogs, uiloader
from .feedback import MessageArea
from .person_form import PersonForm
from .print_preview import PrintPreview
from .request.common import china_text
from .request.custody import CustodyTab
from .request.decision import DecisionTab
from .request.departure import DepartureTab
from .request.family import FamilyTab
from .request.registration import RegistrationTab
from .request.screening import ScreeningTab
from .request.stay import StayTab
from .tasks import BackgroundTask, Progress

TITLE = N_("{name} — {status}")
ARRIVED = N_("Arrived {time}: {channel}")
STATUS = N_("Status: {status}")
NO_BED = N_("No bed yet.")
CLOCK = N_("Day {days} in the station; {left} days left of {limit}.")
CLOCK_OVER = N_("Day {days} in the station: {over} days past the {limit}-day limit.")
CLOCK_EXTENDED = N_("Day {days} in the station; longer stay reported on {reported}.")
CLOCK_EXEMPT = N_("Day {days} in the station. {reason}")
MISSING = N_("Still missing: {items}")
MISSING_NONE = N_("The registration is complete.")
REFUSED_TO_SAY = N_("{item} (refused to say)")
IDENTITY_KEYS = frozenset(("name", "sex", "birth", "ethnicity", "id_number", "hukou"))


class RequestWindow(QObject):
    """Controller of ``ui/request_window.ui``; the window is :attr:`dialog`."""

    changed = Signal(int)  # request id, after any write
    failed = Signal(str)  # the message shown in the window
    preview_opened = Signal(object)  # PrintPreview

    def __init__(self, ctx: Context, request_id: int, parent: QWidget | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.request_id = request_id
        dialog = uiloader.load_ui("request_window.ui", parent, on_retranslate=self._retranslate)
        assert isinstance(dialog, QDialog)
        self.dialog = dialog
        self.setParent(dialog)  # the window keeps its controller alive
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.writing: BackgroundTask | None = None
        self.preview: PrintPreview | None = None
        self.person_form: PersonForm | None = None

        self.tabs = uiloader.child(dialog, QTabWidget, "tabs")
        self.message_label = uiloader.child(dialog, QLabel, "messageLabel")
        self.feedback = MessageArea(self.message_label)
        self.arrival_label = uiloader.child(dialog, QLabel, "arrivalLabel")
        self.status_label = uiloader.child(dialog, QLabel, "statusLabel")
        self.clock_label = uiloader.child(dialog, QLabel, "clockLabel")
        self.return_label = uiloader.child(dialog, QLabel, "returnLabel")
        self.missing_label = uiloader.child(dialog, QLabel, "missingLabel")
        self.complete_person_button = uiloader.child(dialog, QPushButton, "completePersonButton")
        self.close_button = uiloader.child(dialog, QPushButton, "closeButton")
        self.message_label.hide()
        self.return_label.setStyleSheet("color: #8a6d00;")
        self.complete_person_button.clicked.connect(self.open_person_form)
        self.close_button.clicked.connect(self.close)

        self.record = desk.request_record(ctx, request_id)
        self.registration = RegistrationTab(self)
        self.custody = CustodyTab(self)
        self.screening = ScreeningTab(self)
        self.decision = DecisionTab(self)
        self.stay = StayTab(self)
        self.family = FamilyTab(self)
        self.departure = DepartureTab(self)
        self._tabs = (
            self.registration,
            self.custody,
            self.screening,
            self.decision,
            self.stay,
            self.family,
            self.departure,
        )
        self.reload()

    # ------------------------------------------------------------ the record

    def reload(self) -> None:
        """Read the request again and show it in every tab."""
        self.record = desk.request_record(self.ctx, self.request_id)
        for tab in self._tabs:
            tab.refresh(self.record)
        self._show_header()

    def _show_header(self) -> None:
        r = self.record
        self.dialog.setWindowTitle(
            _(TITLE).format(name=r.request.person_name, status=_(enum_label(r.request.status)))
        )
        self.arrival_label.setText(
            _(ARRIVED).format(
                time=china_text(r.request.arrived_at),
                channel=_(enum_label(r.request.channel)),
            )
        )
        self.status_label.setText(_(STATUS).format(status=_(enum_label(r.request.status))))
        self.clock_label.setText(self.clock_text())
        flag = r.returned
        self.return_label.setText(_(flag.message).format(**flag.params) if flag else "")
        self.return_label.setVisible(flag is not None)
        if r.missing:
            items = [
                _(REFUSED_TO_SAY).format(item=_(m.label)) if m.refused else _(m.label)
                for m in r.missing
            ]
            self.missing_label.setText(_(MISSING).format(items="; ".join(items)))
            self.missing_label.setStyleSheet("color: #c0392b;")
        else:
            self.missing_label.setText(_(MISSING_NONE))
            self.missing_label.setStyleSheet("")
        # The person's own details are completed on the person form; the
        # registration answers in the registration tab.
        self.complete_person_button.setVisible(any(m.key in IDENTITY_KEYS for m in r.missing))

    def clock_text(self) -> str:
        stay = self.record.stay
        if stay is None:
            return _(NO_BED)
        c = stay.clock
        if c.exempt:
            return _(CLOCK_EXEMPT).format(
                days=c.days_in_station, reason=_(c.exempt_reason) if c.exempt_reason else ""
            )
        if c.extended and c.extension_reported_on is not None:
            return _(CLOCK_EXTENDED).format(
                days=c.days_in_station, reported=c.extension_reported_on.isoformat()
            )
        if c.days_left < 0:
            return _(CLOCK_OVER).format(
                days=c.days_in_station, over=-c.days_left, limit=c.limit_days
            )
        return _(CLOCK).format(days=c.days_in_station, left=c.days_left, limit=c.limit_days)

    @property
    def missing_keys(self) -> list[str]:
        return [m.key for m in self.record.missing]

    # ------------------------------------------------------------ writing

    def run(
        self,
        work: Callable[[], object],
        *,
        tab: QWidget,
        fields: Mapping[str, QWidget],
        done: Callable[[object], None] | None = None,
    ) -> None:
        """Run a database write off the GUI thread; then reload and refresh.

        ``fields`` maps a service error's field to the widget to highlight;
        ``done`` gets the service's result after the refresh.
        """
        if self.writing is not None:
            return
        self.clear_message()
        self.tabs.setEnabled(False)

        def job(_progress: Progress) -> object:
            return work()

        task = BackgroundTask(job, self)
        task.finished.connect(lambda result: self._written(result, done))
        task.failed.connect(lambda exc: self._failed(exc, tab, fields))
        self.writing = task
        task.start()

    def _written(self, result: object, done: Callable[[object], None] | None) -> None:
        self.writing = None
        if not shiboken6.isValid(self.dialog):
            return
        self.tabs.setEnabled(True)
        self.reload()
        if done is not None:
            done(result)
        self.changed.emit(self.request_id)

    def _failed(self, exc: BaseException, tab: QWidget, fields: Mapping[str, QWidget]) -> None:
        self.writing = None
        if not shiboken6.isValid(self.dialog):
            return
        self.tabs.setEnabled(True)
        self.show_error(exc, tab, fields)

    def show_error(
        self, exc: BaseException, tab: QWidget | None = None, fields: Mapping[str, QWidget] = {}
    ) -> None:
        """Show a refused action in the window and point at the field at fault."""
        self.clear_message()
        self.show_message(dialogs.error_text(exc), error=True)
        if tab is not None:
            self.tabs.setCurrentWidget(tab)
        widget = fields.get(exc.field or "") if isinstance(exc, UserError) else None
        if widget is not None and isinstance(exc, UserError):
            self.feedback.point_at(widget, exc.field)
        self.failed.emit(self.message_label.text())

    def show_message(self, text: str, *, error: bool) -> None:
        self.feedback.show(text, error=error)

    def clear_message(self) -> None:
        self.feedback.clear()

    # ------------------------------------------------------------ printing

    def open_preview(
        self, title: str, make_pdf: Callable[[Path], object], suggested_name: str
    ) -> PrintPreview:
        """Preview a document of this request; print it or save the PDF from there.

        Printing a notice numbers it in the database: the record is read again
        when the pages are ready."""
        self.clear_message()
        preview = PrintPreview(title, make_pdf, self.dialog, suggested_name=suggested_name)
        preview.ready.connect(self._printed)
        self.preview = preview
        preview.show()
        self.preview_opened.emit(preview)
        return preview

    def _printed(self) -> None:
        if shiboken6.isValid(self.dialog):
            self.reload()

    # ------------------------------------------------------------ the person

    def open_person_form(self) -> PersonForm:
        """The person's form, to complete what the quick intake left out."""
        form = PersonForm(self.ctx, self.record.request.person_id, self.dialog)
        form.saved.connect(self._person_saved)
        self.person_form = form
        form.show()
        return form

    def _person_saved(self, _saved: object) -> None:
        if shiboken6.isValid(self.dialog):
            self.reload()
            self.changed.emit(self.request_id)

    # ------------------------------------------------------------ window

    def _retranslate(self) -> None:
        for tab in self._tabs:
            tab.retranslate()
        self._show_header()

    def show(self) -> None:
        self.dialog.show()
        self.dialog.activateWindow()

    def close(self) -> None:
        if shiboken6.isValid(self.dialog):
            uiloader.discard(self.dialog)
