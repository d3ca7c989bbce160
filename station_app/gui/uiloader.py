"""Designer forms: load ``ui/*.ui`` and keep their texts in the screen language.

Forms hold English message ids. After loading, each translatable text's id is
stored on its object as a dynamic property ``_msgid_<property>`` and the text
is replaced by its translation. :func:`retranslate` re-applies the current
language from the stored ids, so a language switch retranslates every open
form at once, without reloading it or losing what the user typed.

The translated properties are those the babel extractor collects
(:mod:`station_app.i18n.ui_extract`); strings marked ``notr="true"`` in the
form are left alone.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

import shiboken6
from PySide6.QtCore import QFile, QIODevice, QObject
from PySide6.QtGui import QAction
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDateTimeEdit,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QToolBox,
    QToolButton,
    QWidget,
)

from station_app import paths
from station_app.gui.formatting import show_edit_format
from station_app.i18n import _, on_language_changed, remove_language_callback

PREFIX = "_msgid_"
TAB_TEXT = "tabText"
TAB_TOOLTIP = "tabToolTip"
ITEM_TEXTS = "items"
_T = TypeVar("_T", bound=QObject)
_LIVE_NAME = "liveTranslation"
DISCARDED = "discarded"  # dynamic property of a form closed for good, until it is deleted
_PAGE_ATTRIBUTES = {"title": TAB_TEXT, "label": TAB_TEXT, "toolTip": TAB_TOOLTIP}

# property -> the classes on which it is a user-visible text
_PROPERTIES: dict[str, tuple[type, ...]] = {
    "text": (QLabel, QAbstractButton, QAction),
    "title": (QGroupBox, QMenu),
    "windowTitle": (QWidget,),
    "toolTip": (QWidget, QAction),
    "statusTip": (QWidget, QAction),
    "whatsThis": (QWidget, QAction),
    "placeholderText": (QLineEdit, QTextEdit, QPlainTextEdit, QComboBox),
}


class FormNotFound(RuntimeError):
    """A form file is missing from the installation (a packaging fault)."""


class WidgetNotFound(LookupError):
    """A controller asked for an object its form does not have (a programming fault)."""


def child(root: QObject, kind: type[_T], name: str) -> _T:
    """The object named ``name`` of class ``kind`` in the form ``root``."""
    found = root.findChild(kind, name)
    if found is None:
        raise WidgetNotFound(f"{root.objectName()} has no {kind.__name__} named {name!r}")
    return found


def load_ui(
    name: str,
    parent: QWidget | None = None,
    *,
    on_retranslate: Callable[[], object] | None = None,
) -> QWidget:
    """Load ``ui/<name>``, translate it, and keep it translated while it lives.

    ``on_retranslate`` is called after the form's own texts on every language
    switch: for texts the controller builds itself (with values filled in).
    """
    path = paths.ui_dir() / name
    if not path.is_file():
        raise FormNotFound(f"form {path} is missing; reinstall the application")
    file = QFile(str(path))
    if not file.open(QIODevice.OpenModeFlag.ReadOnly):
        raise FormNotFound(f"form {path} cannot be read: {file.errorString()}")
    try:
        root = QUiLoader().load(file, parent)
    except RuntimeError as exc:  # PySide raises where Qt returns null
        raise FormNotFound(f"form {path} is not a valid Designer form: {exc}") from exc
    finally:
        file.close()
    if root is None:
        raise FormNotFound(f"form {path} is not a valid Designer form")
    mark_translatable(root, skip=_untranslated_strings(path))
    _LiveTranslation(root, on_retranslate)
    return root


def _objects(root: QObject) -> list[QObject]:
    return [root, *root.findChildren(QObject)]


def _stripped(text: str) -> str:
    """An action's text as Qt derives its tooltip from it (no ``&``, no ``...``)."""
    return text.replace("...", "").replace("&&", "\0").replace("&", "").replace("\0", "&")


def _is_explicit(obj: QObject, prop: str, value: str) -> bool:
    # An action without its own tooltip reports its text: that one follows the text.
    if prop == "toolTip" and isinstance(obj, QAction) and value == _stripped(obj.text()):
        return False
    # A tool button showing an action (a toolbar's) takes its texts from the action.
    return not (isinstance(obj, QToolButton) and obj.defaultAction() is not None)


def mark_translatable(root: QObject, *, skip: Iterable[tuple[str, str]] = ()) -> None:
    """Store the message id of every text under ``root`` and show its translation.

    ``skip`` holds ``(objectName, property)`` pairs not to translate.
    """
    skipped = set(skip)
    objects = _objects(root)
    # Record every id before translating anything: some texts follow others
    # (a menu's action shows the menu's title) and would be recorded translated.
    for obj in objects:
        name = obj.objectName()
        for prop, classes in _PROPERTIES.items():
            if not isinstance(obj, classes) or (name, prop) in skipped:
                continue
            if obj.property(PREFIX + prop) is not None:
                continue  # already marked (a form loaded into another one)
            value = obj.property(prop)
            if isinstance(value, str) and value and _is_explicit(obj, prop, value):
                obj.setProperty(PREFIX + prop, value)
        if isinstance(obj, QTabWidget | QToolBox):
            _mark_pages(obj, skipped)
        elif isinstance(obj, QComboBox) and obj.count() and (name, ITEM_TEXTS) not in skipped:
            obj.setProperty(PREFIX + ITEM_TEXTS, [obj.itemText(i) for i in range(obj.count())])
    retranslate(root)


