"""The one screen font policy: Tibetan as readable as the Chinese beside it,
and never clipped.

One application font for every screen language and every widget, a family
list: the screen copy of the Tibetan font, the system's UI font (Latin, and
Chinese where it has it), then Droid Sans Fallback. Qt draws each character
with the first family that has it: the Tibetan copy holds only the Tibetan
block, so Latin is the system's, Tibetan is drawn (and stacked) by the copy
and Chinese missing from the system font by Droid Sans Fallback.

- **Size.** A QFont has one size for all its families, and at one size the
  body of a Tibetan letter (མ) is 0.65 of the height of a Chinese character
  (国), measured on the bundled fonts. The screen copy of DDC Uchen has an em
  1.3 times smaller (:mod:`.sfnt_scaling`), so its letters are drawn 1.3
  times larger at every point size: a letter's body is 0.85 of a Chinese
  character, the size the Tibetan screen language used to reach by enlarging
  every script. Chinese and Latin keep their size in every language and row.
- **Height.** Qt sizes line edits, combo boxes, buttons, tabs, menu items,
  labels, tool tips and table rows from the metrics of the *first* family,
  and places the text by them; Tibetan stacks and vowel signs reach far above
  and below Latin text and were clipped. The Tibetan copy is first for that
  reason: every line is a Tibetan line (29 px at 9 pt where Latin needs 14).
  Should the copy fail to load, :class:`TallerScriptStyle` still makes the
  one-line widgets and table rows that tall (:func:`tibetan_line_height`).
- **Tabs.** :func:`show_every_tab`: no scroll arrows, long names elided with
  the whole name in the tool tip.

``tests/gui/test_tibetan_ink.py`` compares the ink of Tibetan in the screens
with the same text drawn free-standing.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QByteArray, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontDatabase, QFontInfo, QFontMetrics, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QProxyStyle,
    QStyle,
    QStyleOption,
    QStyleOptionComplex,
    QStyleOptionMenuItem,
    QStyleOptionViewItem,
    QTabWidget,
    QWidget,
)
from typing_extensions import override

from station_app import paths
from station_app.i18n import on_language_changed

from .sfnt_scaling import NotTrueType, scaled_font

log = logging.getLogger(__name__)

#: The bundled Tibetan font as shipped (Help > About, printing).
BUNDLED_TIBETAN_FAMILY = "DDC Uchen"
#: Its screen copy, drawn :data:`TIBETAN_GLYPH_SCALE` times larger.
TIBETAN_FAMILY = "DDC Uchen Screen"
CHINESE_FAMILY = "Droid Sans Fallback"
#: How much larger Tibetan letters are drawn than the point size says.
TIBETAN_GLYPH_SCALE = 1.3
#: The characters of the screen copy: Tibetan only, Latin is the system's.
TIBETAN_BLOCK = range(0x0F00, 0x1000)
#: Room above and below a table row's text, in pixels.
ROW_PADDING = 6


@dataclass(frozen=True)
class BundledFont:
    file: str
    family: str
    licence: str  # the licence's name, shown in Help > About
    licence_file: str


BUNDLED_FONTS = (
    BundledFont(
        "DDC_Uchen.ttf", BUNDLED_TIBETAN_FAMILY, "SIL Open Font License 1.1", "DDC_Uchen-OFL.txt"
    ),
    BundledFont(
        "DroidSansFallbackFull.ttf",
        CHINESE_FAMILY,
        "Apache License 2.0",
        "DroidSansFallbackFull-LICENSE.txt",
    ),
)

_system_font: QFont | None = None


def _families(font_id: int, path: Path) -> list[str]:
    if font_id < 0:
        log.error("font %s could not be loaded", path)
        return []
    return list(QFontDatabase.applicationFontFamilies(font_id))


# Bumped when the screen copy is made differently: copies made before are not used.
SCREEN_COPY_VERSION = 1


def _cached_copy(source: bytes) -> Path:
    """Where the screen copy of the font ``source`` is kept between starts:
    named by what it is made of, so a new font or scale makes a new copy."""
    made_of = f"{SCREEN_COPY_VERSION}|{TIBETAN_GLYPH_SCALE}|{TIBETAN_FAMILY}|{TIBETAN_BLOCK}"
    digest = hashlib.sha256(made_of.encode() + source).hexdigest()[:20]
    return paths.cache_dir() / f"tibetan-screen-{digest}.ttf"


def _screen_copy(path: Path) -> list[str]:
    """Add the larger screen copy of the Tibetan font at ``path``; [] should that fail.

    Making it takes some tens of milliseconds before the first window: it is
    made once and kept in the cache folder; a kept copy Qt cannot read is made
    again."""
    source = path.read_bytes()
    try:
        kept = _cached_copy(source)
        data = kept.read_bytes() if kept.is_file() else None
    except OSError:
        kept, data = None, None  # no cache folder to use: made at each start
    if data is not None:
        font_id = QFontDatabase.addApplicationFontFromData(QByteArray(data))
        if font_id >= 0:
            return _families(font_id, path)
        log.warning("the kept screen copy of the Tibetan font was unreadable; making it again")
    try:
        data = scaled_font(source, TIBETAN_GLYPH_SCALE, TIBETAN_FAMILY, TIBETAN_BLOCK)
    except NotTrueType:
        log.exception("bundled font %s could not be enlarged", path)
        return []
    if kept is not None:
        made = data
        try:
            paths.write_private(kept, lambda out: out.write(made))
        except OSError:
            log.warning("the screen copy of the Tibetan font could not be kept", exc_info=True)
    return _families(QFontDatabase.addApplicationFontFromData(QByteArray(data)), path)


def register_fonts() -> list[str]:
    """Add the bundled fonts to Qt's font database; returns the families added.

    The Tibetan font is added as its larger screen copy; should the copy fail,
    the font itself (at the Latin size). A missing font file is logged, not
    fatal: the system's fonts stand in.
    """
    families: list[str] = []
    for font in BUNDLED_FONTS:
        path = paths.fonts_dir() / font.file
        if not path.is_file():
            log.error("bundled font %s is missing; using system fonts", path)
            continue
        added = _screen_copy(path) if font.family == BUNDLED_TIBETAN_FAMILY else []
        families.extend(added or _families(QFontDatabase.addApplicationFont(str(path)), path))
    return families


def install() -> None:
    """Register the fonts, set the application font and the style that makes
    room for Tibetan; follows language switches.

    Call once the ``QGuiApplication`` exists; calling again is harmless.
    """
    global _system_font
    if _system_font is None:
        _system_font = QFont(QGuiApplication.font())
        register_fonts()
    app = QApplication.instance()
    if isinstance(app, QApplication) and not isinstance(app.style(), TallerScriptStyle):
        app.setStyle(TallerScriptStyle(app.style().name()))
    apply_language()
    on_language_changed(apply_language)


def ui_font(language: str | None = None) -> QFont:
    """The application font; the same for every screen language.

    (Tibetan letters in it are already drawn larger: nothing is scaled for the
    Tibetan screen, so Chinese beside Tibetan keeps its size.)
    """
    del language  # one font for all: kept for callers that name the language
    base = _system_font if _system_font is not None else QGuiApplication.font()
    font = QFont(base)
    # The family Qt actually resolved ("DejaVu Sans"), not an alias ("Sans
    # Serif"): aliases in a family list do not resolve to a fallback chain.
    # The bundled Tibetan family follows its screen copy, should the copy fail.
    # The Tibetan copy comes first for its line metrics (it has no other
    # characters): every widget sized from the font is then tall enough for
    # Tibetan stacks and vowels, and places its text for them.
    font.setFamilies(
        [TIBETAN_FAMILY, QFontInfo(base).family(), BUNDLED_TIBETAN_FAMILY, CHINESE_FAMILY]
    )
    return font


def tibetan_font() -> QFont:
    """For a text that is mostly Tibetan (a Tibetan name): the application font.

    The same as every other text, so that Chinese in a row with a Tibetan name
    is no larger than in the rows without one.
    """
    return ui_font()


def apply_language() -> None:
    """Set the application font (the same in every screen language)."""
    QGuiApplication.setFont(ui_font())


# ---------------------------------------------------------------- heights


def tibetan_line_height(font: QFont | None = None) -> int:
    """The height of a line of Tibetan at ``font``'s size (the application
    font's by default): room for the tallest stacks and vowel signs."""
    tibetan = QFont(font if font is not None else QGuiApplication.font())
    tibetan.setFamilies([TIBETAN_FAMILY, BUNDLED_TIBETAN_FAMILY])
    return QFontMetrics(tibetan).height()


