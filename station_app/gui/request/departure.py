"""The departure tab: the outcome, the fields that outcome needs (the others
hidden), belongings handed back, cash for a local fare against a receipt;
then the departure record (在站服务及离站登记表) and the self-departure
declaration (自行离站声明书) printed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)
from typing_extensions import override

from station_app.domain.clock import china_date
from station_app.domain.enums import (
    OPEN_STATUSES,
    DepartureOutcome,
    DocumentKind,
    TransferDestination,
)
from station_app.domain.errors import N_, ValidationError
from station_app.domain.labels import enum_label
from station_app.gui.date_checks import BackdateCheck
from station_app.gui.formatting import (
    china_text,
    moment_of,
    now_minute,
    optional,
    reset_to_now,
    set_moment,
    yuan,
)
from station_app.gui.widgets.combos import fill_combo, retranslate_combo
from station_app.i18n import _
from station_app.services import desk, printouts

from .base import RequestTab

if TYPE_CHECKING:
    from station_app.gui.request_window import RequestWindow

Out = DepartureOutcome
DEPARTURE_TITLE = N_("In-station service and departure record")
DECLARATION_TITLE = N_("Self-departure declaration")
CLOSED = N_("This help request is {status}: a departure cannot be recorded for it.")
DEPARTED = N_("Left {time}: {outcome}. Record no. {number}.")
STILL_HELD = N_("The station still holds {count} of the person's belongings.")
CASH = N_("Cash given: {amount} yuan (receipt signed).")
NO_OUTCOME = N_("Choose how the person left.")
RECORDED = N_("The departure is recorded. Print the departure record for the file.")
_CASH = ("cashEdit", "cashReceiptCheck")
# The inputs each outcome asks for besides the time and the remarks.
OUTCOME_FIELDS: dict[DepartureOutcome, tuple[str, ...]] = {
    Out.RETURNED_HOME_VOUCHER: (
        "voucherRouteEdit",
        "voucherCostEdit",
        "viaTransferCheck",
        "transferStationEdit",
        "destinationEdit",
        *_CASH,
    ),
    Out.ESCORTED_HOME: ("escortEdit", "destinationEdit", *_CASH),
    Out.COLLECTED_BY_FAMILY: ("collectorNameEdit", "collectorIdEdit", "collectorRelationEdit"),
    Out.SELF_DEPARTURE: ("destinationEdit", *_CASH),
    Out.LEFT_WITHOUT_NOTICE: (),
    Out.TRANSFERRED: ("transferToCombo", "destinationEdit", "escortEdit"),
    Out.TERMINATED: ("destinationEdit", *_CASH),
    Out.DIED: (),
    Out.OTHER: ("destinationEdit", *_CASH),
}
_OPTIONAL_NAMES = (
    "voucherRouteEdit",
    "voucherCostEdit",
    "viaTransferCheck",
    "transferStationEdit",
    "escortEdit",
    "collectorNameEdit",
    "collectorIdEdit",
    "collectorRelationEdit",
    "transferToCombo",
    "destinationEdit",
    "cashEdit",
    "cashReceiptCheck",
)
_BELONGINGS = ("departureReturnedByEdit", "departureSignedCheck")
# Nobody is there to sign for the belongings (they stay held).
_ABSENT = (Out.LEFT_WITHOUT_NOTICE, Out.DIED)


class DepartureTab(RequestTab):
    def __init__(self, window: RequestWindow) -> None:
        super().__init__(window, "departure")
        self.form = self.child(QFormLayout, "departureForm")
        self.outcome_combo = self.child(QComboBox, "outcomeCombo")
        self.departed_at_edit = self.time_edit("departedAtEdit")
        self.dates = BackdateCheck(window.dialog, self.ops, self.ctx)  # asks for a far-back day
        self.voucher_route_edit = self.child(QLineEdit, "voucherRouteEdit")
        self.voucher_cost_edit = self.child(QLineEdit, "voucherCostEdit")
        self.via_transfer_check = self.child(QCheckBox, "viaTransferCheck")
        self.transfer_station_edit = self.child(QLineEdit, "transferStationEdit")
        self.escort_edit = self.child(QLineEdit, "escortEdit")
        self.collector_name_edit = self.child(QLineEdit, "collectorNameEdit")
        self.collector_id_edit = self.child(QLineEdit, "collectorIdEdit")
        self.collector_relation_edit = self.child(QLineEdit, "collectorRelationEdit")
        self.transfer_to_combo = self.child(QComboBox, "transferToCombo")
        self.destination_edit = self.child(QLineEdit, "destinationEdit")
        self.cash_edit = self.child(QLineEdit, "cashEdit")
        self.cash_receipt_check = self.child(QCheckBox, "cashReceiptCheck")
        self.returned_by_edit = self.child(QLineEdit, "departureReturnedByEdit")
        self.signed_check = self.child(QCheckBox, "departureSignedCheck")
        self.notes_edit = self.child(QPlainTextEdit, "departureNotesEdit")
        self.record_button = self.child(QPushButton, "recordDepartureButton")
        self.departure_label = self.child(QLabel, "departureLabel")
        self.print_button = self.child(QPushButton, "printDepartureButton")
        self.declaration_button = self.child(QPushButton, "printDeclarationButton")
        fill_combo(self.outcome_combo, DepartureOutcome, blank=True)
        fill_combo(self.transfer_to_combo, TransferDestination, blank=True)
        self.map_fields(
            outcome="outcomeCombo",
            departed_at="departedAtEdit",
            voucher_route="voucherRouteEdit",
            voucher_cost="voucherCostEdit",
            transfer_city_station="transferStationEdit",
            escort_staff="escortEdit",
            collector_name="collectorNameEdit",
            collector_id_number="collectorIdEdit",
            collector_relation="collectorRelationEdit",
            transfer_to="transferToCombo",
            destination="destinationEdit",
            cash_given="cashEdit",
            cash_receipt_signed="cashReceiptCheck",
            returned_by="departureReturnedByEdit",
            returned_at="departedAtEdit",
            signed="departureSignedCheck",
            notes="departureNotesEdit",
        )
        self.outcome_combo.currentIndexChanged.connect(self.show_outcome_fields)
        self.via_transfer_check.toggled.connect(self.show_outcome_fields)
        self.record_button.clicked.connect(self.record)
        self.print_button.clicked.connect(self.print_record)
        self.declaration_button.clicked.connect(self.print_declaration)
        self._held = 0
        self._record: desk.RequestRecord | None = None
        self.show_outcome_fields()

    def outcome(self) -> DepartureOutcome | None:
        value = self.outcome_combo.currentData()
        return DepartureOutcome(value) if value else None

    def _widget(self, name: str) -> QWidget:
        return self.child(QWidget, name)

    def show_outcome_fields(self) -> None:
        """Show the inputs the chosen outcome needs; hide the rest (kept, not sent)."""
        outcome = self.outcome()
        wanted = set(OUTCOME_FIELDS.get(outcome, ())) if outcome else set()
        if not self.via_transfer_check.isChecked():
            wanted.discard("transferStationEdit")
        for name in _OPTIONAL_NAMES:
            self.form.setRowVisible(self._widget(name), name in wanted)
        belongings = self._held > 0 and outcome is not None and outcome not in _ABSENT
        for name in _BELONGINGS:
            self.form.setRowVisible(self._widget(name), belongings)

    def _shown(self, name: str) -> bool:
        outcome = self.outcome()
        return outcome is not None and name in OUTCOME_FIELDS[outcome]

    @override
    def refresh(self, sheet: desk.RequestSheet) -> None:
        record = sheet.record
        self._record = record
        status = record.request.status
        is_open = status in OPEN_STATUSES
        self.gate(None)
        self._held = sum(1 for c in record.custody if c.returned_at is None)
        for widget in (self.outcome_combo, self.departed_at_edit, self.record_button):
            widget.setEnabled(is_open)
        if not is_open and record.departure is None:
            self.gate(CLOSED, status=_(enum_label(status)))
        d = record.departure
        if d is not None:  # the time recorded, not the minute it is now
            set_moment(self.departed_at_edit, d.departed_at)
        else:
            reset_to_now(self.departed_at_edit)
        self.print_button.setEnabled(d is not None)
        self.declaration_button.setEnabled(
            is_open or (d is not None and d.outcome is Out.SELF_DEPARTURE)
        )
        self._show_departure()
        self.show_outcome_fields()

    def _show_departure(self) -> None:
        record = self._record
        if record is None:
            return
        d = record.departure
        lines: list[str] = []
        if d is not None:
            lines.append(
                _(DEPARTED).format(
                    time=china_text(d.departed_at),
                    outcome=_(enum_label(d.outcome)),
                    number=d.document_number or "",
                )
            )
            if d.cash_given:
                lines.append(_(CASH).format(amount=yuan(d.cash_given)))
        if self._held:
            lines.append(_(STILL_HELD).format(count=self._held))
        self.departure_label.setText("\n".join(lines))

    def departure_input(self) -> desk.DepartureInput | None:
        outcome = self.outcome()
        if outcome is None:
            return None

        def value(edit: QLineEdit) -> str | None:
            return optional(edit.text()) if self._shown(edit.objectName()) else None

        transfer = self.transfer_to_combo.currentData()
        via = self._shown("viaTransferCheck") and self.via_transfer_check.isChecked()
        returning = None
        if self._held and outcome not in _ABSENT:
            returning = desk.ReturnInput(
                returned_at=now_minute(),
                returned_by=self.returned_by_edit.text(),
                signed=self.signed_check.isChecked(),
            )
        return desk.DepartureInput(
            outcome=outcome,
            departed_at=moment_of(self.departed_at_edit),
            destination=value(self.destination_edit),
            transfer_to=TransferDestination(transfer)
            if transfer and self._shown("transferToCombo")
            else None,
            voucher_route=value(self.voucher_route_edit),
            voucher_cost=value(self.voucher_cost_edit),
            via_transfer_city=via,
            transfer_city_station=value(self.transfer_station_edit) if via else None,
            escort_staff=value(self.escort_edit),
            collector_name=value(self.collector_name_edit),
            collector_id_number=value(self.collector_id_edit),
            collector_relation=value(self.collector_relation_edit),
            cash_given=value(self.cash_edit),
            cash_receipt_signed=self._shown("cashReceiptCheck")
            and self.cash_receipt_check.isChecked(),
            notes=optional(self.notes_edit.toPlainText()),
            return_belongings=returning,
        )

    def record(self) -> None:
        data = self.departure_input()
        if data is None:
            self.window.feedback.refusal(
                ValidationError(NO_OUTCOME, field="outcome"), {"outcome": self.outcome_combo}
            )
            return
        ctx, request_id = self.ctx, self.request_id
        self.dates.confirm(
            [("departed_at", china_date(data.departed_at))],
            lambda: self.ops.write(
                lambda: desk.record_departure(ctx, request_id, data),
                lambda _r: self.done(RECORDED),
            ),
        )

    def print_record(self) -> None:
        ctx, request_id = self.ctx, self.request_id

        def make_pdf(path: Path) -> object:
            return printouts.print_notice(ctx, request_id, DocumentKind.DEPARTURE_RECORD, path)

        self.window.open_preview(DEPARTURE_TITLE, make_pdf, str(request_id))

    def print_declaration(self) -> None:
        ctx, request_id = self.ctx, self.request_id

        def make_pdf(path: Path) -> object:
            return printouts.print_notice(ctx, request_id, DocumentKind.SELF_DEPARTURE, path)

        self.window.open_preview(DECLARATION_TITLE, make_pdf, str(request_id))

    @override
    def retranslate(self) -> None:
        super().retranslate()
        retranslate_combo(self.outcome_combo)
        retranslate_combo(self.transfer_to_combo)
        self._show_departure()
