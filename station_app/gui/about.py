"""Help > About: versions of the application and its parts, how much of the
Tibetan readers have verified, bundled fonts and licences."""

from __future__ import annotations

import platform
import re
from html import escape
from importlib.metadata import version

import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QMessageBox, QWidget

from station_app import __version__, paths
from station_app.i18n import _
from station_app.services.translations import ReviewState

from .dialogs import APP_TITLE
from .fonts import BUNDLED_FONTS
from .formatting import day_text

_ACCELERATOR = re.compile(r"\(&\w\)|&(?=\w)")


def menu_path(*msgids: str) -> str:
    """A menu entry as the user sees it: ``文件 > 译文审定…`` (no accelerators)."""
    return " > ".join(_ACCELERATOR.sub("", _(msgid)) for msgid in msgids)


def review_text(state: ReviewState | None) -> str:
    """How much of the Tibetan is verified, by whom, and when last (one paragraph)."""
    if state is None:
        return _("The state of the review of the Tibetan texts could not be read.")
    if not state.verified or state.last_review is None:
        return _(
            "No Tibetan text has been verified by a reader of Tibetan yet: every one is "
            "a proposal. A manager sends them out for review with {menu}"
        ).format(menu=menu_path("&File", "&Translations…"))
    return _(
        "Tibetan texts verified by readers of Tibetan: {verified} of {texts} ({share}), "
        "by {reviewers}; last review {day}."
    ).format(
        verified=state.verified,
        texts=state.texts,
        share=f"{state.share:.0%}",
        reviewers="、".join(state.reviewers),
        day=day_text(state.last_review.date()),
    )


def about_html(state: ReviewState | None = None) -> str:
    """The About text (rich text), in the current language, with ``state`` of the
    review of the Tibetan texts."""
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
    review = review_text(state)
    return (
        f"<h3>{escape(title)}</h3><p>{escape(purpose)}</p><table>{rows}</table>"
        f"<p>{escape(review)}</p><p>{escape(licence)}</p>"
        f"<p>{escape(fonts_heading)}</p><ul>{font_items}</ul><p>{escape(folder)}</p>"
    )


def show_about(parent: QWidget | None, state: ReviewState | None = None) -> None:
    QMessageBox.about(parent, _("About Relief Station Records"), about_html(state))
