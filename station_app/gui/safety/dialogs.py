"""The safety page's small forms: a check item by item, a hazard and its
closing, an incident, a visitor, the month's sign-off.

Every form writes through :mod:`station_app.services.safety` on the writer
thread. A change touching a month already signed off needs a reason: the
reason field is shown when the record's month is known to be signed, and
whenever the service asks for one (a check entered late into a signed month),
so the clerk writes it and saves again; nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)
from typing_extensions import override

from station_app.domain.enums import SafetyCheckKind
from station_app.domain.errors import N_, UserError
from station_app.gui import uiloader
from station_app.gui.form_dialog import FormDialog
from station_app.gui.formatting import (
    china_text,
    day_of,
    day_text,
    moment_of,
    optional,
    reset_to_now,
    set_day,
    set_moment,
    setup_time_edit,
    today_in_china,
)
from station_app.gui.widgets.combos import choose, fill_combo, retranslate_combo
from station_app.i18n import _
from station_app.services import safety
from station_app.services.context import Context

CHECK_TITLE = N_("Record a safety check")
CORRECT_CHECK_TITLE = N_("Correct the check of {time}")
CHECKERS_TOGETHER = N_(
    "This check is done by {needed} staff together: enter every name, one per line."
)
NIGHT_ROUND_HINT = N_(
    "A night round is done by two staff together, with a count of the beds against the "
    "register: enter both names, one per line."
)
ONE_CHECKER = N_("Enter the name of whoever checked.")
ITEM_HEADERS = (N_("Checklist item"), N_("Passed"), N_("Failed"), N_("Note"))
NEW_HAZARD_TITLE = N_("New hazard")
HAZARD_TITLE = N_("Hazard found on {day}")
CLOSE_TITLE = N_("Close the hazard")
HAZARD_SUMMARY = N_("{description} (who sees to it: {owner}, deadline {deadline})")
SIGNOFF_TITLE = N_("Sign off the safety log of {month}")
SIGNOFF_SUMMARY = N_(
    "{month}: {checks} checks ({failed} with an item failed), {missed} missed, "
    "{hazards} hazards opened, {incidents} incidents, {visitors} visitors."
)
DEFAULT_DEADLINE_DAYS = 7  # a new hazard's deadline until the clerk sets one
REASON_FIELD = "amendment_reason"


class SafetyDialog(FormDialog):
    """A safety form with the reason for a change to a signed month."""

    def __init__(self, ctx: Context, form: str, parent: QWidget | None, *, signed: bool) -> None:
        super().__init__(ctx, form, parent)
        self.reason_label = uiloader.child(self.dialog, QLabel, "reasonLabel")
        self.reason_edit = uiloader.child(self.dialog, QLineEdit, "reasonEdit")
        self.feedback.on_refusal = self._refused
        self.show_reason(signed)

    def show_reason(self, shown: bool) -> None:
        self.reason_label.setVisible(shown)
        self.reason_edit.setVisible(shown)

    @property
    def reason(self) -> str | None:
        return optional(self.reason_edit.text()) if self.reason_edit.isVisible() else None

    def _refused(self, text: str) -> None:
        shown = self.feedback.showing
        if isinstance(shown, UserError) and shown.field == REASON_FIELD:
            self.show_reason(True)
            self.reason_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self.failed.emit(text)


# ====================================================================== checks


class CheckDialog(SafetyDialog):
    """A check against the station's checklist of its kind, item by item."""

    def __init__(
        self,
        ctx: Context,
        templates: Sequence[safety.TemplateView],
        parent: QWidget | None = None,
        *,
        check: safety.CheckView | None = None,
        kind: SafetyCheckKind | None = None,
        checker: str | None = None,
        signed: bool = False,
    ) -> None:
        super().__init__(
            ctx, "safety_check.ui", parent, signed=signed or bool(check and check.month_signed)
        )
        dialog = self.dialog
        child = uiloader.child
        self.check = check
        self.templates = {t.kind: t for t in templates}
        self.kind_combo = child(dialog, QComboBox, "kindCombo")
        self.checked_at_edit = child(dialog, QDateTimeEdit, "checkedAtEdit")
        self.checked_by_edit = child(dialog, QPlainTextEdit, "checkedByEdit")
        self.checkers_hint = child(dialog, QLabel, "checkersHint")
        self.items_table = child(dialog, QTableWidget, "itemsTable")
        self.all_passed_button = child(dialog, QPushButton, "allPassedButton")
        self.findings_edit = child(dialog, QPlainTextEdit, "findingsEdit")
        setup_time_edit(self.checked_at_edit)
        self.checked_by_edit.setMaximumHeight(72)
        self.findings_edit.setMaximumHeight(72)
        self.rows: list[tuple[str, QRadioButton, QRadioButton, QLineEdit]] = []
        self._groups: list[QButtonGroup] = []
        self.items_table.setColumnCount(len(ITEM_HEADERS))
        self.items_table.verticalHeader().hide()
        header = self.items_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.fields = {
            "check_kind": self.kind_combo,
            "checked_at": self.checked_at_edit,
            "checked_by": self.checked_by_edit,
            "checklist": self.items_table,
            "findings": self.findings_edit,
            REASON_FIELD: self.reason_edit,
        }
        self.feedback.rows = self._row_at_fault
        if check is None:
            kinds = [t.kind for t in templates if t.active]
            fill_combo(self.kind_combo, kinds)
            choose(self.kind_combo, kind if kind in kinds else (kinds[0] if kinds else None))
            reset_to_now(self.checked_at_edit, force=True)
            if checker:
                self.checked_by_edit.setPlainText(checker + "\n")
        else:
            fill_combo(self.kind_combo, [check.kind])
            self.kind_combo.setEnabled(False)
            set_moment(self.checked_at_edit, check.checked_at)
            self.checked_by_edit.setPlainText("\n".join(check.checked_by))
            self.findings_edit.setPlainText(check.findings or "")
        self._fill_items()
        self.kind_combo.currentIndexChanged.connect(lambda _i: self._fill_items())
        self.all_passed_button.clicked.connect(self.all_passed)
        self._retranslate()

    @property
    def kind(self) -> SafetyCheckKind | None:
        value = self.kind_combo.currentData()
        return SafetyCheckKind(value) if value else None

    def _fill_items(self) -> None:
        """The checklist of the chosen kind (a correction: the items it was recorded with)."""
        kind = self.kind
        template = self.templates.get(kind) if kind is not None else None
        answers: dict[str, safety.ItemResultView] = {}
        if self.check is not None:
            answers = {i.item: i for i in self.check.items}
            items: Sequence[str] = [i.item for i in self.check.items]
        else:
            items = template.items if template is not None else ()
        table = self.items_table
        table.setRowCount(0)
        self.rows, self._groups = [], []
        table.setRowCount(len(items))
        for row, item in enumerate(items):
            cell = QTableWidgetItem(item)
            cell.setFlags(Qt.ItemFlag.ItemIsEnabled)
            cell.setToolTip(item)
            table.setItem(row, 0, cell)
            passed, failed = QRadioButton(table), QRadioButton(table)
            passed.setObjectName(f"itemPassed{row}")
            failed.setObjectName(f"itemFailed{row}")
            group = QButtonGroup(table)
            group.addButton(passed)
            group.addButton(failed)
            note = QLineEdit(table)
            note.setObjectName(f"itemNote{row}")
            answer = answers.get(item)
            if answer is not None and answer.ok is not None:
                (passed if answer.ok else failed).setChecked(True)
            if answer is not None:
                note.setText(answer.note)
            table.setCellWidget(row, 1, passed)
            table.setCellWidget(row, 2, failed)
            table.setCellWidget(row, 3, note)
            self.rows.append((item, passed, failed, note))
            self._groups.append(group)
        table.resizeColumnToContents(1)
        table.resizeColumnToContents(2)
        self._hint()

    def all_passed(self) -> None:
        """Mark every item not yet answered as passed."""
        for _item, passed, failed, _note in self.rows:
            if not failed.isChecked():
                passed.setChecked(True)

    def answer(self, row: int, ok: bool, note: str = "") -> None:
        """Answer one item (what a clerk does with the mouse and the keyboard)."""
        _item, passed, failed, edit = self.rows[row]
        (passed if ok else failed).setChecked(True)
        edit.setText(note)

    def _row_at_fault(self, exc: UserError) -> QWidget | None:
        if exc.field not in ("checklist", "item_note") or exc.row is None:
            return None
        if not 0 <= exc.row < len(self.rows):
            return None
        _item, passed, _failed, note = self.rows[exc.row]
        cell = self.items_table.item(exc.row, 0)
        if cell is not None:
            self.items_table.scrollToItem(cell)
        return note if exc.field == "item_note" else passed

    def data(self) -> safety.CheckInput:
        kind = self.kind
        assert kind is not None
        results = [
            safety.ItemResult(item, passed.isChecked(), optional(note.text()))
            for item, passed, failed, note in self.rows
            if passed.isChecked() or failed.isChecked()
        ]
        return safety.CheckInput(
            kind=kind,
            checked_at=moment_of(self.checked_at_edit),
            checked_by=self.checked_by_edit.toPlainText().splitlines(),
            items=results,
            findings=optional(self.findings_edit.toPlainText()),
        )

    @override
    def save(self) -> None:
        if self.kind is None:
            return
        ctx, data, reason, check = self.ctx, self.data(), self.reason, self.check
        if check is None:
            self.ops.write(lambda: safety.record_check(ctx, data, reason=reason), self.written)
        else:
            self.ops.write(
                lambda: safety.update_check(ctx, check.id, data, reason=reason), self.written
            )

    @override
    def _retranslate(self) -> None:
        if self.check is None:
            self.dialog.setWindowTitle(_(CHECK_TITLE))
        else:
            self.dialog.setWindowTitle(
                _(CORRECT_CHECK_TITLE).format(time=china_text(self.check.checked_at))
            )
        retranslate_combo(self.kind_combo)
        self.items_table.setHorizontalHeaderLabels([_(h) for h in ITEM_HEADERS])
        self._hint()

    def _hint(self) -> None:
        """Who checks: two staff for a night round, one name per line."""
        kind = self.kind
        template = self.templates.get(kind) if kind is not None else None
        needed = template.checkers_needed if template is not None else 1
        if kind is SafetyCheckKind.NIGHT_ROUND:
            self.checkers_hint.setText(_(NIGHT_ROUND_HINT))
        elif needed > 1:
            self.checkers_hint.setText(_(CHECKERS_TOGETHER).format(needed=needed))
        else:
            self.checkers_hint.setText(_(ONE_CHECKER))


