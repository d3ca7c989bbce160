"""Suggest a better wording from the screen: in the Tibetan screen language, a
right click on a label, a button, a group's title or a column header offers
"Suggest a better wording…"; the wording typed is recorded with the screen it
came from (:func:`station_app.services.translations.suggest_wording`), and
the next review's workbook carries it to the reviewers.

One :class:`WordingSuggestions` per main window filters the application's
context-menu events while the screen speaks Tibetan (an application-wide
filter sees every event: in the other languages it is not installed at all);
other widgets keep their own menus.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QAbstractProxyModel, QEvent, QObject, QPoint, Signal
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QGroupBox,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QWidget,
)
from typing_extensions import override

from station_app.domain.errors import N_
from station_app.i18n import _, current_language, on_language_changed, remove_language_callback
from station_app.services import translations
from station_app.services.context import Context

from . import dialogs
from .ops import Ops
from .uiloader import PREFIX

LANGUAGE = "bo"  # the language whose wording staff suggest from the screens
SUGGEST = N_("Suggest a better wording…")
ASK_TITLE = N_("A better wording")
ASK = N_(
    "The text now: {current}\nIn Chinese: {chinese}\n\n"
    "Your wording (keep every placeholder in braces, such as {{name}}):"
)
THANKS = N_("Thank you: your wording goes to the next review of the Tibetan texts.")


def _text_id(widget: QWidget) -> str | None:
    """The message id of a label's, button's or group's text, if it has one."""
    prop = "title" if isinstance(widget, QGroupBox) else "text"
    msgid = widget.property(PREFIX + prop)
    return msgid if isinstance(msgid, str) and msgid else None


def _header_id(header: QHeaderView, pos: QPoint) -> str | None:
    """The message id of the column header at ``pos`` (the model's ``HEADERS``)."""
    section = header.logicalIndexAt(pos)
    model = header.model()
    while isinstance(model, QAbstractProxyModel):
        model = model.sourceModel()
    headers = getattr(model, "HEADERS", None)
    if section < 0 or not isinstance(headers, tuple) or section >= len(headers):
        return None
    msgid = headers[section]
    return msgid if isinstance(msgid, str) else None


def text_at(obj: QObject, pos: QPoint) -> tuple[str, str] | None:
    """``(message id, screen)`` of the text under ``pos`` in ``obj``, if any."""
    widget = obj if isinstance(obj, QWidget) else None
    if widget is None:
        return None
    header = widget.parent() if isinstance(widget.parent(), QHeaderView) else widget
    if isinstance(header, QHeaderView):
        msgid = _header_id(header, pos)
        named = header.parent() if isinstance(header.parent(), QWidget) else header
    elif isinstance(widget, (QLabel, QAbstractButton, QGroupBox)):
        msgid = _text_id(widget)
        named = widget
    else:
        return None
    if msgid is None:
        return None
    assert isinstance(named, QWidget)
    window = named.window().objectName() or type(named.window()).__name__
    return msgid, f"{window}: {named.objectName() or type(named).__name__}"


class WordingSuggestions(QObject):
    """The "Suggest a better wording…" entry of the context menus (see the module)."""

    offered = Signal(object)  # the QMenu shown
    suggested = Signal(str)  # the message id, once recorded
    failed = Signal(str)

    def __init__(self, ctx: Context, parent: QObject) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.ops = Ops(self)
        self._installed = False
        on_language_changed(self.follow_language)
        self.follow_language()

    def follow_language(self) -> None:
        """Filter the context menus while the screen speaks Tibetan, only then."""
        if not shiboken6.isValid(self):  # its main window is gone
            remove_language_callback(self.follow_language)
            return
        app = QApplication.instance()
        wanted = current_language() == LANGUAGE
        if app is None or wanted == self._installed:
            return
        if wanted:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)
        self._installed = wanted

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ContextMenu or current_language() != LANGUAGE:
            return False
        assert isinstance(event, QContextMenuEvent)
        found = text_at(watched, event.pos())
        if found is None:
            return False
        self.offer(found[0], found[1], event.globalPos(), watched)
        return True

    def offer(self, msgid: str, screen: str, at: QPoint, over: QObject) -> QMenu:
        """The menu with the one entry, shown at ``at``."""
        parent = over if isinstance(over, QWidget) else None
        menu = QMenu(parent)
        action = menu.addAction(_(SUGGEST))
        action.triggered.connect(lambda _checked=False: self.ask(msgid, screen, parent))
        menu.aboutToHide.connect(menu.deleteLater)
        menu.popup(at)
        self.offered.emit(menu)
        return menu

    def ask(self, msgid: str, screen: str, parent: QWidget | None = None) -> None:
        """Ask for the better wording of ``msgid``, and record it."""
        from station_app.i18n import translator

        current = translator(LANGUAGE).gettext(msgid)
        text, ok = QInputDialog.getText(
            parent,
            _(ASK_TITLE),
            _(ASK).format(current=current, chinese=translator("zh_CN").gettext(msgid)),
            text=current,
        )
        if ok and text.strip() and text.strip() != current:
            self.record(msgid, text, screen, parent)

    def record(self, msgid: str, text: str, screen: str, parent: QWidget | None = None) -> None:
        ctx = self._ctx

        def refused(exc: BaseException) -> None:
            message = dialogs.describe(exc)
            dialogs.show_error(parent, message)
            self.failed.emit(message)

        self.ops.write(
            lambda: translations.suggest_wording(ctx, LANGUAGE, msgid, text, screen),
            lambda _none: self._recorded(msgid, parent),
            failed=refused,
        )

    def _recorded(self, msgid: str, parent: QWidget | None) -> None:
        window = parent.window() if parent is not None else None
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(_(THANKS), 10_000)
        self.suggested.emit(msgid)
