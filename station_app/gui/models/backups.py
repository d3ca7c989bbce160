"""The backups of the station's database as a table: time, kind, size, checked."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from typing_extensions import override

from station_app.domain.errors import N_
from station_app.gui.formatting import moment_text, number_text
from station_app.i18n import _
from station_app.services.backups.automatic import Backup
from station_app.services.backups.files import BackupKind

from .rows import RowsModel

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
TAKEN, KIND, SIZE, VERIFIED = range(4)
HEADERS = (N_("Taken"), N_("Kind"), N_("Size"), N_("Checked"))
KIND_LABELS = {
    BackupKind.AUTOMATIC: N_("automatic"),
    BackupKind.PRE_UPGRADE: N_("before an upgrade"),
    BackupKind.MANUAL: N_("manual"),
    BackupKind.BEFORE_RESTORE: N_("saved before a restore"),
}
# TRANSLATORS: the schema version a backup taken before an upgrade holds
PRE_UPGRADE_OF = N_("before an upgrade (from version {revision})")
VERIFIED_TEXT = N_("checked, sound")
NOT_VERIFIED_TEXT = N_("not checked")
MEGABYTES = N_("{size} MB")
KILOBYTES = N_("{size} KB")


def taken_text(backup: Backup) -> str:
    """When a backup was taken, China time to the minute."""
    return moment_text(backup.taken)


def kind_text(backup: Backup) -> str:
    if backup.kind is BackupKind.PRE_UPGRADE and backup.revision:
        return _(PRE_UPGRADE_OF).format(revision=backup.revision)
    return _(KIND_LABELS[backup.kind])


def size_text(size: int) -> str:
    fmt = number_text
    if size >= 1024 * 1024:
        return _(MEGABYTES).format(size=fmt(round(size / (1024 * 1024), 1)))
    return _(KILOBYTES).format(size=fmt(max(1, round(size / 1024))))


class BackupsModel(RowsModel[Backup]):
    """The backups listed, newest first; the tooltip names the file."""

    HEADERS = HEADERS
    NUMBER_COLUMNS = frozenset({SIZE})

    @override
    def _data(self, row: Backup, column: int, role: int) -> Any:
        if role == SORT_ROLE:  # plain values: the proxy cannot compare Python objects
            # two backups named in the same second: the one written later is newer
            taken = f"{row.taken.isoformat()} {row.written_ns:020d}"
            return (taken, kind_text(row), row.size, int(row.verified))[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(row.path)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == TAKEN:
            return taken_text(row)
        if column == KIND:
            return kind_text(row)
        if column == SIZE:
            return size_text(row.size)
        return _(VERIFIED_TEXT if row.verified else NOT_VERIFIED_TEXT)
