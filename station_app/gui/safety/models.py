"""Table models of the safety page: the month's days, the checks, hazards,
incidents, visitors and the amendments to a signed month.

What needs attention is marked the same way everywhere: a day with a missed
check, a failed check and an overdue hazard in red on a pale red ground.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from typing_extensions import override

from station_app.domain.errors import N_
from station_app.domain.labels import enum_label
from station_app.domain.text import has_tibetan
from station_app.gui import fonts
from station_app.gui.feedback import COLOURS, Level
from station_app.gui.formatting import china_text, day_text, number_text
from station_app.gui.models.rows import RowsModel
from station_app.i18n import _
from station_app.services import safety

ID_ROLE = Qt.ItemDataRole.UserRole + 3  # the record's id
DAY_ROLE = Qt.ItemDataRole.UserRole + 4  # the day of a row of the month grid
ATTENTION_ROLE = Qt.ItemDataRole.UserRole + 5  # True: the row is marked for attention

ATTENTION_TEXT = QColor(COLOURS[Level.ERROR])
ATTENTION_GROUND = QColor("#f6d5d1")
NONE = "—"
LIST_JOIN = N_("{first}, {second}")

PASSED = N_("Passed")
FAILED_ITEMS = N_("Failed: {count}")
OPEN = N_("Open")
OVERDUE = N_("Overdue by {days} days")
CLOSED_ON = N_("Closed on {day}")
CLOSED_LATE = N_("Closed on {day}, late")
STILL_HERE = N_("Still here")
NEW_RECORD = N_("Entered after the sign-off")


def joined(texts: list[str]) -> str:
    """Texts joined the way the screen's language lists them."""
    if not texts:
        return ""
    out = texts[0]
    for text in texts[1:]:
        out = _(LIST_JOIN).format(first=out, second=text)
    return out


def _number(value: int) -> str:
    return number_text(value)


def _day_text(day: date) -> str:
    return day_text(day)


