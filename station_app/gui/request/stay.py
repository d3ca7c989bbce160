"""The stay tab: a bed in a room (free beds per room shown, the person's sex
first), the services log, and the longer stay with its report date."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QWidget,
)
from typing_extensions import override

from station_app.domain.enums import RequestStatus, StayServiceKind
from station_app.domain.errors import N_
from station_app.domain.labels import enum_label
from station_app.domain.rooms import room_label
from station_app.gui.formatting import (
    china_text,
    day_of,
    moment_of,
    optional,
    reset_to_now,
    set_day,
    today_in_china,
    yuan,
)
from station_app.gui.widgets.combos import fill_combo, retranslate_combo
from station_app.gui.widgets.tables import fill_table, set_headers, setup_table
from station_app.i18n import _, current_language
from station_app.services import desk

from .base import RequestTab

if TYPE_CHECKING:
    from station_app.gui.request_window import RequestWindow

HEADERS = (N_("Time"), N_("Service"), N_("Details"))
ROOM_ITEM = N_("{room} ({sex}): {free} of {beds} beds free")
IN_BED = N_("Room {room}, bed {bed}, since {time}. {clock}")
NOT_ACCEPTED = N_("This help request is {status}: only a person in the station's care has a bed.")
REACHED = N_("Reached")
NOT_REACHED = N_("Not reached")
CALL = N_("{name} {phone}: {reached}")
MONEY = N_("{amount} yuan from {name}")
BED_SAVED = N_("The bed is recorded.")
SERVICE_SAVED = N_("Added to the services log.")
EXTENDED = N_("The longer stay is recorded.")
# what each service asks for besides the time and the description
SERVICE_FIELDS: dict[StayServiceKind, tuple[str, ...]] = {
    StayServiceKind.MEAL: (),
    StayServiceKind.MEDICAL: (),
    StayServiceKind.FAMILY_CONTACT: ("contactNameEdit", "contactPhoneEdit", "reachedCombo"),
    StayServiceKind.MONEY_FROM_FAMILY: ("contactNameEdit", "contactPhoneEdit", "amountEdit"),
    StayServiceKind.OTHER: (),
}


class StayTab(RequestTab):
    def __init__(self, window: RequestWindow) -> None:
        super().__init__(window, "stay")
        self.stay_label = self.child(QLabel, "stayLabel")
        self.bed_box = self.child(QGroupBox, "bedBox")
        self.room_combo = self.child(QComboBox, "roomCombo")
        self.bed_spin = self.child(QSpinBox, "bedSpin")
        self.bed_start_edit = self.time_edit("bedStartEdit")
        self.assign_button = self.child(QPushButton, "assignBedButton")
        self.move_button = self.child(QPushButton, "moveBedButton")
        self.service_box = self.child(QGroupBox, "serviceBox")
        self.kind_combo = self.child(QComboBox, "serviceKindCombo")
        self.service_at_edit = self.time_edit("serviceAtEdit")
        self.description_edit = self.child(QLineEdit, "serviceDescriptionEdit")
        self.contact_name_edit = self.child(QLineEdit, "contactNameEdit")
        self.contact_phone_edit = self.child(QLineEdit, "contactPhoneEdit")
        self.reached_combo = self.child(QComboBox, "reachedCombo")
        self.amount_edit = self.child(QLineEdit, "amountEdit")
        self.add_service_button = self.child(QPushButton, "addServiceButton")
        self.services_table = self.child(QTableWidget, "servicesTable")
        self.extension_box = self.child(QGroupBox, "extensionBox")
        self.extension_reason_edit = self.child(QLineEdit, "extensionReasonEdit")
        self.reported_on_edit = self.child(QDateEdit, "reportedOnEdit")
        self.extend_button = self.child(QPushButton, "extendButton")
        fill_combo(self.kind_combo, StayServiceKind)
        self._fill_reached()
        setup_table(self.services_table)
        set_headers(self.services_table, HEADERS)
        set_day(self.reported_on_edit, today_in_china())
        self.map_fields(
            room="roomCombo",
            sex="roomCombo",
            bed_number="bedSpin",
            started_at="bedStartEdit",
            service_at="serviceAtEdit",
            description="serviceDescriptionEdit",
            contact_name="contactNameEdit",
            contact_phone="contactPhoneEdit",
            reached="reachedCombo",
            amount="amountEdit",
            extension_reason="extensionReasonEdit",
            extension_reported_on="reportedOnEdit",
        )
        self.kind_combo.currentIndexChanged.connect(self._show_service_fields)
        self.assign_button.clicked.connect(self.assign_bed)
        self.move_button.clicked.connect(self.move_bed)
        self.add_service_button.clicked.connect(self.add_service)
        self.extend_button.clicked.connect(self.extend)
        self._rooms: tuple[desk.RoomBeds, ...] = ()
        self._record: desk.RequestRecord | None = None
        self._show_service_fields()

    def _fill_reached(self) -> None:
        self.reached_combo.clear()
        self.reached_combo.addItem("", None)
        self.reached_combo.addItem(_(REACHED), True)
        self.reached_combo.addItem(_(NOT_REACHED), False)

    def _show_service_fields(self) -> None:
        kind = self.kind_combo.currentData()
        wanted = SERVICE_FIELDS.get(StayServiceKind(kind), ()) if kind else ()
        for name in ("contactNameEdit", "contactPhoneEdit", "reachedCombo", "amountEdit"):
            self.child(QLabel, f"{name}Label").setVisible(name in wanted)
            self.fields_widget(name).setVisible(name in wanted)

    def fields_widget(self, name: str) -> QWidget:
        return {
            "contactNameEdit": self.contact_name_edit,
            "contactPhoneEdit": self.contact_phone_edit,
            "reachedCombo": self.reached_combo,
            "amountEdit": self.amount_edit,
        }[name]

    def _fill_rooms(self, sheet: desk.RequestSheet) -> None:
        chosen = self.room_combo.currentData()
        self._rooms = sheet.rooms
        sex = sheet.record.person.sex
        rooms = sorted(self._rooms, key=lambda r: (r.sex is not sex, r.name))
        self.room_combo.clear()
        for room in rooms:
            self.room_combo.addItem(self._room_text(room), room.room_id)
        if chosen is not None:
            index = self.room_combo.findData(chosen)
            if index >= 0:
                self.room_combo.setCurrentIndex(index)

    def _room_text(self, room: desk.RoomBeds) -> str:
        return _(ROOM_ITEM).format(
            room=room_label(room.name, room.name_bo, current_language()),
            sex=_(enum_label(room.sex)),
            free=room.beds - room.occupied,
            beds=room.beds,
        )

    @override
    def refresh(self, sheet: desk.RequestSheet) -> None:
        record = sheet.record
        self._record = record
        status = record.request.status
        accepted = status is RequestStatus.ACCEPTED
        self.gate(None if accepted else NOT_ACCEPTED, status=_(enum_label(status)))
        stay = record.stay
        in_bed = stay is not None and stay.ended_at is None
        self.assign_button.setEnabled(accepted and not in_bed)
        self.move_button.setEnabled(accepted and in_bed)
        self.extension_box.setEnabled(accepted and in_bed)
        self._show_stay(record)
        self._fill_rooms(sheet)
        for edit in (self.bed_start_edit, self.service_at_edit):
            reset_to_now(edit)
        rows = [(china_text(s.at), _(enum_label(s.kind)), self._details(s)) for s in sheet.services]
        fill_table(self.services_table, rows)

    def _show_stay(self, record: desk.RequestRecord) -> None:
        stay = record.stay
        if stay is None:
            self.stay_label.setText(self.window.clock_text())
        else:
            self.stay_label.setText(
                _(IN_BED).format(
                    room=room_label(stay.room_name, stay.room_name_bo, current_language()),
                    bed=stay.bed_number,
                    time=china_text(stay.started_at),
                    clock=self.window.clock_text(),
                )
            )

    def _details(self, s: desk.ServiceView) -> str:
        if s.kind is StayServiceKind.FAMILY_CONTACT:
            call = _(CALL).format(
                name=s.contact_name or "",
                phone=s.contact_phone or "",
                reached=_(REACHED) if s.reached else _(NOT_REACHED),
            )
            return "; ".join(x for x in (call, s.description or "") if x)
        if s.kind is StayServiceKind.MONEY_FROM_FAMILY:
            money = _(MONEY).format(amount=yuan(s.amount), name=s.contact_name or "")
            return "; ".join(x for x in (money, s.description or "") if x)
        return s.description or ""

    def assign_bed(self) -> None:
        room_id = self.room_combo.currentData()
        if room_id is None:
            return
        data = desk.BedInput(int(room_id), self.bed_spin.value(), moment_of(self.bed_start_edit))
        ctx, request_id = self.ctx, self.request_id
        self.ops.write(lambda: desk.assign_bed(ctx, request_id, data), self._bed_saved)

    def move_bed(self) -> None:
        room_id = self.room_combo.currentData()
        if room_id is None:
            return
        room, bed = int(room_id), self.bed_spin.value()
        ctx, request_id = self.ctx, self.request_id
        self.ops.write(lambda: desk.move_bed(ctx, request_id, room, bed), self._bed_saved)

    def _bed_saved(self, _result: object) -> None:
        reset_to_now(self.bed_start_edit, force=True)
        self.done(BED_SAVED)

    def add_service(self) -> None:
        kind = StayServiceKind(self.kind_combo.currentData())
        wanted = SERVICE_FIELDS[kind]

        def value(name: str, edit: QLineEdit) -> str | None:
            return optional(edit.text()) if name in wanted else None

        data = desk.ServiceInput(
            kind=kind,
            at=moment_of(self.service_at_edit),
            description=optional(self.description_edit.text()),
            contact_name=value("contactNameEdit", self.contact_name_edit),
            contact_phone=value("contactPhoneEdit", self.contact_phone_edit),
            reached=self.reached_combo.currentData() if "reachedCombo" in wanted else None,
            amount=value("amountEdit", self.amount_edit),
        )
        ctx, request_id = self.ctx, self.request_id
        self.ops.write(lambda: desk.record_service(ctx, request_id, data), self._service_saved)

    def _service_saved(self, _result: object) -> None:
        for edit in (
            self.description_edit,
            self.contact_name_edit,
            self.contact_phone_edit,
            self.amount_edit,
        ):
            edit.clear()
        self.reached_combo.setCurrentIndex(0)
        reset_to_now(self.service_at_edit, force=True)
        self.done(SERVICE_SAVED)

    def extend(self) -> None:
        reason, reported = self.extension_reason_edit.text(), day_of(self.reported_on_edit)
        ctx, request_id = self.ctx, self.request_id
        self.ops.write(
            lambda: desk.extend_stay(ctx, request_id, reason, reported),
            lambda _r: self.done(EXTENDED),
        )

    @override
    def retranslate(self) -> None:
        super().retranslate()
        retranslate_combo(self.kind_combo)
        self.reached_combo.setItemText(1, _(REACHED))
        self.reached_combo.setItemText(2, _(NOT_REACHED))
        set_headers(self.services_table, HEADERS)
        if self._record is not None:
            self._show_stay(self._record)
            for i, room in enumerate(sorted(self._rooms, key=lambda r: r.name)):
                index = self.room_combo.findData(room.room_id)
                if index >= 0 and i >= 0:
                    self.room_combo.setItemText(index, self._room_text(room))
