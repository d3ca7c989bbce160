"""One form for what moves stock in or out: receipts (purchase, allocation,
donation with its donor), issues (to a registered person found by search,
to an anonymous contact, at the desk, to a patrol) and transfers.

The rules (stock, whole units, the donor of a donation) are the services';
the form only shows the rows the chosen kind needs.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QWidget,
)
from typing_extensions import override

from station_app.domain.enums import MovementKind
from station_app.domain.errors import N_
from station_app.gui import uiloader
from station_app.gui.feedback import Level
from station_app.gui.form_dialog import FormDialog
from station_app.gui.formatting import moment_of, optional, reset_to_now, setup_time_edit
from station_app.gui.widgets.person_picker import PersonPicker
from station_app.i18n import _
from station_app.services import supplies
from station_app.services.context import Context
from station_app.services.supplies.common import quantity_text

from .models import kind_label

RECEIVE_TITLE = N_("Receive supplies")
ISSUE_TITLE = N_("Issue supplies")
TRANSFER_TITLE = N_("Transfer supplies")
IN_STOCK = N_("In stock: {stock} {unit}")
NOBODY = N_("No person chosen yet: search by name, ID number or phone.")
CHOSEN = N_("Issuing to: {name}")
NOTHING_FOUND = N_("Nobody found for “{query}”.")
NO_ITEMS = N_("The catalogue has no item in use: add the item first.")


class Mode(Enum):
    RECEIVE = "receive"
    ISSUE = "issue"
    TRANSFER = "transfer"


KINDS: dict[Mode, tuple[MovementKind, ...]] = {
    Mode.RECEIVE: (
        MovementKind.RECEIPT_PURCHASE,
        MovementKind.RECEIPT_ALLOCATION,
        MovementKind.RECEIPT_DONATION,
    ),
    Mode.ISSUE: (
        MovementKind.ISSUE_PERSON,
        MovementKind.ISSUE_ANONYMOUS,
        MovementKind.ISSUE_DESK,
        MovementKind.ISSUE_PATROL,
    ),
    Mode.TRANSFER: (MovementKind.TRANSFER_OUT, MovementKind.TRANSFER_IN),
}
TITLES = {Mode.RECEIVE: RECEIVE_TITLE, Mode.ISSUE: ISSUE_TITLE, Mode.TRANSFER: TRANSFER_TITLE}


class MovementDialog(FormDialog):
    """Controller of ``ui/supplies_movement.ui`` in one of three modes."""

    def __init__(
        self,
        ctx: Context,
        mode: Mode,
        items: list[supplies.ItemView],
        parent: QWidget | None = None,
        *,
        item_id: int | None = None,
    ) -> None:
        super().__init__(ctx, "supplies_movement.ui", parent)
        self.mode = mode
        self.items = [i for i in items if i.active]
        self.person_id: int | None = None
        self.person_name = ""
        dialog = self.dialog
        self.form = uiloader.child(dialog, QFormLayout, "form")
        self.item_combo = uiloader.child(dialog, QComboBox, "itemCombo")
        self.kind_combo = uiloader.child(dialog, QComboBox, "kindCombo")
        self.quantity_edit = uiloader.child(dialog, QLineEdit, "quantityEdit")
        self.stock_label = uiloader.child(dialog, QLabel, "stockLabel")
        self.moved_edit = uiloader.child(dialog, QDateTimeEdit, "movedEdit")
        self.donor_edit = uiloader.child(dialog, QLineEdit, "donorEdit")
        self.counterpart_edit = uiloader.child(dialog, QLineEdit, "counterpartEdit")
        self.person_box = uiloader.child(dialog, QWidget, "personBox")
        self.search_edit = uiloader.child(dialog, QLineEdit, "searchEdit")
        self.results_list = uiloader.child(dialog, QListWidget, "resultsList")
        self.chosen_label = uiloader.child(dialog, QLabel, "chosenLabel")
        self.reason_edit = uiloader.child(dialog, QPlainTextEdit, "reasonEdit")
        self.fields = {
            "item_id": self.item_combo,
            "quantity": self.quantity_edit,
            "moved_at": self.moved_edit,
            "donor": self.donor_edit,
            "counterpart": self.counterpart_edit,
            "person_id": self.search_edit,
            "help_request_id": self.search_edit,
            "movement_reason": self.reason_edit,
        }

        for item in self.items:
            self.item_combo.addItem(item.name_zh, item.id)
        if item_id is not None:
            self.item_combo.setCurrentIndex(max(self.item_combo.findData(item_id), 0))
        for kind in KINDS[mode]:
            self.kind_combo.addItem(kind_label(kind), kind.value)
        setup_time_edit(self.moved_edit)
        reset_to_now(self.moved_edit)

        self.picker = PersonPicker(ctx, self.search_edit, self.results_list, self)
        self.picker.chosen.connect(self.choose_person)
        self.picker.shown.connect(self._results_listed)
        self.picker.failed.connect(lambda text: self.feedback.show(text, Level.ERROR))
        self.item_combo.currentIndexChanged.connect(self._show_stock)
        self.kind_combo.currentIndexChanged.connect(self._show_rows)
        self._retranslate()
        self._show_rows()

    # ------------------------------------------------------------ the form

    @property
    def kind(self) -> MovementKind:
        # Qt hands a StrEnum back as its plain string.
        return MovementKind(self.kind_combo.currentData())

    def choose_kind(self, kind: MovementKind) -> None:
        self.kind_combo.setCurrentIndex(max(self.kind_combo.findData(kind.value), 0))

    def choose_item(self, item_id: int) -> None:
        self.item_combo.setCurrentIndex(max(self.item_combo.findData(item_id), 0))

    def _item(self) -> supplies.ItemView | None:
        item_id = self.item_combo.currentData()
        return next((i for i in self.items if i.id == item_id), None)

    def _show_rows(self) -> None:
        kind = self.kind
        self.form.setRowVisible(self.donor_edit, kind is MovementKind.RECEIPT_DONATION)
        self.form.setRowVisible(
            self.counterpart_edit,
            kind in (MovementKind.RECEIPT_PURCHASE, MovementKind.RECEIPT_ALLOCATION)
            or self.mode is Mode.TRANSFER,
        )
        self.form.setRowVisible(self.person_box, kind is MovementKind.ISSUE_PERSON)

    def _show_stock(self) -> None:
        item = self._item()
        if item is None:
            self.stock_label.clear()
            return
        self.stock_label.setText(
            _(IN_STOCK).format(stock=quantity_text(item.stock), unit=item.unit_zh)
        )

    @override
    def save(self) -> None:
        item = self._item()
        if item is None:
            self.feedback.tell(NO_ITEMS, Level.ERROR)
            return
        ctx, kind, at = self.ctx, self.kind, moment_of(self.moved_edit)
        quantity = self.quantity_edit.text().strip()
        reason = optional(self.reason_edit.toPlainText())
        if self.mode is Mode.RECEIVE:
            receipt = supplies.ReceiptInput(
                item.id,
                quantity,
                kind,
                at,
                donor=optional(self.donor_edit.text()),
                counterpart=optional(self.counterpart_edit.text()),
                reason=reason,
            )
            self.ops.write(lambda: supplies.receive(ctx, receipt), self.written)
        elif self.mode is Mode.ISSUE:
            person_id = self.person_id if kind is MovementKind.ISSUE_PERSON else None
            issue = supplies.IssueInput(
                item.id, quantity, kind, at, person_id=person_id, reason=reason
            )
            self.ops.write(lambda: supplies.issue(ctx, issue), self.written)
        else:
            transfer = supplies.TransferInput(
                item.id, quantity, at, self.counterpart_edit.text(), reason=reason
            )
            if kind is MovementKind.TRANSFER_OUT:
                self.ops.write(lambda: supplies.transfer_out(ctx, transfer), self.written)
            else:
                self.ops.write(lambda: supplies.transfer_in(ctx, transfer), self.written)

    # ------------------------------------------------------------ the person

    @property
    def searching(self) -> bool:
        return self.picker.searching

    def _results_listed(self, query: str, count: int) -> None:
        if not count:
            self.feedback.tell(NOTHING_FOUND, query=query)

    def choose_person(self, person_id: int, name: str) -> None:
        self.person_id, self.person_name = person_id, name
        self.feedback.clear()
        self._show_chosen()

    def _show_chosen(self) -> None:
        if self.person_id is None:
            self.chosen_label.setText(_(NOBODY))
        else:
            self.chosen_label.setText(_(CHOSEN).format(name=self.person_name))

    # ------------------------------------------------------------ texts

    @override
    def _retranslate(self) -> None:
        self.dialog.setWindowTitle(_(TITLES[self.mode]))
        for i in range(self.kind_combo.count()):
            self.kind_combo.setItemText(i, kind_label(MovementKind(self.kind_combo.itemData(i))))
        self.picker.retranslate()
        self._show_stock()
        self._show_chosen()
