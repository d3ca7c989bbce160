"""The bundled fonts on screen: Tibetan stacks from DDC Uchen, Chinese from Droid.

The application font is a family list: the system's UI font first (Latin,
and Chinese where it has it), then DDC Uchen, then Droid Sans Fallback. Qt
chooses, for each run of text, the first family that supports its script, so
Tibetan is drawn (and stacked) by DDC Uchen and Chinese missing from the
system font by Droid Sans Fallback. Tibetan letters are small at Latin sizes:
with Tibetan as the screen language the whole font is 1.3 times larger.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtGui import QFont, QFontDatabase, QFontInfo, QGuiApplication

from station_app import paths
from station_app.i18n import current_language, on_language_changed

log = logging.getLogger(__name__)

TIBETAN_FAMILY = "DDC Uchen"
CHINESE_FAMILY = "Droid Sans Fallback"
TIBETAN_SCALE = 1.3


@dataclass(frozen=True)
class BundledFont:
    file: str
    family: str
    licence: str  # the licence's name, shown in Help > About
    licence_file: str


BUNDLED_FONTS = (
    BundledFont("DDC_Uchen.ttf", TIBETAN_FAMILY, "SIL Open Font License 1.1", "DDC_Uchen-OFL.txt"),
    BundledFont(
        "DroidSansFallbackFull.ttf",
        CHINESE_FAMILY,
        "Apache License 2.0",
        "DroidSansFallbackFull-LICENSE.txt",
    ),
)

_system_font: QFont | None = None


def register_fonts() -> list[str]:
    """Add the bundled fonts to Qt's font database; returns the families added.

    A missing font file is logged, not fatal: the system's fonts stand in.
    """
    families: list[str] = []
    for font in BUNDLED_FONTS:
        path = paths.fonts_dir() / font.file
        font_id = QFontDatabase.addApplicationFont(str(path)) if path.is_file() else -1
        if font_id < 0:
            log.error("bundled font %s could not be loaded; using system fonts", path)
            continue
        families.extend(QFontDatabase.applicationFontFamilies(font_id))
    return families


def install() -> None:
    """Register the fonts and set the application font; follows language switches.

    Call once the ``QGuiApplication`` exists; calling again is harmless.
    """
    global _system_font
    if _system_font is None:
        _system_font = QFont(QGuiApplication.font())
        register_fonts()
    apply_language()
    on_language_changed(apply_language)


def _scaled(font: QFont, factor: float) -> QFont:
    scaled = QFont(font)
    if font.pointSizeF() > 0:
        scaled.setPointSizeF(font.pointSizeF() * factor)
    elif font.pixelSize() > 0:
        scaled.setPixelSize(round(font.pixelSize() * factor))
    return scaled


def ui_font(language: str) -> QFont:
    """The application font for a screen language."""
    base = _system_font if _system_font is not None else QGuiApplication.font()
    font = QFont(base)
    # The family Qt actually resolved ("DejaVu Sans"), not an alias ("Sans
    # Serif"): aliases in a family list do not resolve to a fallback chain.
    font.setFamilies([QFontInfo(base).family(), TIBETAN_FAMILY, CHINESE_FAMILY])
    return _scaled(font, TIBETAN_SCALE) if language == "bo" else font


def tibetan_font() -> QFont:
    """For a text that is mostly Tibetan (a Tibetan name) whatever the screen language.

    The same size as the Tibetan screen language's font.
    """
    return ui_font("bo")


def apply_language() -> None:
    """Set the application font for the current screen language."""
    QGuiApplication.setFont(ui_font(current_language()))
