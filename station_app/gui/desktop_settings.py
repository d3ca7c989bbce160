"""This computer's screen settings: one INI file in the user's data folder.

The language choice and its digits (:mod:`.language`), window sizes
(:mod:`.window_sizes`) and the patrol grid's skipped columns live in
``desktop.ini`` under :func:`station_app.paths.user_data_dir`, so tests
(``STATION_APP_HOME``) and portable copies (the folder beside the program)
keep them with their data. The station's own rules
are in the database (:mod:`station_app.services.settings`), not here.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from station_app import paths

FILE_NAME = "desktop.ini"


def desktop_settings() -> QSettings:
    """The settings file of this computer's user (read and written at once: sync after)."""
    return QSettings(str(paths.user_data_dir() / FILE_NAME), QSettings.Format.IniFormat)