def _mark_pages(book: QTabWidget | QToolBox, skipped: set[tuple[str, str]]) -> None:
    for i in range(book.count()):
        page = book.widget(i)
        if page is None:
            continue
        if isinstance(book, QTabWidget):
            text, tip = book.tabText(i), book.tabToolTip(i)
        else:
            text, tip = book.itemText(i), book.itemToolTip(i)
        for key, value in ((TAB_TEXT, text), (TAB_TOOLTIP, tip)):
            if value and (page.objectName(), key) not in skipped:
                page.setProperty(PREFIX + key, value)


def set_translatable(obj: QObject, prop: str, msgid: str) -> None:
    """Show ``msgid`` translated in ``obj``'s ``prop`` and keep it translated.

    For widgets and actions made in code (the form's own texts are marked
    on loading).
    """
    obj.setProperty(PREFIX + prop, msgid)
    obj.setProperty(prop, _(msgid))


def message_id(obj: QObject, prop: str) -> str | None:
    """The English message id behind ``obj``'s ``prop``, if it is translated."""
    value = obj.property(PREFIX + prop)
    return value if isinstance(value, str) else None


def retranslate(root: QObject) -> None:
    """Show every marked text under ``root`` in the current language."""
    for obj in _objects(root):
        for raw in obj.dynamicPropertyNames():
            key = bytes(raw.data()).decode()
            if not key.startswith(PREFIX):
                continue
            prop = key[len(PREFIX) :]
            if prop in _PROPERTIES:
                msgid = obj.property(key)
                if isinstance(msgid, str):
                    obj.setProperty(prop, _(msgid))
        if isinstance(obj, QTabWidget | QToolBox):
            _apply_pages(obj)
        elif isinstance(obj, QDateTimeEdit):  # QDateEdit, QTimeEdit too
            show_edit_format(obj)
            # typed dates read as typed (once per edit), and a tooltip saying how
            # (imported here: the login window, first on screen, has no dates)
            from station_app.gui.widgets import date_entry

            if date_entry.attach(obj) is not None and not obj.toolTip():
                tip = date_entry.hint(obj)
                if tip is not None:
                    set_translatable(obj, "toolTip", tip)
        elif isinstance(obj, QComboBox):
            ids = obj.property(PREFIX + ITEM_TEXTS)
            for i, msgid in enumerate(ids or []):
                if i < obj.count():
                    obj.setItemText(i, _(msgid))


def _apply_pages(book: QTabWidget | QToolBox) -> None:
    for i in range(book.count()):
        page = book.widget(i)
        if page is None:
            continue
        text, tip = page.property(PREFIX + TAB_TEXT), page.property(PREFIX + TAB_TOOLTIP)
        if isinstance(book, QTabWidget):
            if text:
                book.setTabText(i, _(text))
            if tip:
                book.setTabToolTip(i, _(tip))
        else:
            if text:
                book.setItemText(i, _(text))
            if tip:
                book.setItemToolTip(i, _(tip))


def discard(root: QWidget) -> None:
    """Close a loaded form for good: it stops following the language and is
    deleted when control returns to the event loop."""
    # Forms loaded into this one (pages, embedded forms) have their own
    # registration; all of them end with it.
    for live in root.findChildren(QObject, _LIVE_NAME):
        if isinstance(live, _LiveTranslation):
            remove_language_callback(live.retranslate)
    # Until it is deleted, results of its reads and refreshes are dropped (ops):
    # PySide may already have let go of its widgets.
    root.setProperty(DISCARDED, True)
    root.close()
    root.deleteLater()


class _LiveTranslation(QObject):
    """Child of a loaded form that retranslates it on every language switch.

    The i18n runtime holds only a weak reference to :meth:`retranslate`; the
    form (its Qt parent) keeps this object alive, so the registration ends
    when the form is deleted.
    """

    def __init__(self, root: QWidget, on_retranslate: Callable[[], object] | None) -> None:
        super().__init__(root)
        self.setObjectName(_LIVE_NAME)
        self._on_retranslate = on_retranslate
        on_language_changed(self.retranslate)

    def retranslate(self) -> None:
        if not shiboken6.isValid(self):
            return
        root = self.parent()
        if root is None or not shiboken6.isValid(root):
            return
        retranslate(root)
        if self._on_retranslate is not None:
            self._on_retranslate()


def _untranslated_strings(path: Path) -> set[tuple[str, str]]:
    """``(objectName, property)`` of the form's strings marked ``notr="true"``."""
    skipped: set[tuple[str, str]] = set()
    for element in ET.parse(path).getroot().iter():
        if element.tag not in ("widget", "action"):
            continue
        name = element.get("name", "")
        for child in element:
            string = child.find("string")
            if child.tag not in ("property", "attribute") or string is None:
                continue
            if string.get("notr") != "true":
                continue
            prop = child.get("name", "")
            if child.tag == "attribute":
                prop = _PAGE_ATTRIBUTES.get(prop, prop)
            skipped.add((name, prop))
    return skipped