class _Marked(RowsModel[Any]):
    """Rows some of which need attention (:meth:`_attention`), drawn in red."""

    TEXT_COLUMNS: frozenset[int] = frozenset()  # long texts: the tooltip shows them whole

    def _attention(self, row: Any) -> bool:
        return False

    def _cells(self, row: Any) -> tuple[str, ...]:
        raise NotImplementedError

    def _id(self, row: Any) -> object:
        return getattr(row, "id", None)

    @override
    def _data(self, row: Any, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return self._cells(row)[column]
        if role == ID_ROLE:
            return self._id(row)
        if role == ATTENTION_ROLE:
            return self._attention(row)
        if role == Qt.ItemDataRole.BackgroundRole and self._attention(row):
            return ATTENTION_GROUND
        if role == Qt.ItemDataRole.ForegroundRole and self._attention(row):
            return ATTENTION_TEXT
        if role == Qt.ItemDataRole.ToolTipRole and column in self.TEXT_COLUMNS:
            return self._cells(row)[column] or None
        if role == Qt.ItemDataRole.FontRole and has_tibetan(self._cells(row)[column]):
            return fonts.tibetan_font()
        return None


class DayModel(_Marked):
    """The month grid: a row a day, what was checked and what was missed."""

    HEADERS = (N_("Day"), N_("Checks"), N_("Night round by"), N_("Failed"), N_("Missed"))
    NUMBER_COLUMNS = frozenset({1, 3})
    TEXT_COLUMNS = frozenset({2, 4})

    @override
    def _id(self, row: safety.DayView) -> object:
        return row.day

    @override
    def _attention(self, row: safety.DayView) -> bool:
        return bool(row.missed) or row.failed > 0

    @override
    def _cells(self, row: safety.DayView) -> tuple[str, ...]:
        nights = [c.checked_by_text for c in row.night_rounds]
        missed = [_(enum_label(m.kind)) for m in row.missed]
        return (
            _day_text(row.day),
            _number(len(row.checks)),
            joined(nights) or NONE,
            _number(row.failed) if row.failed else "",
            joined(missed),
        )

    @override
    def _data(self, row: safety.DayView, column: int, role: int) -> Any:
        if role == DAY_ROLE:
            return row.day
        return super()._data(row, column, role)


def _result(check: safety.CheckView) -> str:
    if check.passed:
        return _(PASSED)
    return _(FAILED_ITEMS).format(count=_number(len(check.failed_items)))


def _notes(check: safety.CheckView) -> str:
    return "; ".join(
        f"{i.item}: {i.note}" if i.note else i.item for i in check.items if i.ok is False
    )


class CheckModel(_Marked):
    """Checks in time order; failed ones marked."""

    HEADERS = (
        N_("Time"),
        N_("Check"),
        N_("Checked by"),
        N_("Result"),
        N_("Failed items"),
        N_("Findings"),
        N_("Entered by"),
    )
    TEXT_COLUMNS = frozenset({2, 4, 5})

    @override
    def _attention(self, row: safety.CheckView) -> bool:
        return not row.passed

    @override
    def _cells(self, row: safety.CheckView) -> tuple[str, ...]:
        return (
            china_text(row.checked_at),
            _(enum_label(row.kind)),
            row.checked_by_text,
            _result(row),
            _notes(row),
            row.findings or "",
            row.recorded_by or "",
        )


def hazard_state(h: safety.HazardView) -> str:
    if h.closed_on is not None:
        return _(CLOSED_LATE if h.closed_late else CLOSED_ON).format(day=day_text(h.closed_on))
    if h.overdue:
        return _(OVERDUE).format(days=_number(h.days_overdue))
    return _(OPEN)


class HazardModel(_Marked):
    """Hazards, overdue ones first and marked."""

    HEADERS = (
        N_("Found on"),
        N_("What was found"),
        N_("Where"),
        N_("Who sees to it"),
        N_("Deadline"),
        N_("State"),
        N_("How it was dealt with"),
    )
    TEXT_COLUMNS = frozenset({1, 6})

    @override
    def _attention(self, row: safety.HazardView) -> bool:
        return row.overdue

    @override
    def _cells(self, row: safety.HazardView) -> tuple[str, ...]:
        return (
            day_text(row.found_on),
            row.description,
            row.location or "",
            row.owner,
            day_text(row.deadline),
            hazard_state(row),
            row.closing_note or "",
        )


class IncidentModel(_Marked):
    HEADERS = (
        N_("Time"),
        N_("What happened"),
        N_("Person"),
        N_("Description"),
        N_("What was done"),
        N_("Reported to"),
    )
    TEXT_COLUMNS = frozenset({3, 4})

    @override
    def _cells(self, row: safety.IncidentView) -> tuple[str, ...]:
        return (
            china_text(row.occurred_at),
            _(enum_label(row.kind)),
            row.person_name or "",
            row.description,
            row.action_taken or "",
            row.reported_to or "",
        )


class VisitorModel(_Marked):
    HEADERS = (
        N_("Arrived"),
        N_("Left"),
        N_("Name"),
        N_("ID number"),
        N_("Work unit or relation"),
        N_("Purpose"),
        N_("Person visited or collected"),
    )

    @override
    def _cells(self, row: safety.VisitorView) -> tuple[str, ...]:
        return (
            china_text(row.arrived_at),
            china_text(row.left_at) or _(STILL_HERE),
            row.name,
            row.id_number_masked or "",
            row.unit or "",
            row.purpose or "",
            row.visited_person_name or "",
        )


class AmendmentModel(_Marked):
    HEADERS = (
        N_("Changed at"),
        N_("Changed by"),
        N_("Record"),
        N_("Reason"),
        N_("Change"),
    )
    TEXT_COLUMNS = frozenset({3, 4})

    @override
    def _cells(self, row: safety.AmendmentView) -> tuple[str, ...]:
        record = _(row.record_label)
        if row.record_when:
            record = f"{record} {row.record_when}"
        change = _(NEW_RECORD) if row.created else "; ".join(c.render(_) for c in row.changes)
        return (
            china_text(row.changed_at),
            row.changed_by or "",
            record,
            row.reason,
            change,
        )
