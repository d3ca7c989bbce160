"""The person form: every identity field with its data-quality code, other
names and relatives; create a person or edit one.

A field with a value is ``known``; beside an empty identity field staff choose
``unknown`` or ``refused to say`` (:attr:`PersonInput.refused`). Saving runs
off the GUI thread. A new person is first checked for possible duplicates:
strong candidates are shown in the form and staff decide — save as a new
person, or open the existing record instead. Nothing is merged automatically.
A refused save (a :class:`UserError`) is shown in the form, the field at fault
is focused and highlighted, and everything typed stays.

A saved person's form also shows the photo (kept in the database), the
history (visits, patrol encounters, items received — also under records linked
as the same person), and the "Same person?" tab where staff link records as
one person or decide they differ, and undo such decisions.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import TypeVar

import shiboken6
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QSize, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QWidget,
)

from station_app.domain import regions
from station_app.domain.clock import china_date
from station_app.domain.enums import DataQuality, IdDocumentType, NameKind, Sex
from station_app.domain.errors import N_, UserError, ValidationError
from station_app.domain.ethnicity import ETHNIC_GROUPS
from station_app.domain.labels import enum_label
from station_app.i18n import _, current_language, tibetan_digits, translator
from station_app.services import duplicates, history, persons, photos
from station_app.services.context import Context
from station_app.services.duplicates import DuplicateCandidate, LinkView
from station_app.services.history import EntryKind, HistoryEntry
from station_app.services.persons import PersonInput, PersonView, RelativeInput, SavedPerson

from . import dialogs, fonts, uiloader
from .feedback import MessageArea
from .models.regions import code_of_choice, region_completer
from .tasks import BackgroundTask, Progress

TITLE_NEW = N_("New person")
TITLE_EDIT = N_("Person: {name}")
SAVED_WITH_WARNINGS = N_("Saved. Please check: {warnings}")
BAD_DATE = N_("Write the date as year-month-day, e.g. 1985-03-21.")
BAD_AGE = N_("Write the age as a whole number of years.")
NAME_HEADERS = (N_("Kind"), N_("Name"))
RELATIVE_HEADERS = (N_("Name"), N_("Relation"), N_("Address"), N_("Phone"))
DUPLICATE_HEADERS = (N_("Name"), N_("Birth year"), N_("ID (last 4)"), N_("Reasons"))
HISTORY_HEADERS = (N_("Date"), N_("What"), N_("Details"), N_("Record"))
CANDIDATE_HEADERS = (
    N_("Name"),
    N_("Birth year"),
    N_("ID (last 4)"),
    N_("Household registration place"),
    N_("Reasons"),
    N_("Decision"),
)
DECISION_HEADERS = (N_("Date"), N_("Other record"), N_("Decision"), N_("By"), N_("Reason"))
KIND_TEXT = {
    EntryKind.VISIT: N_("Visit to the station"),
    EntryKind.ENCOUNTER: N_("Met on patrol"),
    EntryKind.ITEM: N_("Item received"),
}
SAME_PERSON = N_("Same person")
DIFFERENT_PERSON = N_("Different person")
UNDONE = N_("{decision} (undone {date})")
THIS_RECORD = N_("This record")
OTHER_RECORD = N_("Record {id}: {name}")
STILL_IN_STATION = N_("still in the station")
DEPARTED = N_("left {date}: {outcome}")
ON_PATROL = N_("on a patrol")
QUANTITY = N_("{quantity} {unit}")
NO_PHOTO = N_("No photo")
PHOTO_FILES = N_("Pictures (*.jpg *.jpeg *.png *.bmp)")
CHOOSE_PHOTO = N_("Choose a photo")
NOT_A_PICTURE = N_("This file is not a photo the program can read. Choose a JPEG or PNG picture.")
CONFLICT_TEXT = N_(
    "Linking these records would also join records that staff decided are different "
    "persons:\n{decisions}\nLook at them first. To link all the same, click "
    "\u201cLink anyway\u201d; the earlier decisions stay on record."
)
CONFLICT_LINE = N_("{date}: {a} and {b} are different persons. {reason}")
LINK_ANYWAY = N_("Link anyway")
REASON_PROMPT = N_("Why (optional):")
SAVE_AS_NEW = N_("Save as a new person")
LINK_SAME = N_("Link as the same person")
SAVE_ANYWAY = N_("Save anyway")
PHOTO_SIZE = QSize(600, 800)  # stored size; about 100 KB as JPEG

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
        self.feedback = MessageArea(self.message_label)
        self.duplicates_box = uiloader.child(dialog, QGroupBox, "duplicatesBox")
        self.duplicates_table = uiloader.child(dialog, QTableWidget, "duplicatesTable")
        self.save_anyway_button = uiloader.child(dialog, QPushButton, "saveAnywayButton")
        self.open_existing_button = uiloader.child(dialog, QPushButton, "openExistingButton")
        self.save_button = uiloader.child(dialog, QPushButton, "saveButton")
        self.close_button = uiloader.child(dialog, QPushButton, "closeButton")
        self.tabs = uiloader.child(dialog, QTabWidget, "tabs")
        self.history_tab = uiloader.child(dialog, QWidget, "historyTab")
        self.same_person_tab = uiloader.child(dialog, QWidget, "samePersonTab")
        self.photo_label = uiloader.child(dialog, QLabel, "photoLabel")
        self.choose_photo_button = uiloader.child(dialog, QPushButton, "choosePhotoButton")
        self.remove_photo_button = uiloader.child(dialog, QPushButton, "removePhotoButton")
        self.history_table = uiloader.child(dialog, QTableWidget, "historyTable")
        self.candidates_table = uiloader.child(dialog, QTableWidget, "candidatesTable")
        self.decisions_table = uiloader.child(dialog, QTableWidget, "decisionsTable")
        self.link_same_button = uiloader.child(dialog, QPushButton, "linkSameButton")
        self.link_different_button = uiloader.child(dialog, QPushButton, "linkDifferentButton")
        self.undo_decision_button = uiloader.child(dialog, QPushButton, "undoDecisionButton")
        self.photo: bytes | None = None  # what the form shows
        self._photo_pending = False  # chosen for a person not saved yet
        self.history_entries: list[HistoryEntry] = []
        self.record_candidates: list[DuplicateCandidate] = []
        self.decisions: list[LinkView] = []
        self._names: dict[int, str] = {}
        self._confirming: int | None = None  # candidate whose link awaits a second click

        self.name_bo_edit.setFont(fonts.tibetan_font())
        self.hukou_code: str | None = None  # chosen from the region list
        completer = region_completer(self.hukou_edit)
        self.hukou_edit.setCompleter(completer)
        completer.activated.connect(self._hukou_typed)
        self.hukou_edit.textChanged.connect(self._hukou_typed)
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
        self.choose_photo_button.clicked.connect(self.choose_photo)
        self.remove_photo_button.clicked.connect(self.remove_photo)
        self.link_same_button.clicked.connect(lambda: self.decide(same_person=True))
        self.link_different_button.clicked.connect(lambda: self.decide(same_person=False))
        self.undo_decision_button.clicked.connect(self.undo_decision)
        self.candidates_table.itemSelectionChanged.connect(self._update_buttons)
        self.decisions_table.itemSelectionChanged.connect(self._update_buttons)
        self._show_photo()
        if person_id is not None:
            self.load(persons.get_person(ctx, person_id))
        else:
            self.refresh_record()
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

    def _headers(self) -> list[tuple[QTableWidget, tuple[str, ...]]]:
        return [
            (self.names_table, NAME_HEADERS),
            (self.relatives_table, RELATIVE_HEADERS),
            (self.duplicates_table, DUPLICATE_HEADERS),
            (self.history_table, HISTORY_HEADERS),
            (self.candidates_table, CANDIDATE_HEADERS),
            (self.decisions_table, DECISION_HEADERS),
        ]

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
        for table, more in self._headers()[3:]:
            table.setColumnCount(len(more))
            table.horizontalHeader().setStretchLastSection(True)
            table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            table.verticalHeader().hide()
        self.duplicates_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)

    def _retranslate(self) -> None:
        for table, headers in self._headers():
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
        if self.photo is None:
            self.photo_label.setText(_(NO_PHOTO))
        self._fill_history()
        self._fill_same_person()

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

    def _hukou_typed(self, text: str) -> None:
        """A place chosen from the list sets its region code; the code stays while
        the text still names that region (e.g. a township added after it)."""
        chosen = code_of_choice(text)
        if chosen is not None:
            self.hukou_code = chosen
            place = regions.region_name(chosen) or ""
            self.hukou_edit.blockSignals(True)
            self.hukou_edit.setText(place)
            self.hukou_edit.blockSignals(False)
            self._update_quality("hukou")
            return
        if self.hukou_code is not None:
            region = regions.region(self.hukou_code)
            if region is None or region.name_zh not in text:
                self.hukou_code = None

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
        self.hukou_code = person.hukou_code
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
        self.refresh_record()

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
            hukou_code=self.hukou_code,
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
        """Check and save; first check for possible duplicates not yet decided about."""
        self._save(check_duplicates=True)

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
        photo = self.photo if self._photo_pending else None

        def work(_progress: Progress) -> SavedPerson | list[DuplicateCandidate]:
            if check_duplicates:
                found = duplicates.find_possible_duplicates(ctx, data, self_id=person_id)
                strong = [c for c in found if c.strong and not c.linked]
                if strong:
                    return strong
            if person_id is None:
                saved = persons.create_person(ctx, data)
                if photo is not None:
                    photos.set_photo(ctx, saved.person.id, photo)
                return saved
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
        self._photo_pending = False
        self.refresh_record()
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
            self.feedback.point_at(widget, exc.field)
        self.failed.emit(self.message_label.text())

    def _show_message(self, text: str, *, error: bool) -> None:
        self.feedback.show(text, error=error, warning=not error)

    def _clear_message(self) -> None:
        self.feedback.clear()

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
        # Editing a saved record: decide in the "Same person?" tab, or save anyway.
        self.open_existing_button.setVisible(self.person_id is None)
        self.save_anyway_button.setText(
            _(SAVE_AS_NEW) if self.person_id is None else _(SAVE_ANYWAY)
        )
        self.duplicates_box.show()

    def _open_existing(self) -> None:
        row = self.duplicates_table.currentRow()
        if not self.candidates:
            return
        chosen = self.candidates[max(0, row)]
        self._clear_message()
        self.load(persons.get_person(self._ctx, chosen.person_id))
        self.open_person.emit(chosen.person_id)

    # ------------------------------------------------------------ the saved record

    def refresh_record(self) -> None:
        """Reload what belongs to the saved record: photo, history, decisions."""
        person_id = self.person_id
        if person_id is not None:
            photo = photos.get_photo(self._ctx, person_id)
            self.photo = photo.image if photo else None
            self.history_entries = list(history.person_history(self._ctx, person_id).entries)
            self.record_candidates = duplicates.find_possible_duplicates(self._ctx, person_id)
            self.decisions = duplicates.links_of(self._ctx, person_id)
            others = {c.person_id for c in self.record_candidates}
            others |= {d.other(person_id) for d in self.decisions}
            others |= {e.person_id for e in self.history_entries}
            self._names = {
                other: persons.get_person(self._ctx, other).display_name for other in others
            }
        self._show_photo()
        self.tabs.setTabEnabled(self.tabs.indexOf(self.history_tab), person_id is not None)
        self.tabs.setTabEnabled(self.tabs.indexOf(self.same_person_tab), person_id is not None)
        self._retranslate()
        self._update_buttons()

    def _date(self, moment: datetime) -> str:
        language = current_language()
        text = translator(language).format_date(china_date(moment), "medium")
        return tibetan_digits(text) if language == "bo" else text

    def _record(self, person_id: int) -> str:
        if person_id == self.person_id:
            return _(THIS_RECORD)
        return _(OTHER_RECORD).format(id=person_id, name=self._names.get(person_id, ""))

    def _details(self, entry: HistoryEntry) -> tuple[str, str]:
        if entry.kind is EntryKind.VISIT:
            what = _(enum_label(entry.channel)) if entry.channel else ""
            if entry.departed_at is not None and entry.outcome is not None:
                details = _(DEPARTED).format(
                    date=self._date(entry.departed_at), outcome=_(enum_label(entry.outcome))
                )
            elif entry.status is not None and entry.status.value == "closed":
                details = ""
            else:
                details = _(STILL_IN_STATION)
            return what, details
        if entry.kind is EntryKind.ENCOUNTER:
            return entry.place or "", _(enum_label(entry.action)) if entry.action else ""
        name = entry.item_name_zh or ""
        if entry.item_name_bo:
            name = f"{name} {entry.item_name_bo}"
        quantity = entry.quantity.normalize() if entry.quantity is not None else ""
        amount = _(QUANTITY).format(
            quantity=f"{quantity:f}" if quantity != "" else "", unit=entry.unit_zh or ""
        )
        where = _(ON_PATROL) if entry.encounter_id is not None else ""
        return name, " ".join(part for part in (amount, where) if part)

    def _fill_history(self) -> None:
        table = self.history_table
        table.setRowCount(len(self.history_entries))
        for row, entry in enumerate(self.history_entries):
            what, details = self._details(entry)
            kind = _(KIND_TEXT[entry.kind])
            values = (self._date(entry.at), f"{kind}: {what}" if what else kind, details)
            for column, value in enumerate((*values, self._record(entry.person_id))):
                table.setItem(row, column, QTableWidgetItem(value))
        table.resizeColumnsToContents()

    def _fill_same_person(self) -> None:
        table = self.candidates_table
        table.setRowCount(len(self.record_candidates))
        for row, c in enumerate(self.record_candidates):
            values = (
                c.display_name,
                "" if c.birth_year is None else str(c.birth_year),
                (c.id_number_masked or "")[-4:],
                c.hukou_text or "",
                "; ".join(_(r.message) for r in c.reasons),
                _(SAME_PERSON) if c.linked else "",
            )
            for column, value in enumerate(values):
                table.setItem(row, column, QTableWidgetItem(value))
        table.resizeColumnsToContents()
        table = self.decisions_table
        table.setRowCount(len(self.decisions))
        for row, d in enumerate(self.decisions):
            decision = _(SAME_PERSON) if d.same_person else _(DIFFERENT_PERSON)
            if d.undone_at is not None:
                decision = _(UNDONE).format(decision=decision, date=self._date(d.undone_at))
            cells = (
                self._date(d.decided_at),
                self._record(d.other(self.person_id or 0)),
                decision,
                d.decided_by or "",
                d.reason or "",
            )
            for column, value in enumerate(cells):
                table.setItem(row, column, QTableWidgetItem(value))
        table.resizeColumnsToContents()

    def _selected_candidate(self) -> DuplicateCandidate | None:
        rows = self.candidates_table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.record_candidates[rows[0].row()]

    def _selected_decision(self) -> LinkView | None:
        rows = self.decisions_table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.decisions[rows[0].row()]

    def _update_buttons(self) -> None:
        candidate = self._selected_candidate()
        if self._confirming is not None and (
            candidate is None or candidate.person_id != self._confirming
        ):
            self._confirming = None
        if self._confirming is None:
            self.link_same_button.setText(_(LINK_SAME))
        undecided = candidate is not None and not candidate.linked
        self.link_same_button.setEnabled(undecided)
        self.link_different_button.setEnabled(undecided)
        decision = self._selected_decision()
        self.undo_decision_button.setEnabled(decision is not None and decision.active)
        self.remove_photo_button.setEnabled(self.photo is not None)

    def decide(self, *, same_person: bool, reason: str | None = None) -> bool:
        """Record staff's decision about the chosen candidate; False if nothing was recorded.

        Linking that would join records decided to be different persons is not
        done at the first click: the form lists those decisions and the button
        becomes "Link anyway"; a second click links.
        """
        candidate = self._selected_candidate()
        if candidate is None or self.person_id is None:
            return False
        self._clear_message()
        try:
            if same_person and self._confirming != candidate.person_id:
                conflicts = duplicates.different_decisions_between(
                    self._ctx, self.person_id, candidate.person_id
                )
                if conflicts:
                    self._ask_to_confirm(candidate.person_id, conflicts)
                    return False
            duplicates.link_persons(
                self._ctx,
                self.person_id,
                candidate.person_id,
                same_person=same_person,
                reason=reason,
            )
        except UserError as exc:
            self._show_message(exc.render(_), error=True)
            return False
        self._confirming = None
        self.refresh_record()
        return True

    def _ask_to_confirm(self, person_id: int, conflicts: list[LinkView]) -> None:
        lines = [
            _(CONFLICT_LINE).format(
                date=self._date(c.decided_at),
                a=self._record_name(c.person_a_id),
                b=self._record_name(c.person_b_id),
                reason=c.reason or "",
            )
            for c in conflicts
        ]
        self._confirming = person_id
        self._show_message(_(CONFLICT_TEXT).format(decisions="\n".join(lines)), error=False)
        self.link_same_button.setText(_(LINK_ANYWAY))

    def _record_name(self, person_id: int) -> str:
        if person_id not in self._names:
            self._names[person_id] = persons.get_person(self._ctx, person_id).display_name
        return f"{self._names[person_id]} (#{person_id})"

    def undo_decision(self) -> None:
        decision = self._selected_decision()
        if decision is None:
            return
        self._clear_message()
        try:
            duplicates.undo_link(self._ctx, decision.id)
        except UserError as exc:
            self._show_message(exc.render(_), error=True)
            return
        self.refresh_record()

    # ------------------------------------------------------------ photo

    def _show_photo(self) -> None:
        if self.photo is None:
            self.photo_label.setPixmap(QPixmap())
            self.photo_label.setText(_(NO_PHOTO))
        else:
            pixmap = QPixmap()
            pixmap.loadFromData(self.photo)
            self.photo_label.setPixmap(
                pixmap.scaled(
                    self.photo_label.size(),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        self.remove_photo_button.setEnabled(self.photo is not None)

    def choose_photo(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self.dialog, _(CHOOSE_PHOTO), "", _(PHOTO_FILES)
        )
        if path:
            self.set_photo_file(path)

    def set_photo_file(self, path: str) -> bool:
        """Scale the picture down, show it, and store it (now, or with the new person)."""
        self._clear_message()
        image = QImage(path)
        if image.isNull():
            self._show_message(_(NOT_A_PICTURE), error=True)
            return False
        if image.width() > PHOTO_SIZE.width() or image.height() > PHOTO_SIZE.height():
            image = image.scaled(
                PHOTO_SIZE,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "JPEG", 85)  # type: ignore[call-overload]  # the stubs want bytes; PySide takes str
        data = bytes(QByteArray(buffer.data()).data())
        if self.person_id is not None:
            try:
                photos.set_photo(self._ctx, self.person_id, data)
            except UserError as exc:
                self._show_message(exc.render(_), error=True)
                return False
        else:
            self._photo_pending = True
        self.photo = data
        self._show_photo()
        return True

    def remove_photo(self) -> None:
        self._clear_message()
        if self.person_id is not None and not self._photo_pending:
            try:
                photos.remove_photo(self._ctx, self.person_id)
            except UserError as exc:
                self._show_message(exc.render(_), error=True)
                return
        self._photo_pending = False
        self.photo = None
        self._show_photo()

    # ------------------------------------------------------------ closing

    def show(self) -> None:
        self.dialog.show()
        self.dialog.activateWindow()

    def close(self) -> None:
        if shiboken6.isValid(self.dialog):
            uiloader.discard(self.dialog)
