"""The safety page (安全管理): a month's safety checks day by day, hazards,
incidents, the visitors' register, the amendments made after the month was
signed off, and (for managers) the checklists; the month is signed off and
its log printed from here.

The month grid marks in red every day with a missed check (a daily check, a
night round, or the last day of a week or month that went without its check)
or a failed item; overdue hazards are marked in red and listed first. Every
record is written in a small form (:mod:`.dialogs`) on the writer thread; the
page reads the month again when a commit touches the safety tables — here,
at another desk, or in another program.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QDate, QModelIndex, QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QWidget,
)

from station_app.domain.enums import SafetyCheckKind
from station_app.domain.errors import N_
from station_app.domain.labels import SAFETY_LOG_TITLE, enum_label
from station_app.domain.permissions import Permission, allows
from station_app.gui import dialogs, ops, uiloader, watching
from station_app.gui.feedback import Level, MessageArea, Msg
from station_app.gui.formatting import (
    china_text,
    month_text,
    now_minute,
    number_text,
    today_in_china,
)
from station_app.gui.models.rows import RowsModel
from station_app.gui.print_preview import PrintPreview, open_preview
from station_app.i18n import _
from station_app.services import safety, safety_print, users
from station_app.services.context import Context

from .checklists import ChecklistsTab
from .dialogs import (
    CheckDialog,
    HazardCloseDialog,
    HazardDialog,
    SafetyDialog,
    SignoffDialog,
)
from .models import (
    DAY_ROLE,
    ID_ROLE,
    AmendmentModel,
    CheckModel,
    DayModel,
    HazardModel,
    IncidentModel,
    VisitorModel,
)
from .records import IncidentDialog, VisitorDialog

READING = N_("Reading the safety records…")
FAILED = N_("The safety records could not be read: {reason}")
SIGNED = N_("Signed off by {name} on {when}.")
NOT_SIGNED = N_("Not signed off yet.")
RUNNING = N_("The month is not over yet; it can be signed off from the first day of the next.")
MISSED = N_("Missed this month: {count} (marked in red)")
NOTHING_MISSED = N_("Nothing missed this month.")
MANAGERS_SIGN = N_("A manager signs the month off.")
CHECK_SAVED = N_("Recorded: {kind} at {time}.")
CHECK_FAILED_ITEMS = N_(
    "Recorded: {kind} at {time}, {count} items failed. If something must be put right, "
    "enter it as a hazard with who sees to it and by when."
)
HAZARD_SAVED = N_("Hazard saved: {description}")
HAZARD_CLOSED = N_("Hazard closed: {description}")
HAZARD_REOPENED = N_("Hazard reopened: {description}")
INCIDENT_SAVED = N_("Incident recorded: {kind} at {time}.")
VISITOR_SAVED = N_("Visitor recorded: {name}.")
MONTH_SIGNED = N_("The safety log of {month} is signed off.")
REOPEN_TITLE = N_("Reopen the hazard")
REOPEN_REASON = N_("The month is signed off: say why the hazard is reopened.")

# what the page shows
TABLES = (
    "safety_template",
    "safety_check",
    "hazard",
    "incident",
    "visitor",
    "safety_log_signoff",
    "safety_amendment",
)
TABS = ("checksTab", "hazardsTab", "incidentsTab", "visitorsTab", "amendmentsTab")


@dataclass(frozen=True)
class SafetyScreen:
    """What the page shows of a month: its log, and the hazards to see to."""

    log: safety.SafetyLogView
    hazards: tuple[safety.HazardView, ...]  # found or closed in the month, or still open
    templates: tuple[safety.TemplateView, ...]


class SafetyPage(QObject):
    """Controller of ``ui/safety_page.ui``; the page is :attr:`page`."""

    loaded = Signal(object)  # the SafetyScreen now on screen
    saved = Signal(object)  # a service's result, after the page read the month again
    dialog_opened = Signal(object)  # the SafetyDialog or SignoffDialog shown
    preview_opened = Signal(object)  # PrintPreview

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__()
        self._ctx = ctx
        page = uiloader.load_ui("safety_page.ui", parent, on_retranslate=self._retranslate)
        self.page = page
        self.setParent(page)  # the page keeps its controller alive
        child = uiloader.child
        self.month_edit = child(page, QDateEdit, "monthEdit")
        self.signoff_label = child(page, QLabel, "signoffLabel")
        self.sign_off_button = child(page, QPushButton, "signOffButton")
        self.print_button = child(page, QPushButton, "printButton")
        self.refresh_button = child(page, QPushButton, "refreshButton")
        self.tabs = child(page, QTabWidget, "safetyTabs")
        self.missed_label = child(page, QLabel, "missedLabel")
        self.days_table = child(page, QTableView, "daysTable")
        self.checks_table = child(page, QTableView, "checksTable")
        self.record_check_button = child(page, QPushButton, "recordCheckButton")
        self.correct_check_button = child(page, QPushButton, "correctCheckButton")
        self.hazards_table = child(page, QTableView, "hazardsTable")
        self.open_only_check = child(page, QCheckBox, "openOnlyCheck")
        self.new_hazard_button = child(page, QPushButton, "newHazardButton")
        self.edit_hazard_button = child(page, QPushButton, "editHazardButton")
        self.close_hazard_button = child(page, QPushButton, "closeHazardButton")
        self.reopen_hazard_button = child(page, QPushButton, "reopenHazardButton")
        self.incidents_table = child(page, QTableView, "incidentsTable")
        self.new_incident_button = child(page, QPushButton, "newIncidentButton")
        self.edit_incident_button = child(page, QPushButton, "editIncidentButton")
        self.visitors_table = child(page, QTableView, "visitorsTable")
        self.new_visitor_button = child(page, QPushButton, "newVisitorButton")
        self.edit_visitor_button = child(page, QPushButton, "editVisitorButton")
        self.visitor_left_button = child(page, QPushButton, "visitorLeftButton")
        self.amendments_table = child(page, QTableView, "amendmentsTable")
        self.feedback = MessageArea(child(page, QLabel, "messageLabel"))
        self.ops = ops.Ops(self, busy=[self.refresh_button])
        watching.watch(self, ctx.db, lambda _changes: self.refresh(), TABLES, page=page)

        self.screen: SafetyScreen | None = None
        self.dialog: SafetyDialog | SignoffDialog | None = None
        self.preview: PrintPreview | None = None
        self.checker: str | None = None  # the signed-in user's name, first in "checked by"
        self._saved: object = None  # told with `saved` once the page shows it

        self.day_model = DayModel(self)
        self.check_model = CheckModel(self)
        self.hazard_model = HazardModel(self)
        self.incident_model = IncidentModel(self)
        self.visitor_model = VisitorModel(self)
        self.amendment_model = AmendmentModel(self)
        for table, model in self._tables:
            table.setModel(model)
            table.verticalHeader().hide()
            header = table.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            header.setStretchLastSection(True)

        self.checklists: ChecklistsTab | None = None
        checklists_tab = child(page, QWidget, "checklistsTab")
        if self.may_manage:
            self.checklists = ChecklistsTab(ctx, checklists_tab, self.feedback)
            self.checklists.saved.connect(self._written)
        else:
            self.tabs.removeTab(self.tabs.indexOf(checklists_tab))
        self.sign_off_button.setVisible(self.may_manage)

        today = today_in_china()
        self.month_edit.setMaximumDate(QDate(today.year, today.month, 1))
        self.month_edit.setDate(QDate(today.year, today.month, 1))
        self.month_edit.dateChanged.connect(lambda _d: self.refresh())
        self.open_only_check.toggled.connect(lambda _on: self.refresh())
        self.refresh_button.clicked.connect(self.refresh)
        self.sign_off_button.clicked.connect(self.open_signoff)
        self.print_button.clicked.connect(self.print_log)
        self.record_check_button.clicked.connect(lambda: self.open_check())
        self.correct_check_button.clicked.connect(lambda: self.open_check(correct=True))
        self.checks_table.activated.connect(lambda _i: self.open_check(correct=True))
        self.days_table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._day_chosen(current)
        )
        self.new_hazard_button.clicked.connect(lambda: self.open_hazard(new=True))
        self.edit_hazard_button.clicked.connect(lambda: self.open_hazard(new=False))
        self.hazards_table.activated.connect(lambda _i: self.open_hazard(new=False))
        self.close_hazard_button.clicked.connect(self.open_hazard_closing)
        self.reopen_hazard_button.clicked.connect(self.reopen_hazard)
        self.new_incident_button.clicked.connect(lambda: self.open_incident(new=True))
        self.edit_incident_button.clicked.connect(lambda: self.open_incident(new=False))
        self.incidents_table.activated.connect(lambda _i: self.open_incident(new=False))
        self.new_visitor_button.clicked.connect(lambda: self.open_visitor(new=True))
        self.edit_visitor_button.clicked.connect(lambda: self.open_visitor(new=False))
        self.visitors_table.activated.connect(lambda _i: self.open_visitor(new=False))
        self.visitor_left_button.clicked.connect(self.visitor_left)
        for table, _model in self._tables:
            table.selectionModel().currentRowChanged.connect(lambda *_a: self._gate())
        self._gate()
        self.ops.query(lambda: users.current_user(ctx), self._user_read, failed=lambda _e: None)
        self.refresh()

    @property
    def _tables(self) -> tuple[tuple[QTableView, RowsModel[Any]], ...]:
        return (
            (self.days_table, self.day_model),
            (self.checks_table, self.check_model),
            (self.hazards_table, self.hazard_model),
            (self.incidents_table, self.incident_model),
            (self.visitors_table, self.visitor_model),
            (self.amendments_table, self.amendment_model),
        )

    @property
    def may_manage(self) -> bool:
        return allows(self._ctx.actor.role, Permission.MANAGE_SAFETY)

    # ------------------------------------------------------------ the month

    @property
    def month(self) -> tuple[int, int]:
        d = self.month_edit.date()
        return d.year(), d.month()

    def set_month(self, year: int, month: int) -> None:
        """Show ``year``-``month`` (read at once)."""
        self.month_edit.setDate(QDate(year, month, 1))

    @property
    def signed(self) -> bool:
        """The month on screen is signed off: changes to it need a reason."""
        return self.screen is not None and self.screen.log.signoff is not None

    # ------------------------------------------------------------ loading

    @property
    def loading(self) -> bool:
        return self.ops.reading("month")

    def refresh(self) -> None:
        """Read the month again off the GUI thread; :attr:`loaded` follows."""
        ctx = self._ctx
        year, month = self.month
        open_only = self.open_only_check.isChecked()
        if self.screen is None:
            self.feedback.tell(READING)

        def read() -> SafetyScreen:
            """The month's log and the hazards: found in the month, or still open."""
            log = safety.safety_log(ctx, year, month)
            still_open = safety.list_hazards(ctx, open_only=True)
            hazards = still_open
            if not open_only:  # also those found or closed in the month
                found = safety.list_hazards(ctx, start=log.first_day, end=log.last_day)
                by_id = {h.id: h for h in (*log.hazards_closed, *still_open, *found)}
                hazards = sorted(
                    by_id.values(), key=lambda h: (not h.overdue, not h.is_open, h.deadline, h.id)
                )
            return SafetyScreen(log, tuple(hazards), tuple(safety.templates(ctx)))

        self.ops.query(
            read,
            self._loaded,
            latest="month",
            failed=self._failed,
        )

    def _user_read(self, user: users.UserView) -> None:
        self.checker = user.display_name or user.username

    def _loaded(self, screen: SafetyScreen) -> None:
        if self.feedback.showing in (READING, FAILED):
            self.feedback.clear()
        day = self.chosen_day()
        self.screen = screen
        log = screen.log
        # a running month: its days up to today (the rest have nothing yet)
        self.day_model.set_rows([d for d in log.days if d.day <= log.as_of])
        self.hazard_model.set_rows(screen.hazards)
        self.incident_model.set_rows(log.incidents)
        self.visitor_model.set_rows(log.visitors)
        self.amendment_model.set_rows(log.amendments)
        if day is not None:
            self.choose_day(day)
        else:
            self.check_model.set_rows(log.checks)
        if self.checklists is not None:
            self.checklists.show_templates(screen.templates)
        self._show_status()
        self._fit_columns()
        self._gate()
        self.loaded.emit(screen)
        result, self._saved = self._saved, None
        if result is not None:
            self.saved.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self.feedback.tell(FAILED, Level.ERROR, reason=dialogs.describe(exc))

    # ------------------------------------------------------------ the month grid

    def chosen_day(self) -> date | None:
        index = self.days_table.currentIndex()
        value = index.data(DAY_ROLE) if index.isValid() else None
        return value if isinstance(value, date) else None

    def choose_day(self, day: date) -> None:
        """Show the checks of ``day`` (of the month on screen)."""
        for row, view in enumerate(self.day_model.rows):
            if view.day == day:
                self.days_table.setCurrentIndex(self.day_model.index(row, 0))
                self._show_day(view)
                return

    def _day_chosen(self, current: QModelIndex) -> None:
        row = current.row()
        rows = self.day_model.rows
        if 0 <= row < len(rows):
            self._show_day(rows[row])

    def _show_day(self, view: safety.DayView) -> None:
        self.check_model.set_rows(view.checks + view.night_rounds)
        self.checks_table.resizeColumnsToContents()

    # ------------------------------------------------------------ who may do what

    def _selected(self, table: QTableView, rows: tuple[object, ...]) -> object | None:
        index = table.currentIndex()
        if not index.isValid():
            return None
        wanted = index.data(ID_ROLE)
        return next((r for r in rows if getattr(r, "id", None) == wanted), None)

    def selected_check(self) -> safety.CheckView | None:
        found = self._selected(self.checks_table, self.check_model.rows)
        return found if isinstance(found, safety.CheckView) else None

    def selected_hazard(self) -> safety.HazardView | None:
        found = self._selected(self.hazards_table, self.hazard_model.rows)
        return found if isinstance(found, safety.HazardView) else None

    def selected_incident(self) -> safety.IncidentView | None:
        found = self._selected(self.incidents_table, self.incident_model.rows)
        return found if isinstance(found, safety.IncidentView) else None

    def selected_visitor(self) -> safety.VisitorView | None:
        found = self._selected(self.visitors_table, self.visitor_model.rows)
        return found if isinstance(found, safety.VisitorView) else None

    def _gate(self) -> None:
        ready = self.screen is not None
        hazard = self.selected_hazard()
        visitor = self.selected_visitor()
        for button in (
            self.record_check_button,
            self.new_hazard_button,
            self.new_incident_button,
            self.new_visitor_button,
            self.print_button,
        ):
            button.setEnabled(ready)
        self.correct_check_button.setEnabled(self.selected_check() is not None)
        self.edit_hazard_button.setEnabled(hazard is not None)
        self.close_hazard_button.setEnabled(hazard is not None and hazard.closed_on is None)
        self.reopen_hazard_button.setEnabled(hazard is not None and hazard.closed_on is not None)
        self.edit_incident_button.setEnabled(self.selected_incident() is not None)
        self.edit_visitor_button.setEnabled(visitor is not None)
        self.visitor_left_button.setEnabled(visitor is not None and visitor.left_at is None)
        log = self.screen.log if self.screen is not None else None
        can_sign = self.may_manage and log is not None and not log.running and log.signoff is None
        self.sign_off_button.setEnabled(can_sign)

    # ------------------------------------------------------------ forms

    def _open(self, dialog: SafetyDialog | SignoffDialog) -> None:
        self.dialog = dialog
        dialog.saved.connect(self._written)
        dialog.show()
        self.dialog_opened.emit(dialog)

    def _templates(self) -> tuple[safety.TemplateView, ...]:
        return self.screen.templates if self.screen is not None else ()

    def open_check(
        self, *, correct: bool = False, kind: SafetyCheckKind | None = None
    ) -> CheckDialog | None:
        """A new check (of ``kind``), or a correction of the selected one."""
        check = self.selected_check() if correct else None
        if correct and check is None:
            return None
        dialog = CheckDialog(
            self._ctx,
            self._templates(),
            self.page,
            check=check,
            kind=kind,
            checker=self.checker,
            signed=self.signed and correct,
        )
        self._open(dialog)
        return dialog

    def open_hazard(self, *, new: bool) -> HazardDialog | None:
        hazard = None if new else self.selected_hazard()
        if not new and hazard is None:
            return None
        dialog = HazardDialog(self._ctx, self.page, hazard=hazard)
        self._open(dialog)
        return dialog

    def open_hazard_closing(self) -> HazardCloseDialog | None:
        hazard = self.selected_hazard()
        if hazard is None or hazard.closed_on is not None:
            return None
        dialog = HazardCloseDialog(self._ctx, hazard, self.page)
        self._open(dialog)
        return dialog

    def reopen_hazard(self) -> None:
        """Take back the closing of the selected hazard."""
        hazard = self.selected_hazard()
        if hazard is None or hazard.closed_on is None:
            return
        reason: str | None = None
        if hazard.month_signed:  # a change to a signed month is an amendment: why?
            text, given = QInputDialog.getText(
                self.page, _(REOPEN_TITLE), _(REOPEN_REASON), QLineEdit.EchoMode.Normal
            )
            if not given or not text.strip():
                return
            reason = text.strip()
        ctx, hazard_id = self._ctx, hazard.id
        self.feedback.clear()
        self.ops.write(
            lambda: safety.reopen_hazard(ctx, hazard_id, reason=reason),
            lambda h: self._written(_Reopened(h)),
        )

    def open_incident(self, *, new: bool) -> IncidentDialog | None:
        incident = None if new else self.selected_incident()
        if not new and incident is None:
            return None
        dialog = IncidentDialog(self._ctx, self.page, incident=incident)
        self._open(dialog)
        return dialog

    def open_visitor(self, *, new: bool) -> VisitorDialog | None:
        visitor = None if new else self.selected_visitor()
        if not new and visitor is None:
            return None
        dialog = VisitorDialog(self._ctx, self.page, visitor=visitor)
        self._open(dialog)
        return dialog

    def visitor_left(self) -> None:
        """The selected visitor leaves now."""
        visitor = self.selected_visitor()
        if visitor is None or visitor.left_at is not None:
            return
        ctx, visitor_id, moment = self._ctx, visitor.id, now_minute()
        self.feedback.clear()
        self.ops.write(lambda: safety.visitor_left(ctx, visitor_id, moment), self._written)

    def open_signoff(self) -> SignoffDialog | None:
        if self.screen is None or not self.may_manage:
            return None
        dialog = SignoffDialog(self._ctx, self.screen.log, self.page)
        self._open(dialog)
        return dialog

    def _written(self, result: object) -> None:
        """A form saved: say what, and read the month again."""
        self._tell(result)
        self._saved = result.view if isinstance(result, _Reopened) else result
        # A read already running may predate the write: read again, the newest wins.
        self.refresh()

    def _tell(self, result: object) -> None:
        tell = self.feedback.tell
        if isinstance(result, safety.CheckView):
            if result.passed:
                tell(
                    CHECK_SAVED,
                    kind=Msg(enum_label(result.kind)),
                    time=china_text(result.checked_at),
                )
            else:
                tell(
                    CHECK_FAILED_ITEMS,
                    Level.WARNING,
                    kind=Msg(enum_label(result.kind)),
                    time=china_text(result.checked_at),
                    count=number_text(len(result.failed_items)),
                )
        elif isinstance(result, _Reopened):
            tell(HAZARD_REOPENED, description=result.view.description)
        elif isinstance(result, safety.HazardView):
            closed = result.closed_on is not None
            tell(HAZARD_CLOSED if closed else HAZARD_SAVED, description=result.description)
        elif isinstance(result, safety.IncidentView):
            tell(
                INCIDENT_SAVED,
                kind=Msg(enum_label(result.kind)),
                time=china_text(result.occurred_at),
            )
        elif isinstance(result, safety.VisitorView):
            tell(VISITOR_SAVED, name=result.name)
        elif isinstance(result, safety.SignOffView):
            tell(MONTH_SIGNED, month=month_text(date(result.year, result.month, 1)))

    # ------------------------------------------------------------ printing

    def print_log(self) -> PrintPreview:
        """Preview the month's safety log; print it or save the PDF from there."""
        ctx = self._ctx
        year, month = self.month

        def make_pdf(out: Path) -> object:
            return safety_print.print_safety_log(ctx, year, month, out)

        self.preview = open_preview(
            SAFETY_LOG_TITLE,
            make_pdf,
            self.page,
            f"{year}-{month:02d}",
            self.preview_opened,
        )
        return self.preview

    # ------------------------------------------------------------ display

    def _show_status(self) -> None:
        if self.screen is None:
            return
        log = self.screen.log
        if log.signoff is not None:
            text = _(SIGNED).format(
                name=log.signoff.signed_by, when=china_text(log.signoff.signed_at)
            )
        elif log.running:
            text = _(RUNNING)
        else:
            text = _(NOT_SIGNED) if self.may_manage else f"{_(NOT_SIGNED)} {_(MANAGERS_SIGN)}"
        self.signoff_label.setText(text)
        missed = len(log.missed)
        number = number_text(missed)
        self.missed_label.setText(_(MISSED).format(count=number) if missed else _(NOTHING_MISSED))
        self.missed_label.setStyleSheet("color: #b3261e;" if missed else "")

    def _fit_columns(self) -> None:
        for table, _model in self._tables:
            table.resizeColumnsToContents()
            header = table.horizontalHeader()
            for column in range(header.count() - 1):  # long texts: the tooltip shows them
                header.resizeSection(column, min(header.sectionSize(column), 320))

    def _refit(self) -> None:
        if shiboken6.isValid(self.page):
            self._fit_columns()

    def _retranslate(self) -> None:
        for _table, model in self._tables:
            model.retranslate()
        if self.checklists is not None:
            self.checklists.retranslate()
        self._show_status()
        QTimer.singleShot(0, self._refit)


@dataclass(frozen=True)
class _Reopened:
    """A hazard whose closing was taken back (told apart from a saved one)."""

    view: safety.HazardView


__all__ = ["TABS", "SafetyPage", "SafetyScreen"]
