"""File → Audit trail…: who changed which record and when.

Filters by user, kind of record, kind of action and period; the list reads a
page at a time ("Show more") and follows new entries as they are written.
"Export…" saves the entries the filters select as an Excel file. Managers and
administrators only (``Permission.VIEW_AUDIT``); the services refuse anyone else.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QWidget,
)
from typing_extensions import override

from station_app.domain.clock import china_today
from station_app.domain.enums import AuditAction
from station_app.domain.errors import N_
from station_app.i18n import _
from station_app.services import audit_view
from station_app.services.audit_view import ACTION_LABELS, ENTITY_LABELS, AuditFilter, AuditPage
from station_app.services.context import Context

from . import uiloader, watching
from .feedback import Level, MessageArea
from .models.audit import AuditModel
from .ops import Ops
from .save_dialog import XLSX_FILES, ask_save_path
from .widgets.window import DialogController

PAGE = 200
ANY = N_("(all)")
EXPORT_TITLE = N_("Export the audit trail")
EXPORTED = N_("The audit trail was saved to {path}.")
EXPORT_NAME = "audit-trail.xlsx"


class AuditDialog(DialogController):
    """Controller of ``ui/audit_dialog.ui``; the dialog is :attr:`dialog`."""

    shown = Signal(object)  # the AuditPage just put on screen
    exported = Signal(object)  # the Path written
    failed = Signal(str)  # a refusal shown in the dialog

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        self._ctx = ctx
        super().__init__("audit_dialog.ui", parent)
        dialog = self.dialog
        self.user_combo = uiloader.child(dialog, QComboBox, "userCombo")
        self.entity_combo = uiloader.child(dialog, QComboBox, "entityCombo")
        self.action_combo = uiloader.child(dialog, QComboBox, "actionCombo")
        self.start_edit = uiloader.child(dialog, QDateEdit, "startEdit")
        self.end_edit = uiloader.child(dialog, QDateEdit, "endEdit")
        self.search_button = uiloader.child(dialog, QPushButton, "searchButton")
        self.table = uiloader.child(dialog, QTableView, "auditTable")
        self.more_button = uiloader.child(dialog, QPushButton, "moreButton")
        self.export_button = uiloader.child(dialog, QPushButton, "exportButton")
        close_button = uiloader.child(dialog, QPushButton, "closeButton")
        message = uiloader.child(dialog, QLabel, "messageLabel")
        self.feedback = MessageArea(message, on_refusal=self.failed.emit)
        self.ops = Ops(self, busy=[self.export_button], feedback=self.feedback)
        self.model = AuditModel(self)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        for column in range(4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        today = china_today()
        self.start_edit.setDate(_qdate(today - timedelta(days=30)))
        self.end_edit.setDate(_qdate(today))
        self._fill_choices()
        self.more_button.setEnabled(False)

        self.search_button.clicked.connect(lambda _checked=False: self.reload())
        for combo in (self.user_combo, self.entity_combo, self.action_combo):
            combo.activated.connect(lambda _index: self.reload())
        self.more_button.clicked.connect(lambda _checked=False: self.show_more())
        self.export_button.clicked.connect(lambda _checked=False: self.choose_export_file())
        close_button.clicked.connect(self.close)
        watching.watch(self, ctx.db, lambda _changes: self.reload(), page=self.table)
        self.ops.query(lambda: audit_view.usernames(ctx), self._users_read, latest="audit-users")
        self.reload()

    # ------------------------------------------------------------ filters

    def _fill_choices(self) -> None:
        self.entity_combo.clear()
        self.entity_combo.addItem(_(ANY), None)
        for key, label in ENTITY_LABELS.items():
            self.entity_combo.addItem(_(label), key)
        self.action_combo.clear()
        self.action_combo.addItem(_(ANY), None)
        for action, label in ACTION_LABELS.items():
            self.action_combo.addItem(_(label), action)
        if self.user_combo.count() == 0:
            self.user_combo.addItem(_(ANY), None)

    def _users_read(self, names: list[str]) -> None:
        chosen = self.user_combo.currentData()
        self.user_combo.clear()
        self.user_combo.addItem(_(ANY), None)
        for name in names:
            self.user_combo.addItem(name, name)
        index = self.user_combo.findData(chosen)
        self.user_combo.setCurrentIndex(max(index, 0))

    def choose(self, combo: QComboBox, value: object) -> None:
        """Pick ``value`` in a filter (as a user would) and show the list again."""
        index = combo.findData(value)
        if index >= 0:
            combo.setCurrentIndex(index)
        self.reload()

    def current_filter(self) -> AuditFilter:
        action = self.action_combo.currentData()
        return AuditFilter(
            user=self.user_combo.currentData(),
            entity=self.entity_combo.currentData(),
            action=AuditAction(action) if action else None,
            start=self.start_edit.date().toPython(),  # type: ignore[arg-type]
            end=self.end_edit.date().toPython(),  # type: ignore[arg-type]
        )

    # ------------------------------------------------------------ reading

    def reload(self) -> None:
        """Read the first page for the filters."""
        ctx, f = self._ctx, self.current_filter()
        self.ops.query(
            lambda: audit_view.search(ctx, f, limit=PAGE), self._first_page, latest="audit"
        )

    def _first_page(self, page: AuditPage) -> None:
        self.model.set_rows(page.rows)
        self.more_button.setEnabled(page.more)
        self.shown.emit(page)

    def show_more(self) -> None:
        """Read the next page after the rows on screen."""
        ctx, f, offset = self._ctx, self.current_filter(), len(self.model.rows)
        self.ops.query(
            lambda: audit_view.search(ctx, f, limit=PAGE, offset=offset),
            self._next_page,
            latest="audit",
        )

    def _next_page(self, page: AuditPage) -> None:
        self.model.add_rows(page.rows)
        self.more_button.setEnabled(page.more)
        self.shown.emit(page)

    # ------------------------------------------------------------ export

    def choose_export_file(self) -> None:
        path = ask_save_path(self.dialog, _(EXPORT_TITLE), EXPORT_NAME, [(_(XLSX_FILES), ".xlsx")])
        if path is not None:
            self.export_to(path)

    def export_to(self, path: Path) -> None:
        """Save the entries the filters select to ``path``."""
        ctx, f = self._ctx, self.current_filter()
        self.ops.write(lambda: audit_view.export(ctx, path, f, gettext=_), self._exported)

    def _exported(self, path: Path) -> None:
        self.feedback.tell(EXPORTED, Level.INFORMATION, path=str(path))
        self.exported.emit(path)

    @override
    def _retranslate(self) -> None:
        entity, action = self.entity_combo.currentData(), self.action_combo.currentData()
        self._fill_choices()
        self.entity_combo.setCurrentIndex(max(self.entity_combo.findData(entity), 0))
        self.action_combo.setCurrentIndex(max(self.action_combo.findData(action), 0))
        self.user_combo.setItemText(0, _(ANY))
        self.model.retranslate()


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)