# ====================================================================== hazards


class HazardDialog(SafetyDialog):
    """A hazard found: what, where, who sees to it, by when."""

    def __init__(
        self,
        ctx: Context,
        parent: QWidget | None = None,
        *,
        hazard: safety.HazardView | None = None,
        signed: bool = False,
    ) -> None:
        super().__init__(
            ctx, "safety_hazard.ui", parent, signed=signed or bool(hazard and hazard.month_signed)
        )
        dialog = self.dialog
        child = uiloader.child
        self.hazard = hazard
        self.found_on_edit = child(dialog, QDateEdit, "foundOnEdit")
        self.description_edit = child(dialog, QPlainTextEdit, "descriptionEdit")
        self.location_edit = child(dialog, QLineEdit, "locationEdit")
        self.owner_edit = child(dialog, QLineEdit, "ownerEdit")
        self.deadline_edit = child(dialog, QDateEdit, "deadlineEdit")
        self.fields = {
            "found_on": self.found_on_edit,
            "description": self.description_edit,
            "location": self.location_edit,
            "owner": self.owner_edit,
            "deadline": self.deadline_edit,
            REASON_FIELD: self.reason_edit,
        }
        if hazard is None:
            today = today_in_china()
            set_day(self.found_on_edit, today)
            set_day(self.deadline_edit, today + timedelta(days=DEFAULT_DEADLINE_DAYS))
        else:
            set_day(self.found_on_edit, hazard.found_on)
            self.description_edit.setPlainText(hazard.description)
            self.location_edit.setText(hazard.location or "")
            self.owner_edit.setText(hazard.owner)
            set_day(self.deadline_edit, hazard.deadline)
        self._retranslate()

    def data(self) -> safety.HazardInput:
        hazard = self.hazard
        return safety.HazardInput(
            found_on=day_of(self.found_on_edit),
            description=self.description_edit.toPlainText(),
            owner=self.owner_edit.text(),
            deadline=day_of(self.deadline_edit),
            location=optional(self.location_edit.text()),
            safety_check_id=hazard.safety_check_id if hazard is not None else None,
        )

    @override
    def save(self) -> None:
        ctx, data, reason, hazard = self.ctx, self.data(), self.reason, self.hazard
        if hazard is None:
            self.ops.write(lambda: safety.open_hazard(ctx, data, reason=reason), self.written)
        else:
            self.ops.write(
                lambda: safety.update_hazard(ctx, hazard.id, data, reason=reason), self.written
            )

    @override
    def _retranslate(self) -> None:
        if self.hazard is None:
            self.dialog.setWindowTitle(_(NEW_HAZARD_TITLE))
        else:
            day = day_text(self.hazard.found_on)
            self.dialog.setWindowTitle(_(HAZARD_TITLE).format(day=day))


