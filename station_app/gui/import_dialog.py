"""Importing persons from a station's Excel or CSV ledger (人员台账导入).

Staff choose the file (or first save the template and fill it in), say what
to do with bad rows and with rows that may be persons already on record, and
import. :func:`station_app.services.imports.import_persons` runs off the GUI
thread (an operation of the dialog, :mod:`.ops`); its row count feeds the
progress bar. The result says how many persons were imported and lists every
problem, possible duplicate and warning with its row and column, in the screen
language. A refused file (wrong type, damaged, too many rows) is said in the
dialog and nothing is imported. The registry reads itself again after the
commit (:mod:`.watching`).
"""

from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import QEvent, QObject, QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTableView,
    QWidget,
)
from typing_extensions import override

from station_app.domain.errors import N_, UserError
from station_app.domain.permissions import Permission, allows
from station_app.gui.formatting import number_text
from station_app.i18n import _, ngettext
from station_app.services import imports, persons
from station_app.services.context import Context
from station_app.services.imports import DuplicatePolicy, ImportReport

from . import uiloader
from .feedback import Level, MessageArea, show_level
from .models.import_report import COLUMN, KIND, MESSAGE, ROW, SAME_AS, SORT_ROLE, ImportReportModel
from .ops import Ops, Progress
from .save_dialog import XLSX_FILES, ask_save_path
from .widgets.window import DialogController, holds_open

CHOOSE_TITLE = N_("Choose the ledger to import")
LEDGER_FILES = N_("Excel workbooks and CSV files (*.xlsx *.csv)")
TEMPLATE_TITLE = N_("Save the import template")
CSV_FILES = N_("CSV files (*.csv)")
TEMPLATE_NAME = "人员导入模板.xlsx"  # as the manual names it
TEMPLATE_SAVED = N_("The template was saved as {path}. Fill it in, then import it here.")
CHOOSE_FILE = N_("Choose the file to import first.")
READING = N_("Reading the file…")
CHECKED = N_("Rows checked: {done} of {total}")
CHECKED_SO_FAR = N_("Rows checked: {done}")

SEE_WARNINGS = N_("Please look at the warnings below.")
NO_ROWS = N_("{file} has no rows below the headers; nothing was imported.")
ALL_BAD = N_(
    "Nothing was imported from {file}: every row read ({rows}) has a problem. Correct the rows "
    "listed below and import the file again."
)
SOME_BAD = N_(
    "Nothing was imported from {file}. Rows read: {rows}; rows with problems: {bad}. Correct "
    "the rows listed below and import the file again, or choose to import only the rows "
    "without problems."
)
NOTHING_LEFT = N_("Nothing was imported from {file}: no row was left to import (listed below).")

MAX_NAMED = 200  # persons on record named in the report; the others by number
SAME_AS_WIDTH = 220  # px: a name or two with their record numbers
SAME_AS_MAX_WIDTH = 360  # px: more names wrap
FIT_ROWS_MAX = 300  # lines whose height follows their wrapped text; more would hold the screen


def imported_text(count: int, file: str) -> str:
    number = number_text(count)
    return ngettext(
        "Imported {count} person from {file}. The registry shows the person now.",
        "Imported {count} persons from {file}. The registry shows them now.",
        count,
    ).format(count=number, file=file)


def bad_left_out_text(count: int) -> str:
    number = number_text(count)
    return ngettext(
        "{count} row with problems was not imported (listed below): correct it and import a "
        "file with only that row.",
        "{count} rows with problems were not imported (listed below): correct them and import "
        "a file with only those rows.",
        count,
    ).format(count=number)


def linked_text(count: int) -> str:
    number = number_text(count)
    return ngettext(
        "{count} row that may be a person already on record was imported and linked to that "
        "record as the same person (listed below).",
        "{count} rows that may be persons already on record were imported and linked to those "
        "records as the same person (listed below).",
        count,
    ).format(count=number)


