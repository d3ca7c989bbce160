"""The record of one help request, from arrival to departure (issue 5).

A window per request: a header with the arrival, the status, the 10-day
clock, what the quick intake still lacks and the "back within a month" flag;
a tab per stage (registration, security check and custody, screening,
decision, stay, family search, departure). Each tab's controller lives in
:mod:`station_app.gui.request`.

The window opens at once and fills when the record is read (one service
call, off the GUI thread). Every write of a tab is an operation of the window
(:mod:`station_app.gui.ops`); a refused write is shown in the window, the
field at fault highlighted, and nothing typed is lost. The record is read
again whenever a commit touches it — a write of this window, of another window
or of another desk — and every tab refreshed; a field typed in and not saved
keeps what was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QPushButton, QTabWidget, QWidget
from typing_extensions import override

from station_app.domain.errors import N_
from station_app.domain.labels import enum_label
from station_app.gui.formatting import china_text, day_text, number_text
from station_app.gui.widgets.window import DialogController
from station_app.i18n import _
from station_app.services import desk
from station_app.services.changes import Changes
from station_app.services.context import Context

from . import fonts, ops, uiloader, watching
from .feedback import Level, MessageArea, show_level
from .person import PersonForm
from .print_preview import PrintPreview, open_preview
from .request.custody import CustodyTab
from .request.decision import DecisionTab
from .request.departure import DepartureTab
from .request.family import FamilyTab
from .request.registration import RegistrationTab
from .request.screening import ScreeningTab
from .request.stay import StayTab

TITLE = N_("{name} — {status}")
ARRIVED = N_("Arrived {time}: {channel}")
STATUS = N_("Status: {status}")
NO_BED = N_("No bed yet.")
CLOCK = N_("Day {days} in the station; {left} days left of {limit}.")
CLOCK_OVER = N_("Day {days} in the station: {over} days past the {limit}-day limit.")
CLOCK_EXTENDED = N_("Day {days} in the station; longer stay reported on {reported}.")
CLOCK_EXEMPT = N_("Day {days} in the station. {reason}")
LEFT = N_("Left the station {time}: {outcome}.")
MISSING = N_("Still missing: {items}")
MISSING_NONE = N_("The registration is complete.")
REFUSED_TO_SAY = N_("{item} (refused to say)")
IDENTITY_KEYS = frozenset(("name", "sex", "birth", "ethnicity", "id_number", "hukou"))
READING = N_("Reading the record…")
# Beds taken or freed anywhere change the free beds the stay tab offers.
BED_TABLES = frozenset(("stay", "room"))


def _proposal_news(changes: Changes) -> bool:
    """A proposed decision changed in another program (审核确认): the audit
    trail names the proposal only, not its request, so it may be this one's.
    (Written here, a proposal names its request and is heard as such.)"""
    return changes.touches("decision_proposal") and not changes.touches("help_request")


class RequestWindow(DialogController):
    """Controller of ``ui/request_window.ui``; the window is :attr:`dialog`."""

    shown = Signal(object)  # the RequestSheet now on screen
    failed = Signal(str)  # the message shown in the window
    preview_opened = Signal(object)  # PrintPreview

    def __init__(self, ctx: Context, request_id: int, parent: QWidget | None = None) -> None:
        self.ctx = ctx
        self.request_id = request_id
        super().__init__("request_window.ui", parent)
        dialog = self.dialog
        self.sheet: desk.RequestSheet | None = None
        self.preview: PrintPreview | None = None
        self.person_form: PersonForm | None = None

        self.tabs = uiloader.child(dialog, QTabWidget, "tabs")
        fonts.show_every_tab(self.tabs)  # seven stages, long in Tibetan
        self.message_label = uiloader.child(dialog, QLabel, "messageLabel")
        # The message line sits beside Close, below the tabs, and keeps its
        # place when empty: a message coming or going moves nothing under the mouse.
        policy = self.message_label.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.message_label.setSizePolicy(policy)
        self.feedback = MessageArea(self.message_label, tabs=self.tabs, on_refusal=self.failed.emit)
        self.ops = ops.Ops(self, feedback=self.feedback)
        self.arrival_label = uiloader.child(dialog, QLabel, "arrivalLabel")
        self.status_label = uiloader.child(dialog, QLabel, "statusLabel")
        self.clock_label = uiloader.child(dialog, QLabel, "clockLabel")
        self.return_label = uiloader.child(dialog, QLabel, "returnLabel")
        self.missing_label = uiloader.child(dialog, QLabel, "missingLabel")
        self.complete_person_button = uiloader.child(dialog, QPushButton, "completePersonButton")
        self.close_button = uiloader.child(dialog, QPushButton, "closeButton")
        self.complete_person_button.hide()
        self.complete_person_button.clicked.connect(self.open_person_form)
        self.close_button.clicked.connect(self.close)

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
        watching.watch(self, ctx.db, self._changed)
        self._show_header()
        self.reload()

    # ------------------------------------------------------------ the record

    @property
    def record(self) -> desk.RequestRecord:
        """The record on screen (the window shows nothing before the first read)."""
        if self.sheet is None:
            raise RuntimeError("the record is not read yet")
        return self.sheet.record

    @property
    def loading(self) -> bool:
        return self.ops.reading("sheet")

    def reload(self) -> None:
        """Read the request again and show it in every tab."""
        ctx, request_id = self.ctx, self.request_id
        # The first read locks the tabs (nothing to show yet); later ones leave
        # the clerk typing.
        first = self.sheet is None
        busy = [self.tabs] if first else []
        self.ops.query(
            lambda: desk.request_sheet(ctx, request_id, opened=first),
            self._read,
            latest="sheet",
            busy=busy,
        )

    def _changed(self, changes: Changes) -> None:
        sheet = self.sheet
        if sheet is None:
            return  # the first read is on its way
        search = sheet.record.family_search
        if (
            changes.touches("help_request", self.request_id)
            or changes.touches("person", sheet.record.request.person_id)
            or (search is not None and changes.touches("family_search", search.id))
            or changes.touches_any(BED_TABLES)
            or _proposal_news(changes)
        ):
            self.reload()

    def _read(self, sheet: desk.RequestSheet) -> None:
        self.sheet = sheet
        for tab in self._tabs:
            tab.refresh(sheet)
        self._show_header()
        self.shown.emit(sheet)

    def _show_header(self) -> None:
        if self.sheet is None:
            self.dialog.setWindowTitle(_(READING))
            self.arrival_label.setText(_(READING))
            for label in (self.status_label, self.clock_label, self.missing_label):
                label.clear()
            self.return_label.hide()
            return
        r = self.sheet.record
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
        text = _(flag.message).format(**flag.params) if flag else ""
        show_level(self.return_label, text, Level.WARNING)
        if r.missing:
            items = [
                _(REFUSED_TO_SAY).format(item=_(m.label)) if m.refused else _(m.label)
                for m in r.missing
            ]
            show_level(self.missing_label, _(MISSING).format(items="; ".join(items)), Level.ERROR)
        else:
            show_level(self.missing_label, _(MISSING_NONE), Level.INFORMATION)
        # The person's own details are completed on the person form; the
        # registration answers in the registration tab.
        self.complete_person_button.setVisible(any(m.key in IDENTITY_KEYS for m in r.missing))

    def clock_text(self) -> str:
        if self.sheet is None:
            return ""
        left = self.sheet.record.departure
        if left is not None:  # the clock stopped when the person left
            return _(LEFT).format(
                time=china_text(left.departed_at), outcome=_(enum_label(left.outcome))
            )
        stay = self.sheet.record.stay
        if stay is None:
            return _(NO_BED)
        c = stay.clock
        if c.exempt:
            return _(CLOCK_EXEMPT).format(
                days=number_text(c.days_in_station),
                reason=_(c.exempt_reason) if c.exempt_reason else "",
            )
        if c.extended and c.extension_reported_on is not None:
            return _(CLOCK_EXTENDED).format(
                days=number_text(c.days_in_station),
                reported=day_text(c.extension_reported_on),
            )
        if c.days_left < 0:
            return _(CLOCK_OVER).format(
                days=number_text(c.days_in_station),
                over=number_text(-c.days_left),
                limit=number_text(c.limit_days),
            )
        return _(CLOCK).format(
            days=number_text(c.days_in_station),
            left=number_text(c.days_left),
            limit=number_text(c.limit_days),
        )

    @property
    def missing_keys(self) -> list[str]:
        return [m.key for m in self.record.missing]

    # ------------------------------------------------------------ printing

    def open_preview(
        self, title: str, make_pdf: Callable[[Path], object], suggested_name: str
    ) -> PrintPreview:
        """Preview a document of this request; print it or save the PDF from there.

        Printing a notice numbers it in the database: the change is heard and
        the record read again."""
        self.feedback.clear()
        self.preview = open_preview(
            title, make_pdf, self.dialog, suggested_name, self.preview_opened
        )
        return self.preview

    # ------------------------------------------------------------ the person

    def open_person_form(self) -> PersonForm:
        """The person's form, to complete what the quick intake left out."""
        form = PersonForm(self.ctx, self.record.request.person_id, self.dialog)
        self.person_form = form
        form.show()
        return form

    # ------------------------------------------------------------ window

    @override
    def _retranslate(self) -> None:
        fonts.show_every_tab(self.tabs)
        for tab in self._tabs:
            tab.retranslate()
        self._show_header()
