"""Registering an arrival (受理 / 求助登记): pick the person from a search as
you type, or create one with the person form (which shows possible
duplicates), then the arrival's answers; the quick intake (先行救助) registers
with what is known and the request window shows what is still missing.

"Register" runs :func:`station_app.services.desk.register` off the GUI
thread (an operation of the dialog, :mod:`.ops`). A refused registration is
shown in the dialog with the field at fault highlighted, and nothing typed
is lost. After it, the dialog shows the "back within a month" flag and any
warnings, and offers the registration form (求助登记表) for printing.
"""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)
from typing_extensions import override

from station_app.domain.clock import china_date
from station_app.domain.enums import ArrivalChannel, SupportStatus
from station_app.domain.errors import N_
from station_app.gui.date_checks import BackdateCheck
from station_app.gui.formatting import moment_of, optional, reset_to_now, setup_time_edit
from station_app.gui.widgets.combos import choose, fill_combo, retranslate_combo
from station_app.gui.widgets.window import DialogController
from station_app.i18n import _
from station_app.services import desk, persons, printouts
from station_app.services.context import Context
from station_app.services.persons import SavedPerson

from . import uiloader
from .feedback import Level, MessageArea
from .ops import Ops
from .person import PersonForm
from .print_preview import PrintPreview, open_preview
from .request.registration import (
    INTAKE_TITLE,
    fill_signature_combo,
    retranslate_signature_combo,
)
from .widgets.person_picker import PersonPicker

NOBODY = N_("No person chosen yet: search, or create a new person.")
CHOSEN = N_("Registering: {name}")
CHOOSE_PERSON = N_("Choose the person from the search results, or create a new person.")
REGISTERED = N_("Registered. Open the record to continue with the security check.")
MISSING = N_("Still missing: {items}")
WARNINGS = N_("Please check: {warnings}")
NOTHING_FOUND = N_("Nobody found for “{query}”: create a new person.")

FIELD_WIDGETS = {
    "arrived_at": "arrivedEdit",
    "brought_by": "broughtByEdit",
    "reason": "reasonEdit",
    "without_means_since": "sinceEdit",
    "belongings_carried": "belongingsEdit",
    "notes": "reasonEdit",
}


