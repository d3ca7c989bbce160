"""The registration tab: complete or correct the registration answers, print
the registration form (求助登记表)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit, QPushButton

from station_app.domain.enums import SupportStatus
from station_app.domain.errors import N_
from station_app.i18n import _
from station_app.services import desk, printouts

from .base import RequestTab
from .common import SIGNATURES, choose, fill_combo, optional, retranslate_combo

if TYPE_CHECKING:
    from station_app.gui.request_window import RequestWindow

INTAKE_TITLE = N_("Registration form")
DETAILS_SAVED = N_("The registration details are saved.")


def fill_signature_combo(combo: QComboBox) -> None:
    combo.clear()
    combo.addItem("", None)
    for key, text in SIGNATURES:
        combo.addItem(_(text), key)


def retranslate_signature_combo(combo: QComboBox) -> None:
    for i, (_key, text) in enumerate(SIGNATURES, start=1):
        if i < combo.count():
            combo.setItemText(i, _(text))


def print_intake_form(window: RequestWindow) -> None:
    """Preview the registration form of the window's request."""
    ctx, request_id = window.ctx, window.request_id

    def make_pdf(path: Path) -> None:
        printouts.print_intake(ctx, request_id=request_id, out=path)

    window.open_preview(INTAKE_TITLE, make_pdf, f"registration-{request_id}.pdf")


class RegistrationTab(RequestTab):
    def __init__(self, window: RequestWindow) -> None:
        super().__init__(window, "registration")
        self.brought_by_edit = self.child(QLineEdit, "regBroughtByEdit")
        self.support_combo = self.child(QComboBox, "regSupportCombo")
        self.reason_edit = self.child(QPlainTextEdit, "regReasonEdit")
        self.since_edit = self.child(QLineEdit, "regSinceEdit")
        self.belongings_edit = self.child(QLineEdit, "regBelongingsEdit")
        self.photo_check = self.child(QCheckBox, "regPhotoTakenCheck")
        self.fingerprint_check = self.child(QCheckBox, "regFingerprintTakenCheck")
        self.signature_combo = self.child(QComboBox, "regSignatureCombo")
        self.notes_edit = self.child(QPlainTextEdit, "regNotesEdit")
        self.save_button = self.child(QPushButton, "regSaveButton")
        self.print_button = self.child(QPushButton, "regPrintButton")
        fill_combo(self.support_combo, SupportStatus)
        fill_signature_combo(self.signature_combo)
        self.map_fields(
            brought_by="regBroughtByEdit",
            reason="regReasonEdit",
            without_means_since="regSinceEdit",
            belongings_carried="regBelongingsEdit",
            notes="regNotesEdit",
        )
        self.save_button.clicked.connect(self.save)
        self.print_button.clicked.connect(lambda: print_intake_form(self.window))

    def refresh(self, record: desk.RequestRecord) -> None:
        r = record.request
        self.brought_by_edit.setText(r.brought_by or "")
        choose(self.support_combo, r.support_status)
        self.reason_edit.setPlainText(r.reason or "")
        self.since_edit.setText(r.without_means_since or "")
        self.belongings_edit.setText(r.belongings_carried or "")
        self.photo_check.setChecked(r.photo_taken)
        self.fingerprint_check.setChecked(r.fingerprint_taken)
        choose(self.signature_combo, r.signature)
        self.notes_edit.setPlainText(r.notes or "")
        self.gate(None)

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
            notes=optional(self.notes_edit.toPlainText()),
        )

    def save(self) -> None:
        ctx, request_id, details = self.ctx, self.request_id, self.details()
        self.run(
            lambda: desk.update_details(ctx, request_id, details),
            lambda _r: self.window.show_message(_(DETAILS_SAVED), error=False),
        )

    def retranslate(self) -> None:
        super().retranslate()
        retranslate_combo(self.support_combo)
        retranslate_signature_combo(self.signature_combo)