def extra_height(font: QFont) -> int:
    """How much taller than ``font``'s own line a line that may hold Tibetan is."""
    return max(0, tibetan_line_height(font) - QFontMetrics(font).height())


def row_height(font: QFont | None = None) -> int:
    """A table row's height: the taller script's line and some room."""
    base = font if font is not None else QGuiApplication.font()
    return max(tibetan_line_height(base), QFontMetrics(base).height()) + ROW_PADDING


#: The widgets whose height Qt computes from one line of the first family.
_TEXT_LINES = frozenset(
    (
        QStyle.ContentsType.CT_LineEdit,
        QStyle.ContentsType.CT_ComboBox,
        QStyle.ContentsType.CT_SpinBox,
        QStyle.ContentsType.CT_PushButton,
        QStyle.ContentsType.CT_CheckBox,
        QStyle.ContentsType.CT_RadioButton,
        QStyle.ContentsType.CT_TabBarTab,
        QStyle.ContentsType.CT_MenuItem,
        QStyle.ContentsType.CT_MenuBarItem,
        QStyle.ContentsType.CT_ItemViewItem,
        QStyle.ContentsType.CT_HeaderSection,
    )
)


class TallerScriptStyle(QProxyStyle):
    """The platform's style, with every one-line text widget as tall as a line
    of Tibetan, and table rows as tall as :func:`row_height`."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        # Asked for every cell a table measures (resizeColumnsToContents): the
        # extra height per font, not new metrics each time (20 µs a call).
        self._extra: dict[QFont, int] = {}

    def _extra_height(self, font: QFont) -> int:
        extra = self._extra.get(font)  # QFont hashes and compares all it asks for
        if extra is None:
            extra = self._extra[QFont(font)] = extra_height(font)
        return extra

    @override
    def sizeFromContents(
        self,
        contents: QStyle.ContentsType,
        option: QStyleOption,
        size: QSize,
        /,
        widget: QWidget | None = None,
    ) -> QSize:
        # (QProxyStyle's stub wants a widget; QStyle's, like Qt, allows none)
        result = super().sizeFromContents(contents, option, size, widget)  # type: ignore[arg-type]
        if contents not in _TEXT_LINES:
            return result
        if (
            isinstance(option, QStyleOptionMenuItem)
            and option.menuItemType == QStyleOptionMenuItem.MenuItemType.Separator
        ):
            return result
        if isinstance(option, QStyleOptionViewItem):
            font = option.font
        else:
            font = widget.font() if widget is not None else QGuiApplication.font()
        return QSize(result.width(), result.height() + self._extra_height(font))

    @override
    def subControlRect(
        self,
        control: QStyle.ComplexControl,
        option: QStyleOptionComplex,
        sub_control: QStyle.SubControl,
        /,
        widget: QWidget | None = None,
    ) -> QRect:
        rect = super().subControlRect(control, option, sub_control, widget)  # type: ignore[arg-type]
        if (
            control == QStyle.ComplexControl.CC_GroupBox
            and sub_control == QStyle.SubControl.SC_GroupBoxLabel
        ):
            # The platform style sizes a group box's title for Latin letters and
            # centres the line in it: a line laid out for Tibetan is taller, and
            # its lower half (the whole of a Chinese or English title) was cut.
            font = widget.font() if widget is not None else QGuiApplication.font()
            rect.setHeight(max(rect.height(), QFontMetrics(font).height()))
        return rect

    @override
    def pixelMetric(
        self,
        metric: QStyle.PixelMetric,
        option: QStyleOption | None = None,
        widget: QWidget | None = None,
    ) -> int:
        value = super().pixelMetric(metric, option, widget)
        if metric == QStyle.PixelMetric.PM_HeaderDefaultSectionSizeVertical:
            font = widget.font() if widget is not None else QGuiApplication.font()
            return max(value, row_height(font))
        return int(value)


# ---------------------------------------------------------------- tab bars


def show_every_tab(tabs: QTabWidget) -> None:
    """Every tab on screen at once, however long its name in the screen
    language: no scroll arrows; a name that does not fit is shortened with
    "…" and shown whole in the tab's tool tip. Call again after a language
    change (the names change)."""
    bar = tabs.tabBar()
    bar.setUsesScrollButtons(False)
    bar.setElideMode(Qt.TextElideMode.ElideRight)
    bar.setExpanding(False)
    for index in range(bar.count()):
        bar.setTabToolTip(index, bar.tabText(index))