class HazardCloseDialog(SafetyDialog):
    """The day a hazard was dealt with, and how."""

    def __init__(
        self,
        ctx: Context,
        hazard: safety.HazardView,
        parent: QWidget | None = None,
        *,
        signed: bool = False,
    ) -> None:
        super().__init__(
            ctx, "safety_hazard_close.ui", parent, signed=signed or hazard.month_signed
        )
        dialog = self.dialog
        self.hazard = hazard
        self.hazard_label = uiloader.child(dialog, QLabel, "hazardLabel")
        self.closed_on_edit = uiloader.child(dialog, QDateEdit, "closedOnEdit")
        self.how_edit = uiloader.child(dialog, QPlainTextEdit, "howEdit")
        self.fields = {
            "closed_on": self.closed_on_edit,
            "closing_note": self.how_edit,
            REASON_FIELD: self.reason_edit,
        }
        set_day(self.closed_on_edit, today_in_china())
        self._retranslate()

    @override
    def save(self) -> None:
        ctx, reason, hazard_id = self.ctx, self.reason, self.hazard.id
        closing = safety.HazardClosing(day_of(self.closed_on_edit), self.how_edit.toPlainText())
        self.ops.write(
            lambda: safety.close_hazard(ctx, hazard_id, closing, reason=reason), self.written
        )

    @override
    def _retranslate(self) -> None:
        h = self.hazard
        self.dialog.setWindowTitle(_(CLOSE_TITLE))
        self.hazard_label.setText(
            _(HAZARD_SUMMARY).format(
                description=h.description, owner=h.owner, deadline=day_text(h.deadline)
            )
        )


