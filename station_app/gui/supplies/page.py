"""The supplies page (物资台账, issue 6): stock on hand, and for a period the
movements, the summary per item and the donations, with the ledger exported
to Excel or printed.

Receipts, issues, transfers, stock-takes and the catalogue are written in
small dialogs (:mod:`.movement_dialog`, :mod:`.stocktake_dialog`,
:mod:`.item_dialog`) through the supplies services; the page reads the ledger
again when a commit touches it (here, at another desk, or on a patrol). Buttons for what the user's
role may not do are disabled with a tooltip that says why; the services
refuse them anyway.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import shiboken6
from PySide6.QtCore import QObject, QSortFilterProxyModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QWidget,
)

from station_app.domain.errors import N_, Warning_
from station_app.domain.labels import LEDGER_TITLE, enum_label
from station_app.domain.permissions import Permission, allows
from station_app.gui import dialogs, fonts, ops, uiloader, watching
from station_app.gui.feedback import Level, MessageArea, Msg
from station_app.gui.formatting import day_of, set_day, today_in_china
from station_app.gui.print_preview import PrintPreview, open_preview
from station_app.gui.save_dialog import XLSX_FILES, ask_save_path
from station_app.i18n import _
from station_app.services import supplies, supplies_print
from station_app.services.context import Context
from station_app.services.supplies.common import quantity_text

from .item_dialog import ItemDialog
from .models import (
    ITEM_ID_ROLE,
    SORT_ROLE,
    DonorModel,
    MovementModel,
    StockModel,
    SummaryModel,
)
from .movement_dialog import Mode, MovementDialog
from .stocktake_dialog import StocktakeDialog

LOADING = N_("Reading the supplies ledger…")
FAILED = N_("The supplies ledger could not be read: {reason}")
MANAGERS_ONLY = N_(
    "Receipts, transfers, stock-takes and the catalogue are kept by a manager; "
    "your role may not change them."
)
NO_ISSUE = N_("Your role may not issue supplies.")
RECORDED = N_("Recorded: {kind}, {quantity} {unit} of {item}.")
RECORDED_WARNINGS = N_("Recorded: {kind}, {quantity} {unit} of {item}. {warnings}")
COUNTED = N_("Stock-take recorded: {count} differences entered in the ledger.")
ITEM_SAVED = N_("Item {code} saved.")
EXPORTING = N_("Writing the workbook…")
EXPORTED = N_("The ledger was written to {path}.")
EXPORT_FAILED = N_("The workbook could not be written: {reason}")
EXPORT_TITLE = N_("Export the supplies ledger")


# what the page shows: the catalogue and its movements (patrols and the desk issue too)
TABLES = ("supply_item", "stock_movement", "stocktake")


class SuppliesPage(QObject):
    """Controller of ``ui/supplies_page.ui``; the page is :attr:`page`."""

    loaded = Signal(object)  # the LedgerView now on screen
    recorded = Signal(object)  # a service's result, after the page read the ledger again
    exported = Signal(object)  # Path of the workbook written
    dialog_opened = Signal(object)  # the FormDialog shown
    preview_opened = Signal(object)  # PrintPreview

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__()
        self._ctx = ctx
        page = uiloader.load_ui("supplies_page.ui", parent, on_retranslate=self._retranslate)
        self.page = page
        self.setParent(page)  # the page keeps its controller alive
        child = uiloader.child
        self.receive_button = child(page, QPushButton, "receiveButton")
        self.issue_button = child(page, QPushButton, "issueButton")
        self.transfer_button = child(page, QPushButton, "transferButton")
        self.stocktake_button = child(page, QPushButton, "stocktakeButton")
        self.new_item_button = child(page, QPushButton, "newItemButton")
        self.edit_item_button = child(page, QPushButton, "editItemButton")
        self.refresh_button = child(page, QPushButton, "refreshButton")
        self.message_label = child(page, QLabel, "messageLabel")
        self.stock_table = child(page, QTableView, "stockTable")
        self.from_edit = child(page, QDateEdit, "fromEdit")
        self.to_edit = child(page, QDateEdit, "toEdit")
        self.show_button = child(page, QPushButton, "showButton")
        self.export_button = child(page, QPushButton, "exportButton")
        self.print_button = child(page, QPushButton, "printButton")
        self.movements_table = child(page, QTableView, "movementsTable")
        self.summary_table = child(page, QTableView, "summaryTable")
        self.donors_table = child(page, QTableView, "donorsTable")
        self.feedback = MessageArea(self.message_label)
        self.ops = ops.Ops(self, busy=[self.refresh_button, self.show_button])
        watching.watch(self, ctx.db, lambda _changes: self.refresh(), TABLES, page=page)

        self.view: supplies.LedgerView | None = None
        self.dialog: MovementDialog | ItemDialog | StocktakeDialog | None = None
        self.preview: PrintPreview | None = None
        self._recorded: object = None  # told with `recorded` once the page shows it

        self.stock_model = StockModel(self)
        self.stock_proxy = QSortFilterProxyModel(self)
        self.stock_proxy.setSortRole(SORT_ROLE)
        self.stock_proxy.setSourceModel(self.stock_model)
        self.movement_model = MovementModel(self)
        self.summary_model = SummaryModel(self)
        self.donor_model = DonorModel(self)
        self.stock_table.setModel(self.stock_proxy)
        self.stock_table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.stock_table.setSortingEnabled(True)
        self.movements_table.setModel(self.movement_model)
        self.summary_table.setModel(self.summary_model)
        self.donors_table.setModel(self.donor_model)
        for table in self._tables:
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # Only a text column takes the width left; a figure stretched away from
        # its row is hard to read.
        self.movements_table.horizontalHeader().setStretchLastSection(True)
        splitter = child(page, QSplitter, "suppliesSplitter")
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 2)
        self._fit_rows()

        first = today_in_china().replace(day=1)
        set_day(self.from_edit, first)
        set_day(self.to_edit, today_in_china())
        self._gate()

        self.receive_button.clicked.connect(lambda: self.open_movement(Mode.RECEIVE))
        self.issue_button.clicked.connect(lambda: self.open_movement(Mode.ISSUE))
        self.transfer_button.clicked.connect(lambda: self.open_movement(Mode.TRANSFER))
        self.stocktake_button.clicked.connect(self.open_stocktake)
        self.new_item_button.clicked.connect(lambda: self.open_item(new=True))
        self.edit_item_button.clicked.connect(lambda: self.open_item(new=False))
        self.refresh_button.clicked.connect(self.refresh)
        self.show_button.clicked.connect(self.refresh)
        self.export_button.clicked.connect(self.choose_export_file)
        self.print_button.clicked.connect(self.print_ledger)
        self.stock_table.activated.connect(lambda _index: self.open_item(new=False))
        self.stock_table.selectionModel().currentRowChanged.connect(lambda *_a: self._gate())
        self.refresh()

    @property
    def _tables(self) -> tuple[QTableView, ...]:
        return (self.stock_table, self.movements_table, self.summary_table, self.donors_table)

    # ------------------------------------------------------------ who may do what

    @property
    def may_manage(self) -> bool:
        return allows(self._ctx.actor.role, Permission.MANAGE_SUPPLIES)

    @property
    def may_issue(self) -> bool:
        return allows(self._ctx.actor.role, Permission.ISSUE_SUPPLIES)

    def _gate(self) -> None:
        # The signed-in user's role is in the context (users.current_user reads
        # the same row, but the command line's operator has no user row).
        busy = self.view is None
        manage, issue = self.may_manage, self.may_issue
        for button in (
            self.receive_button,
            self.transfer_button,
            self.stocktake_button,
            self.new_item_button,
        ):
            button.setEnabled(manage and not busy)
            button.setToolTip("" if manage else _(MANAGERS_ONLY))
        self.edit_item_button.setEnabled(manage and not busy and self.selected_item() is not None)
        self.edit_item_button.setToolTip("" if manage else _(MANAGERS_ONLY))
        self.issue_button.setEnabled(issue and not busy)
        self.issue_button.setToolTip("" if issue else _(NO_ISSUE))
        # the whole ledger with the names of the persons: reports, not desk work
        reports = allows(self._ctx.actor.role, Permission.REPORTS)
        for button in (self.export_button, self.print_button):
            button.setVisible(reports)

    # ------------------------------------------------------------ loading

    @property
    def loading(self) -> bool:
        return self.ops.reading("ledger")

    @property
    def period(self) -> tuple[date, date]:
        return day_of(self.from_edit), day_of(self.to_edit)

    def set_period(self, start: date, end: date) -> None:
        """Show the ledger of China-local days ``start`` to ``end``."""
        set_day(self.from_edit, start)
        set_day(self.to_edit, end)
        self.refresh()

    def refresh(self) -> None:
        """Read the catalogue and the period's ledger again; :attr:`loaded` follows."""
        ctx = self._ctx
        start, end = self.period
        if self.view is None:
            self.feedback.tell(LOADING)
        self.ops.query(
            lambda: supplies.ledger_view(ctx, start, end),
            self._loaded,
            latest="ledger",
            failed=self._failed,
        )

    def _loaded(self, view: supplies.LedgerView) -> None:
        if self.feedback.showing in (LOADING, FAILED):
            self.feedback.clear()
        self.view = view
        selected = self.selected_item()
        self.stock_model.set_rows(view.items)
        self.movement_model.set_rows(view.movements)
        self.summary_model.set_rows(view.summary)
        self.donor_model.set_rows(view.donors)
        result, self._recorded = self._recorded, None
        if isinstance(result, supplies.ItemView):
            self.select_item(result.id)
        elif selected is not None:
            self.select_item(selected.id)
        self._fit_columns()
        self._gate()
        self.loaded.emit(view)
        if result is not None:
            self.recorded.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self.feedback.tell(FAILED, Level.ERROR, reason=dialogs.describe(exc))

    # ------------------------------------------------------------ the selected item

    def selected_item(self) -> supplies.ItemView | None:
        index = self.stock_table.currentIndex()
        if not index.isValid():
            return None
        item_id = index.data(ITEM_ID_ROLE)
        return next((i for i in self.stock_model.rows if i.id == item_id), None)

    def select_item(self, item_id: int) -> None:
        row = self.stock_model.row_of(item_id)
        if row < 0:
            return
        index = self.stock_proxy.mapFromSource(self.stock_model.index(row, 0))
        self.stock_table.setCurrentIndex(index)

    def stock_of(self, item_id: int) -> str:
        """The stock of an item as the table shows it."""
        row = self.stock_model.row_of(item_id)
        return str(self.stock_model.index(row, StockModel.STOCK_COLUMN).data())

    # ------------------------------------------------------------ writing

    def _items(self) -> list[supplies.ItemView]:
        return list(self.stock_model.rows)

    def _show_dialog(self, dialog: MovementDialog | ItemDialog | StocktakeDialog) -> None:
        self.dialog = dialog
        dialog.saved.connect(self._saved)
        dialog.show()
        self.dialog_opened.emit(dialog)

    def open_movement(self, mode: Mode) -> MovementDialog:
        """The receipt, issue or transfer form, on the selected item."""
        selected = self.selected_item()
        dialog = MovementDialog(
            self._ctx,
            mode,
            self._items(),
            self.page,
            item_id=selected.id if selected else None,
        )
        self._show_dialog(dialog)
        return dialog

    def open_stocktake(self) -> StocktakeDialog:
        items = [i for i in self._items() if i.active or i.stock != 0]
        dialog = StocktakeDialog(self._ctx, items, self.page)
        self._show_dialog(dialog)
        return dialog

    def open_item(self, *, new: bool) -> ItemDialog | None:
        """The catalogue form: a new item, or the selected one."""
        if not self.may_manage:
            return None
        item = None if new else self.selected_item()
        if not new and item is None:
            return None
        dialog = ItemDialog(self._ctx, item, self.page)
        self._show_dialog(dialog)
        return dialog

    def _saved(self, result: object) -> None:
        """A dialog saved: say what, and show the ledger as it is now."""
        if isinstance(result, supplies.IssueResult):
            # The issue is recorded; a warning asks the clerk to look again.
            self._show_movement(result.movement, result.warnings)
        elif isinstance(result, supplies.MovementView):
            self._show_movement(result)
        elif isinstance(result, supplies.StocktakeResult):
            self.feedback.tell(COUNTED, count=len(result.adjustments))
        elif isinstance(result, supplies.ItemView):
            self.feedback.tell(ITEM_SAVED, code=result.code)
        self._recorded = result
        # A read already running may predate the write: read again, the newest wins.
        self.refresh()

    def _show_movement(self, m: supplies.MovementView, warnings: tuple[Warning_, ...] = ()) -> None:
        self.feedback.tell(
            RECORDED_WARNINGS if warnings else RECORDED,
            Level.WARNING if warnings else Level.INFORMATION,
            kind=Msg(enum_label(m.kind)),
            quantity=quantity_text(abs(m.quantity)),
            unit=m.unit_zh,
            item=m.item_name_zh,
            warnings=warnings,
        )

    # ------------------------------------------------------------ export and print

    def choose_export_file(self) -> None:
        """Ask where to write the workbook, then write it in the background."""
        start, end = self.period
        path = ask_save_path(
            self.page,
            _(EXPORT_TITLE),
            f"supplies-{start.isoformat()}-{end.isoformat()}.xlsx",
            [(_(XLSX_FILES), ".xlsx")],
        )
        if path is not None:
            self.export(path)

    def export(self, path: Path) -> None:
        """Write the period's ledger to ``path``; :attr:`exported` follows."""
        ctx = self._ctx
        start, end = self.period
        self.feedback.tell(EXPORTING)
        self.ops.write(
            lambda: supplies.export_xlsx(ctx, start, end, path),
            self._exported,
            busy=[self.export_button],
            failed=lambda exc: self.feedback.tell(
                EXPORT_FAILED, Level.ERROR, reason=dialogs.describe(exc)
            ),
        )

    def _exported(self, path: Path) -> None:
        self.feedback.tell(EXPORTED, path=path)
        self.exported.emit(path)

    def print_ledger(self) -> PrintPreview:
        """Preview the period's ledger; print it or save the PDF from there."""
        ctx = self._ctx
        start, end = self.period

        def make_pdf(out: Path) -> object:
            return supplies_print.print_ledger(ctx, start, end, out)

        self.preview = open_preview(
            LEDGER_TITLE,
            make_pdf,
            self.page,
            f"{start.isoformat()} {end.isoformat()}",
            self.preview_opened,
        )
        return self.preview

    # ------------------------------------------------------------ display

    def _fit_rows(self) -> None:
        # rows tall enough for Tibetan stacks and vowel signs
        height = fonts.row_height()
        self.stock_table.verticalHeader().setDefaultSectionSize(height)

    def _fit_columns(self) -> None:
        for table in self._tables:
            table.resizeColumnsToContents()

    def _refit(self) -> None:
        if shiboken6.isValid(self.page):
            self._fit_rows()
            self._fit_columns()

    def _retranslate(self) -> None:
        for model in (self.stock_model, self.movement_model, self.summary_model, self.donor_model):
            model.retranslate()
        self._gate()
        QTimer.singleShot(0, self._refit)
