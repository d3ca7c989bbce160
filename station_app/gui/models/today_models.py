"""The desk's Today page as table models: beds per room, alerts, people in the station.

Each model holds one tuple of the service's frozen views
(:func:`station_app.services.desk.today`) and is replaced whole on every
refresh: a station has tens of people in and a handful of rooms, so the rows
are few and come in one indexed read, not a page at a time. Headers, code-list
values and alert texts are English message ids translated when asked for:
:meth:`retranslate` tells the views to ask again after a language switch.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from enum import Enum
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont
from typing_extensions import override

from station_app.domain.clock import CHINA_TZ_OFFSET_HOURS
from station_app.domain.errors import N_
from station_app.domain.labels import enum_label, field_label
from station_app.domain.rooms import room_label
from station_app.domain.text import has_tibetan
from station_app.gui import fonts, formatting
from station_app.gui.feedback import COLOURS, Level
from station_app.gui.models.rows import RIGHT, RowsModel
from station_app.i18n import _, current_language, ngettext
from station_app.services.desk import Alert, ExpectedView, Resident, RoomBeds

SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # raw values: numbers sort as numbers
REQUEST_ID_ROLE = Qt.ItemDataRole.UserRole + 2  # the help request a row opens
EXPECTED_ID_ROLE = Qt.ItemDataRole.UserRole + 3  # the expected arrival of a row

CHINA = timezone(timedelta(hours=CHINA_TZ_OFFSET_HOURS))
ALERT_RED = QColor(COLOURS[Level.ERROR])  # overdue alerts, a stay past its limit
FULL_ROOM = QColor("#f6d5d1")  # background of a room without a free bed

Index = QModelIndex | QPersistentModelIndex

NO_BED = N_("no bed yet")
EXEMPT = N_("exempt")
EXTENDED = N_("extended")
LIMIT_REACHED = N_("limit reached")


def moment_text(moment: datetime) -> str:
    """A moment in China time, to the minute, in the screen language's way."""
    return formatting.moment_text(moment)


def day_text(day: date, format: str = "medium") -> str:
    """A day in the screen language's way; ``"full"`` adds the weekday."""
    return formatting.day_text(day, weekday=format == "full")


def alert_text(alert: Alert) -> str:
    """What to do, in the screen language, its dates and labels shown as staff read them."""
    params: dict[str, object] = {}
    for key, value in alert.params.items():
        if key == "due" and alert.due_at is not None:
            value = moment_text(alert.due_at)  # the service's text is fixed to ISO form
        elif isinstance(value, datetime):
            value = moment_text(value)
        elif isinstance(value, date):
            value = day_text(value)
        elif isinstance(value, Enum):
            value = _(enum_label(value))
        elif key == "field_name" and isinstance(value, str):
            value = _(field_label(value))
        params[key] = value
    return _(alert.message).format(**params)


def _name_font(name: str) -> QFont | None:
    # A Tibetan name at Latin size is hard to read: the Tibetan font is larger.
    return fonts.tibetan_font() if has_tibetan(name) else None


_TodayModel = RowsModel  # rows of one kind of view (see gui/models/rows.py)


class RoomBedsModel(_TodayModel[RoomBeds]):
    """Beds per room; a room without a free bed is highlighted."""

    HEADERS = (N_("Room"), N_("Sex"), N_("Beds"), N_("Occupied"), N_("Free"))
    FREE_COLUMN = 4

    @override
    def _data(self, room: RoomBeds, column: int, role: int) -> Any:
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            name = room_label(room.name, room.name_bo, current_language())
            values: tuple[Any, ...] = (name, room.sex, room.beds, room.occupied, room.free)
            value = values[column]
            if role == SORT_ROLE:
                return value if isinstance(value, int) else str(value)
            if isinstance(value, Enum):
                return _(enum_label(value))
            return formatting.number_text(value) if isinstance(value, int) else str(value)
        if role == Qt.ItemDataRole.BackgroundRole and room.free == 0:
            return FULL_ROOM
        if role == Qt.ItemDataRole.ForegroundRole and room.free == 0:
            return ALERT_RED
        if role == Qt.ItemDataRole.FontRole and room.free == 0 and column == self.FREE_COLUMN:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= 2:
            return RIGHT
        return None


