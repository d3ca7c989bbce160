"""The better wordings suggested on the screens, waiting for the next review."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from typing_extensions import override

from station_app.domain.errors import N_
from station_app.gui.formatting import moment_text
from station_app.i18n import _
from station_app.services.translations import Suggestion

from .rows import RowsModel

TEXT, SUGGESTED, SCREEN, BY, WHEN = range(5)


class SuggestionsModel(RowsModel[Suggestion]):
    HEADERS = (N_("Text"), N_("Suggested wording"), N_("Screen"), N_("Suggested by"), N_("When"))

    @override
    def _data(self, row: Suggestion, column: int, role: int) -> Any:
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if column == TEXT:
            return f"{row.msgid}\n{_(row.msgid)}"
        if column == SUGGESTED:
            return row.text
        if column == SCREEN:
            return row.screen
        if column == BY:
            return row.suggested_by or ""
        if column == WHEN:
            return moment_text(row.suggested_at)
        return None
