"""The person form: every identity field with its data-quality code, other
names and relatives; create a person or edit one.

A field with a value is ``known``; beside an empty identity field staff choose
``unknown`` or ``refused to say`` (:attr:`PersonInput.refused`). Saving runs
off the GUI thread. A new person is first checked for possible duplicates:
strong candidates are shown in the form and staff decide — save as a new
person, or open the existing record instead. Nothing is merged automatically.
A refused save (a :class:`UserError`) is shown in the form, the field at fault
is focused and highlighted, and everything typed stays.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from station_app.domain.enums import DataQuality, IdDocumentType, NameKind, Sex
from station_app.domain.errors import N_, UserError, ValidationError
from station_app.domain.ethnicity import ETHNIC_GROUPS
from station_app.domain.labels import enum_label, field_label
from station_app.i18n import _
from station_app.services import duplicates, persons
from station_app.services.context import Context
from station_app.services.duplicates import DuplicateCandidate
from station_app.services.persons import PersonInput, PersonView, RelativeInput, SavedPerson

from . import dialogs, fonts, uiloader
from .tasks import BackgroundTask, Progress

TITLE_NEW = N_("New person")
TITLE_EDIT = N_("Person: {name}")
SAVED_WITH_WARNINGS = N_("Saved. Please check: {warnings}")
BAD_DATE = N_("Write the date as year-month-day, e.g. 1985-03-21.")
BAD_AGE = N_("Write the age as a whole number of years.")
NAME_HEADERS = (N_("Kind"), N_("Name"))
RELATIVE_HEADERS = (N_("Name"), N_("Relation"), N_("Address"), N_("Phone"))
DUPLICATE_HEADERS = (N_("Name"), N_("Birth year"), N_("ID (last 4)"), N_("Reasons"))
INVALID_STYLE = "border: 2px solid #c0392b;"

# quality key -> (quality combo, the widgets whose value makes it known)
_QUALITY_WIDGETS: dict[str, tuple[str, tuple[str, ...]]] = {
    "name": ("nameQuality", ("nameZhEdit", "nameBoEdit")),
    "sex": ("sexQuality", ("sexCombo",)),
    "birth": ("birthQuality", ("birthDateEdit", "ageEdit")),
    "ethnicity": ("ethnicityQuality", ("ethnicityCombo",)),
    "id_number": ("idQuality", ("idNumberEdit",)),
    "hukou": ("hukouQuality", ("hukouEdit",)),
    "residence": ("residenceQuality", ("residenceEdit",)),
    "phone": ("phoneQuality", ("phoneEdit",)),
}
_QUALITY_ITEMS = (DataQuality.KNOWN, DataQuality.UNKNOWN, DataQuality.REFUSED)

# error field (UserError.field) -> the widget to point at
FIELD_WIDGETS: dict[str, str] = {
    "name_zh": "nameZhEdit",
    "name_bo": "nameBoEdit",
    "code_name": "codeNameEdit",
    "description": "descriptionEdit",
    "sex": "sexCombo",
    "birth_date": "birthDateEdit",
    "estimated_age": "ageEdit",
    "age_estimated_on": "ageEdit",
    "ethnicity": "ethnicityCombo",
    "id_number": "idNumberEdit",
    "hukou_code": "hukouEdit",
    "hukou_text": "hukouEdit",
    "residence": "residenceEdit",
    "phone": "phoneEdit",
    "languages": "langBo",
    "notes": "notesEdit",
    "other_names": "namesTable",
    "relative_name": "relativesTable",
    "relative_relation": "relativesTable",
    "relative_address": "relativesTable",
    "relative_phone": "relativesTable",
    "relative_notes": "relativesTable",
}
LANGUAGE_BOXES = {
    "bo": "langBo",
    "zh": "langZh",
    "en": "langEn",
    "ii": "langIi",
    "other": "langOther",
}


def _text(value: str | None) -> str:
    return value or ""


def _or_none(text: str) -> str | None:
    return text.strip() or None


_E = TypeVar("_E", bound=Enum)


def _chosen(combo: QComboBox, kind: type[_E], index: int | None = None) -> _E | None:
    """The code-list value of a combo's item (Qt hands a StrEnum back as a str)."""
    value = combo.currentData() if index is None else combo.itemData(index)
    if value is None or value == "":
        return None
    return kind(value)


