"""Choose a person on record: search as you type in a line edit, hits in a list.

Used wherever a form needs "which person?" (the registration of an arrival,
an issue of supplies to a person). The search waits for a pause in typing and
runs off the GUI thread; a query typed while one runs is searched next.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem

from station_app.domain.errors import N_
from station_app.domain.labels import enum_label
from station_app.i18n import _
from station_app.services import search
from station_app.services.context import Context

from . import dialogs
from .tasks import BackgroundTask, Progress

SEARCH_DELAY_MS = 200
SEARCH_LIMIT = 30
HIT = N_("{name} · {details}")
SEARCH_FAILED = N_("The search could not be done: {reason}")


def hit_text(hit: search.PersonHit) -> str:
    """One line of the result list: name, sex, birth year, ID's last 4, phone."""
    details = [
        _(enum_label(hit.sex)) if hit.sex else "",
        str(hit.birth_year) if hit.birth_year else "",
        f"ID …{hit.id_number_masked[-4:]}" if hit.id_number_masked else "",
        hit.phone or "",
    ]
    return _(HIT).format(name=hit.display_name, details=" ".join(d for d in details if d))


class PersonPicker(QObject):
    """Search box + result list of a form; picking a hit emits :attr:`chosen`."""

    chosen = Signal(int, str)  # person id, display name
    shown = Signal(str, int)  # the query whose hits are listed, how many
    failed = Signal(str)  # what to show: the search could not be done

    def __init__(
        self, ctx: Context, edit: QLineEdit, results: QListWidget, parent: QObject
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.edit = edit
        self.results = results
        self.hits: list[search.PersonHit] = []
        self._searching: BackgroundTask | None = None
        self._pending = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._search_now)
        edit.textChanged.connect(self._typed)
        results.currentRowChanged.connect(self._hit_chosen)

    @property
    def searching(self) -> bool:
        return self._searching is not None or self._timer.isActive()

    def _typed(self, text: str) -> None:
        if not text.strip():
            self._timer.stop()
            self.hits = []
            self.results.clear()
            return
        self._timer.start()

    def _search_now(self) -> None:
        query = self.edit.text().strip()
        if not query:
            return
        if self._searching is not None:
            self._pending = True
            return
        ctx = self._ctx

        def work(_progress: Progress) -> tuple[str, list[search.PersonHit]]:
            return query, search.search_persons(ctx, query, SEARCH_LIMIT)

        self._searching = BackgroundTask(work, self)
        self._searching.finished.connect(self._found)
        self._searching.failed.connect(self._search_failed)
        self._searching.start()

    def _found(self, result: tuple[str, list[search.PersonHit]]) -> None:
        self._searching = None
        if not shiboken6.isValid(self.results):
            return
        if self._pending:
            self._pending = False
            self._search_now()
            return
        query, hits = result
        if query != self.edit.text().strip():
            return
        self.hits = hits
        self.results.blockSignals(True)
        self.results.clear()
        for hit in hits:
            item = QListWidgetItem(hit_text(hit))
            item.setData(Qt.ItemDataRole.UserRole, hit.person_id)
            self.results.addItem(item)
        self.results.setCurrentRow(-1)
        self.results.blockSignals(False)
        self.shown.emit(query, len(hits))

    def _search_failed(self, exc: BaseException) -> None:
        self._searching = None
        self._pending = False
        if shiboken6.isValid(self.results):
            self.failed.emit(_(SEARCH_FAILED).format(reason=dialogs.error_text(exc)))

    def _hit_chosen(self, row: int) -> None:
        if 0 <= row < len(self.hits):
            hit = self.hits[row]
            self.chosen.emit(hit.person_id, hit.display_name)

    def retranslate(self) -> None:
        for row, hit in enumerate(self.hits):
            item = self.results.item(row)
            if item is not None:
                item.setText(hit_text(hit))
