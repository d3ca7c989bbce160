"""The person registry page: every person of the station, and search as you type.

The table shows the whole registry (read a page at a time as it scrolls).
Typing in the search box waits for a pause, searches off the GUI thread and
shows the ranked hits in the same table; clearing the box shows the registry
again.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QModelIndex, QObject, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)

from station_app.domain.errors import N_
from station_app.i18n import _, current_language, translator
from station_app.services import persons, search
from station_app.services.context import Context
from station_app.services.persons import PersonRow

from . import dialogs, fonts, uiloader
from .models.person_table import PERSON_ID_ROLE, SORT_ROLE, PersonListModel, PersonSearchModel
from .person_form import PersonForm
from .tasks import BackgroundTask, Progress

SEARCH_DELAY_MS = 200  # a pause in typing, not every key, starts a search
SEARCH_LIMIT = 100
FIT_ROWS = 40  # rows measured to size the columns

TOTAL_TEXT = N_("{count} persons in the registry")
HITS_TEXT = N_("{count} found for “{query}”")


class PersonsPage(QObject):
    """Controller of ``ui/persons_page.ui``; the page is :attr:`page`."""

    results_shown = Signal(str)  # the query whose hits are on screen
    form_opened = Signal(object)  # PersonForm

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__()
        self._ctx = ctx
        page = uiloader.load_ui("persons_page.ui", parent, on_retranslate=self._retranslate)
        self.page = page
        self.setParent(page)  # the page keeps its controller alive
        self.search_edit = uiloader.child(page, QLineEdit, "searchEdit")
        self.count_label = uiloader.child(page, QLabel, "countLabel")
        self.table = uiloader.child(page, QTableView, "personsTable")
        self.new_button = uiloader.child(page, QPushButton, "newPersonButton")
        self.form: PersonForm | None = None  # the last form opened
        self.total: int | None = None
        self._query = ""  # the query whose hits are shown ("" = the registry)
        self._searching: BackgroundTask | None = None
        self._pending: str | None = None

        def read_page(limit: int, before_id: int | None) -> list[PersonRow]:
            return persons.list_persons(ctx, limit, before_id=before_id)

        self.list_model = PersonListModel(read_page, parent=self)
        self.search_model = PersonSearchModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setSourceModel(self.list_model)
        self.table.setModel(self.proxy)
        header = self.table.horizontalHeader()
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the models' own order
        self.table.setSortingEnabled(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # Column widths from the first rows only: measuring every row of a page
        # (or of 100 search hits) in two scripts holds the screen up.
        header.setResizeContentsPrecision(FIT_ROWS)
        self._fit_rows()
        self.list_model.rowsInserted.connect(self._rows_arrived)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._search_now)
        self.search_edit.textChanged.connect(self._typed)
        self.new_button.clicked.connect(lambda: self.open_form(None))
        self.table.doubleClicked.connect(self._row_activated)
        self.refresh_total()

    @property
    def showing_results(self) -> bool:
        return self.proxy.sourceModel() is self.search_model

    # ------------------------------------------------------------ registry

    def refresh_total(self) -> None:
        self.total = persons.registry_size(self._ctx)  # an index count: fast
        self._show_count()

    def reload(self) -> None:
        """Read the registry again (after records were added elsewhere)."""
        self.list_model.reload()
        self.refresh_total()

    # ------------------------------------------------------------ person form

    def open_form(self, person_id: int | None) -> PersonForm:
        """The person form: a new person (``None``) or the person ``person_id``."""
        form = PersonForm(self._ctx, person_id, self.page.window())
        form.saved.connect(self._person_saved)
        self.form = form
        form.show()
        self.form_opened.emit(form)
        return form

    def _row_activated(self, index: QModelIndex) -> None:
        person_id = index.data(PERSON_ID_ROLE)
        if isinstance(person_id, int):
            self.open_form(person_id)

    def _person_saved(self, _saved: object) -> None:
        if not shiboken6.isValid(self.page):
            return
        self.reload()
        if self.showing_results:
            self._search_now()

    # ------------------------------------------------------------ search

    def _typed(self, text: str) -> None:
        if not text.strip():
            self._timer.stop()
            self._pending = None
            self._show_registry()
            return
        self._timer.start()

    def _search_now(self) -> None:
        query = self.search_edit.text().strip()
        if not query:
            return
        if self._searching is not None:
            self._pending = query  # searched when the running one returns
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
        if not shiboken6.isValid(self.page):
            return  # closed (logged out) while searching
        query, hits = result
        if self._pending is not None:
            self._pending = None
            self._search_now()
            return
        if query != self.search_edit.text().strip():
            return  # the box changed (or was cleared) meanwhile
        self._query = query
        self.search_model.set_hits(hits)
        if not self.showing_results:
            self.proxy.setSourceModel(self.search_model)
            self._fit_columns()
        self._show_count()
        self.results_shown.emit(query)

    def _search_failed(self, exc: BaseException) -> None:
        self._searching = None
        self._pending = None
        if not shiboken6.isValid(self.page):
            return
        dialogs.show_error(
            self.page,
            _("The search could not be done: {reason}").format(reason=dialogs.error_text(exc)),
        )

    def _show_registry(self) -> None:
        self._query = ""
        if self.showing_results:
            self.proxy.setSourceModel(self.list_model)
            self.search_model.set_hits([])
            self._fit_columns()
        self._show_count()

    # ------------------------------------------------------------ display

    def _fit_rows(self) -> None:
        # Tibetan names are drawn larger than the rest: rows tall enough for stacks.
        height = QFontMetrics(fonts.tibetan_font()).height() + 6
        self.table.verticalHeader().setDefaultSectionSize(height)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)

    def _rows_arrived(self, _parent: object, first: int, _last: int) -> None:
        if first == 0 and shiboken6.isValid(self.table) and not self.showing_results:
            self._fit_columns()  # once, on the first page: names decide the widths

    def _fit_columns(self) -> None:
        self.table.resizeColumnsToContents()

    def _show_count(self) -> None:
        number = translator(current_language()).format_number
        if self.showing_results:
            text = _(HITS_TEXT).format(
                count=number(self.search_model.rowCount()), query=self._query
            )
        else:
            text = _(TOTAL_TEXT).format(count=number(self.total or 0))
        self.count_label.setText(text)

    def _retranslate(self) -> None:
        self.list_model.retranslate()
        self.search_model.retranslate()
        self._fit_rows()
        self._show_count()
