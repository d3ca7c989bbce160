"""File → Backups…: the backups of the station's database on this computer.

Lists the backups of the backup folder (and of the default folder, where
backups go while the chosen one is missing): when each was taken, its kind,
its size and whether it passed its check. "Back up now" writes a checked
manual backup; "Choose folder…" keeps the backups of this computer elsewhere
(a USB disk); "Restore…" asks for confirmation, then hands the chosen backup
to the application (:attr:`BackupsDialog.restore_requested`), which logs out,
closes the database, restores and opens it again. Managers and
administrators only; the services refuse anyone else too.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QWidget,
)
from typing_extensions import override

from station_app.domain.errors import N_
from station_app.i18n import _
from station_app.services.backups import automatic
from station_app.services.backups.automatic import Backup, BackupListing, BackupOutcome
from station_app.services.context import Context

from . import uiloader
from .dialogs import APP_TITLE
from .feedback import Level, MessageArea, show_level
from .models.backups import KIND, SIZE, SORT_ROLE, TAKEN, VERIFIED, BackupsModel, kind_text
from .models.backups import taken_text as backup_time
from .ops import Ops
from .widgets.window import DialogController

CHOOSE_FOLDER_TITLE = N_("Choose the backup folder")
FOLDER_IN_USE = N_("Backups are written to {folder}.")
FOLDER_MISSING = N_(
    "The backup folder {folder} is not available: plug in the backup disk or choose another "
    "folder. Meanwhile backups are written to {fallback}."
)
CHOOSE_BACKUP = N_("Choose the backup to restore in the list first.")
BACKED_UP = N_("The backup {file} was written and checked.")
CONFIRM_RESTORE = N_(
    "Restore the backup of {time} ({kind})?\n\n"
    "The current database is saved into the backup folder first. Then you are logged out, "
    "the database is replaced by this backup and opened again: whatever was entered after "
    "{time} will not be in it. Other desks and programs using the database must be closed "
    "first."
)
RESTORE_BUTTON = N_("Restore")


class BackupsDialog(DialogController):
    """Controller of ``ui/backups_dialog.ui``; the dialog is :attr:`dialog`."""

    listed = Signal(object)  # BackupListing, once on screen
    backed_up = Signal(object)  # BackupOutcome of "Back up now"
    restore_requested = Signal(object)  # Backup, the user has confirmed
    failed = Signal(str)  # a refusal shown in the dialog

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        self._ctx = ctx
        super().__init__("backups_dialog.ui", parent)
        dialog = self.dialog
        self.listing: BackupListing | None = None
        self.folder_box = uiloader.child(dialog, QGroupBox, "folderBox")
        self.folder_value = uiloader.child(dialog, QLabel, "folderValue")
        self.folder_status = uiloader.child(dialog, QLabel, "folderStatusLabel")
        self.choose_folder_button = uiloader.child(dialog, QPushButton, "chooseFolderButton")
        self.table = uiloader.child(dialog, QTableView, "backupsTable")
        self.backup_now_button = uiloader.child(dialog, QPushButton, "backupNowButton")
        self.restore_button = uiloader.child(dialog, QPushButton, "restoreButton")
        self.close_button = uiloader.child(dialog, QPushButton, "closeButton")
        message = uiloader.child(dialog, QLabel, "messageLabel")
        self.feedback = MessageArea(message, on_refusal=self.failed.emit)
        busy = [self.choose_folder_button, self.backup_now_button, self.restore_button]
        self.ops = Ops(self, busy=busy, feedback=self.feedback)
        self.model = BackupsModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setSourceModel(self.model)
        self.table.setModel(self.proxy)
        header = self.table.horizontalHeader()
        for column in (TAKEN, KIND, SIZE, VERIFIED):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(TAKEN, Qt.SortOrder.DescendingOrder)
        self.folder_status.hide()

        self.backup_now_button.clicked.connect(self.back_up_now)
        self.restore_button.clicked.connect(self.restore_selected)
        self.choose_folder_button.clicked.connect(self.choose_folder)
        self.close_button.clicked.connect(self.close)
        self.table.doubleClicked.connect(lambda _index: self.restore_selected())
        self.reload()

    # ------------------------------------------------------------ reading

    def reload(self) -> None:
        """Read the list of backups again."""
        ctx = self._ctx
        self.ops.query(lambda: automatic.list_backups(ctx), self._listed, latest="backups")

    def _listed(self, listing: BackupListing) -> None:
        self.listing = listing
        self.model.set_rows(listing.backups)
        if self.proxy.rowCount() and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        self._show_folder()
        self.listed.emit(listing)

    def _show_folder(self) -> None:
        listing = self.listing
        if listing is None:
            return
        files = listing.file_backups
        for widget in (self.backup_now_button, self.restore_button, self.choose_folder_button):
            widget.setEnabled(files)
        self.table.setVisible(files)
        if not files:
            self.folder_value.setText("")
            show_level(self.folder_status, _(automatic.NO_BACKUP_FILES), Level.INFORMATION)
            return
        self.folder_value.setText(_(FOLDER_IN_USE).format(folder=listing.folder))
        if listing.folder_available:
            self.folder_status.hide()
        else:
            text = _(FOLDER_MISSING).format(folder=listing.folder, fallback=listing.default_folder)
            show_level(self.folder_status, text, Level.WARNING)

    def selected(self) -> Backup | None:
        """The backup selected in the list."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        row = self.proxy.mapToSource(rows[0]).row()
        return self.model.rows[row] if 0 <= row < len(self.model.rows) else None

    # ------------------------------------------------------------ writing

    def back_up_now(self) -> None:
        """Write a checked manual backup; the list shows it after."""
        ctx = self._ctx
        self.ops.write(lambda: automatic.backup_now(ctx), self._backed_up)

    def _backed_up(self, outcome: BackupOutcome) -> None:
        if outcome.notice is not None:
            self.feedback.refusal(outcome.notice)
        elif outcome.written is not None:
            self.feedback.tell(BACKED_UP, Level.INFORMATION, file=outcome.written.path.name)
        self.backed_up.emit(outcome)
        self.reload()

    def choose_folder(self) -> None:
        """Ask for the folder to keep this computer's backups in."""
        start = str(self.listing.folder) if self.listing is not None else str(Path.home())
        chosen = QFileDialog.getExistingDirectory(self.dialog, _(CHOOSE_FOLDER_TITLE), start)
        if chosen:
            self.set_folder(Path(chosen))

    def set_folder(self, folder: Path | None) -> None:
        """Keep the backups in ``folder`` (None: the default folder)."""
        ctx = self._ctx
        self.ops.write(lambda: automatic.set_backup_folder(ctx, folder), self._listed)

    # ------------------------------------------------------------ restoring

    def restore_selected(self) -> None:
        """Confirm, then ask the application to restore the selected backup."""
        backup = self.selected()
        if backup is None:
            self.feedback.clear()
            self.feedback.tell(CHOOSE_BACKUP, Level.ERROR)
            self.failed.emit(self.feedback.text)
            return
        if self.confirm_restore(backup):
            self.restore_requested.emit(backup)

    def confirm_restore(self, backup: Backup) -> bool:
        """Say what a restore does and ask whether to go on."""
        text = _(CONFIRM_RESTORE).format(time=backup_time(backup), kind=kind_text(backup))
        box = QMessageBox(QMessageBox.Icon.Warning, _(APP_TITLE), text, parent=self.dialog)
        restore = box.addButton(_(RESTORE_BUTTON), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        return box.clickedButton() is restore

    @override
    def _retranslate(self) -> None:
        self.model.retranslate()
        self._show_folder()
