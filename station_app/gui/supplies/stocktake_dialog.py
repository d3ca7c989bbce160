"""A stock-take: the store counted, each count typed beside the ledger's
figure; the service turns every difference into a movement with its reason
and refuses a difference without one."""

from __future__ import annotations

from PySide6.QtWidgets import QDateTimeEdit, QHeaderView, QPlainTextEdit, QTableView, QWidget
from typing_extensions import override

from station_app.domain.errors import N_
from station_app.gui import uiloader
from station_app.gui.form_dialog import FormDialog
from station_app.gui.formatting import moment_of, optional, reset_to_now, setup_time_edit
from station_app.i18n import _
from station_app.services import supplies
from station_app.services.context import Context

from .models import StocktakeModel

TITLE = N_("Stock-take")


class StocktakeDialog(FormDialog):
    """Controller of ``ui/supplies_stocktake.ui``."""

    def __init__(
        self, ctx: Context, items: list[supplies.ItemView], parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, "supplies_stocktake.ui", parent)
        dialog = self.dialog
        self.taken_edit = uiloader.child(dialog, QDateTimeEdit, "takenEdit")
        self.counts_table = uiloader.child(dialog, QTableView, "countsTable")
        self.notes_edit = uiloader.child(dialog, QPlainTextEdit, "notesEdit")
        self.model = StocktakeModel(self)
        self.model.set_items(items)
        self.counts_table.setModel(self.model)
        header = self.counts_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.counts_table.resizeColumnsToContents()
        setup_time_edit(self.taken_edit)
        reset_to_now(self.taken_edit)
        self.fields = {
            "counts": self.counts_table,
            "quantity": self.counts_table,
            "reasons": self.counts_table,
            "movement_reason": self.counts_table,
            "taken_at": self.taken_edit,
            "notes": self.notes_edit,
        }
        self._retranslate()

    def count(self, item_id: int, counted: str, reason: str = "") -> None:
        """Type the count (and the reason for a difference) of one item."""
        row = next(i for i, line in enumerate(self.model.rows) if line.item.id == item_id)
        self.model.setData(self.model.index(row, StocktakeModel.COUNTED_COLUMN), counted)
        self.model.setData(self.model.index(row, StocktakeModel.REASON_COLUMN), reason)

    @override
    def save(self) -> None:
        ctx = self.ctx
        data = supplies.StocktakeInput(
            taken_at=moment_of(self.taken_edit),
            counts=dict(self.model.counts()),
            reasons=self.model.reasons(),
            notes=optional(self.notes_edit.toPlainText()),
        )
        self.ops.write(lambda: supplies.stocktake(ctx, data), self.written)

    @override
    def _retranslate(self) -> None:
        self.dialog.setWindowTitle(_(TITLE))
        self.model.retranslate()
