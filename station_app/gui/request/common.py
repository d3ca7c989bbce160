"""What the desk screens share: China time in date-time edits, labels of the
code lists, tables filled from views, and the highlight of a refused field."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from enum import Enum

from PySide6.QtCore import QDate, QDateTime, QSignalBlocker, QTimeZone
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
)

from station_app.domain.enums import (
    RequestStatus,
)
from station_app.domain.errors import N_
from station_app.domain.labels import enum_label
from station_app.gui.feedback import INVALID_STYLE as INVALID_STYLE  # shared by the forms
from station_app.i18n import _

CHINA = timezone(timedelta(hours=8))
CHINA_ZONE = QTimeZone(8 * 3600)
TOUCHED = "touchedByUser"
OPEN_STATUSES = (
    RequestStatus.REGISTERED,
    RequestStatus.ACCEPTED,
)  # dynamic property: the clerk changed the time

# Code lists the domain labels do not name yet (keyed by type: StrEnum
# members of different lists with the same value compare equal).
SIGNATURES: tuple[tuple[str, str], ...] = (
    ("signed", N_("Signed")),
    ("fingerprint", N_("Fingerprint mark")),
    ("refused", N_("Refused to sign")),
)


def label(value: Enum) -> str:
    """The message id naming a code-list value."""
    return enum_label(value)


def fill_combo(combo: QComboBox, values: Iterable[Enum], *, blank: bool = False) -> None:
    """Items for ``values`` (their labels kept as message ids, see :func:`retranslate_combo`)."""
    combo.clear()
    if blank:
        combo.addItem("", None)
    for value in values:
        combo.addItem(_(label(value)), value)


def retranslate_combo(combo: QComboBox) -> None:
    for i in range(combo.count()):
        value = combo.itemData(i)
        if isinstance(value, Enum):
            combo.setItemText(i, _(label(value)))


def choose(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    combo.setCurrentIndex(max(index, 0))


# ------------------------------------------------------------ time


def china_text(moment: datetime | None) -> str:
    """A moment as staff read it: China time, to the minute."""
    if moment is None:
        return ""
    return moment.astimezone(CHINA).strftime("%Y-%m-%d %H:%M")


def now_minute() -> datetime:
    """Now, to the whole minute (what a date-time edit shows)."""
    return datetime.now(UTC).replace(second=0, microsecond=0)


def setup_time_edit(edit: QDateTimeEdit) -> None:
    """Show China time whatever the computer's zone; mark the clerk's own changes."""
    edit.setTimeZone(CHINA_ZONE)
    edit.dateTimeChanged.connect(lambda _v: edit.setProperty(TOUCHED, True))


def set_moment(edit: QDateTimeEdit, moment: datetime) -> None:
    with QSignalBlocker(edit):
        edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(moment.timestamp()), CHINA_ZONE))
    edit.setProperty(TOUCHED, False)


def reset_to_now(edit: QDateTimeEdit, *, force: bool = False) -> None:
    """Show the current minute, unless the clerk typed a time (or ``force``)."""
    if force or not edit.property(TOUCHED):
        set_moment(edit, now_minute())


def moment_of(edit: QDateTimeEdit) -> datetime:
    """The time in the edit, timezone-aware (UTC)."""
    return datetime.fromtimestamp(edit.dateTime().toSecsSinceEpoch(), UTC)


def set_day(edit: QDateEdit, day: date) -> None:
    edit.setDate(QDate(day.year, day.month, day.day))


def day_of(edit: QDateEdit) -> date:
    d = edit.date()
    return date(d.year(), d.month(), d.day())


def today_in_china() -> date:
    return datetime.now(CHINA).date()


# ------------------------------------------------------------ tables


def setup_table(table: QTableWidget, *, editable: bool = False) -> None:
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    if not editable:
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)


def set_headers(table: QTableWidget, headers: Sequence[str]) -> None:
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels([_(h) for h in headers])


def fill_table(table: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(value))
    table.resizeColumnsToContents()


def yuan(amount: object) -> str:
    return "" if amount is None else f"{amount}"


def optional(text: str) -> str | None:
    return text.strip() or None
