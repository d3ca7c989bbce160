"""The part every tab of the request window shares: finding its widgets, the
line that says why the tab is closed, and running its writes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDateTimeEdit, QLabel, QWidget

from station_app.gui import uiloader
from station_app.i18n import _
from station_app.services import desk
from station_app.services.context import Context

from .common import setup_time_edit

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
        self.why_label.setStyleSheet("color: #8a6d00;")
        self._why: str | None = None
        self._why_params: dict[str, object] = {}
        self.fields: dict[str, QWidget] = {}

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
            self.why_label.setText(_(self._why).format(**self._why_params))
            self.why_label.show()

    def run(
        self,
        work: Callable[[], object],
        done: Callable[[object], None] | None = None,
        fields: Mapping[str, QWidget] | None = None,
    ) -> None:
        self.window.run(
            work, tab=self.page, fields=self.fields if fields is None else fields, done=done
        )

    def refresh(self, record: desk.RequestRecord) -> None:
        raise NotImplementedError

    def retranslate(self) -> None:
        self._show_why()
