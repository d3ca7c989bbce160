"""A password typed twice: one's own changed (the current one asked first, as
the service requires), or another user's reset by a manager. At login, a user
whose password was set by someone else must choose their own here before the
main window opens."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QWidget
from typing_extensions import override

from station_app.domain.errors import N_
from station_app.i18n import _
from station_app.services import users
from station_app.services.context import Context

from . import uiloader
from .feedback import Level, MessageArea
from .ops import Ops
from .widgets.window import DialogController

MUST_CHANGE = N_(
    "Your password was set by someone else. Choose your own password now: at least "
    "{count} characters, not a word, a date or a run of keys."
)
CHANGE_OWN = N_("Type your current password, then the new one twice.")
RESET_FOR = N_(
    "A new password for {name} ({username}). Tell it to them: they choose their own "
    "at their next login."
)
TYPED_DIFFERENTLY = N_("The two new passwords differ. Type the same password twice.")
RESET_TITLE = N_("Reset password")


class PasswordDialog(DialogController):
    """Controller of ``ui/password_dialog.ui``; :attr:`saved` once the service took it."""

    saved = Signal()
    failed = Signal(str)  # a refusal shown in the dialog

    def __init__(
        self,
        ctx: Context,
        *,
        reset_for: users.UserView | None = None,
        forced: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        self._ctx = ctx
        self._reset_for = reset_for
        self._forced = forced
        super().__init__("password_dialog.ui", parent)
        dialog = self.dialog
        self.intro = uiloader.child(dialog, QLabel, "introLabel")
        self.old_edit = uiloader.child(dialog, QLineEdit, "oldEdit")
        self.new_edit = uiloader.child(dialog, QLineEdit, "newEdit")
        self.repeat_edit = uiloader.child(dialog, QLineEdit, "repeatEdit")
        self.save_button = uiloader.child(dialog, QPushButton, "saveButton")
        self.cancel_button = uiloader.child(dialog, QPushButton, "cancelButton")
        if reset_for is not None:
            self.old_edit.hide()
            uiloader.child(dialog, QLabel, "oldLabel").hide()
        fields = {"password": self.new_edit, "new_password": self.new_edit}
        self.feedback = MessageArea(
            uiloader.child(dialog, QLabel, "messageLabel"), fields, on_refusal=self.failed.emit
        )
        self.ops = Ops(self, busy=[self.save_button], feedback=self.feedback)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.close)
        self._retranslate()

    @override
    def _retranslate(self) -> None:
        target = self._reset_for
        if target is not None:
            self.dialog.setWindowTitle(_(RESET_TITLE))
            text = _(RESET_FOR).format(name=target.display_name, username=target.username)
        elif self._forced:
            text = _(MUST_CHANGE).format(count=users.MIN_PASSWORD_LENGTH)
        else:
            text = _(CHANGE_OWN)
        self.intro.setText(text)

    def save(self) -> None:
        new, repeat, old = self.new_edit.text(), self.repeat_edit.text(), self.old_edit.text()
        if new != repeat:
            self.feedback.clear()
            self.feedback.tell(TYPED_DIFFERENTLY, Level.ERROR)
            self.failed.emit(self.feedback.text)
            return
        ctx, target = self._ctx, self._reset_for
        if target is not None:
            self.ops.write(
                lambda: users.reset_password(ctx, target.id, new), lambda _none: self._saved()
            )
        else:
            self.ops.write(
                lambda: users.change_own_password(ctx, old, new), lambda _none: self._saved()
            )

    def _saved(self) -> None:
        self.saved.emit()
        self.close()
