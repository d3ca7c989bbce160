"""Help > About: versions of the application and its parts, bundled fonts and licences."""

from __future__ import annotations

import platform
from html import escape
from importlib.metadata import version

import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

from station_app import __version__, paths
from station_app.i18n import _

from .dialogs import APP_TITLE
from .fonts import BUNDLED_FONTS


def about_html() -> str:
    """The About text (rich text), in the current language."""
    versions = [
        (_("Version"), __version__),
        ("Qt", qVersion()),
        ("PySide6", PySide6.__version__),
        ("Python", platform.python_version()),
        ("SQLAlchemy", version("SQLAlchemy")),
    ]
    rows = "".join(
        f"<tr><td>{escape(name)}</td><td>&nbsp;&nbsp;{escape(value)}</td></tr>"
        for name, value in versions
    )
    font_items = "".join(
        f"<li>{escape(font.family)} ({escape(font.file)}): {escape(font.licence)}, "
        f"{escape(font.licence_file)}</li>"
        for font in BUNDLED_FONTS
    )
    # Texts are translated outside the f-strings, where babel finds them.
    title = _(APP_TITLE)
    purpose = _("Records of the relief stations of Garzê Tibetan Autonomous Prefecture.")
    licence = _("Licence: GNU General Public License, version 3 or later.")
    fonts_heading = _("Bundled fonts and their licences:")
    folder = _("The licence texts are in {folder}").format(folder=paths.fonts_dir())
    return (
        f"<h3>{escape(title)}</h3><p>{escape(purpose)}</p><table>{rows}</table>"
        f"<p>{escape(licence)}</p>"
        f"<p>{escape(fonts_heading)}</p><ul>{font_items}</ul><p>{escape(folder)}</p>"
    )


def show_about(parent: QWidget | None) -> None:
    QMessageBox.about(parent, _("About Relief Station Records"), about_html())
