"""Manage → Users…: the station's accounts (user name, name, role, active, last
login, failed logins), added, edited, reset, deactivated and reactivated.

Who may manage whom is the services' rule (a manager: desk and patrol accounts
only; never the last active administrator); a refusal is shown in the
dialog's message area. The list follows every commit to the accounts.
"""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)
from typing_extensions import override

from station_app.domain.enums import Role
from station_app.domain.errors import N_
from station_app.domain.labels import enum_label
from station_app.i18n import LANGUAGES, _, language_name
from station_app.services import users
from station_app.services.context import Context

from . import uiloader, watching
from .feedback import Level, MessageArea
from .models.users import SORT_ROLE, USERNAME, UsersModel
from .ops import Ops
from .password_dialog import TYPED_DIFFERENTLY, PasswordDialog
from .widgets.window import DialogController

CHOOSE_USER = N_("Choose a user in the list first.")
DEACTIVATE = N_("Deactivate")
REACTIVATE = N_("Reactivate")
ADD_TITLE = N_("Add a user")
EDIT_TITLE = N_("Edit a user")
STATION_LANGUAGE = N_("the station's language")
ADDED = N_("{username} was added. They choose their own password at their first login.")
ROLES = (Role.DESK, Role.PATROL, Role.MANAGER, Role.ADMIN, Role.PREFECTURE)


class UserForm(DialogController):
    """Controller of ``ui/user_form.ui``: a new account, or one's name, role and language."""

    saved = Signal(object)  # UserView
    failed = Signal(str)

    def __init__(self, ctx: Context, user: users.UserView | None, parent: QWidget) -> None:
        self._ctx = ctx
        self.user = user
        super().__init__("user_form.ui", parent)
        d = self.dialog
        self.username_edit = uiloader.child(d, QLineEdit, "usernameEdit")
        self.display_name_edit = uiloader.child(d, QLineEdit, "displayNameEdit")
        self.role_combo = uiloader.child(d, QComboBox, "roleCombo")
        self.language_combo = uiloader.child(d, QComboBox, "languageCombo")
        self.password_edit = uiloader.child(d, QLineEdit, "passwordEdit")
        self.repeat_edit = uiloader.child(d, QLineEdit, "repeatEdit")
        self.save_button = uiloader.child(d, QPushButton, "saveButton")
        for role in ROLES:
            self.role_combo.addItem("", role)
        self.language_combo.addItem("", "")
        for code in LANGUAGES:
            self.language_combo.addItem(language_name(code), code)
        if user is not None:
            self.username_edit.setText(user.username)
            self.username_edit.setReadOnly(True)
            self.display_name_edit.setText(user.display_name)
            self.role_combo.setCurrentIndex(ROLES.index(user.role))
            self.language_combo.setCurrentIndex(
                max(0, self.language_combo.findData(user.preferred_language or ""))
            )
            for name in ("passwordEdit", "repeatEdit", "passwordLabel", "repeatLabel"):
                uiloader.child(d, QWidget, name).hide()
        fields = {
            "username": self.username_edit,
            "display_name": self.display_name_edit,
            "password": self.password_edit,
        }
        self.feedback = MessageArea(
            uiloader.child(d, QLabel, "messageLabel"), fields, on_refusal=self.failed.emit
        )
        self.ops = Ops(self, busy=[self.save_button], feedback=self.feedback)
        self.save_button.clicked.connect(self.save)
        uiloader.child(d, QPushButton, "cancelButton").clicked.connect(self.close)
        self._retranslate()

    @override
    def _retranslate(self) -> None:
        self.dialog.setWindowTitle(_(ADD_TITLE if self.user is None else EDIT_TITLE))
        for i, role in enumerate(ROLES):
            self.role_combo.setItemText(i, _(enum_label(role)))
        self.language_combo.setItemText(0, _(STATION_LANGUAGE))

    def save(self) -> None:
        ctx, user = self._ctx, self.user
        name, display = self.username_edit.text(), self.display_name_edit.text()
        role: Role = self.role_combo.currentData()
        language: str = self.language_combo.currentData()
        if user is not None:
            changed_role = role if role is not user.role else None
            self.ops.write(
                lambda: users.update_user(
                    ctx, user.id, display_name=display, role=changed_role,
                    preferred_language=language,
                ),
                self._saved,
            )  # fmt: skip
            return
        password = self.password_edit.text()
        if password != self.repeat_edit.text():
            self.feedback.clear()
            self.feedback.tell(TYPED_DIFFERENTLY, Level.ERROR)
            self.failed.emit(self.feedback.text)
            return
        self.ops.write(
            lambda: users.create_user(
                ctx, name, display, role, password, preferred_language=language or None
            ),
            self._saved,
        )

    def _saved(self, saved: users.UserView) -> None:
        self.saved.emit(saved)
        self.close()


