"""The shift's own fields in the form: date and times (a night shift ends the
next day), the team, partners, counts, areas, weather — read into the
service's input and written back from a saved shift or a draft."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from enum import Enum
from typing import Any

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QHBoxLayout,
    QLineEdit,
    QSpinBox,
    QTimeEdit,
    QWidget,
)

from station_app.domain.enums import PartnerAgency, PatrolArea
from station_app.domain.errors import N_
from station_app.domain.labels import enum_label
from station_app.gui import uiloader
from station_app.gui.formatting import CHINA, day_of, set_day
from station_app.services import patrol

NEXT_DAY = N_("ends the next day, {day}")


# Labels of the partner and area code lists until the domain's label table has
# them (station_app.domain.labels); the domain's own label wins once it does.
def code_label(value: Enum) -> str:
    return enum_label(value)


_MEMBER_SEPARATORS = re.compile(r"[、,，;；]+")
_AGENCY = re.compile(r"(.+?)\s*[（(]\s*(.*?)\s*[)）]\s*")

# error field -> object name of the header widget to point at
HEADER_FIELDS = {
    "shift_date": "shiftDateEdit",
    "shift_started_at": "startTimeEdit",
    "shift_ended_at": "endTimeEdit",
    "members": "membersEdit",
    "member_name": "membersEdit",
    "agency": "membersEdit",
    "staff_count": "staffSpin",
    "vehicle_count": "vehicleSpin",
    "area_notes": "areaNotesEdit",
    "weather": "weatherEdit",
    "temperature_c": "temperatureEdit",
}


def check_boxes(parent: QWidget, values: type[Enum], prefix: str) -> dict[Enum, QCheckBox]:
    """A check box per code-list value in ``parent``'s row, its label kept translated."""
    layout = parent.layout()
    assert isinstance(layout, QHBoxLayout)
    boxes: dict[Enum, QCheckBox] = {}
    for value in values:
        box = QCheckBox(parent)
        box.setObjectName(f"{prefix}_{value.value}")
        uiloader.set_translatable(box, "text", code_label(value))
        layout.addWidget(box)
        boxes[value] = box
    layout.addStretch(1)
    return boxes


def members_of(text: str, user_name: str | None, user_id: int | None) -> list[patrol.MemberInput]:
    """``张伟、李娜、王警官（炉城派出所）``: station staff, and partners with their unit."""
    out: list[patrol.MemberInput] = []
    for part in _MEMBER_SEPARATORS.split(text):
        part = part.strip()
        if not part:
            continue
        m = _AGENCY.fullmatch(part)
        name, agency = (m.group(1), m.group(2) or None) if m else (part, None)
        out.append(
            patrol.MemberInput(
                name=name,
                user_id=user_id if name == user_name and agency is None else None,
                agency=agency,
            )
        )
    return out


def members_text(members: tuple[patrol.MemberView, ...]) -> str:
    return "、".join(f"{m.name}（{m.agency}）" if m.agency else m.name for m in members)


def qtime(t: time) -> QTime:
    return QTime(t.hour, t.minute)


def pytime(edit: QTimeEdit) -> time:
    t = edit.time()
    return time(t.hour(), t.minute())


