"""The person registry page: every person of the station, and search as you type.

The table shows the whole registry (read a page at a time as it scrolls,
off the GUI thread). Typing in the search box waits for a pause, searches off
the GUI thread and shows the ranked hits in the same table; a search typed
over is dropped; clearing the box shows the registry again. A commit that
touches persons (here or at another desk) reads the registry again.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QModelIndex, QObject, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)

from station_app.domain.errors import N_
from station_app.domain.permissions import Permission, allows
from station_app.gui.formatting import number_text
from station_app.i18n import _
from station_app.services import registry, search
from station_app.services.changes import Changes
from station_app.services.context import Context

from . import dialogs, fonts, ops, uiloader, watching
from .feedback import LEVEL, Level, show_level
from .import_dialog import ImportDialog
from .models.person_table import PERSON_ID_ROLE, SORT_ROLE, PersonListModel, PersonSearchModel
from .person import PersonForm
from .widgets.person_picker import PersonSearch

SEARCH_LIMIT = 100
READ_FAILED = N_("The registry could not be read: {reason}")
NEWCOMERS = 200  # persons added between two reads, at the most; more: the list is read anew
FIT_ROWS = 40  # rows measured to size the columns

TOTAL_TEXT = N_("{count} persons in the registry")
HITS_TEXT = N_("{count} found for “{query}”")


class PersonsPage(QObject):
    """Controller of ``ui/persons_page.ui``; the page is :attr:`page`."""

    results_shown = Signal(str)  # the query whose hits are on screen
    form_opened = Signal(object)  # PersonForm
    import_opened = Signal(object)  # ImportDialog

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
        self.import_button = uiloader.child(page, QPushButton, "importButton")
        self.form: PersonForm | None = None  # the last form opened
        self.import_dialog: ImportDialog | None = None  # the one open, if any
        self.total: int | None = None
        self._query = ""  # the query whose hits are shown ("" = the registry)
        self.ops = ops.Ops(self)
        watching.watch(self, ctx.db, self._changed, ("person",), page=page)

        self.list_model = PersonListModel(parent=self)
        self.list_model.wanted.connect(self._read_page)
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

        self.search = PersonSearch(ctx, self.search_edit, SEARCH_LIMIT, self)
        self.search.found.connect(self._found)
        self.search.cleared.connect(self._show_registry)
        self.search.failed.connect(lambda text: dialogs.show_error(self.page, text))
        self.new_button.clicked.connect(lambda: self.open_form(None))
        self.import_button.setVisible(allows(ctx.actor.role, Permission.IMPORT_DATA))
        self.import_button.clicked.connect(self.open_import)
        self.table.doubleClicked.connect(self._row_activated)
        # Nothing is read for a page the user has not opened: the count and
        # the first rows are read when the page is first shown.
        self.started = False
        self.list_model.hold()
        watching.on_first_show(page, self._start)

    def _start(self) -> None:
        self.started = True
        self.refresh_total()
        self.list_model.release()

    @property
    def showing_results(self) -> bool:
        return self.proxy.sourceModel() is self.search_model

    @property
    def loading(self) -> bool:
        return self.search.searching or any(
            self.ops.reading(key) for key in ("page", "total", "update")
        )

    # ------------------------------------------------------------ registry

    def refresh_total(self) -> None:
        ctx = self._ctx
        self.ops.query(lambda: registry.registry_size(ctx), self._total_read, latest="total")

    def _total_read(self, total: int) -> None:
        self.total = total
        self._show_count()

    def _read_page(self, limit: int, before_id: int | None, generation: int) -> None:
        ctx = self._ctx
        self.ops.query(
            lambda: registry.list_persons(ctx, limit, before_id=before_id),
            lambda rows: self.list_model.add_page(rows, generation),
            latest="page",
            failed=self._page_failed,
        )

    def _page_failed(self, exc: BaseException) -> None:
        """Say so where the count is; scrolling on asks for the page again."""
        self.list_model.page_failed()
        show_level(
            self.count_label,
            _(READ_FAILED).format(reason=dialogs.describe(exc)),
            Level.ERROR,
        )

    def reload(self) -> None:
        """Read the registry again (after records were added elsewhere); a page
        not shown yet reads it when it is."""
        if not self.started:
            return
        self.list_model.reload()
        self.refresh_total()

    def _changed(self, _changes: Changes) -> None:
        """Someone saved a person (here or at another desk): the count, the
        rows read so far and the hits on screen are read again in place."""
        self.refresh_total()
        if self.showing_results:
            self.search.search_now()
        model = self.list_model
        ctx, generation = self._ctx, model.generation
        wanted = model.loaded + NEWCOMERS  # what is shown, and room for newcomers above
        self.ops.query(
            lambda: registry.list_persons(ctx, wanted),
            lambda rows: model.update(rows, generation),
            latest="update",
        )

    # ------------------------------------------------------------ person form

    def open_form(self, person_id: int | None) -> PersonForm:
        """The person form: a new person (``None``) or the person ``person_id``."""
        form = PersonForm(self._ctx, person_id, self.page.window())
        self.form = form
        form.show()
        self.form_opened.emit(form)
        return form

    def open_import(self) -> ImportDialog:
        """The import of a ledger (the one already open, if there is one)."""
        dialog = self.import_dialog
        if dialog is None or not (shiboken6.isValid(dialog) and shiboken6.isValid(dialog.dialog)):
            dialog = ImportDialog(self._ctx, self.page.window())
            self.import_dialog = dialog
            self.import_opened.emit(dialog)
        dialog.show()
        return dialog

    def _row_activated(self, index: QModelIndex) -> None:
        person_id = index.data(PERSON_ID_ROLE)
        if isinstance(person_id, int):
            self.open_form(person_id)

    # ------------------------------------------------------------ search

    def _found(self, query: str, hits: list[search.PersonHit]) -> None:
        self._query = query
        self.search_model.set_hits(hits)
        if not self.showing_results:
            self.proxy.setSourceModel(self.search_model)
            self._fit_columns()
        self._show_count()
        self.results_shown.emit(query)

    def _show_registry(self) -> None:
        self._query = ""
        if self.showing_results:
            self.proxy.setSourceModel(self.list_model)
            self.search_model.set_hits([])
            self._fit_columns()
        self._show_count()

    # ------------------------------------------------------------ display

    def _fit_rows(self) -> None:
        # rows tall enough for Tibetan stacks and vowel signs
        height = fonts.row_height()
        self.table.verticalHeader().setDefaultSectionSize(height)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)

    def _rows_arrived(self, _parent: object, first: int, _last: int) -> None:
        if first == 0 and shiboken6.isValid(self.table) and not self.showing_results:
            self._fit_columns()  # once, on the first page: names decide the widths

    def _fit_columns(self) -> None:
        self.table.resizeColumnsToContents()

    def _show_count(self) -> None:
        number = number_text
        if self.showing_results:
            text = _(HITS_TEXT).format(
                count=number(self.search_model.rowCount()), query=self._query
            )
        else:
            text = _(TOTAL_TEXT).format(count=number(self.total or 0))
        self.count_label.setText(text)
        self.count_label.setStyleSheet("")
        self.count_label.setProperty(LEVEL, None)

    def _retranslate(self) -> None:
        self.list_model.retranslate()
        self.search_model.retranslate()
        self._fit_rows()
        self._show_count()
