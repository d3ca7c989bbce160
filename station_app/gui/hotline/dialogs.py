"""The small forms of the hotline screen: a new call, who was sent and when
they arrived, the outcome of a lead, a publicity day. Each writes through
the hotline services off the GUI thread; a refusal is shown in the form
with the field at fault highlighted (see :class:`FormDialog`)."""

from __future__ import annotations

from enum import Enum

from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)
from typing_extensions import override

from station_app.domain.enums import LeadOutcome, LeadSource
from station_app.domain.errors import N_
from station_app.gui import uiloader
from station_app.gui.form_dialog import FormDialog
from station_app.gui.formatting import (
    day_of,
    moment_of,
    optional,
    reset_to_now,
    set_day,
    setup_time_edit,
    today_in_china,
)
from station_app.i18n import _
from station_app.services import hotline
from station_app.services.context import Context

from .models import OUTCOME_LABELS, SOURCE_LABELS, time_text

NEW_CALL = N_("New call")
DISPATCH_TITLE = N_("Who was sent")
ARRIVAL_TITLE = N_("Arrival on the spot")
CLOSE_TITLE = N_("Close the lead")
PUBLICITY_TITLE = N_("Publicity event")
CALL_LINE = N_("Call of {time}: {what}")
LINK_NONE = N_("Nothing recorded")
LINK_REQUEST = N_("Help request number")
LINK_ENCOUNTER = N_("Patrol encounter number")


def _fill(combo: QComboBox, labels: dict[LeadSource, str] | dict[LeadOutcome, str]) -> None:
    # Qt hands a StrEnum back as its plain string: store the value.
    for value, msgid in labels.items():
        combo.addItem(_(msgid), value.value)


def _retranslate(combo: QComboBox, labels: dict[str, str]) -> None:
    for i in range(combo.count()):
        msgid = labels.get(str(combo.itemData(i)))
        if msgid is not None:
            combo.setItemText(i, _(msgid))


def _by_value(labels: dict[LeadSource, str] | dict[LeadOutcome, str]) -> dict[str, str]:
    return {key.value: msgid for key, msgid in labels.items()}