def duplicates_left_out_text(count: int) -> str:
    number = number_text(count)
    return ngettext(
        "{count} row that may be a person already on record was left out (listed below).",
        "{count} rows that may be persons already on record were left out (listed below).",
        count,
    ).format(count=number)


def refused_duplicates_text(count: int, file: str) -> str:
    number = number_text(count)
    return ngettext(
        "Nothing was imported from {file}: {count} row may be a person already registered at "
        "this station or entered twice in the file (listed below). Check it against the "
        "persons named; then import the file again choosing what to do with such rows, or "
        "delete the row from the file.",
        "Nothing was imported from {file}: {count} rows may be persons already registered at "
        "this station or entered twice in the file (listed below). Check them against the "
        "persons named; then import the file again choosing what to do with such rows, or "
        "delete them from the file.",
        count,
    ).format(count=number, file=file)


def result_text(report: ImportReport) -> tuple[str, Level]:
    """What the import did, in the screen language, and how it is to be read."""
    number = number_text
    file = report.file.name
    if report.committed:
        lines = [imported_text(report.imported, file)]
        level = Level.INFORMATION
        if report.bad_rows:
            lines.append(bad_left_out_text(len(report.bad_rows)))
            level = Level.WARNING
        if report.duplicates and report.duplicate_policy is DuplicatePolicy.LINK:
            lines.append(linked_text(len(report.duplicates)))
        if report.skipped_duplicates:
            lines.append(duplicates_left_out_text(len(report.skipped_duplicates)))
            level = Level.WARNING
        if report.warnings:
            lines.append(_(SEE_WARNINGS))
        return " ".join(lines), level
    bad = len(report.bad_rows)
    if report.rows_read == 0:
        return _(NO_ROWS).format(file=file), Level.WARNING
    if bad and bad >= report.rows_read:
        return _(ALL_BAD).format(file=file, rows=number(report.rows_read)), Level.ERROR
    if bad and not report.skip_bad:
        text = _(SOME_BAD).format(file=file, rows=number(report.rows_read), bad=number(bad))
        return text, Level.ERROR
    if report.duplicates and report.duplicate_policy is DuplicatePolicy.REFUSE:
        return refused_duplicates_text(len(report.duplicates), file), Level.ERROR
    return _(NOTHING_LEFT).format(file=file), Level.WARNING


