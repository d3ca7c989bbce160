"""Combo boxes over code lists: items keep their value, texts follow the language."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from station_app.domain.labels import enum_label
from station_app.i18n import _

# An item's message id. Its value cannot give it back: Qt hands a StrEnum
# member (e.g. SupportStatus) back as a plain str, which names no label.
LABEL_ROLE = Qt.ItemDataRole.UserRole + 100


def fill_combo(combo: QComboBox, values: Iterable[Enum], *, blank: bool = False) -> None:
    """Items for ``values`` (labels shown translated, see :func:`retranslate_combo`)."""
    combo.clear()
    if blank:
        combo.addItem("", None)
    for value in values:
        label = enum_label(value)
        combo.addItem(_(label), value)
        combo.setItemData(combo.count() - 1, label, LABEL_ROLE)


def retranslate_combo(combo: QComboBox) -> None:
    """Show the items of :func:`fill_combo` in the current language; the choice stays."""
    for i in range(combo.count()):
        label = combo.itemData(i, LABEL_ROLE)
        if isinstance(label, str):
            combo.setItemText(i, _(label))


def choose(combo: QComboBox, value: object) -> None:
    """Select the item holding ``value`` (the first item if none does)."""
    index = combo.findData(value)
    combo.setCurrentIndex(max(index, 0))
