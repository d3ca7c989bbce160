"""The screen language on the Qt side: the saved choice, Qt's own texts, QLocale.

The language itself lives in :mod:`station_app.i18n`; this module remembers
the user's choice between runs, and whether the Tibetan screen shows Tibetan
or Latin digits (:mod:`.desktop_settings`), and keeps Qt's built-in texts
(dialog buttons, context menus) and number formats in step.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, QTranslator
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox

from station_app.gui import formatting
from station_app.gui.desktop_settings import desktop_settings
from station_app.i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    current_language,
    language_name,
    on_language_changed,
    set_language,
)
from station_app.i18n.current import redisplay

log = logging.getLogger(__name__)

_KEY = "language"
_DIGITS_KEY = "tibetanDigits"
# The digit choice is named in Tibetan with its digits, like each language in the
# menu is named in itself: only a Tibetan reader needs it, whatever is on screen.
TIBETAN_DIGITS_LABEL = "བོད་ཡིག་གི་ཨང་ཀི ༠༡༢"
# Qt ships translations of its own texts (dialog buttons, file and print
# dialogs, context menus) for Chinese but none for Tibetan: Tibetan screens show
# them in Chinese, the staff's other working language, rather than in English.
_QT_CATALOGS = {"zh_CN": "qtbase_zh_CN", "bo": "qtbase_zh_CN"}
_QT_LOCALES = {
    "zh_CN": QLocale(QLocale.Language.Chinese, QLocale.Country.China),
    "bo": QLocale(QLocale.Language.Tibetan, QLocale.Country.China),
    "en": QLocale(QLocale.Language.English, QLocale.Country.UnitedStates),
}

_qt_translator: QTranslator | None = None


def saved_language() -> str:
    """The language chosen last time on this computer (Chinese at first)."""
    value = desktop_settings().value(_KEY, DEFAULT_LANGUAGE)
    return value if isinstance(value, str) and value in LANGUAGES else DEFAULT_LANGUAGE


def save_language(language: str) -> None:
    settings = desktop_settings()
    settings.setValue(_KEY, language)
    settings.sync()


def saved_tibetan_digits() -> bool:
    """Whether this computer shows Tibetan digits on the Tibetan screen (Latin at first,
    as on the bilingual government forms)."""
    value = desktop_settings().value(_DIGITS_KEY, False)
    return value is True or (isinstance(value, str) and value.lower() == "true")


def save_tibetan_digits(on: bool) -> None:
    settings = desktop_settings()
    settings.setValue(_DIGITS_KEY, on)
    settings.sync()


def choose_tibetan_digits(on: bool) -> None:
    """Show Tibetan (``on``) or Latin digits on the Tibetan screen, in every open
    window at once, and remember the choice for the next start."""
    save_tibetan_digits(on)
    if on != formatting.tibetan_digits_on():
        formatting.set_tibetan_digits(on)
        redisplay()


class _DigitsAction(QObject):
    """Keeps the menu's check mark in step with the digit choice."""

    def __init__(self, action: QAction) -> None:
        super().__init__(action)
        self.action = action
        action.setCheckable(True)
        action.setText(TIBETAN_DIGITS_LABEL)
        action.setChecked(formatting.tibetan_digits_on())
        action.toggled.connect(choose_tibetan_digits)
        on_language_changed(self.show_current)

    def show_current(self) -> None:
        if self.action.isChecked() != formatting.tibetan_digits_on():
            self.action.blockSignals(True)
            self.action.setChecked(formatting.tibetan_digits_on())
            self.action.blockSignals(False)


def digits_action(parent: QObject) -> QAction:
    """A checkable menu action that switches between Tibetan and Latin digits."""
    action = QAction(parent)
    action.setObjectName("tibetanDigitsAction")
    _DigitsAction(action)
    return action


def choose_language(language: str) -> None:
    """Switch every open window to ``language`` and remember it for the next start."""
    set_language(language)
    save_language(language)


def attach_chooser(combo: QComboBox) -> None:
    """Make ``combo`` list the languages, each in its own name, and switch to the
    one chosen. Call :func:`show_current` from the form's retranslate hook."""
    for code in LANGUAGES:
        combo.addItem(language_name(code), code)
    combo.setCurrentIndex(LANGUAGES.index(current_language()))

    def chosen(index: int) -> None:
        code = combo.itemData(index)
        if isinstance(code, str) and code != current_language():
            choose_language(code)

    combo.currentIndexChanged.connect(chosen)


def show_current(combo: QComboBox) -> None:
    """Show the current language in a chooser (it may have been switched elsewhere)."""
    index = LANGUAGES.index(current_language())
    if combo.currentIndex() != index:
        combo.blockSignals(True)
        combo.setCurrentIndex(index)
        combo.blockSignals(False)


def install() -> None:
    """Follow the current language on the Qt side, now and after every switch;
    take up the digit choice saved on this computer."""
    formatting.set_tibetan_digits(saved_tibetan_digits())
    apply_qt_language()
    on_language_changed(apply_qt_language)


def apply_qt_language() -> None:
    """Qt's own texts and number formats for the current language."""
    global _qt_translator
    app = QCoreApplication.instance()
    language = current_language()
    QLocale.setDefault(_QT_LOCALES[language])
    if app is None:
        return
    if _qt_translator is not None:
        app.removeTranslator(_qt_translator)
        _qt_translator.deleteLater()
        _qt_translator = None
    catalog = _QT_CATALOGS.get(language)
    if catalog is None:
        return
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(catalog, folder):
        app.installTranslator(translator)
        _qt_translator = translator
    else:
        # Qt's buttons stay in English; everything of ours is still translated.
        log.warning("Qt's own catalog %s is not in %s", catalog, folder)
        translator.deleteLater()
