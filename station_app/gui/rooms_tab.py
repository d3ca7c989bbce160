"""File → Settings… → Rooms: the station's rooms, for managers and administrators.

The table lists every room (in use or not) with its beds taken now; the
fields below edit the chosen room, or a new one after "New room". The
services refuse what cannot be (a room someone sleeps in taken out of use,
fewer beds than are taken) and say why; the field at fault is marked.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QWidget,
)

from station_app.domain.enums import Sex
from station_app.domain.errors import N_
from station_app.domain.labels import enum_label
from station_app.i18n import _
from station_app.services import rooms
from station_app.services.context import Context
from station_app.services.rooms import RoomInput, RoomView

from . import uiloader, watching
from .feedback import Level, MessageArea
from .ops import Ops
from .widgets.tables import fill_table, set_headers, setup_table

HEADERS = (
    N_("Room"),
    N_("Tibetan name"),
    N_("Sex"),
    N_("Beds"),
    N_("In use"),
    N_("Occupied"),
)
SEXES = (Sex.MALE, Sex.FEMALE)
YES = N_("Yes")
NO = N_("No")
TAKE_OUT = N_("Take out of use")
PUT_BACK = N_("Put back in use")
ROOM_ADDED = N_("Room {room} was added.")
ROOM_SAVED = N_("Room {room} was saved.")
OUT_OF_USE = N_("Room {room} is out of use: it offers no beds.")
BACK_IN_USE = N_("Room {room} is in use again.")


class RoomsTab(QObject):
    """Controller of the Rooms tab of ``ui/settings_dialog.ui``."""

    loaded = Signal(object)  # list[RoomView], once in the table
    saved = Signal(object)  # the RoomView stored
    failed = Signal(str)  # a refusal shown in the tab

    def __init__(self, ctx: Context, dialog: QWidget) -> None:
        super().__init__(dialog)
        self._ctx = ctx
        self.rooms: list[RoomView] = []
        self.selected: int | None = None  # the room in the fields; None: a new one
        self.table = uiloader.child(dialog, QTableWidget, "roomsTable")
        self.name_edit = uiloader.child(dialog, QLineEdit, "roomNameEdit")
        self.name_bo_edit = uiloader.child(dialog, QLineEdit, "roomNameBoEdit")
        self.sex_combo = uiloader.child(dialog, QComboBox, "roomSexCombo")
        self.beds_spin = uiloader.child(dialog, QSpinBox, "roomBedsSpin")
        self.new_button = uiloader.child(dialog, QPushButton, "newRoomButton")
        self.save_button = uiloader.child(dialog, QPushButton, "saveRoomButton")
        self.in_use_button = uiloader.child(dialog, QPushButton, "roomInUseButton")
        message = uiloader.child(dialog, QLabel, "roomsMessageLabel")
        setup_table(self.table)
        set_headers(self.table, HEADERS)
        for sex in SEXES:
            self.sex_combo.addItem(_(enum_label(sex)), sex.value)
        fields: dict[str, QWidget] = {
            "room": self.name_edit,
            "room_bo": self.name_bo_edit,
            "sex": self.sex_combo,
            "beds": self.beds_spin,
        }
        self.feedback = MessageArea(message, fields=fields, on_refusal=self.failed.emit)
        self.ops = Ops(
            self,
            busy=[self.new_button, self.save_button, self.in_use_button],
            feedback=self.feedback,
        )
        self.table.itemSelectionChanged.connect(self._chosen)
        self.new_button.clicked.connect(self.new_room)
        self.save_button.clicked.connect(self.save)
        self.in_use_button.clicked.connect(self.toggle_in_use)
        # a bed given or freed at a desk changes the occupied count shown here;
        # read when the tab is first shown, and while it is on view
        page = uiloader.child(dialog, QWidget, "roomsTab")
        watching.watch(self, ctx.db, lambda _changes: self.reload(), ("room", "stay"), page=page)
        self._read = False
        self.new_room()

    def shown(self) -> None:
        """The tab came on view: its first read."""
        if not self._read:
            self._read = True
            self.reload()

    # ------------------------------------------------------------ reading

    def reload(self) -> None:
        ctx = self._ctx
        self.ops.query(lambda: rooms.list_rooms(ctx), self._loaded, latest="rooms")

    def _row(self, room: RoomView) -> tuple[str, ...]:
        return (
            room.name,
            room.name_bo or "",
            _(enum_label(room.sex)),
            str(room.beds),
            _(YES) if room.active else _(NO),
            str(room.occupied),
        )

    def _loaded(self, found: list[RoomView]) -> None:
        self.rooms = found
        self.table.blockSignals(True)
        try:
            fill_table(self.table, [self._row(r) for r in found])
            row = next((i for i, r in enumerate(found) if r.id == self.selected), None)
            if row is None:
                self.table.clearSelection()
            else:
                self.table.selectRow(row)
        finally:
            self.table.blockSignals(False)
        self._update_in_use_button()
        self.loaded.emit(found)

    def current(self) -> RoomView | None:
        return next((r for r in self.rooms if r.id == self.selected), None)

    def _chosen(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.rooms) or not self.table.selectedItems():
            return
        room = self.rooms[row]
        self.selected = room.id
        self.name_edit.setText(room.name)
        self.name_bo_edit.setText(room.name_bo or "")
        self.sex_combo.setCurrentIndex(SEXES.index(room.sex))
        self.beds_spin.setValue(room.beds)
        self.feedback.clear()
        self._update_in_use_button()

    def _update_in_use_button(self) -> None:
        room = self.current()
        self.in_use_button.setEnabled(room is not None)
        self.in_use_button.setText(
            _(PUT_BACK) if room is not None and not room.active else _(TAKE_OUT)
        )

    # ------------------------------------------------------------ writing

    def new_room(self) -> None:
        """Empty fields for a room to add."""
        self.selected = None
        self.table.clearSelection()
        self.name_edit.clear()
        self.name_bo_edit.clear()
        self.sex_combo.setCurrentIndex(0)
        self.beds_spin.setValue(1)
        self.feedback.clear()
        self._update_in_use_button()
        self.name_edit.setFocus()

    def room_input(self) -> RoomInput:
        """What the fields hold, as the service takes it."""
        return RoomInput(
            name=self.name_edit.text().strip(),
            sex=Sex(self.sex_combo.currentData()),
            beds=self.beds_spin.value(),
            name_bo=self.name_bo_edit.text().strip() or None,
        )

    def save(self) -> None:
        """Add the new room, or store the chosen room's fields."""
        ctx, data, room_id = self._ctx, self.room_input(), self.selected
        if room_id is None:
            self.ops.write(lambda: rooms.add_room(ctx, data), lambda v: self._saved(v, ROOM_ADDED))
        else:
            self.ops.write(
                lambda: rooms.update_room(ctx, room_id, data), lambda v: self._saved(v, ROOM_SAVED)
            )

    def toggle_in_use(self) -> None:
        """Take the chosen room out of use, or put it back in use."""
        room = self.current()
        if room is None:
            return
        ctx, in_use = self._ctx, not room.active
        said = BACK_IN_USE if in_use else OUT_OF_USE
        self.ops.write(
            lambda: rooms.set_room_in_use(ctx, room.id, in_use), lambda v: self._saved(v, said)
        )

    def _saved(self, view: RoomView, msgid: str) -> None:
        self.selected = view.id
        self.feedback.tell(msgid, Level.INFORMATION, room=view.name)
        self.saved.emit(view)
        self.reload()

    def retranslate(self) -> None:
        set_headers(self.table, HEADERS)
        for index, sex in enumerate(SEXES):
            self.sex_combo.setItemText(index, _(enum_label(sex)))
        if self.rooms:
            fill_table(self.table, [self._row(r) for r in self.rooms])
        self._update_in_use_button()