# ====================================================================== sign-off


class SignoffDialog(FormDialog):
    """The manager signs a month's log off, with what it holds in one line."""

    def __init__(
        self, ctx: Context, log: safety.SafetyLogView, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, "safety_signoff.ui", parent)
        self.log = log
        self.summary_label = uiloader.child(self.dialog, QLabel, "summaryLabel")
        self.notes_edit = uiloader.child(self.dialog, QPlainTextEdit, "notesEdit")
        self.fields = {"month": self.summary_label, "signoff_notes": self.notes_edit}
        self._retranslate()

    @override
    def save(self) -> None:
        ctx, year, month = self.ctx, self.log.year, self.log.month
        notes = optional(self.notes_edit.toPlainText())
        self.ops.write(lambda: safety.sign_off(ctx, year, month, notes), self.written)

    @override
    def _retranslate(self) -> None:
        log, f = self.log, self.log.figures
        self.dialog.setWindowTitle(_(SIGNOFF_TITLE).format(month=log.month_text))
        self.summary_label.setText(
            _(SIGNOFF_SUMMARY).format(
                month=log.month_text,
                checks=f.checks,
                failed=f.failed,
                missed=f.missed,
                hazards=f.hazards_opened,
                incidents=f.incidents,
                visitors=f.visitors,
            )
        )


__all__ = [
    "CheckDialog",
    "HazardCloseDialog",
    "HazardDialog",
    "SignoffDialog",
]