class PersonForm(QObject):
    """Controller of ``ui/person_form.ui``; the dialog is :attr:`dialog`."""

    saved = Signal(object)  # SavedPerson, after the database has it
    duplicates_shown = Signal(object)  # list[DuplicateCandidate]
    failed = Signal(str)  # the message shown in the form
    open_person = Signal(int)  # staff chose an existing record instead

    def __init__(
        self, ctx: Context, person_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__()
        self._ctx = ctx
        self.person_id = person_id
        dialog = uiloader.load_ui("person_form.ui", parent, on_retranslate=self._retranslate)
        assert isinstance(dialog, QDialog)
        self.dialog = dialog
        self.setParent(dialog)  # the dialog keeps its controller alive
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.saving: BackgroundTask | None = None
        self.candidates: list[DuplicateCandidate] = []
        self._pending: PersonInput | None = None
        self._invalid: list[QWidget] = []

        def line(name: str) -> QLineEdit:
            return uiloader.child(dialog, QLineEdit, name)

        self.name_zh_edit = line("nameZhEdit")
        self.name_bo_edit = line("nameBoEdit")
        self.code_name_edit = line("codeNameEdit")
        self.description_edit = line("descriptionEdit")
        self.birth_date_edit = line("birthDateEdit")
        self.age_edit = line("ageEdit")
        self.id_number_edit = line("idNumberEdit")
        self.hukou_edit = line("hukouEdit")
        self.residence_edit = line("residenceEdit")
        self.phone_edit = line("phoneEdit")
        self.notes_edit = uiloader.child(dialog, QPlainTextEdit, "notesEdit")
        self.sex_combo = uiloader.child(dialog, QComboBox, "sexCombo")
        self.ethnicity_combo = uiloader.child(dialog, QComboBox, "ethnicityCombo")
        self.id_type_combo = uiloader.child(dialog, QComboBox, "idTypeCombo")
        self.quality_combos = {
            key: uiloader.child(dialog, QComboBox, combo)
            for key, (combo, _w) in _QUALITY_WIDGETS.items()
        }
        self.language_boxes = {
            code: uiloader.child(dialog, QCheckBox, name) for code, name in LANGUAGE_BOXES.items()
        }
        self.names_table = uiloader.child(dialog, QTableWidget, "namesTable")
        self.relatives_table = uiloader.child(dialog, QTableWidget, "relativesTable")
        self.message_label = uiloader.child(dialog, QLabel, "messageLabel")
        self.duplicates_box = uiloader.child(dialog, QGroupBox, "duplicatesBox")
        self.duplicates_table = uiloader.child(dialog, QTableWidget, "duplicatesTable")
        self.save_anyway_button = uiloader.child(dialog, QPushButton, "saveAnywayButton")
        self.open_existing_button = uiloader.child(dialog, QPushButton, "openExistingButton")
        self.save_button = uiloader.child(dialog, QPushButton, "saveButton")
        self.close_button = uiloader.child(dialog, QPushButton, "closeButton")

        self.name_bo_edit.setFont(fonts.tibetan_font())
        self._fill_combos()
        self._setup_tables()
        for key, (_combo, widgets) in _QUALITY_WIDGETS.items():
            for name in widgets:
                widget = dialog.findChild(QWidget, name)
                if isinstance(widget, QLineEdit):
                    widget.textChanged.connect(lambda _t, k=key: self._update_quality(k))
                elif isinstance(widget, QComboBox):
                    widget.currentIndexChanged.connect(lambda _i, k=key: self._update_quality(k))
        self.message_label.hide()
        self.duplicates_box.hide()
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.close)
        self.save_anyway_button.clicked.connect(self.save_as_new)
        self.open_existing_button.clicked.connect(self._open_existing)
        uiloader.child(dialog, QPushButton, "addNamesButton").clicked.connect(self.add_name)
        uiloader.child(dialog, QPushButton, "removeNamesButton").clicked.connect(
            lambda: self._remove_row(self.names_table)
        )
        uiloader.child(dialog, QPushButton, "addRelativesButton").clicked.connect(self.add_relative)
        uiloader.child(dialog, QPushButton, "removeRelativesButton").clicked.connect(
            lambda: self._remove_row(self.relatives_table)
        )
        if person_id is not None:
            self.load(persons.get_person(ctx, person_id))
        for key in _QUALITY_WIDGETS:
            self._update_quality(key)
        self._retranslate()

    # ------------------------------------------------------------ building

    def _fill_combos(self) -> None:
        self.sex_combo.addItem("", None)
        for sex in Sex:
            self.sex_combo.addItem(_(enum_label(sex)), sex)
        self.ethnicity_combo.addItem("", None)
        for group in ETHNIC_GROUPS:
            text = f"{group.name_zh} {group.name_bo}" if group.name_bo else group.name_zh
            self.ethnicity_combo.addItem(text, group.code)
        self.id_type_combo.addItem("", None)
        for kind in IdDocumentType:
            self.id_type_combo.addItem(_(enum_label(kind)), kind)
        for combo in self.quality_combos.values():
            for quality in _QUALITY_ITEMS:
                combo.addItem(_(enum_label(quality)), quality)

    def _setup_tables(self) -> None:
        for table, headers in (
            (self.names_table, NAME_HEADERS),
            (self.relatives_table, RELATIVE_HEADERS),
            (self.duplicates_table, DUPLICATE_HEADERS),
        ):
            table.setColumnCount(len(headers))
            table.horizontalHeader().setStretchLastSection(True)
            table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.duplicates_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)

    def _retranslate(self) -> None:
        for table, headers in (
            (self.names_table, NAME_HEADERS),
            (self.relatives_table, RELATIVE_HEADERS),
            (self.duplicates_table, DUPLICATE_HEADERS),
        ):
            table.setHorizontalHeaderLabels([_(h) for h in headers])
        combos: list[tuple[QComboBox, type[Enum]]] = [
            (self.sex_combo, Sex),
            (self.id_type_combo, IdDocumentType),
        ]
        combos += [(combo, DataQuality) for combo in self.quality_combos.values()]
        combos += [(self._kind_combo(row), NameKind) for row in range(self.names_table.rowCount())]
        for combo, kind in combos:
            for i in range(combo.count()):
                value = _chosen(combo, kind, i)
                if value is not None:
                    combo.setItemText(i, _(enum_label(value)))
        if self.person_id is None:
            self.dialog.setWindowTitle(_(TITLE_NEW))
        else:
            name = self.name_zh_edit.text() or self.name_bo_edit.text()
            name = name or self.code_name_edit.text() or f"#{self.person_id}"
            self.dialog.setWindowTitle(_(TITLE_EDIT).format(name=name))
        if self.candidates:
            self._show_candidates(self.candidates)

    # ------------------------------------------------------------ lists

    def _kind_combo(self, row: int) -> QComboBox:
        combo = self.names_table.cellWidget(row, 0)
        assert isinstance(combo, QComboBox)
        return combo

    def add_name(self, kind: NameKind = NameKind.ALIAS, text: str = "") -> int:
        row = self.names_table.rowCount()
        self.names_table.insertRow(row)
        combo = QComboBox(self.names_table)
        for value in NameKind:
            combo.addItem(_(enum_label(value)), value)
        combo.setCurrentIndex(combo.findData(kind))
        self.names_table.setCellWidget(row, 0, combo)
        self.names_table.setItem(row, 1, QTableWidgetItem(text))
        return row

    def add_relative(self, relative: RelativeInput | None = None) -> int:
        r = relative or RelativeInput("")
        row = self.relatives_table.rowCount()
        self.relatives_table.insertRow(row)
        for column, value in enumerate((r.name, r.relation, r.address, r.phone)):
            self.relatives_table.setItem(row, column, QTableWidgetItem(_text(value)))
        return row

    def _remove_row(self, table: QTableWidget) -> None:
        row = table.currentRow()
        if row < 0:
            row = table.rowCount() - 1
        if row >= 0:
            table.removeRow(row)

    def _cell(self, table: QTableWidget, row: int, column: int) -> str:
        item = table.item(row, column)
        return item.text().strip() if item is not None else ""

    # ------------------------------------------------------------ quality

    def _has_value(self, key: str) -> bool:
        for name in _QUALITY_WIDGETS[key][1]:
            widget = self.dialog.findChild(QWidget, name)
            if isinstance(widget, QLineEdit) and widget.text().strip():
                return True
            if isinstance(widget, QComboBox) and widget.currentData() not in (None, ""):
                return True
        return False

    def _update_quality(self, key: str) -> None:
        combo = self.quality_combos[key]
        model_item = combo.model()
        known_row = combo.findData(DataQuality.KNOWN)
        if self._has_value(key):
            combo.setCurrentIndex(known_row)
            combo.setEnabled(False)
        else:
            if _chosen(combo, DataQuality) is DataQuality.KNOWN:
                combo.setCurrentIndex(combo.findData(DataQuality.UNKNOWN))
            combo.setEnabled(True)
        # "known" is implied by a value, never chosen
        row_flags = model_item.index(known_row, 0)
        model_item.setData(row_flags, 0, Qt.ItemDataRole.UserRole - 1)

    def quality(self, key: str) -> DataQuality:
        return _chosen(self.quality_combos[key], DataQuality) or DataQuality.UNKNOWN

    def set_quality(self, key: str, quality: DataQuality) -> None:
        combo = self.quality_combos[key]
        if combo.isEnabled() and quality is not DataQuality.KNOWN:
            combo.setCurrentIndex(combo.findData(quality))

    # ------------------------------------------------------------ values

    def load(self, person: PersonView) -> None:
        """Show a saved person (replacing what the form holds)."""
        self.person_id = person.id
        self.name_zh_edit.setText(_text(person.name_zh))
        self.name_bo_edit.setText(_text(person.name_bo))
        self.code_name_edit.setText(_text(person.code_name))
        self.description_edit.setText(_text(person.description))
        self.sex_combo.setCurrentIndex(max(0, self.sex_combo.findData(person.sex)))
        self.birth_date_edit.setText(person.birth_date.isoformat() if person.birth_date else "")
        age = person.estimated_age
        self.age_edit.setText("" if age is None else str(age))
        self.ethnicity_combo.setCurrentIndex(
            max(0, self.ethnicity_combo.findData(person.ethnicity))
        )
        self.id_type_combo.setCurrentIndex(max(0, self.id_type_combo.findData(person.id_doc_type)))
        self.id_number_edit.setText(_text(person.id_number))
        self.hukou_edit.setText(_text(person.hukou_text))
        self.residence_edit.setText(_text(person.residence))
        self.phone_edit.setText(_text(person.phone))
        for code, box in self.language_boxes.items():
            box.setChecked(code in person.languages)
        self.notes_edit.setPlainText(_text(person.notes))
        self.names_table.setRowCount(0)
        for kind, text in person.other_names:
            self.add_name(kind, text)
        self.relatives_table.setRowCount(0)
        for relative in person.relatives:
            self.add_relative(relative)
        for key in _QUALITY_WIDGETS:
            self._update_quality(key)
            self.set_quality(key, person.quality.get(key, DataQuality.UNKNOWN))
        self.candidates = []
        self.duplicates_box.hide()
        self._retranslate()

    def person_input(self) -> PersonInput:
        """What the form holds; raises ValidationError for a date or age it cannot read."""
        birth: date | None = None
        birth_text = self.birth_date_edit.text().strip()
        if birth_text:
            try:
                birth = date.fromisoformat(birth_text)
            except ValueError:
                raise ValidationError(BAD_DATE, field="birth_date") from None
        age: int | None = None
        age_text = self.age_edit.text().strip()
        if age_text:
            if not (age_text.isascii() and age_text.isdigit()):
                raise ValidationError(BAD_AGE, field="estimated_age")
            age = int(age_text)
        hukou = _or_none(self.hukou_edit.text())
        other_names: list[tuple[NameKind, str]] = []
        for row in range(self.names_table.rowCount()):
            text = self._cell(self.names_table, row, 1)
            kind = _chosen(self._kind_combo(row), NameKind)
            if text and kind is not None:
                other_names.append((kind, text))
        relatives = [
            RelativeInput(
                name=self._cell(self.relatives_table, row, 0),
                relation=self._cell(self.relatives_table, row, 1) or None,
                address=self._cell(self.relatives_table, row, 2) or None,
                phone=self._cell(self.relatives_table, row, 3) or None,
            )
            for row in range(self.relatives_table.rowCount())
            if any(self._cell(self.relatives_table, row, c) for c in range(4))
        ]
        return PersonInput(
            name_zh=_or_none(self.name_zh_edit.text()),
            name_bo=_or_none(self.name_bo_edit.text()),
            code_name=_or_none(self.code_name_edit.text()),
            description=_or_none(self.description_edit.text()),
            sex=_chosen(self.sex_combo, Sex),
            birth_date=birth,
            estimated_age=age,
            ethnicity=self.ethnicity_combo.currentData(),
            id_doc_type=_chosen(self.id_type_combo, IdDocumentType),
            id_number=_or_none(self.id_number_edit.text()),
            hukou_text=hukou,
            residence=_or_none(self.residence_edit.text()),
            phone=_or_none(self.phone_edit.text()),
            languages=[code for code, box in self.language_boxes.items() if box.isChecked()],
            notes=_or_none(self.notes_edit.toPlainText()),
            other_names=other_names,
            relatives=relatives,
            refused={
                key
                for key in _QUALITY_WIDGETS
                if not self._has_value(key) and self.quality(key) is DataQuality.REFUSED
            },
        )

    # ------------------------------------------------------------ saving

    def save(self) -> None:
        """Check and save; a new person is first checked for possible duplicates."""
        self._save(check_duplicates=self.person_id is None)

    def save_as_new(self) -> None:
        """Staff looked at the possible duplicates and say this is someone else."""
        self._save(check_duplicates=False)

    def _save(self, *, check_duplicates: bool) -> None:
        if self.saving is not None:
            return
        self._clear_message()
        try:
            data = self.person_input()
        except UserError as exc:
            self._show_error(exc)
            return
        ctx, person_id = self._ctx, self.person_id

        def work(_progress: Progress) -> SavedPerson | list[DuplicateCandidate]:
            if check_duplicates:
                found = duplicates.find_possible_duplicates(ctx, data)
                strong = [c for c in found if c.strong]
                if strong:
                    return strong
            if person_id is None:
                return persons.create_person(ctx, data)
            return persons.update_person(ctx, person_id, data)

        self._set_busy(True)
        self.saving = BackgroundTask(work, self)
        self.saving.finished.connect(self._done)
        self.saving.failed.connect(self._failed)
        self.saving.start()

    def _set_busy(self, busy: bool) -> None:
        for button in (self.save_button, self.save_anyway_button, self.open_existing_button):
            button.setEnabled(not busy)

    def _done(self, result: SavedPerson | list[DuplicateCandidate]) -> None:
        self.saving = None
        if not shiboken6.isValid(self.dialog):
            return
        self._set_busy(False)
        if isinstance(result, list):
            self._show_candidates(result)
            self.duplicates_shown.emit(result)
            return
        self.candidates = []
        self.duplicates_box.hide()
        self.person_id = result.person.id
        self._retranslate()
        if result.warnings:
            text = " ".join(w.render(_) for w in result.warnings)
            self._show_message(_(SAVED_WITH_WARNINGS).format(warnings=text), error=False)
        self.saved.emit(result)
        if not result.warnings:
            self.close()

    def _failed(self, exc: BaseException) -> None:
        self.saving = None
        if not shiboken6.isValid(self.dialog):
            return
        self._set_busy(False)
        if isinstance(exc, UserError):
            self._show_error(exc)
        else:
            self._show_message(dialogs.error_text(exc), error=True)
            self.failed.emit(self.message_label.text())

    def _show_error(self, exc: UserError) -> None:
        self._show_message(exc.render(_), error=True)
        widget = self.dialog.findChild(QWidget, FIELD_WIDGETS.get(exc.field or "", ""))
        if widget is not None:
            if widget is self.relatives_table or widget is self.names_table:
                uiloader.child(self.dialog, QWidget, "tabs").setProperty("currentIndex", 1)
            else:
                uiloader.child(self.dialog, QWidget, "tabs").setProperty("currentIndex", 0)
            widget.setProperty("invalid", True)
            widget.setStyleSheet(INVALID_STYLE)
            widget.setToolTip(_(field_label(exc.field or "")))
            self._invalid.append(widget)
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
        self.failed.emit(self.message_label.text())

    def _show_message(self, text: str, *, error: bool) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet("color: #c0392b;" if error else "color: #8a6d00;")
        self.message_label.show()

    def _clear_message(self) -> None:
        self.message_label.clear()
        self.message_label.hide()
        for widget in self._invalid:
            if shiboken6.isValid(widget):
                widget.setProperty("invalid", False)
                widget.setStyleSheet("")
                widget.setToolTip("")
        self._invalid = []

    # ------------------------------------------------------------ duplicates

    def _show_candidates(self, candidates: list[DuplicateCandidate]) -> None:
        self.candidates = candidates
        table = self.duplicates_table
        table.setRowCount(len(candidates))
        for row, c in enumerate(candidates):
            reasons = "; ".join(_(r.message) for r in c.reasons)
            values = (
                c.display_name,
                "" if c.birth_year is None else str(c.birth_year),
                (c.id_number_masked or "")[-4:],
                reasons,
            )
            for column, value in enumerate(values):
                table.setItem(row, column, QTableWidgetItem(value))
        table.resizeColumnsToContents()
        if candidates and table.currentRow() < 0:
            table.selectRow(0)
        self.duplicates_box.show()

    def _open_existing(self) -> None:
        row = self.duplicates_table.currentRow()
        if not self.candidates:
            return
        chosen = self.candidates[max(0, row)]
        self._clear_message()
        self.load(persons.get_person(self._ctx, chosen.person_id))
        self.open_person.emit(chosen.person_id)

    # ------------------------------------------------------------ closing

    def show(self) -> None:
        self.dialog.show()
        self.dialog.activateWindow()

    def close(self) -> None:
        if shiboken6.isValid(self.dialog):
            uiloader.discard(self.dialog)