class AlertModel(_TodayModel[Alert]):
    """What needs action today, overdue first (the service's order), overdue in red."""

    HEADERS = (N_("Kind"), N_("Person"), N_("Due"), N_("What to do"))
    PERSON_COLUMN = 1
    MESSAGE_COLUMN = 3

    def _display(self, alert: Alert, column: int) -> str:
        if column == 0:
            return _(enum_label(alert.kind))
        if column == 1:
            return alert.person_name
        if column == 2:
            return moment_text(alert.due_at) if alert.due_at is not None else ""
        return alert_text(alert)

    @override
    def _data(self, alert: Alert, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(alert, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.MESSAGE_COLUMN:
            return alert_text(alert)  # long: the column may cut it
        if role == REQUEST_ID_ROLE:
            return alert.request_id
        if role == SORT_ROLE:
            return alert.due_at.isoformat() if column == 2 and alert.due_at else ""
        if role == Qt.ItemDataRole.ForegroundRole and alert.overdue:
            return ALERT_RED
        if role == Qt.ItemDataRole.FontRole and column == self.PERSON_COLUMN:
            return _name_font(alert.person_name)
        return None


class ResidentModel(_TodayModel[Resident]):
    """The people in the station now, with their bed and their 10-day clock."""

    HEADERS = (
        N_("Name"),
        N_("Sex"),
        N_("Age"),
        N_("Room and bed"),
        N_("Arrival time"),
        N_("Days in the station"),
        N_("10-day limit"),
        N_("Status"),
    )
    NAME_COLUMN = 0
    CLOCK_COLUMN = 6

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.now: datetime | None = None  # the moment the clocks were read

    def set_residents(self, residents: tuple[Resident, ...], now: datetime) -> None:
        self.now = now
        self.set_rows(residents)

    def _overdue(self, r: Resident) -> bool:
        return r.clock is not None and self.now is not None and r.clock.overdue(self.now)

    def clock_text(self, r: Resident) -> str:
        clock = r.clock
        if clock is None:
            return ""
        if clock.exempt:
            return _(EXEMPT)
        if clock.extended:
            return _(EXTENDED)
        if self._overdue(r) or clock.days_left <= 0:
            return _(LIMIT_REACHED)
        days = clock.days_left
        return ngettext("{days} day left", "{days} days left", days).format(
            days=formatting.number_text(days)
        )

    def _display(self, r: Resident, column: int) -> str:
        if column == 0:
            return r.name
        if column == 1:
            return _(enum_label(r.sex)) if r.sex is not None else ""
        if column == 2:
            return formatting.number_text(r.age) if r.age is not None else ""
        if column == 3:
            if r.room_name is None or r.bed_number is None:
                return _(NO_BED)
            room = room_label(r.room_name, r.room_name_bo, current_language())
            return f"{room} {_('bed {number}').format(number=r.bed_number)}"
        if column == 4:
            return moment_text(r.arrived_at)
        if column == 5:
            return formatting.number_text(r.days_in_station)
        if column == 6:
            return self.clock_text(r)
        return _(enum_label(r.status))

    def _sort_key(self, r: Resident, column: int) -> Any:
        keys: tuple[Any, ...] = (
            r.name,
            r.sex.value if r.sex else "",
            r.age if r.age is not None else -1,
            f"{r.room_name}\0{r.bed_number:04d}" if r.room_name and r.bed_number else "\uffff",
            r.arrived_at.isoformat(),
            r.days_in_station,
            r.clock.days_left if r.clock and not (r.clock.exempt or r.clock.extended) else 10**6,
            r.status.value,
        )
        return keys[column]

    def _tooltip(self, r: Resident, column: int) -> str | None:
        clock = r.clock
        if column != self.CLOCK_COLUMN or clock is None:
            return None
        if clock.exempt and clock.exempt_reason:
            return _(clock.exempt_reason)
        if clock.extended and clock.extension_reason:
            return clock.extension_reason
        return _("Due {due}").format(due=moment_text(clock.due_at))

    @override
    def _data(self, r: Resident, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(r, column)
        if role == SORT_ROLE:
            return self._sort_key(r, column)
        if role == REQUEST_ID_ROLE:
            return r.request_id
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(r, column)
        if role == Qt.ItemDataRole.FontRole and column == self.NAME_COLUMN:
            return _name_font(r.name)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.CLOCK_COLUMN:
            return ALERT_RED if self._overdue(r) else None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (2, 5):
            return RIGHT
        return None


class ExpectedModel(_TodayModel[ExpectedView]):
    """Persons a patrol persuaded to come (劝导来站) and the desk still expects,
    earliest met first (the service's order)."""

    HEADERS = (
        N_("Person"),
        N_("Description"),
        N_("Where met"),
        N_("Met at"),
        N_("Expected until"),
    )
    NAME_COLUMN = 0

    def _display(self, x: ExpectedView, column: int) -> str:
        values = (
            x.person_name,
            x.description or "",
            x.place,
            moment_text(x.met_at),
            moment_text(x.expected_until),
        )
        return values[column]

    @override
    def _data(self, x: ExpectedView, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(x, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == 1:
            return x.description
        if role == EXPECTED_ID_ROLE:
            return x.id
        if role == Qt.ItemDataRole.FontRole and column == self.NAME_COLUMN:
            return _name_font(x.person_name)
        return None
