"""The station's accounts as a table: user name, name, role, active, last
login, failed logins in a row."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from typing_extensions import override

from station_app.domain.errors import N_
from station_app.domain.labels import enum_label
from station_app.gui.formatting import china_text, number_text
from station_app.i18n import _
from station_app.services.users import UserView

from .rows import RowsModel

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
USERNAME, NAME, ROLE, ACTIVE, LAST_LOGIN, FAILED = range(6)
HEADERS = (
    N_("User name"),
    N_("Name"),
    N_("Role"),
    N_("Active"),
    N_("Last login"),
    N_("Failed logins"),
)
ACTIVE_TEXT = N_("active")
INACTIVE_TEXT = N_("deactivated")
MUST_CHANGE_TEXT = N_("active, new password due")
NEVER = N_("never")


def last_login_text(user: UserView) -> str:
    if user.last_login_at is None:
        return _(NEVER)
    return china_text(user.last_login_at)  # China time, as every time shown


def active_text(user: UserView) -> str:
    if not user.active:
        return _(INACTIVE_TEXT)
    return _(MUST_CHANGE_TEXT if user.must_change_password else ACTIVE_TEXT)


class UsersModel(RowsModel[UserView]):
    """One row per account, in user-name order."""

    HEADERS = HEADERS
    NUMBER_COLUMNS = frozenset({FAILED})

    @override
    def _data(self, row: UserView, column: int, role: int) -> Any:
        if role == SORT_ROLE:  # plain values: the proxy cannot compare Python objects
            last = row.last_login_at.isoformat() if row.last_login_at else ""
            values = (row.username, row.display_name, str(row.role), int(row.active), last)
            return (*values, row.failed_logins)[column]
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == USERNAME:
            return row.username
        if column == NAME:
            return row.display_name
        if column == ROLE:
            return _(enum_label(row.role))
        if column == ACTIVE:
            return active_text(row)
        if column == LAST_LOGIN:
            return last_login_text(row)
        return number_text(row.failed_logins)
