"""Choose a person on record: search as you type in a line edit, hits in a list.

:class:`PersonSearch` is the search as you type itself, shared with the
registry page.

Used wherever a form needs "which person?" (the registration of an arrival,
an issue of supplies to a person). The search waits for a pause in typing and
runs off the GUI thread; a query typed while one runs is searched next.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal, SignalInstance
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem

from station_app.domain.errors import N_
from station_app.domain.labels import enum_label
from station_app.gui import dialogs
from station_app.gui.ops import Ops
from station_app.i18n import _
from station_app.services import search
from station_app.services.context import Context

SEARCH_DELAY_MS = 200
SEARCH_LIMIT = 30
HIT = N_("{name} · {details}")
IN_STATION = N_("in the station now")
MORE = N_("Show more results…")
SEARCH_FAILED = N_("The search could not be done: {reason}")


def hit_text(hit: search.PersonHit) -> str:
    """One line of the result list: name, sex, birth year, ID's last 4, phone, and
    whether the person is in the station now."""
    details = [
        _(enum_label(hit.sex)) if hit.sex else "",
        str(hit.birth_year) if hit.birth_year else "",
        f"ID …{hit.id_number_masked[-4:]}" if hit.id_number_masked else "",
        hit.phone or "",
        f"· {_(IN_STATION)}" if hit.in_station else "",
    ]
    return _(HIT).format(name=hit.display_name, details=" ".join(d for d in details if d))


class PersonSearch(QObject):
    """Search as you type in a line edit: a pause in typing starts a search off
    the GUI thread; a search typed over is dropped; clearing the box says so.

    :attr:`found` brings the hits of the query still in the box; :meth:`more`
    asks for the next page of them, brought by :attr:`found_more`.
    """

    found = Signal(str, object)  # the query, its hits (list of PersonHit)
    found_more = Signal(str, object)  # the query, its next hits
    cleared = Signal()  # the box was emptied: no hits to show
    failed = Signal(str)  # what to show: the search could not be done

    def __init__(self, ctx: Context, edit: QLineEdit, limit: int, parent: QObject) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.edit = edit
        self.limit = limit
        self.ops = Ops(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.search_now)
        edit.textChanged.connect(self._typed)

    @property
    def query(self) -> str:
        return self.edit.text().strip()

    @property
    def searching(self) -> bool:
        return self.ops.reading("search") or self._timer.isActive()

    def _typed(self, text: str) -> None:
        if not text.strip():
            self._timer.stop()
            self.ops.cancel("search")
            self.cleared.emit()
            return
        self._timer.start()

    def search_now(self) -> None:
        """Search for what the box holds now (the same query again after a change)."""
        self._search(0, self.found)

    def more(self, offset: int) -> None:
        """The hits after the first ``offset`` of what the box holds now."""
        self._search(offset, self.found_more)

    def _search(self, offset: int, signal: SignalInstance) -> None:
        query, ctx, limit = self.query, self._ctx, self.limit
        if not query:
            return

        def found(result: tuple[str, list[search.PersonHit]]) -> None:
            if result[0] == self.query:  # else the box changed: a newer search follows
                signal.emit(*result)

        self.ops.query(
            lambda: (query, search.search_persons(ctx, query, limit, offset=offset)),
            found,
            latest="search",
            failed=self._failed,
        )

    def _failed(self, exc: BaseException) -> None:
        self.failed.emit(_(SEARCH_FAILED).format(reason=dialogs.describe(exc)))


class PersonPicker(QObject):
    """Search box + result list of a form; picking a hit emits :attr:`chosen`."""

    chosen = Signal(int, str)  # person id, display name
    shown = Signal(str, int)  # the query whose hits are listed, how many
    failed = Signal(str)  # what to show: the search could not be done

    def __init__(
        self, ctx: Context, edit: QLineEdit, results: QListWidget, parent: QObject
    ) -> None:
        super().__init__(parent)
        self.edit = edit
        self.results = results
        self.hits: list[search.PersonHit] = []
        self.search = PersonSearch(ctx, edit, SEARCH_LIMIT, self)
        self.search.found.connect(self._found)
        self.search.found_more.connect(self._found_more)
        self.search.cleared.connect(self._cleared)
        self.search.failed.connect(self.failed)
        results.currentRowChanged.connect(self._hit_chosen)

    @property
    def searching(self) -> bool:
        return self.search.searching

    def _cleared(self) -> None:
        self.hits = []
        self.results.clear()

    def _found(self, query: str, hits: list[search.PersonHit]) -> None:
        self.hits = []
        self.results.blockSignals(True)
        self.results.clear()
        self._append(hits)
        self.results.setCurrentRow(-1)
        self.results.blockSignals(False)
        self.shown.emit(query, len(self.hits))

    def _found_more(self, query: str, hits: list[search.PersonHit]) -> None:
        known = {h.person_id for h in self.hits}
        self.results.blockSignals(True)
        self._append([h for h in hits if h.person_id not in known], page=len(hits))
        self.results.blockSignals(False)
        self.shown.emit(query, len(self.hits))

    def _append(self, hits: list[search.PersonHit], page: int | None = None) -> None:
        """Add hits under the ones listed; a last line offers the next page when
        this page was full (short prefixes of common names match hundreds)."""
        last = self.results.count() - 1
        if last >= len(self.hits):  # the "more" line of the page before
            self.results.takeItem(last)
        for hit in hits:
            item = QListWidgetItem(hit_text(hit))
            item.setData(Qt.ItemDataRole.UserRole, hit.person_id)
            self.results.addItem(item)
        self.hits.extend(hits)
        if (page if page is not None else len(hits)) >= self.search.limit:
            more = QListWidgetItem(_(MORE))
            more.setData(Qt.ItemDataRole.UserRole, None)
            self.results.addItem(more)

    def _hit_chosen(self, row: int) -> None:
        if 0 <= row < len(self.hits):
            hit = self.hits[row]
            self.chosen.emit(hit.person_id, hit.display_name)
        elif row == len(self.hits) and row < self.results.count():
            self.search.more(len(self.hits))

    def retranslate(self) -> None:
        for row, hit in enumerate(self.hits):
            item = self.results.item(row)
            if item is not None:
                item.setText(hit_text(hit))
        more = self.results.item(len(self.hits))
        if more is not None:
            more.setText(_(MORE))
