"""Adding an item to the catalogue or changing one: code, names and units in
both scripts, whole units, the low-stock threshold, in use or not."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QLineEdit, QWidget
from typing_extensions import override

from station_app.domain.errors import N_
from station_app.gui import fonts, uiloader
from station_app.gui.form_dialog import FormDialog
from station_app.gui.formatting import optional
from station_app.i18n import _
from station_app.services import supplies
from station_app.services.context import Context
from station_app.services.supplies.common import quantity_text

NEW_TITLE = N_("New item")
EDIT_TITLE = N_("Item {code}")


class ItemDialog(FormDialog):
    """Controller of ``ui/supplies_item.ui``; ``item`` None adds a new item."""

    def __init__(
        self, ctx: Context, item: supplies.ItemView | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, "supplies_item.ui", parent)
        self.item = item
        dialog = self.dialog
        self.code_edit = uiloader.child(dialog, QLineEdit, "codeEdit")
        self.name_zh_edit = uiloader.child(dialog, QLineEdit, "nameZhEdit")
        self.name_bo_edit = uiloader.child(dialog, QLineEdit, "nameBoEdit")
        self.name_en_edit = uiloader.child(dialog, QLineEdit, "nameEnEdit")
        self.unit_zh_edit = uiloader.child(dialog, QLineEdit, "unitZhEdit")
        self.unit_bo_edit = uiloader.child(dialog, QLineEdit, "unitBoEdit")
        self.whole_units_check = uiloader.child(dialog, QCheckBox, "wholeUnitsCheck")
        self.threshold_edit = uiloader.child(dialog, QLineEdit, "thresholdEdit")
        self.active_check = uiloader.child(dialog, QCheckBox, "activeCheck")
        for edit in (self.name_bo_edit, self.unit_bo_edit):
            edit.setFont(fonts.tibetan_font())
        self.fields = {
            "item_code": self.code_edit,
            "name_zh": self.name_zh_edit,
            "name_bo": self.name_bo_edit,
            "name_en": self.name_en_edit,
            "unit_zh": self.unit_zh_edit,
            "unit_bo": self.unit_bo_edit,
            "whole_units": self.whole_units_check,
            "quantity": self.threshold_edit,  # the threshold is read as a quantity
        }
        if item is not None:
            self.code_edit.setText(item.code)
            self.name_zh_edit.setText(item.name_zh)
            self.name_bo_edit.setText(item.name_bo or "")
            self.name_en_edit.setText(item.name_en or "")
            self.unit_zh_edit.setText(item.unit_zh)
            self.unit_bo_edit.setText(item.unit_bo or "")
            self.whole_units_check.setChecked(item.whole_units)
            if item.low_stock_threshold is not None:
                self.threshold_edit.setText(quantity_text(item.low_stock_threshold))
            self.active_check.setChecked(item.active)
        self._retranslate()

    def data(self) -> supplies.ItemInput:
        """What the form holds, for the service."""
        return supplies.ItemInput(
            code=self.code_edit.text(),
            name_zh=self.name_zh_edit.text(),
            unit_zh=self.unit_zh_edit.text(),
            name_bo=optional(self.name_bo_edit.text()),
            name_en=optional(self.name_en_edit.text()),
            unit_bo=optional(self.unit_bo_edit.text()),
            whole_units=self.whole_units_check.isChecked(),
            low_stock_threshold=optional(self.threshold_edit.text()),
            active=self.active_check.isChecked(),
        )

    @override
    def save(self) -> None:
        ctx, data, item = self.ctx, self.data(), self.item
        if item is None:
            self.ops.write(lambda: supplies.add_item(ctx, data), self.written)
        else:
            self.ops.write(lambda: supplies.update_item(ctx, item.id, data), self.written)

    @override
    def _retranslate(self) -> None:
        if self.item is None:
            self.dialog.setWindowTitle(_(NEW_TITLE))
        else:
            self.dialog.setWindowTitle(_(EDIT_TITLE).format(code=self.item.code))