class ImportDialog(DialogController):
    """Controller of ``ui/import_dialog.ui``; the dialog is :attr:`dialog`."""

    finished = Signal(object)  # ImportReport, whether it imported or not
    failed = Signal(str)  # the refusal shown in the dialog
    template_saved = Signal(object)  # Path

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        self._ctx = ctx
        super().__init__("import_dialog.ui", parent)
        dialog = self.dialog
        self.report: ImportReport | None = None
        self.running = False
        self._progress_shown: tuple[int, int] | None = None  # rows checked, of total (0: unknown)

        self.file_box = uiloader.child(dialog, QGroupBox, "fileBox")
        self.options_box = uiloader.child(dialog, QGroupBox, "optionsBox")
        self.file_edit = uiloader.child(dialog, QLineEdit, "fileEdit")
        self.browse_button = uiloader.child(dialog, QPushButton, "browseButton")
        self.template_button = uiloader.child(dialog, QPushButton, "templateButton")
        self.skip_bad_check = uiloader.child(dialog, QCheckBox, "skipBadCheck")
        self.refuse_radio = uiloader.child(dialog, QRadioButton, "refuseRadio")
        self.link_radio = uiloader.child(dialog, QRadioButton, "linkRadio")
        self.skip_radio = uiloader.child(dialog, QRadioButton, "skipRadio")
        self.progress_bar = uiloader.child(dialog, QProgressBar, "progressBar")
        self.progress_label = uiloader.child(dialog, QLabel, "progressLabel")
        self.import_button = uiloader.child(dialog, QPushButton, "importButton")
        self.result_label = uiloader.child(dialog, QLabel, "resultLabel")
        self.table = uiloader.child(dialog, QTableView, "reportTable")
        self.message_label = uiloader.child(dialog, QLabel, "messageLabel")
        self.close_button = uiloader.child(dialog, QPushButton, "closeButton")

        self.feedback = MessageArea(
            self.message_label, {"file": self.file_edit}, on_refusal=self.failed.emit
        )
        busy = [self.file_box, self.options_box, self.import_button, self.close_button]
        self.ops = Ops(self, busy=busy, feedback=self.feedback)
        self.progress = Progress(self)
        self.progress.changed.connect(self._progress)

        # Linking rows to records is for those who may link persons (the service checks too).
        self.may_link = allows(ctx.actor.role, Permission.LINK_PERSONS)
        self.link_radio.setVisible(self.may_link)
        self.model = ImportReportModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setSourceModel(self.model)
        self.table.setModel(self.proxy)
        self._setup_table()
        self.progress_bar.hide()
        self.progress_label.hide()
        self.result_label.hide()
        self.table.hide()
        self.import_button.setDefault(True)

        self.browse_button.clicked.connect(self.choose_file)
        self.template_button.clicked.connect(self.choose_template_file)
        self.import_button.clicked.connect(self.start_import)
        self.close_button.clicked.connect(self.close)
        # The language's font arrives after the texts: the columns are fitted again then.
        self._header = self.table.horizontalHeader()
        self._header.installEventFilter(self)
        dialog.installEventFilter(self)

    # ------------------------------------------------------------ the choices

    @property
    def policy(self) -> DuplicatePolicy:
        if self.link_radio.isChecked() and self.may_link:
            return DuplicatePolicy.LINK
        if self.skip_radio.isChecked():
            return DuplicatePolicy.SKIP
        return DuplicatePolicy.REFUSE

    def choose_file(self) -> None:
        """Ask for the ledger to import."""
        start = self.file_edit.text().strip() or str(Path.home())
        chosen, _filter = QFileDialog.getOpenFileName(
            self.dialog, _(CHOOSE_TITLE), start, _(LEDGER_FILES)
        )
        if chosen:
            self.set_file(Path(chosen))

    def set_file(self, path: Path) -> None:
        self.file_edit.setText(str(path))
        self.feedback.clear()

    # ------------------------------------------------------------ the template

    def choose_template_file(self) -> None:
        """Ask where to save the template, then save it."""
        filters = [(_(XLSX_FILES), ".xlsx"), (_(CSV_FILES), ".csv")]
        path = ask_save_path(self.dialog, _(TEMPLATE_TITLE), TEMPLATE_NAME, filters)
        if path is not None:
            self.save_template(path)

    def save_template(self, path: Path) -> None:
        """Write the import template to ``path`` (.xlsx or .csv) in the background."""
        self.ops.write(
            lambda: imports.write_template(path),
            lambda _none: self._template_written(path),
            busy=[self.template_button],
        )

    def _template_written(self, path: Path) -> None:
        self.feedback.tell(TEMPLATE_SAVED, Level.INFORMATION, path=str(path))
        self.template_saved.emit(path)

    # ------------------------------------------------------------ importing

    def start_import(self) -> None:
        """Import the chosen file with the choices on screen; :attr:`finished` follows."""
        if self.running:
            return
        text = self.file_edit.text().strip()
        if not text:
            self.feedback.clear()
            self.feedback.tell(CHOOSE_FILE, Level.ERROR)
            self.feedback.point_at(self.file_edit, None)
            self.failed.emit(self.feedback.text)
            return
        path = Path(text).expanduser()
        ctx, progress = self._ctx, self.progress
        skip_bad, policy = self.skip_bad_check.isChecked(), self.policy

        def run() -> tuple[ImportReport, dict[int, str]]:
            report = imports.import_persons(
                ctx,
                path,
                skip_bad=skip_bad,
                duplicates=policy,
                progress=lambda done, total: progress("rows", done, total or 0),
            )
            # The persons on record a row may be, by name: staff check them by name.
            wanted = sorted({i for d in report.duplicates for i in d.person_ids})
            names: dict[int, str] = {}
            for person_id in wanted[:MAX_NAMED]:
                try:
                    names[person_id] = persons.get_person(ctx, person_id).display_name
                except UserError:
                    continue  # deleted meanwhile: named by number
            return report, names

        self.report = None
        self.model.show_report(None, {})
        self.table.hide()
        self.result_label.hide()
        self.running = True
        self._progress_shown = None
        self.progress_bar.setRange(0, 0)  # busy until the first count
        self.progress_bar.show()
        self.progress_label.show()
        self._show_progress()
        self.ops.write(run, self._finished, failed=self._failed)

    def _progress(self, _stage: str, done: int, total: int) -> None:
        self._progress_shown = (done, total)
        if total > 0:
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(min(done, total))
        else:
            self.progress_bar.setRange(0, 0)
        self._show_progress()

    def _show_progress(self) -> None:
        shown = self._progress_shown
        number = number_text
        if shown is None:
            text = _(READING)
        elif shown[1] > 0:
            text = _(CHECKED).format(done=number(shown[0]), total=number(shown[1]))
        else:
            text = _(CHECKED_SO_FAR).format(done=number(shown[0]))
        self.progress_label.setText(text)

    def _finished(self, result: tuple[ImportReport, dict[int, str]]) -> None:
        report, names = result
        self.running = False
        self.report = report
        if report.rows_read:
            self._progress("rows", report.rows_read, report.rows_read)
        else:
            self.progress_bar.hide()
            self.progress_label.hide()
        self.model.show_report(report, names)
        self.table.setVisible(self.model.rowCount() > 0)
        self._fit_table()
        self._show_result()
        self.finished.emit(report)

    def _failed(self, exc: BaseException) -> None:
        self.running = False
        self.progress_bar.hide()
        self.progress_label.hide()
        self.ops.report(exc)
        if isinstance(exc, UserError):
            self.feedback.point_at(self.file_edit, None)

    def _show_result(self) -> None:
        if self.report is None:
            self.result_label.hide()
            return
        text, level = result_text(self.report)
        show_level(self.result_label, text, level)

    # ------------------------------------------------------------ display

    def _setup_table(self) -> None:
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        for column in (ROW, COLUMN, KIND):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        # The message takes the room; the persons named wrap in a column of their own.
        header.setSectionResizeMode(MESSAGE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(SAME_AS, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(SAME_AS, SAME_AS_WIDTH)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the report's own order
        self.table.setSortingEnabled(True)
        self.table.setWordWrap(True)

    def _fit_table(self) -> None:
        # Wrapped messages keep their lines as the columns change (a wider
        # window, another language); past FIT_ROWS_MAX lines the rows keep one
        # height and the tooltip shows the rest.
        fit = self.model.rowCount() <= FIT_ROWS_MAX
        mode = QHeaderView.ResizeMode.ResizeToContents if fit else QHeaderView.ResizeMode.Fixed
        self.table.verticalHeader().setSectionResizeMode(mode)
        # The persons named: their column as wide as its title and names, within reason.
        self.table.resizeColumnToContents(SAME_AS)
        width = self.table.columnWidth(SAME_AS)
        self.table.setColumnWidth(SAME_AS, min(max(width, SAME_AS_WIDTH), SAME_AS_MAX_WIDTH))

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._header:
            if event.type() == QEvent.Type.FontChange and shiboken6.isValid(self.table):
                self._fit_table()
            return False
        # While the file is imported the dialog stays open: its report would be lost.
        if watched is self.dialog and self.running and holds_open(event):
            return True
        return super().eventFilter(watched, event)

    @override
    def _retranslate(self) -> None:
        self.model.retranslate()
        self._show_progress()
        self._show_result()
        self._fit_table()
