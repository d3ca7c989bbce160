"""Asking before a far-back date is saved (issue 16).

A date typed wrongly but possible (a shift dated last month, a departure
typed a year back) is no rule's breach, so no service refuses it; the form
asks. How far back is far is the station's setting
``rules.backdate_confirm_days`` (default
:data:`~station_app.domain.typed_dates.DEFAULT_CONFIRM_DAYS_BACK`), read off
the GUI thread when the form opens.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

import shiboken6
from PySide6.QtWidgets import QMessageBox, QWidget

from station_app.domain.errors import N_
from station_app.domain.labels import field_label
from station_app.domain.typed_dates import DEFAULT_CONFIRM_DAYS_BACK, days_back_to_confirm
from station_app.gui.dialogs import APP_TITLE
from station_app.gui.formatting import day_text, today_in_china
from station_app.gui.ops import Ops
from station_app.i18n import _
from station_app.services import settings
from station_app.services.context import Context

SETTING = "rules.backdate_confirm_days"
QUESTION_NAME = "dateQuestion"
DAYS_BACK = N_("{field}: {day} is {days} days ago.")
ASK = N_("{lines}\n\nIs that right? Save it with this date?")
SAVE = N_("Save with this date")
CHANGE = N_("Change the date")


class BackdateCheck:
    """Asks before saving days further back than the station's setting."""

    def __init__(self, parent: QWidget, ops: Ops, ctx: Context) -> None:
        self.parent = parent
        self.days_back = DEFAULT_CONFIRM_DAYS_BACK
        self.box: QMessageBox | None = None
        ops.query(
            lambda: settings.get(ctx, SETTING),
            self._read,
            latest="backdate-days",
            busy=(),
            failed=lambda _exc: None,  # the default stands
        )

    def _read(self, value: object) -> None:
        if isinstance(value, int):
            self.days_back = value

    def questions(self, days: Sequence[tuple[str, date]]) -> list[str]:
        """A line per (field name, day) too far back, translated."""
        today = today_in_china()
        lines: list[str] = []
        for field, day in days:
            ago = days_back_to_confirm(day, today, days_back=self.days_back)
            if ago is not None:
                lines.append(
                    _(DAYS_BACK).format(field=_(field_label(field)), day=day_text(day), days=ago)
                )
        return lines

    def confirm(self, days: Sequence[tuple[str, date]], go: Callable[[], object]) -> None:
        """``go()`` at once, or after the clerk's yes when a day is far back."""
        lines = self.questions(days)
        if not lines:
            go()
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _(APP_TITLE),
            _(ASK).format(lines="\n".join(lines)),
            parent=self.parent,
        )
        box.setObjectName(QUESTION_NAME)
        save = box.addButton(_(SAVE), QMessageBox.ButtonRole.AcceptRole)
        change = box.addButton(_(CHANGE), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(change)

        def answered(_result: int) -> None:
            self.box = None
            box.setObjectName("")  # answered: no longer the question open
            if box.clickedButton() is save and shiboken6.isValid(self.parent):
                go()
            box.deleteLater()

        box.finished.connect(answered)
        self.box = box
        box.open()  # not exec(): the event loop (and the form's work) runs on
