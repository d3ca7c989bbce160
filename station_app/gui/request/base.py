"""The part every tab of the request window shares: finding its widgets, the
line that says why the tab is closed, and its operations (writes go through
``self.ops``, refusals point at the tab's own fields)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDateTimeEdit, QLabel, QWidget

from station_app.gui import uiloader
from station_app.gui.feedback import FieldsOf, Level, show_level
from station_app.gui.formatting import setup_time_edit
from station_app.gui.ops import Ops
from station_app.i18n import _
from station_app.services import desk
from station_app.services.context import Context

if TYPE_CHECKING:
    from station_app.gui.request_window import RequestWindow

_W = TypeVar("_W", bound=QObject)


class RequestTab:
    """A tab of the request window: ``<prefix>Tab`` with ``<prefix>WhyLabel``
    and ``<prefix>Content``."""

    def __init__(self, window: RequestWindow, prefix: str) -> None:
        self.window = window
        self.page = uiloader.child(window.dialog, QWidget, f"{prefix}Tab")
        self.why_label = uiloader.child(window.dialog, QLabel, f"{prefix}WhyLabel")
        self.content = uiloader.child(window.dialog, QWidget, f"{prefix}Content")
        self._why: str | None = None
        self._why_params: dict[str, object] = {}
        self.fields: dict[str, QWidget] = {}
        # A write locks the tabs until the service answers; a refusal points
        # at this tab's fields (the window shows the tab).
        self.ops = Ops(window, busy=[window.tabs], feedback=FieldsOf(window.feedback, self.fields))

    @property
    def ctx(self) -> Context:
        return self.window.ctx

    @property
    def request_id(self) -> int:
        return self.window.request_id

    def child(self, kind: type[_W], name: str) -> _W:
        return uiloader.child(self.window.dialog, kind, name)

    def time_edit(self, name: str) -> QDateTimeEdit:
        edit = self.child(QDateTimeEdit, name)
        setup_time_edit(edit)
        return edit

    def map_fields(self, **fields: str) -> None:
        """Service error fields (keys) -> object names of the widgets to highlight."""
        self.fields.update({key: self.child(QWidget, name) for key, name in fields.items()})

    def gate(self, why: str | None, **params: object) -> None:
        """Close the tab with a line saying why (a message id), or open it (None)."""
        self._why, self._why_params = why, params
        self.content.setEnabled(why is None)
        self._show_why()

    def _show_why(self) -> None:
        if self._why is None:
            self.why_label.clear()
            self.why_label.hide()
        else:
            show_level(self.why_label, _(self._why).format(**self._why_params), Level.WARNING)

    def done(self, msgid: str, **params: object) -> None:
        """Say in the window that a write of this tab is recorded."""
        self.window.feedback.tell(msgid, Level.INFORMATION, **params)

    def refresh(self, sheet: desk.RequestSheet) -> None:
        raise NotImplementedError

    def retranslate(self) -> None:
        self._show_why()
