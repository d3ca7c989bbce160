"""Set up our station: names, county, address, hotline, rooms, first administrator.

Controller of ``ui/station_setup.ui``, opened from the first-start dialog.
The service checks the records (:func:`services.stations.create_station`,
run off the GUI thread); its message is shown above the fields, the field at
fault (and the room) gets the focus, and the form stays filled, so nothing
typed is lost.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QWidget,
)
from typing_extensions import override

from station_app.domain import regions
from station_app.domain.enums import Sex
from station_app.domain.errors import N_, UserError, ValidationError
from station_app.domain.labels import enum_label
from station_app.i18n import _
from station_app.services.context import Database
from station_app.services.stations import RoomSpec, StationSetup, create_station

from . import dialogs, ops, uiloader
from .feedback import Level, show_level

PASSWORDS_DIFFER = N_("The two passwords differ. Type the same password twice.")
ROOM_HEADERS = (N_("Room"), N_("Tibetan name"), N_("Sex"), N_("Beds"))
ROOM_NAME, ROOM_NAME_BO, ROOM_SEX, ROOM_BEDS = range(4)
FIRST_ROOMS = (RoomSpec("男1", Sex.MALE, 6), RoomSpec("女1", Sex.FEMALE, 4))
SEXES = (Sex.MALE, Sex.FEMALE)
MAX_BEDS = 200


def county_text(region: regions.Region) -> str:
    """A county as the combo shows it: Chinese, then Tibetan when known."""
    return f"{region.name_zh}  {region.name_bo}" if region.name_bo else region.name_zh


class StationSetupDialog(QObject):
    """Controller of ``ui/station_setup.ui``; the dialog is :attr:`dialog`."""

    station_created = Signal(str)  # the first administrator's user name

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__()
        self._db = db
        self._error: UserError | None = None
        self._auto_code = ""
        dialog = uiloader.load_ui("station_setup.ui", parent, on_retranslate=self._retranslate)
        assert isinstance(dialog, QDialog)
        self.dialog = dialog
        self.setParent(dialog)  # the dialog keeps its controller alive
        if parent is not None:
            dialog.setWindowFlag(Qt.WindowType.Window)
            dialog.setWindowModality(Qt.WindowModality.WindowModal)

        def edit(name: str) -> QLineEdit:
            return uiloader.child(dialog, QLineEdit, name)

        self.name_zh_edit = edit("nameZhEdit")
        self.name_bo_edit = edit("nameBoEdit")
        self.code_edit = edit("codeEdit")
        self.address_zh_edit = edit("addressZhEdit")
        self.address_bo_edit = edit("addressBoEdit")
        self.hotline_edit = edit("hotlineEdit")
        self.username_edit = edit("usernameEdit")
        self.display_name_edit = edit("displayNameEdit")
        self.password_edit = edit("passwordEdit")
        self.repeat_password_edit = edit("repeatPasswordEdit")
        self.county_combo = uiloader.child(dialog, QComboBox, "countyCombo")
        self.rooms_table = uiloader.child(dialog, QTableWidget, "roomsTable")
        self.error_label = uiloader.child(dialog, QLabel, "errorLabel")
        self.ok_button = uiloader.child(dialog, QPushButton, "okButton")
        self.cancel_button = uiloader.child(dialog, QPushButton, "cancelButton")
        self.add_room_button = uiloader.child(dialog, QPushButton, "addRoomButton")
        self.remove_room_button = uiloader.child(dialog, QPushButton, "removeRoomButton")
        self.error_label.hide()
        self.ops = ops.Ops(self, busy=[self.ok_button, self.cancel_button])

        for county in regions.garze_counties():
            self.county_combo.addItem(county_text(county), county.code)
        self.county_combo.setCurrentIndex(-1)
        self.county_combo.currentIndexChanged.connect(self._county_chosen)
        self.username_edit.setText("admin")

        self.rooms_table.setColumnCount(len(ROOM_HEADERS))
        self.rooms_table.verticalHeader().hide()
        header = self.rooms_table.horizontalHeader()
        header.setSectionResizeMode(ROOM_NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ROOM_NAME_BO, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ROOM_SEX, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ROOM_BEDS, QHeaderView.ResizeMode.ResizeToContents)
        for room in FIRST_ROOMS:
            self.add_room(room)

        self._fields: dict[str, QWidget] = {
            "code": self.code_edit,
            "name_zh": self.name_zh_edit,
            "name_bo": self.name_bo_edit,
            "region_code": self.county_combo,
            "address_zh": self.address_zh_edit,
            "address_bo": self.address_bo_edit,
            "hotline": self.hotline_edit,
            "phone": self.hotline_edit,  # parse_phone's default field name
            "room": self.rooms_table,
            "beds": self.rooms_table,
            "room_bo": self.rooms_table,
            "username": self.username_edit,
            "display_name": self.display_name_edit,
            "password": self.password_edit,
            "repeat_password": self.repeat_password_edit,
        }
        self.add_room_button.clicked.connect(lambda: self.add_room())
        self.remove_room_button.clicked.connect(self.remove_room)
        self.ok_button.clicked.connect(self.accept)
        self.cancel_button.clicked.connect(dialog.reject)
        self._retranslate()

    # ------------------------------------------------------------ rooms

    def add_room(self, room: RoomSpec | None = None) -> int:
        """Append a row (empty, or filled from ``room``); returns its index."""
        row = self.rooms_table.rowCount()
        self.rooms_table.insertRow(row)
        name = QLineEdit(room.name if room else "")
        name_bo = QLineEdit(room.name_bo or "" if room else "")
        sex = QComboBox()
        for value in SEXES:
            sex.addItem(_(enum_label(value)), value.value)
        sex.setCurrentIndex(SEXES.index(room.sex) if room else 0)
        beds = QSpinBox()
        beds.setRange(1, MAX_BEDS)
        beds.setValue(room.beds if room else 1)
        self.rooms_table.setCellWidget(row, ROOM_NAME, name)
        self.rooms_table.setCellWidget(row, ROOM_NAME_BO, name_bo)
        self.rooms_table.setCellWidget(row, ROOM_SEX, sex)
        self.rooms_table.setCellWidget(row, ROOM_BEDS, beds)
        for widget in (name, name_bo, sex, beds):
            widget.installEventFilter(self)
        if room is None:
            name.setFocus()
        return row

    def remove_room(self) -> None:
        """Remove the current row (the last one if none is current)."""
        count = self.rooms_table.rowCount()
        if not count:
            return
        row = self.rooms_table.currentRow()
        self.rooms_table.removeRow(row if 0 <= row < count else count - 1)

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Typing in a row's field makes that row the current one (for Remove).
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QWidget):
            for row in range(self.rooms_table.rowCount()):
                for column in range(self.rooms_table.columnCount()):
                    if self.rooms_table.cellWidget(row, column) is watched:
                        self.rooms_table.setCurrentCell(row, column)
        return super().eventFilter(watched, event)

    def room_name_edit(self, row: int) -> QLineEdit:
        widget = self.rooms_table.cellWidget(row, ROOM_NAME)
        assert isinstance(widget, QLineEdit)
        return widget

    def room_name_bo_edit(self, row: int) -> QLineEdit:
        widget = self.rooms_table.cellWidget(row, ROOM_NAME_BO)
        assert isinstance(widget, QLineEdit)
        return widget

    def room_sex_combo(self, row: int) -> QComboBox:
        widget = self.rooms_table.cellWidget(row, ROOM_SEX)
        assert isinstance(widget, QComboBox)
        return widget

    def room_beds_spin(self, row: int) -> QSpinBox:
        widget = self.rooms_table.cellWidget(row, ROOM_BEDS)
        assert isinstance(widget, QSpinBox)
        return widget

    def rooms(self) -> list[RoomSpec]:
        return [
            RoomSpec(
                self.room_name_edit(row).text().strip(),
                Sex(self.room_sex_combo(row).currentData()),
                self.room_beds_spin(row).value(),
                self.room_name_bo_edit(row).text().strip() or None,
            )
            for row in range(self.rooms_table.rowCount())
        ]

    # ------------------------------------------------------------ form

    def _county_chosen(self, index: int) -> None:
        code = self.county_combo.itemData(index)
        if not isinstance(code, str):
            return
        # The station code follows the county until someone types their own.
        if self.code_edit.text().strip() in ("", self._auto_code):
            self.code_edit.setText(code)
        self._auto_code = code

    def _retranslate(self) -> None:
        if not shiboken6.isValid(self.rooms_table):
            return  # the form is being deleted
        self.rooms_table.setHorizontalHeaderLabels([_(label) for label in ROOM_HEADERS])
        for row in range(self.rooms_table.rowCount()):
            combo = self.room_sex_combo(row)
            for i, value in enumerate(SEXES):
                combo.setItemText(i, _(enum_label(value)))
        if self._error is not None:
            self.error_label.setText(self._error.render(_))

    def setup(self) -> StationSetup:
        """What the form holds, as the service takes it."""

        def text(edit: QLineEdit) -> str | None:
            return edit.text().strip() or None

        region = self.county_combo.currentData()
        return StationSetup(
            code=self.code_edit.text().strip(),
            name_zh=self.name_zh_edit.text().strip(),
            name_bo=text(self.name_bo_edit),
            region_code=region if isinstance(region, str) else None,
            address_zh=text(self.address_zh_edit),
            address_bo=text(self.address_bo_edit),
            hotline=text(self.hotline_edit),
            rooms=self.rooms(),
            admin_username=self.username_edit.text().strip(),
            admin_display_name=self.display_name_edit.text().strip(),
            admin_password=self.password_edit.text(),
        )

    def accept(self) -> None:
        """Create the station; on success :attr:`station_created`, else say what is wrong."""
        if self.password_edit.text() != self.repeat_password_edit.text():
            self.show_error(ValidationError(PASSWORDS_DIFFER, field="repeat_password"))
            return
        db, spec = self._db, self.setup()
        self.ops.write(
            lambda: create_station(db, spec),
            lambda _ctx: self._created(spec.admin_username),
            failed=self._refused,
        )

    def _created(self, username: str) -> None:
        self._error = None
        self.error_label.hide()
        self.dialog.accept()
        self.station_created.emit(username)

    def _refused(self, exc: BaseException) -> None:
        if isinstance(exc, UserError):
            self.show_error(exc)
        else:
            self._error = None
            show_level(self.error_label, dialogs.apology(), Level.ERROR)

    def show_error(self, exc: UserError) -> None:
        """The message above the fields; the field at fault (and the room) gets the focus."""
        self._error = exc
        show_level(self.error_label, exc.render(_), Level.ERROR)
        widget = self._fields.get(exc.field or "")
        row = exc.row
        if widget is self.rooms_table and row is not None and row < self.rooms_table.rowCount():
            column = {"beds": ROOM_BEDS, "room_bo": ROOM_NAME_BO}.get(exc.field or "", ROOM_NAME)
            self.rooms_table.setCurrentCell(row, column)
            widget = self.rooms_table.cellWidget(row, column)
        if widget is not None:
            widget.setFocus()