class UsersDialog(DialogController):
    """Controller of ``ui/users_dialog.ui``; the dialog is :attr:`dialog`."""

    listed = Signal(object)  # list[UserView], once on screen
    failed = Signal(str)  # a refusal shown in the dialog

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        self._ctx = ctx
        super().__init__("users_dialog.ui", parent)
        d = self.dialog
        self.table = uiloader.child(d, QTableView, "usersTable")
        self.add_button = uiloader.child(d, QPushButton, "addButton")
        self.edit_button = uiloader.child(d, QPushButton, "editButton")
        self.reset_button = uiloader.child(d, QPushButton, "resetButton")
        self.active_button = uiloader.child(d, QPushButton, "activeButton")
        self.feedback = MessageArea(
            uiloader.child(d, QLabel, "messageLabel"), on_refusal=self.failed.emit
        )
        buttons = [self.add_button, self.edit_button, self.reset_button, self.active_button]
        self.ops = Ops(self, busy=buttons, feedback=self.feedback)
        self.model = UsersModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setSourceModel(self.model)
        self.table.setModel(self.proxy)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(USERNAME, Qt.SortOrder.AscendingOrder)
        self.form: UserForm | None = None
        self.password_dialog: PasswordDialog | None = None
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.reset_button.clicked.connect(self.reset_password)
        self.active_button.clicked.connect(self.toggle_active)
        uiloader.child(d, QPushButton, "closeButton").clicked.connect(self.close)
        self.table.doubleClicked.connect(lambda _index: self.edit())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._show_selected())
        watching.watch(self, ctx.db, lambda _changes: self.reload(), ("user_account",))
        self.reload()

    def reload(self) -> None:
        ctx = self._ctx
        self.ops.query(lambda: users.list_users(ctx), self._listed, latest="users")

    def _listed(self, rows: list[users.UserView]) -> None:
        chosen = self.selected()
        self.model.set_rows(rows)
        for user in rows:
            if chosen is not None and user.id == chosen.id:
                self.select(user.username)
                break
        else:
            if rows:
                self.table.selectRow(0)
        self._show_selected()
        self.listed.emit(rows)

    def selected(self) -> users.UserView | None:
        """The account selected in the list."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        row = self.proxy.mapToSource(rows[0]).row()
        return self.model.rows[row] if 0 <= row < len(self.model.rows) else None

    def select(self, username: str) -> None:
        for row in range(self.proxy.rowCount()):
            if self.proxy.index(row, USERNAME).data() == username:
                self.table.selectRow(row)
                return

    def _show_selected(self) -> None:
        user = self.selected()
        self.active_button.setText(_(REACTIVATE if user and not user.active else DEACTIVATE))

    def _chosen(self) -> users.UserView | None:
        user = self.selected()
        if user is None:
            self.feedback.clear()
            self.feedback.tell(CHOOSE_USER, Level.ERROR)
            self.failed.emit(self.feedback.text)
        return user

    def add(self) -> UserForm:
        return self._open_form(None)

    def edit(self) -> UserForm | None:
        user = self._chosen()
        return None if user is None else self._open_form(user)

    def _open_form(self, user: users.UserView | None) -> UserForm:
        form = UserForm(self._ctx, user, self.dialog)
        if user is None:
            form.saved.connect(
                lambda added: self.feedback.tell(ADDED, Level.INFORMATION, username=added.username)
            )
        form.show()
        self.form = form
        return form

    def reset_password(self) -> PasswordDialog | None:
        user = self._chosen()
        if user is None:
            return None
        dialog = PasswordDialog(self._ctx, reset_for=user, parent=self.dialog)
        dialog.show()
        self.password_dialog = dialog
        return dialog

    def toggle_active(self) -> None:
        user = self._chosen()
        if user is None:
            return
        ctx, active = self._ctx, not user.active
        self.ops.write(lambda: users.set_active(ctx, user.id, active))

    @override
    def _retranslate(self) -> None:
        self.model.retranslate()
        self._show_selected()