class RegistrationDialog(DialogController):
    """Controller of ``ui/registration_dialog.ui``; the dialog is :attr:`dialog`."""

    registered = Signal(int)  # the new help request's id
    failed = Signal(str)  # the message shown in the dialog
    results_shown = Signal(str)  # the query whose hits are listed
    open_request = Signal(int)  # staff asked to open the record
    preview_opened = Signal(object)  # PrintPreview

    def __init__(
        self,
        ctx: Context,
        parent: QWidget | None = None,
        *,
        person_id: int | None = None,
        encounter_id: int | None = None,
    ) -> None:
        self._ctx = ctx
        self.encounter_id = encounter_id
        super().__init__("registration_dialog.ui", parent)
        dialog = self.dialog
        self.person_id: int | None = None
        self.person_name = ""
        self.request_id: int | None = None
        self.registration: desk.Registration | None = None
        self.person_form: PersonForm | None = None
        self.preview: PrintPreview | None = None

        self.person_box = uiloader.child(dialog, QGroupBox, "personBox")
        self.arrival_box = uiloader.child(dialog, QGroupBox, "arrivalBox")
        self.search_edit = uiloader.child(dialog, QLineEdit, "searchEdit")
        self.new_person_button = uiloader.child(dialog, QPushButton, "newPersonButton")
        self.results_list = uiloader.child(dialog, QListWidget, "resultsList")
        self.chosen_label = uiloader.child(dialog, QLabel, "chosenLabel")
        self.arrived_edit = uiloader.child(dialog, QDateTimeEdit, "arrivedEdit")
        self.channel_combo = uiloader.child(dialog, QComboBox, "channelCombo")
        self.brought_by_edit = uiloader.child(dialog, QLineEdit, "broughtByEdit")
        self.quick_intake_check = uiloader.child(dialog, QCheckBox, "quickIntakeCheck")
        self.support_combo = uiloader.child(dialog, QComboBox, "supportCombo")
        self.reason_edit = uiloader.child(dialog, QPlainTextEdit, "reasonEdit")
        self.since_edit = uiloader.child(dialog, QLineEdit, "sinceEdit")
        self.belongings_edit = uiloader.child(dialog, QLineEdit, "belongingsEdit")
        self.photo_check = uiloader.child(dialog, QCheckBox, "photoTakenCheck")
        self.fingerprint_check = uiloader.child(dialog, QCheckBox, "fingerprintTakenCheck")
        self.signature_combo = uiloader.child(dialog, QComboBox, "signatureCombo")
        self.message_label = uiloader.child(dialog, QLabel, "messageLabel")
        self.print_button = uiloader.child(dialog, QPushButton, "printButton")
        self.open_record_button = uiloader.child(dialog, QPushButton, "openRecordButton")
        self.register_button = uiloader.child(dialog, QPushButton, "registerButton")
        self.close_button = uiloader.child(dialog, QPushButton, "closeButton")

        self.feedback = MessageArea(
            self.message_label,
            {f: uiloader.child(dialog, QWidget, name) for f, name in FIELD_WIDGETS.items()},
            on_refusal=self.failed.emit,
        )
        busy = [self.person_box, self.arrival_box, self.register_button]
        self.ops = Ops(self, busy=busy, feedback=self.feedback)
        self.dates = BackdateCheck(dialog, self.ops, ctx)  # asks for a far-back arrival
        setup_time_edit(self.arrived_edit)
        reset_to_now(self.arrived_edit)
        fill_combo(self.channel_combo, ArrivalChannel)
        fill_combo(self.support_combo, SupportStatus)
        choose(self.support_combo, SupportStatus.UNKNOWN)
        fill_signature_combo(self.signature_combo)
        self.print_button.hide()
        self.open_record_button.hide()
        self.register_button.setDefault(True)

        self.picker = PersonPicker(ctx, self.search_edit, self.results_list, self)
        self.picker.chosen.connect(self.choose_person)
        self.picker.shown.connect(self._results_listed)
        self.picker.failed.connect(lambda text: self.feedback.show(text, Level.ERROR))
        self.new_person_button.clicked.connect(self.new_person)
        self.register_button.clicked.connect(self.register)
        self.print_button.clicked.connect(self.print_form)
        self.open_record_button.clicked.connect(self._open_record)
        self.close_button.clicked.connect(self.close)
        if encounter_id is not None:
            choose(self.channel_combo, ArrivalChannel.PATROL)
        self._show_chosen()
        if person_id is not None:
            self.choose_person_id(person_id)

    # ------------------------------------------------------------ the person

    def _results_listed(self, query: str, count: int) -> None:
        if count:
            self.feedback.clear()
        else:
            self.feedback.tell(NOTHING_FOUND, Level.WARNING, query=query)
        self.results_shown.emit(query)

    def choose_person(self, person_id: int, name: str) -> None:
        self.person_id, self.person_name = person_id, name
        self.feedback.clear()
        self._show_chosen()

    def choose_person_id(self, person_id: int) -> None:
        """Register a person on record, known by id: the name is read first."""
        ctx = self._ctx
        self.ops.query(
            lambda: persons.get_person(ctx, person_id),
            lambda person: self.choose_person(person.id, person.display_name),
        )

    def _show_chosen(self) -> None:
        if self.person_id is None:
            self.chosen_label.setText(_(NOBODY))
        else:
            self.chosen_label.setText(_(CHOSEN).format(name=self.person_name))

    def new_person(self) -> PersonForm:
        """The person form for someone not on record; saved, they are chosen."""
        form = PersonForm(self._ctx, None, self.dialog)
        # What was searched for is where the new person's details begin.
        form.identity.start_with(self.search_edit.text())
        form.saved.connect(self._person_saved)
        form.open_person.connect(self._existing_chosen)
        self.person_form = form
        form.show()
        return form

    def _person_saved(self, saved: SavedPerson) -> None:
        if shiboken6.isValid(self.dialog):
            self.choose_person(saved.person.id, saved.person.display_name)

    def _existing_chosen(self, person_id: int) -> None:
        if shiboken6.isValid(self.dialog):
            self.choose_person_id(person_id)
            if self.person_form is not None and shiboken6.isValid(self.person_form.dialog):
                self.person_form.close()

    # ------------------------------------------------------------ registering

    def details(self) -> desk.RegistrationDetails:
        support = self.support_combo.currentData()
        return desk.RegistrationDetails(
            brought_by=optional(self.brought_by_edit.text()),
            support_status=SupportStatus(support) if support else SupportStatus.UNKNOWN,
            reason=optional(self.reason_edit.toPlainText()),
            without_means_since=optional(self.since_edit.text()),
            belongings_carried=optional(self.belongings_edit.text()),
            photo_taken=self.photo_check.isChecked(),
            fingerprint_taken=self.fingerprint_check.isChecked(),
            signature=self.signature_combo.currentData() or None,
        )

    def register(self) -> None:
        if self.request_id is not None:
            return
        self.feedback.clear()
        if self.person_id is None:
            self.feedback.tell(CHOOSE_PERSON, Level.ERROR)
            self.feedback.point_at(self.search_edit, None)
            self.failed.emit(self.feedback.text)
            return
        data = desk.RegistrationInput(
            arrived_at=moment_of(self.arrived_edit),
            channel=ArrivalChannel(self.channel_combo.currentData()),
            person_id=self.person_id,
            quick_intake=self.quick_intake_check.isChecked(),
            details=self.details(),
            encounter_id=self.encounter_id,
        )
        ctx = self._ctx
        self.dates.confirm(
            [("arrived_at", china_date(data.arrived_at))],
            lambda: self.ops.write(lambda: desk.register(ctx, data), self._registered),
        )

    def _registered(self, result: desk.Registration) -> None:
        self.registration = result
        self.request_id = result.request.id
        # Registered: the answers are the record's now; edit them there.
        self.person_box.setEnabled(False)
        self.arrival_box.setEnabled(False)
        self.register_button.hide()
        self.print_button.show()
        self.open_record_button.show()
        self._show_result()
        self.registered.emit(result.request.id)

    def result_text(self, result: desk.Registration) -> str:
        lines = [_(REGISTERED)]
        if result.returned is not None:
            lines.append(_(result.returned.message).format(**result.returned.params))
        if result.missing:
            items = "; ".join(_(m.label) for m in result.missing)
            lines.append(_(MISSING).format(items=items))
        if result.warnings:
            text = " ".join(w.render(_) for w in result.warnings)
            lines.append(_(WARNINGS).format(warnings=text))
        return "\n".join(lines)

    def _show_result(self) -> None:
        result = self.registration
        if result is not None:
            level = Level.WARNING if result.returned is not None else Level.INFORMATION
            self.feedback.show(self.result_text(result), level)

    # ------------------------------------------------------------ afterwards

    def print_form(self) -> PrintPreview | None:
        """Preview the registration form (求助登记表) of the new request."""
        request_id = self.request_id
        if request_id is None:
            return None
        ctx = self._ctx

        def make_pdf(path: Path) -> object:
            return printouts.print_intake(ctx, request_id=request_id, out=path)

        self.preview = open_preview(
            INTAKE_TITLE,
            make_pdf,
            self.dialog,
            str(request_id),
            self.preview_opened,
        )
        return self.preview

    def _open_record(self) -> None:
        if self.request_id is not None:
            self.open_request.emit(self.request_id)
            # The record carries on from here: the dialog would only hide behind it.
            self.close()

    @override
    def _retranslate(self) -> None:
        retranslate_combo(self.channel_combo)
        retranslate_combo(self.support_combo)
        retranslate_signature_combo(self.signature_combo)
        self._show_chosen()
        self.picker.retranslate()
        self._show_result()
