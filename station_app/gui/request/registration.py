"""The registration tab: complete or correct the registration answers, print
the registration form (求助登记表)."""

from __future__ import annotations

from dataclasses import fields, replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit, QPushButton
from typing_extensions import override

from station_app.domain.enums import SupportStatus
from station_app.domain.errors import N_
from station_app.gui.formatting import optional
from station_app.gui.widgets.combos import choose, fill_combo, retranslate_combo
from station_app.i18n import _
from station_app.services import desk, printouts
from station_app.services.stale_edit import StaleEdit

from .base import RequestTab
from .common import SIGNATURES

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

    def make_pdf(path: Path) -> object:
        return printouts.print_intake(ctx, request_id=request_id, out=path)

    window.open_preview(INTAKE_TITLE, make_pdf, str(request_id))


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
        self._texts: dict[str, QLineEdit | QPlainTextEdit] = {
            "brought_by": self.brought_by_edit,
            "reason": self.reason_edit,
            "without_means_since": self.since_edit,
            "belongings_carried": self.belongings_edit,
            "notes": self.notes_edit,
        }
        self._shown: desk.RegistrationDetails | None = None  # the answers last read
        # The version of the request the answers on screen agree with: a save
        # sends it, and is refused if someone else saved since.
        self._version: int | None = None
        self.map_fields(
            brought_by="regBroughtByEdit",
            reason="regReasonEdit",
            without_means_since="regSinceEdit",
            belongings_carried="regBelongingsEdit",
            notes="regNotesEdit",
        )
        self.save_button.clicked.connect(self.save)
        self.print_button.clicked.connect(lambda: print_intake_form(self.window))

    @override
    def refresh(self, sheet: desk.RequestSheet) -> None:
        """Show the record's answers; an answer typed here and not saved stays.

        A field still showing what was last read is replaced by what the
        database holds now (another desk may have completed it); one the
        clerk changed keeps the clerk's text until it is saved."""
        r = sheet.record.request
        now = desk.RegistrationDetails(
            brought_by=r.brought_by,
            support_status=r.support_status,
            reason=r.reason,
            without_means_since=r.without_means_since,
            belongings_carried=r.belongings_carried,
            photo_taken=r.photo_taken,
            fingerprint_taken=r.fingerprint_taken,
            signature=r.signature,
            notes=r.notes,
        )
        typed, shown = self.details(), self._shown
        put = [
            f.name
            for f in fields(now)
            if shown is None or getattr(typed, f.name) == getattr(shown, f.name)
        ]
        kept = [f.name for f in fields(now) if f.name not in put]
        if shown is None or all(getattr(now, n) == getattr(shown, n) for n in kept):
            # An answer the clerk is changing was not changed by another desk
            # meanwhile: saving it overwrites nothing of theirs.
            self._version = r.version
        for name in put:
            self._put(name, getattr(now, name))
        after = self.details()  # as the widgets give it back: compared next time
        self._shown = replace(shown or after, **{name: getattr(after, name) for name in put})
        self.gate(None)

    def _put(self, name: str, value: object) -> None:
        """Show one answer in its widget."""
        if name == "support_status":
            choose(self.support_combo, value)
        elif name == "signature":
            choose(self.signature_combo, value)
        elif name in ("photo_taken", "fingerprint_taken"):
            check = self.photo_check if name == "photo_taken" else self.fingerprint_check
            check.setChecked(bool(value))
        else:
            edit = self._texts[name]
            text = value if isinstance(value, str) else ""
            if isinstance(edit, QPlainTextEdit):
                edit.setPlainText(text)
            else:
                edit.setText(text)

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
        version = self._version
        self.ops.write(
            lambda: desk.update_details(ctx, request_id, details, expected_version=version),
            lambda _r: self._saved(details, version),
            failed=self._refused,
        )

    def _refused(self, exc: BaseException) -> None:
        self.ops.report(exc)
        if isinstance(exc, StaleEdit):
            # The message names what the other desk changed; every answer now
            # shows their save, for the clerk to enter their own again.
            self._shown = None
            self.window.reload()

    def _saved(self, details: desk.RegistrationDetails, version: int | None) -> None:
        # What was typed is the record's now: the next read may replace it.
        self._shown = details
        if version is not None:
            self._version = version + 1  # the save raised it by one
        self.done(DETAILS_SAVED)

    @override
    def retranslate(self) -> None:
        super().retranslate()
        retranslate_combo(self.support_combo)
        retranslate_signature_combo(self.signature_combo)
