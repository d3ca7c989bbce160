"""The household-registration place picker: every current county and
prefecture of GB/T 2260, Garzê first, then the rest of Sichuan, then China."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import QCompleter, QWidget

from station_app.domain import regions


@cache
def region_choices() -> tuple[tuple[str, str], ...]:
    """(text shown, code) of every current county and prefecture, best first."""
    chosen = [
        r
        for r in regions.all_regions()
        if r.is_current and not r.is_placeholder and r.level in ("county", "prefecture")
    ]

    def rank(r: regions.Region) -> tuple[int, str]:
        if r.code.startswith(regions.GARZE[:4]):
            return 0, r.code
        if r.code.startswith(regions.SICHUAN[:2]):
            return 1, r.code
        return 2, r.code

    out: list[tuple[str, str]] = []
    for r in sorted(chosen, key=rank):
        name = regions.region_name(r.code) or r.name_zh
        text = f"{name} {r.name_bo}" if r.name_bo else name
        out.append((f"{text} ({r.code})", r.code))
    return tuple(out)


def region_completer(parent: QWidget) -> QCompleter:
    """A completer matching any part of the name (or the code) as staff type."""
    model = QStringListModel([text for text, _code in region_choices()], parent)
    completer = QCompleter(model, parent)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setMaxVisibleItems(12)
    return completer


def code_of_choice(text: str) -> str | None:
    """The region code of a text chosen from the completer, or None."""
    if text.endswith(")") and "(" in text:
        code = text[text.rindex("(") + 1 : -1]
        if len(code) == 6 and code.isdigit() and regions.region(code) is not None:
            return code
    return None
