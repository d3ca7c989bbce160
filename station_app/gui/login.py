"""Log in: user name and password for the station, the language, demo accounts.

A demo station lists its accounts (they are no secret: the records are made
up) so a newcomer can try every role; double-clicking one fills in the fields.
The password is checked off the GUI thread (a slow hash, on purpose).

The dialog is shown as soon as Qt is up, before the database layer is
imported and the database opened (:mod:`station_app.gui.launch`): the user
types meanwhile, and a click on "Log in" before the station is open is kept
until it is (:meth:`LoginDialog.attach`). Nothing here imports the services
at module level.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
)

from station_app.domain.errors import N_, UserError
from station_app.i18n import _, current_language

from . import dialogs, language, ops, uiloader
from .feedback import Level, show_level
from .formatting import station_name

if TYPE_CHECKING:
    from station_app.services import users
    from station_app.services.context import Context, Database
    from station_app.services.overview import DemoLogin
    from station_app.services.stations import StationView

    from .models.demo_accounts import DemoAccountsModel
    from .password_dialog import PasswordDialog

OPENING = N_("Opening the station's records…")


def demo_logins(station_code: str | None = None) -> tuple[DemoLogin, ...]:
    """The accounts of the demo station ``station_code`` (by default Kangding's)."""
    from station_app.services.demo import DEMO_USERS, demo_accounts  # only demo stations load it
    from station_app.services.overview import DemoLogin

    accounts = DEMO_USERS if station_code is None else demo_accounts(station_code)
    return tuple(DemoLogin(*account) for account in accounts)


class LoginDialog(QObject):
    """Controller of ``ui/login.ui``; the dialog is :attr:`dialog`."""

    logged_in = Signal(object)  # services Context of the user

    def __init__(self, db: Database | None = None, station: StationView | None = None) -> None:
        """The dialog of ``station`` in ``db``; without them, the dialog shown while
        they are opened (:meth:`attach` gives them)."""
        super().__init__()
        self._db: Database | None = None
        self._station: StationView | None = None
        self._error: UserError | None = None
        # "Log in" was clicked before the station was open: done when it is.
        self.waiting_for_station = False
        dialog = uiloader.load_ui("login.ui", on_retranslate=self._retranslate)
        assert isinstance(dialog, QDialog)
        self.dialog = dialog
        self.setParent(dialog)  # the dialog keeps its controller alive
        self.username_edit = uiloader.child(dialog, QLineEdit, "usernameEdit")
        self.password_edit = uiloader.child(dialog, QLineEdit, "passwordEdit")
        self.error_label = uiloader.child(dialog, QLabel, "errorLabel")
        self.login_button = uiloader.child(dialog, QPushButton, "loginButton")
        self.language_combo = uiloader.child(dialog, QComboBox, "languageCombo")
        self.demo_table = uiloader.child(dialog, QTableView, "demoTable")
        self.error_label.hide()
        self.password_dialog: PasswordDialog | None = None  # a new password due at login
        self.ops = ops.Ops(self, busy=[self.login_button, self.username_edit, self.password_edit])
        language.attach_chooser(self.language_combo)
        self.demo_model: DemoAccountsModel | None = None
        uiloader.child(dialog, QGroupBox, "demoBox").hide()
        self.demo_table.doubleClicked.connect(self._demo_chosen)
        self.login_button.clicked.connect(self.log_in)
        uiloader.child(dialog, QPushButton, "quitButton").clicked.connect(dialog.reject)
        if db is not None and station is not None:
            self.attach(db, station)
        self._retranslate()

    @property
    def station(self) -> StationView | None:
        """The station logged in to; None while it is being opened."""
        return self._station

    def attach(self, db: Database, station: StationView) -> None:
        """The station is open: its name and demo accounts show, and a login
        clicked meanwhile goes ahead."""
        self._db, self._station = db, station
        if station.is_demo:
            from .models.demo_accounts import DemoAccountsModel

            self.demo_model = DemoAccountsModel(demo_logins(station.code), self)
            self.demo_table.setModel(self.demo_model)
            self.demo_table.horizontalHeader().setSectionResizeMode(
                QHeaderView.ResizeMode.ResizeToContents
            )
            uiloader.child(self.dialog, QGroupBox, "demoBox").show()
        self._retranslate()
        if self.waiting_for_station:
            self.waiting_for_station = False
            for widget in (self.login_button, self.username_edit, self.password_edit):
                widget.setEnabled(True)
            self.log_in()

    def _retranslate(self) -> None:
        language.show_current(self.language_combo)
        station = self._station
        uiloader.child(self.dialog, QLabel, "stationValue").setText(
            _(OPENING) if station is None else station_name(station, current_language())
        )
        if self._error is not None:
            self.error_label.setText(self._error.render(_))
        if self.demo_model is not None:
            self.demo_model.retranslate()

    def _demo_chosen(self, index: QModelIndex) -> None:
        if self.demo_model is None or not index.isValid():
            return
        account = self.demo_model.login(index.row())
        self.username_edit.setText(account.username)
        self.password_edit.setText(account.password)
        self.login_button.setFocus()

    def log_in(self) -> None:
        """Check the password; on success :attr:`logged_in`, else say what is wrong.
        Before the station is open, the login waits for it (fields held meanwhile)."""
        if self._db is None or self._station is None:
            self.waiting_for_station = True
            for widget in (self.login_button, self.username_edit, self.password_edit):
                widget.setEnabled(False)
            return
        from station_app.services import users

        db, station_id = self._db, self._station.id
        username, password = self.username_edit.text(), self.password_edit.text()
        self.ops.write(
            lambda: users.authenticate(db, station_id, username, password),
            self._checked,
            failed=self._refused,
        )

    def _checked(self, result: users.LoginResult) -> None:
        if not result.must_change_password:
            self._logged_in(result.context)
            return
        # A password someone else set: the user chooses their own first.
        from .password_dialog import PasswordDialog

        self.password_edit.clear()
        change = PasswordDialog(result.context, forced=True, parent=self.dialog)
        change.saved.connect(lambda: self._logged_in(result.context))
        self.password_dialog = change
        change.show()

    def _logged_in(self, ctx: Context) -> None:
        self._error = None
        self.error_label.hide()
        self.logged_in.emit(ctx)

    def _refused(self, exc: BaseException) -> None:
        error = exc if isinstance(exc, UserError) else None
        self._error = error
        show_level(self.error_label, dialogs.describe(exc), Level.ERROR)
        self.password_edit.clear()
        self.password_edit.setFocus()