class CallDialog(FormDialog):
    """Controller of ``ui/hotline_call.ui``: a call or tip as it comes in."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "hotline_call.ui", parent)
        dialog = self.dialog
        self.received_edit = uiloader.child(dialog, QDateTimeEdit, "receivedEdit")
        self.source_combo = uiloader.child(dialog, QComboBox, "sourceCombo")
        self.caller_edit = uiloader.child(dialog, QLineEdit, "callerEdit")
        self.phone_edit = uiloader.child(dialog, QLineEdit, "phoneEdit")
        self.place_edit = uiloader.child(dialog, QLineEdit, "placeEdit")
        self.description_edit = uiloader.child(dialog, QPlainTextEdit, "descriptionEdit")
        setup_time_edit(self.received_edit)
        reset_to_now(self.received_edit)
        _fill(self.source_combo, SOURCE_LABELS)
        self.fields = {
            "received_at": self.received_edit,
            "caller_name": self.caller_edit,
            "caller_phone": self.phone_edit,
            "place": self.place_edit,
            "description": self.description_edit,
        }
        self._retranslate()

    @override
    def save(self) -> None:
        ctx = self.ctx
        data = hotline.CallInput(
            received_at=moment_of(self.received_edit),
            source=LeadSource(self.source_combo.currentData()),
            caller_name=optional(self.caller_edit.text()),
            caller_phone=optional(self.phone_edit.text()),
            place=optional(self.place_edit.text()),
            description=optional(self.description_edit.toPlainText()),
        )
        self.ops.write(lambda: hotline.record_call(ctx, data), self.written)

    @override
    def _retranslate(self) -> None:
        self.dialog.setWindowTitle(_(NEW_CALL))
        _retranslate(self.source_combo, _by_value(SOURCE_LABELS))


def _call_line(call: hotline.CallView) -> str:
    what = call.place or call.description or ""
    return _(CALL_LINE).format(time=time_text(call.received_at), what=what)


class Step(Enum):
    DISPATCH = "dispatch"
    ARRIVAL = "arrival"


class StepDialog(FormDialog):
    """Controller of ``ui/hotline_step.ui``: who was sent and when, or when they arrived."""

    def __init__(
        self, ctx: Context, call: hotline.CallView, step: Step, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, "hotline_step.ui", parent)
        self.call, self.step = call, step
        dialog = self.dialog
        self.call_label = uiloader.child(dialog, QLabel, "callLabel")
        self.form = uiloader.child(dialog, QFormLayout, "form")
        self.sent_to_edit = uiloader.child(dialog, QLineEdit, "sentToEdit")
        self.time_edit = uiloader.child(dialog, QDateTimeEdit, "timeEdit")
        setup_time_edit(self.time_edit)
        reset_to_now(self.time_edit)
        if call.dispatched_to:
            self.sent_to_edit.setText(call.dispatched_to)
        self.form.setRowVisible(self.sent_to_edit, step is Step.DISPATCH)
        field = "dispatched_at" if step is Step.DISPATCH else "arrived_at"
        self.fields = {field: self.time_edit, "dispatched_to": self.sent_to_edit}
        self._retranslate()

    @override
    def save(self) -> None:
        ctx, call_id, at = self.ctx, self.call.id, moment_of(self.time_edit)
        if self.step is Step.DISPATCH:
            to = self.sent_to_edit.text()
            self.ops.write(lambda: hotline.dispatch(ctx, call_id, to, at), self.written)
        else:
            self.ops.write(lambda: hotline.record_arrival(ctx, call_id, at), self.written)

    @override
    def _retranslate(self) -> None:
        title = DISPATCH_TITLE if self.step is Step.DISPATCH else ARRIVAL_TITLE
        self.dialog.setWindowTitle(_(title))
        self.call_label.setText(_call_line(self.call))


LINKS = (("", LINK_NONE), ("help_request", LINK_REQUEST), ("encounter", LINK_ENCOUNTER))


class CloseDialog(FormDialog):
    """Controller of ``ui/hotline_close.ui``: the outcome, notes, and what the lead produced."""

    def __init__(self, ctx: Context, call: hotline.CallView, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "hotline_close.ui", parent)
        self.call = call
        dialog = self.dialog
        self.call_label = uiloader.child(dialog, QLabel, "callLabel")
        self.form = uiloader.child(dialog, QFormLayout, "form")
        self.outcome_combo = uiloader.child(dialog, QComboBox, "outcomeCombo")
        self.notes_edit = uiloader.child(dialog, QPlainTextEdit, "notesEdit")
        self.link_combo = uiloader.child(dialog, QComboBox, "linkCombo")
        self.link_id_spin = uiloader.child(dialog, QSpinBox, "linkIdSpin")
        _fill(self.outcome_combo, OUTCOME_LABELS)
        for key, msgid in LINKS:
            self.link_combo.addItem(_(msgid), key)
        if call.notes:
            self.notes_edit.setPlainText(call.notes)
        self.link_combo.currentIndexChanged.connect(self._show_link)
        self.fields = {
            "outcome": self.outcome_combo,
            "notes": self.notes_edit,
            "encounter_id": self.link_id_spin,
            "help_request_id": self.link_id_spin,
        }
        self._show_link()
        self._retranslate()

    def choose_outcome(self, outcome: LeadOutcome) -> None:
        self.outcome_combo.setCurrentIndex(max(self.outcome_combo.findData(outcome.value), 0))

    def link(self, kind: str, number: int) -> None:
        """What the lead produced: ``"help_request"`` or ``"encounter"`` and its number."""
        self.link_combo.setCurrentIndex(max(self.link_combo.findData(kind), 0))
        self.link_id_spin.setValue(number)

    def _show_link(self) -> None:
        self.form.setRowVisible(self.link_id_spin, bool(self.link_combo.currentData()))

    @override
    def save(self) -> None:
        ctx, call_id = self.ctx, self.call.id
        outcome = LeadOutcome(self.outcome_combo.currentData())
        notes = optional(self.notes_edit.toPlainText())
        kind, number = self.link_combo.currentData(), self.link_id_spin.value() or None
        encounter_id = number if kind == "encounter" else None
        request_id = number if kind == "help_request" else None
        self.ops.write(
            lambda: hotline.close_call(
                ctx,
                call_id,
                outcome,
                notes,
                encounter_id=encounter_id,
                help_request_id=request_id,
            ),
            self.written,
        )

    @override
    def _retranslate(self) -> None:
        self.dialog.setWindowTitle(_(CLOSE_TITLE))
        self.call_label.setText(_call_line(self.call))
        _retranslate(self.outcome_combo, _by_value(OUTCOME_LABELS))
        _retranslate(self.link_combo, dict(LINKS))


class PublicityDialog(FormDialog):
    """Controller of ``ui/hotline_publicity.ui``: a publicity day."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "hotline_publicity.ui", parent)
        dialog = self.dialog
        self.held_edit = uiloader.child(dialog, QDateEdit, "heldEdit")
        self.place_edit = uiloader.child(dialog, QLineEdit, "placeEdit")
        self.leaflets_edit = uiloader.child(dialog, QLineEdit, "leafletsEdit")
        self.consulted_edit = uiloader.child(dialog, QLineEdit, "consultedEdit")
        self.staff_edit = uiloader.child(dialog, QLineEdit, "staffEdit")
        self.notes_edit = uiloader.child(dialog, QPlainTextEdit, "notesEdit")
        set_day(self.held_edit, today_in_china())
        self.fields = {
            "held_on": self.held_edit,
            "place": self.place_edit,
            "leaflets": self.leaflets_edit,
            "people_consulted": self.consulted_edit,
            "staff_count": self.staff_edit,
            "notes": self.notes_edit,
        }
        self._retranslate()

    @override
    def save(self) -> None:
        ctx = self.ctx
        data = hotline.PublicityInput(
            held_on=day_of(self.held_edit),
            place=self.place_edit.text(),
            leaflets=self.leaflets_edit.text().strip() or 0,
            people_consulted=self.consulted_edit.text().strip() or 0,
            staff_count=self.staff_edit.text().strip() or 0,
            notes=optional(self.notes_edit.toPlainText()),
        )
        self.ops.write(lambda: hotline.record_publicity(ctx, data), self.written)

    @override
    def _retranslate(self) -> None:
        self.dialog.setWindowTitle(_(PUBLICITY_TITLE))
