"""Combo boxes over code lists: items keep their value, texts follow the language."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

from PySide6.QtWidgets import QComboBox

from station_app.domain.labels import enum_label
from station_app.i18n import _


def fill_combo(combo: QComboBox, values: Iterable[Enum], *, blank: bool = False) -> None:
    """Items for ``values`` (labels shown translated, see :func:`retranslate_combo`)."""
    combo.clear()
    if blank:
        combo.addItem("", None)
    for value in values:
        combo.addItem(_(enum_label(value)), value)


def retranslate_combo(combo: QComboBox) -> None:
    for i in range(combo.count()):
        value = combo.itemData(i)
        if isinstance(value, Enum):
            combo.setItemText(i, _(enum_label(value)))


def choose(combo: QComboBox, value: object) -> None:
    """Select the item holding ``value`` (the first item if none does)."""
    index = combo.findData(value)
    combo.setCurrentIndex(max(index, 0))
