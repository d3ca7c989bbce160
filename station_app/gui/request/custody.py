"""The security check and custody tab: two staff, dangerous items to the
police, the belongings held, and handing them back against a signature."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)
from typing_extensions import override

from station_app.domain.enums import OPEN_STATUSES, RequestStatus
from station_app.domain.errors import N_, UserError, ValidationError
from station_app.domain.labels import enum_label
from station_app.gui.feedback import FieldsOf
from station_app.gui.formatting import (
    china_text,
    moment_of,
    now_minute,
    optional,
    reset_to_now,
    yuan,
)
from station_app.gui.widgets.tables import fill_table, set_headers, setup_table
from station_app.i18n import _
from station_app.services import desk, users
from station_app.services.users import UserView

from .base import RequestTab

if TYPE_CHECKING:
    from station_app.gui.request_window import RequestWindow

NEW_ITEM_HEADERS = (N_("Item"), N_("Quantity"), N_("Condition"), N_("Cash (yuan)"))
HELD_HEADERS = (
    N_("Item"),
    N_("Quantity"),
    N_("Condition"),
    N_("Cash (yuan)"),
    N_("Received by"),
    N_("Handed back"),
)
CLOSED = N_("This help request is {status}: a security check can no longer be recorded.")
BAD_QUANTITY = N_("Write the quantity of {item} as a whole number, e.g. 2.")
CHECK_SAVED = N_("The security check is recorded.")
RETURNED = N_("The belongings are handed back.")
RETURNED_ON = N_("{time}, by {staff}")


class CustodyTab(RequestTab):
    def __init__(self, window: RequestWindow) -> None:
        super().__init__(window, "custody")
        self.check_box = self.child(QGroupBox, "checkBox")
        self.checked_at_edit = self.time_edit("checkedAtEdit")
        self.checked_by_edit = self.child(QLineEdit, "checkedByEdit")
        self.second_staff_edit = self.child(QLineEdit, "secondStaffEdit")
        self.dangerous_edit = self.child(QLineEdit, "dangerousEdit")
        self.police_check = self.child(QCheckBox, "handedToPoliceCheck")
        self.police_receiver_edit = self.child(QLineEdit, "policeReceiverEdit")
        self.items_table = self.child(QTableWidget, "newItemsTable")
        self.add_item_button = self.child(QPushButton, "addItemButton")
        self.remove_item_button = self.child(QPushButton, "removeItemButton")
        self.record_button = self.child(QPushButton, "recordCheckButton")
        self.held_table = self.child(QTableWidget, "heldTable")
        self.returned_by_edit = self.child(QLineEdit, "returnedByEdit")
        self.signed_check = self.child(QCheckBox, "returnSignedCheck")
        self.return_button = self.child(QPushButton, "returnButton")
        setup_table(self.items_table, editable=True)
        setup_table(self.held_table)
        self._headers()
        self.map_fields(
            checked_at="checkedAtEdit",
            checked_by="checkedByEdit",
            second_staff="secondStaffEdit",
            dangerous_items="dangerousEdit",
            police_receiver="policeReceiverEdit",
            custody_item="newItemsTable",
            quantity="newItemsTable",
            condition="newItemsTable",
            cash_amount="newItemsTable",
            returned_by="returnedByEdit",
            returned_at="returnedByEdit",
            signed="returnSignedCheck",
        )
        self._sent_rows: list[int] = []  # the table row of each item sent
        self.ops.feedback = FieldsOf(window.feedback, self.fields, self._point_row)
        self.police_check.toggled.connect(self.police_receiver_edit.setEnabled)
        self.police_receiver_edit.setEnabled(False)
        self.add_item_button.clicked.connect(self.add_item)
        self.remove_item_button.clicked.connect(self.remove_item)
        self.record_button.clicked.connect(self.record_check)
        self.return_button.clicked.connect(self.return_belongings)
        reset_to_now(self.checked_at_edit)
        self._fill_examiner()

    def _fill_examiner(self) -> None:
        """The signed-in clerk usually makes the check: their name is filled in
        (a command-line context has no account, and nothing is filled)."""
        ctx = self.ctx
        if ctx.actor.user_id is None:
            return
        self.ops.query(
            lambda: users.current_user(ctx),
            self._examiner_read,
            busy=[],
            failed=lambda _exc: None,  # a convenience: the clerk types the name
        )

    def _examiner_read(self, user: UserView) -> None:
        if not self.checked_by_edit.text().strip():
            self.checked_by_edit.setText(user.display_name or user.username)

    def _headers(self) -> None:
        set_headers(self.items_table, NEW_ITEM_HEADERS)
        set_headers(self.held_table, HELD_HEADERS)

    @override
    def refresh(self, sheet: desk.RequestSheet) -> None:
        record = sheet.record
        status = record.request.status
        self.gate(None)
        if status in OPEN_STATUSES:
            self.check_box.setEnabled(True)
        else:
            self.check_box.setEnabled(False)
            self.gate_line(status)
        reset_to_now(self.checked_at_edit)
        rows = [
            (
                c.item,
                str(c.quantity),
                c.condition or "",
                yuan(c.cash_amount),
                " / ".join(x for x in (c.received_by, c.witness) if x),
                _(RETURNED_ON).format(time=china_text(c.returned_at), staff=c.returned_by or "")
                if c.returned_at
                else "",
            )
            for c in record.custody
        ]
        fill_table(self.held_table, rows)
        held = any(c.returned_at is None for c in record.custody)
        for widget in (self.returned_by_edit, self.signed_check, self.return_button):
            widget.setEnabled(held)

    def gate_line(self, status: RequestStatus) -> None:
        # Only the check closes: belongings can be handed back after a departure.
        self._why, self._why_params = CLOSED, {"status": _(enum_label(status))}
        self._show_why()

    def add_item(self) -> int:
        row = self.items_table.rowCount()
        self.items_table.insertRow(row)
        for column, value in enumerate(("", "1", "", "")):
            self.items_table.setItem(row, column, QTableWidgetItem(value))
        self.items_table.setCurrentCell(row, 0)
        return row

    def remove_item(self) -> None:
        row = self.items_table.currentRow()
        if row >= 0:
            self.items_table.removeRow(row)

    def _point_row(self, exc: UserError) -> QWidget | None:
        """Select the row of the belonging a refusal names."""
        if exc.row is None or not 0 <= exc.row < len(self._sent_rows):
            return None
        column = {"quantity": 1, "condition": 2, "cash_amount": 3}.get(exc.field or "", 0)
        self.items_table.setCurrentCell(self._sent_rows[exc.row], column)
        self.items_table.setFocus()
        return self.items_table

    def _cell(self, row: int, column: int) -> str:
        item = self.items_table.item(row, column)
        return item.text().strip() if item else ""

    def items(self) -> list[desk.CustodyItemInput]:
        """The belongings typed; :attr:`_sent_rows` keeps the table row of each."""
        out: list[desk.CustodyItemInput] = []
        self._sent_rows = []
        for row in range(self.items_table.rowCount()):
            name, quantity, condition, cash = (self._cell(row, c) for c in range(4))
            if not (name or condition or cash):
                continue  # an empty row added by mistake
            self._sent_rows.append(row)
            if not quantity.isascii() or not quantity.isdigit():
                raise ValidationError(BAD_QUANTITY, field="quantity", item=name).at_row(len(out))
            out.append(
                desk.CustodyItemInput(
                    item=name,
                    quantity=int(quantity),
                    condition=condition or None,
                    cash_amount=cash or None,
                )
            )
        return out

    def record_check(self) -> None:
        try:
            items = self.items()
        except UserError as exc:
            self.ops.report(exc)
            return
        data = desk.SecurityCheckInput(
            checked_at=moment_of(self.checked_at_edit),
            checked_by=self.checked_by_edit.text(),
            second_staff=self.second_staff_edit.text(),
            dangerous_items=optional(self.dangerous_edit.text()),
            handed_to_police=self.police_check.isChecked(),
            police_receiver=optional(self.police_receiver_edit.text()),
            items=items,
        )
        ctx, request_id = self.ctx, self.request_id
        self.ops.write(lambda: desk.record_security_check(ctx, request_id, data), self._recorded)

    def _recorded(self, _result: object) -> None:
        self.items_table.setRowCount(0)
        for edit in (self.dangerous_edit, self.police_receiver_edit):
            edit.clear()
        self.police_check.setChecked(False)
        reset_to_now(self.checked_at_edit, force=True)
        self.done(CHECK_SAVED)

    def return_input(self) -> desk.ReturnInput:
        return desk.ReturnInput(
            returned_at=now_minute(),
            returned_by=self.returned_by_edit.text(),
            signed=self.signed_check.isChecked(),
        )

    def return_belongings(self) -> None:
        data = self.return_input()
        ctx, request_id = self.ctx, self.request_id
        self.ops.write(
            lambda: desk.return_belongings(ctx, request_id, data),
            lambda _r: self.done(RETURNED),
        )

    @override
    def retranslate(self) -> None:
        super().retranslate()
        self._headers()