class ShiftHeader:
    """The header widgets of ``ui/patrol_shift_form.ui``."""

    def __init__(self, dialog: QWidget) -> None:
        self.date_edit = uiloader.child(dialog, QDateEdit, "shiftDateEdit")
        self.start_edit = uiloader.child(dialog, QTimeEdit, "startTimeEdit")
        self.end_edit = uiloader.child(dialog, QTimeEdit, "endTimeEdit")
        self.members_edit = uiloader.child(dialog, QLineEdit, "membersEdit")
        self.staff_spin = uiloader.child(dialog, QSpinBox, "staffSpin")
        self.vehicle_spin = uiloader.child(dialog, QSpinBox, "vehicleSpin")
        self.area_notes_edit = uiloader.child(dialog, QLineEdit, "areaNotesEdit")
        self.weather_edit = uiloader.child(dialog, QLineEdit, "weatherEdit")
        self.temperature_edit = uiloader.child(dialog, QLineEdit, "temperatureEdit")
        self.partners = check_boxes(
            uiloader.child(dialog, QWidget, "partnersBox"), PartnerAgency, "partner"
        )
        self.areas = check_boxes(uiloader.child(dialog, QWidget, "areasBox"), PatrolArea, "area")
        self.line_edits = (
            self.members_edit,
            self.area_notes_edit,
            self.weather_edit,
            self.temperature_edit,
        )

    # ------------------------------------------------------------ times

    @property
    def shift_date(self) -> date:
        return day_of(self.date_edit)

    def started_at(self) -> datetime:
        return datetime.combine(self.shift_date, pytime(self.start_edit), CHINA)

    def ended_at(self) -> datetime:
        """End on the shift's date, or the next day when it is not after the start."""
        end = datetime.combine(self.shift_date, pytime(self.end_edit), CHINA)
        return end + timedelta(days=1) if self.ends_next_day() else end

    def ends_next_day(self) -> bool:
        return pytime(self.end_edit) <= pytime(self.start_edit)

    # ------------------------------------------------------------ values

    def shift_input(
        self, user_name: str | None, user_id: int | None, encounters: list[patrol.EncounterInput]
    ) -> patrol.ShiftInput:
        return patrol.ShiftInput(
            shift_date=self.shift_date,
            started_at=self.started_at(),
            ended_at=self.ended_at(),
            members=members_of(self.members_edit.text(), user_name, user_id),
            staff_count=self.staff_spin.value(),
            vehicle_count=self.vehicle_spin.value(),
            partner_agencies=[
                PartnerAgency(v.value) for v, b in self.partners.items() if b.isChecked()
            ],
            areas=[PatrolArea(v.value) for v, b in self.areas.items() if b.isChecked()],
            area_notes=self.area_notes_edit.text().strip() or None,
            weather=self.weather_edit.text().strip() or None,
            temperature_c=self.temperature_edit.text().strip() or None,
            encounters=encounters,
        )

    def load(self, view: patrol.ShiftView) -> None:
        set_day(self.date_edit, view.shift_date)
        self.start_edit.setTime(qtime(view.started_at.astimezone(CHINA).time()))
        self.end_edit.setTime(qtime(view.ended_at.astimezone(CHINA).time()))
        self.members_edit.setText(members_text(view.members))
        self.staff_spin.setValue(view.staff_count)
        self.vehicle_spin.setValue(view.vehicle_count)
        for value, box in self.partners.items():
            box.setChecked(value in view.partner_agencies)
        for value, box in self.areas.items():
            box.setChecked(value in view.areas)
        self.area_notes_edit.setText(view.area_notes or "")
        self.weather_edit.setText(view.weather or "")
        t = view.temperature_c
        self.temperature_edit.setText("" if t is None else f"{t.normalize():f}")

    def state(self) -> dict[str, Any]:
        return {
            "shift_date": self.shift_date.isoformat(),
            "start": pytime(self.start_edit).strftime("%H:%M"),
            "end": pytime(self.end_edit).strftime("%H:%M"),
            "members": self.members_edit.text(),
            "staff_count": self.staff_spin.value(),
            "vehicle_count": self.vehicle_spin.value(),
            "partners": [v.value for v, b in self.partners.items() if b.isChecked()],
            "areas": [v.value for v, b in self.areas.items() if b.isChecked()],
            "area_notes": self.area_notes_edit.text(),
            "weather": self.weather_edit.text(),
            "temperature": self.temperature_edit.text(),
        }

    def restore(self, state: dict[str, Any]) -> None:
        set_day(self.date_edit, date.fromisoformat(state["shift_date"]))
        self.start_edit.setTime(qtime(time.fromisoformat(state["start"])))
        self.end_edit.setTime(qtime(time.fromisoformat(state["end"])))
        self.members_edit.setText(str(state.get("members", "")))
        self.staff_spin.setValue(int(state.get("staff_count", 0)))
        self.vehicle_spin.setValue(int(state.get("vehicle_count", 0)))
        partners, areas = set(state.get("partners", [])), set(state.get("areas", []))
        for value, box in self.partners.items():
            box.setChecked(value.value in partners)
        for value, box in self.areas.items():
            box.setChecked(value.value in areas)
        self.area_notes_edit.setText(str(state.get("area_notes", "")))
        self.weather_edit.setText(str(state.get("weather", "")))
        self.temperature_edit.setText(str(state.get("temperature", "")))
