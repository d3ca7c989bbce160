"""Message boxes for errors: what happened and what to do, in the user's language."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from station_app import paths
from station_app.domain.errors import N_, UserError
from station_app.i18n import _

log = logging.getLogger(__name__)

APP_TITLE = N_("Relief Station Records")
# Said in the title bar of a portable copy (its data beside the program, on a
# USB stick): whoever sits at the PC knows the records leave with the stick.
PORTABLE = N_("portable copy: data in {folder}")
LOG_FILE_NAME = "station-app.log"  # written by the command line's logging setup


def window_title(station_name: str) -> str:
    """The main window's title: the station, the application, and in portable
    mode where the data are."""
    title = f"{station_name} — {_(APP_TITLE)}"
    if paths.is_portable():
        title += f" — {_(PORTABLE).format(folder=paths.user_data_dir())}"
    return title


def apology() -> str:
    """The message for an error that is ours, not the user's."""
    log_file = paths.user_data_dir() / LOG_FILE_NAME
    if not log_file.is_file():
        return _(
            "Sorry, something went wrong inside the application; it is not your mistake. "
            "Please tell whoever looks after this computer."
        )
    return _(
        "Sorry, something went wrong inside the application; it is not your mistake. "
        "Please tell whoever looks after this computer. The details are in the log file {path}."
    ).format(path=log_file)


def describe(exc: BaseException) -> str:
    """A user error's own message, else the apology (the caller logs the trace)."""
    if isinstance(exc, UserError):
        return exc.render(_)
    return apology()


def show_error(parent: QWidget | None, text: str) -> None:
    """A modal error box with an already translated text."""
    QMessageBox.critical(parent, _(APP_TITLE), text)
