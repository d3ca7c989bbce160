"""File → Translations…: the Tibetan texts out for review by readers of Tibetan,
and the reviewed workbook back in (:mod:`station_app.services.translations`).

Shows how much of the Tibetan is verified, by whom and when last; "Export for
review…" writes the review workbook; "Import a reviewed workbook…" takes it
back under the reviewer's name and shows, row by row, what changed, what was
approved as it was and what was refused and why; the approved wording shows
on every open window at once. Below, the better wordings staff suggested on
the screens, which the next export carries. Managers and administrators
only; the services refuse anyone else too.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QWidget,
)
from typing_extensions import override

from station_app.domain.errors import N_
from station_app.i18n import _, redisplay
from station_app.services import translations
from station_app.services.context import Context
from station_app.services.translations import ReviewImport, ReviewState, Suggestion

from . import uiloader, watching
from .about import review_text
from .feedback import Level, MessageArea
from .models.suggestions import SuggestionsModel
from .ops import Ops
from .widgets.window import DialogController

EXPORT_TITLE = N_("Export the texts for review")
IMPORT_TITLE = N_("Import a reviewed workbook")
WORKBOOKS = N_("Excel workbooks (*.xlsx)")
EXPORTED = N_("{count} texts written to {path} for review")
NO_REVIEWER = N_("Type the reviewer's name first: it is kept with every text they approve.")
IMPORTED = translations.SUMMARY


class TranslationsDialog(DialogController):
    """Controller of ``ui/translations_dialog.ui``; the dialog is :attr:`dialog`."""

    state_shown = Signal(object)  # ReviewState, once on screen
    exported = Signal(object)  # the workbook's Path
    imported = Signal(object)  # ReviewImport, once on screen
    failed = Signal(str)  # a refusal shown in the dialog

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        self._ctx = ctx
        super().__init__("translations_dialog.ui", parent)
        dialog = self.dialog
        self.state: ReviewState | None = None
        self.last_import: ReviewImport | None = None
        self.state_label = uiloader.child(dialog, QLabel, "stateLabel")
        self.export_button = uiloader.child(dialog, QPushButton, "exportButton")
        self.import_button = uiloader.child(dialog, QPushButton, "importButton")
        self.reviewer_edit = uiloader.child(dialog, QLineEdit, "reviewerEdit")
        self.report_text = uiloader.child(dialog, QPlainTextEdit, "reportText")
        self.table = uiloader.child(dialog, QTableView, "suggestionsTable")
        self.close_button = uiloader.child(dialog, QPushButton, "closeButton")
        message = uiloader.child(dialog, QLabel, "messageLabel")
        self.feedback = MessageArea(message, on_refusal=self.failed.emit)
        self.ops = Ops(self, busy=[self.export_button, self.import_button], feedback=self.feedback)
        self.model = SuggestionsModel(self)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.report_text.hide()

        self.export_button.clicked.connect(lambda _checked=False: self.choose_export())
        self.import_button.clicked.connect(lambda _checked=False: self.choose_import())
        self.close_button.clicked.connect(self.close)
        watching.watch(self, ctx.db, lambda _changes: self.reload())
        self.reload()

    # ------------------------------------------------------------ reading

    def reload(self) -> None:
        """Read the state of the review and the waiting suggestions again."""
        ctx = self._ctx

        def read() -> tuple[ReviewState, list[Suggestion]]:
            return translations.review_state(ctx, "bo"), translations.suggestions(ctx, "bo")

        self.ops.query(read, self._read, latest="translations")

    def _read(self, result: tuple[ReviewState, list[Suggestion]]) -> None:
        self.state, waiting = result
        self.state_label.setText(review_text(self.state))
        self.model.set_rows(waiting)
        self.table.resizeRowsToContents()
        self.state_shown.emit(self.state)

    # ------------------------------------------------------------ export

    def choose_export(self) -> None:
        start = str(Path.home() / "tibetan-review.xlsx")
        chosen, _filter = QFileDialog.getSaveFileName(
            self.dialog, _(EXPORT_TITLE), start, _(WORKBOOKS)
        )
        if chosen:
            path = Path(chosen)
            self.export(path if path.suffix.lower() == ".xlsx" else path.with_suffix(".xlsx"))

    def export(self, path: Path) -> None:
        """Write the review workbook of the Tibetan texts to ``path``."""
        ctx = self._ctx
        self.feedback.clear()
        self.ops.query(
            lambda: translations.export_review(ctx, "bo", path),
            lambda count: self._exported(path, count),
        )

    def _exported(self, path: Path, count: int) -> None:
        self.feedback.tell(EXPORTED, Level.INFORMATION, count=count, path=path)
        self.exported.emit(path)

    # ------------------------------------------------------------ import

    def choose_import(self) -> None:
        if not self.reviewer_edit.text().strip():
            self._no_reviewer()
            return
        chosen, _filter = QFileDialog.getOpenFileName(
            self.dialog, _(IMPORT_TITLE), str(Path.home()), _(WORKBOOKS)
        )
        if chosen:
            self.import_file(Path(chosen))

    def _no_reviewer(self) -> None:
        self.feedback.clear()
        self.feedback.tell(NO_REVIEWER, Level.ERROR)
        self.reviewer_edit.setFocus()
        self.failed.emit(self.feedback.text)

    def import_file(self, path: Path) -> None:
        """Take the reviewed workbook ``path`` in under the reviewer's name."""
        reviewer = self.reviewer_edit.text()
        if not reviewer.strip():
            self._no_reviewer()
            return
        ctx = self._ctx
        self.ops.write(lambda: translations.import_review(ctx, path, reviewer), self._imported)

    def _imported(self, report: ReviewImport) -> None:
        # the import laid the station's wording over the catalogs; every open
        # window redisplays in it, here on the GUI thread
        redisplay()
        self.last_import = report
        level = Level.WARNING if report.any_refused else Level.INFORMATION
        self.feedback.tell(
            IMPORTED,
            level,
            changed=len(report.changed),
            approved=len(report.approved),
            refused=len(report.refused),
            reviewer=report.reviewer,
        )
        lines = report.summary(_)[1:] + report.lines(_)
        self.report_text.setPlainText("\n".join(lines))
        self.report_text.setVisible(bool(lines))
        self.imported.emit(report)
        self.reload()

    @override
    def _retranslate(self) -> None:
        if self.state is not None:
            self.state_label.setText(review_text(self.state))
        self.model.retranslate()
