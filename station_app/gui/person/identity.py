"""The identity tab of the person form: every identity field with its
data-quality code, the household place from the region list, the languages.

A field with a value is ``known``; beside an empty identity field staff choose
``unknown`` or ``refused to say`` (:attr:`PersonInput.refused`).
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QLineEdit, QPlainTextEdit, QWidget

from station_app.domain import regions
from station_app.domain.enums import DataQuality, IdDocumentType, Sex
from station_app.domain.errors import N_, ValidationError
from station_app.domain.ethnicity import ETHNIC_GROUPS
from station_app.domain.labels import enum_label
from station_app.domain.text import has_han, has_tibetan
from station_app.gui import fonts, uiloader
from station_app.gui.formatting import optional
from station_app.gui.models.regions import code_of_choice, region_completer
from station_app.i18n import _
from station_app.services.persons import PersonView

BAD_DATE = N_("Write the date as year-month-day, e.g. 1985-03-21.")
BAD_AGE = N_("Write the age as a whole number of years.")

# quality key -> (quality combo, the widgets whose value makes it known)
QUALITY_WIDGETS: dict[str, tuple[str, tuple[str, ...]]] = {
    "name": ("nameQuality", ("nameZhEdit", "nameBoEdit")),
    "sex": ("sexQuality", ("sexCombo",)),
    # The box sits beside the date: an estimated age leaves the date unknown.
    "birth": ("birthQuality", ("birthDateEdit",)),
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
}
LANGUAGE_BOXES = {
    "bo": "langBo",
    "zh": "langZh",
    "en": "langEn",
    "ii": "langIi",
    "other": "langOther",
}

_E = TypeVar("_E", bound=Enum)


def _looks_like_number(text: str) -> bool:
    """An ID number or part of one: digits, the last perhaps the check letter X."""
    compact = text.replace(" ", "")
    body = compact[:-1] if compact[-1:] in ("x", "X") else compact
    return len(body) >= 4 and body.isascii() and body.isdigit()


def chosen(combo: QComboBox, kind: type[_E], index: int | None = None) -> _E | None:
    """The code-list value of a combo's item (Qt hands a StrEnum back as a str)."""
    value = combo.currentData() if index is None else combo.itemData(index)
    if value is None or value == "":
        return None
    return kind(value)


class IdentityFields:
    """The identity tab's widgets, their quality codes, and their values."""

    def __init__(self, dialog: QDialog) -> None:
        self.dialog = dialog

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
            for key, (combo, _w) in QUALITY_WIDGETS.items()
        }
        self.language_boxes = {
            code: uiloader.child(dialog, QCheckBox, name) for code, name in LANGUAGE_BOXES.items()
        }
        self.fields: dict[str, QWidget] = {
            field: uiloader.child(dialog, QWidget, name) for field, name in FIELD_WIDGETS.items()
        }
        self.name_bo_edit.setFont(fonts.tibetan_font())
        self.hukou_code: str | None = None  # chosen from the region list
        completer = region_completer(self.hukou_edit)
        self.hukou_edit.setCompleter(completer)
        completer.activated.connect(self._hukou_typed)
        self.hukou_edit.textChanged.connect(self._hukou_typed)
        self._fill_combos()
        for key, (_combo, widgets) in QUALITY_WIDGETS.items():
            for name in widgets:
                widget = dialog.findChild(QWidget, name)
                if isinstance(widget, QLineEdit):
                    widget.textChanged.connect(lambda _t, k=key: self._update_quality(k))
                elif isinstance(widget, QComboBox):
                    widget.currentIndexChanged.connect(lambda _i, k=key: self._update_quality(k))
        for key in QUALITY_WIDGETS:
            self._update_quality(key)

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

    def retranslate(self) -> None:
        combos: list[tuple[QComboBox, type[Enum]]] = [
            (self.sex_combo, Sex),
            (self.id_type_combo, IdDocumentType),
        ]
        combos += [(combo, DataQuality) for combo in self.quality_combos.values()]
        for combo, kind in combos:
            for i in range(combo.count()):
                value = chosen(combo, kind, i)
                if value is not None:
                    combo.setItemText(i, _(enum_label(value)))

    def start_with(self, query: str) -> None:
        """Begin a new person with what was searched for: an ID number (digits,
        perhaps ending in X), a Tibetan name, or a Chinese name. A Latin query
        (pinyin, Wylie) is a way to search, not how the name is written."""
        text = " ".join(query.split())
        if not text:
            return
        if _looks_like_number(text):
            self.id_number_edit.setText(text.replace(" ", "").upper())
        elif has_tibetan(text):
            self.name_bo_edit.setText(text)
        elif has_han(text):
            self.name_zh_edit.setText(text)

    def title_name(self) -> str:
        """The name the window title shows."""
        return self.name_zh_edit.text() or self.name_bo_edit.text() or self.code_name_edit.text()

    # ------------------------------------------------------------ the household place

    def _hukou_typed(self, text: str) -> None:
        """A place chosen from the list sets its region code; the code stays while
        the text still names that region (e.g. a township added after it)."""
        code = code_of_choice(text)
        if code is not None:
            self.hukou_code = code
            place = regions.region_name(code) or ""
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

    def has_value(self, key: str) -> bool:
        for name in QUALITY_WIDGETS[key][1]:
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
        if self.has_value(key):
            combo.setCurrentIndex(known_row)
            combo.setEnabled(False)
        else:
            if chosen(combo, DataQuality) is DataQuality.KNOWN:
                combo.setCurrentIndex(combo.findData(DataQuality.UNKNOWN))
            combo.setEnabled(True)
        # "known" is implied by a value, never chosen
        row_flags = model_item.index(known_row, 0)
        model_item.setData(row_flags, 0, Qt.ItemDataRole.UserRole - 1)

    def quality(self, key: str) -> DataQuality:
        return chosen(self.quality_combos[key], DataQuality) or DataQuality.UNKNOWN

    def set_quality(self, key: str, quality: DataQuality) -> None:
        combo = self.quality_combos[key]
        if combo.isEnabled() and quality is not DataQuality.KNOWN:
            combo.setCurrentIndex(combo.findData(quality))

    # ------------------------------------------------------------ values

    def load(self, person: PersonView) -> None:
        """Show a saved person's identity (replacing what the tab holds)."""
        self.name_zh_edit.setText(person.name_zh or "")
        self.name_bo_edit.setText(person.name_bo or "")
        self.code_name_edit.setText(person.code_name or "")
        self.description_edit.setText(person.description or "")
        self.sex_combo.setCurrentIndex(max(0, self.sex_combo.findData(person.sex)))
        self.birth_date_edit.setText(person.birth_date.isoformat() if person.birth_date else "")
        age = person.estimated_age
        self.age_edit.setText("" if age is None else str(age))
        self.ethnicity_combo.setCurrentIndex(
            max(0, self.ethnicity_combo.findData(person.ethnicity))
        )
        self.id_type_combo.setCurrentIndex(max(0, self.id_type_combo.findData(person.id_doc_type)))
        self.id_number_edit.setText(person.id_number or "")
        self.hukou_edit.setText(person.hukou_text or "")
        self.hukou_code = person.hukou_code
        self.residence_edit.setText(person.residence or "")
        self.phone_edit.setText(person.phone or "")
        for code, box in self.language_boxes.items():
            box.setChecked(code in person.languages)
        self.notes_edit.setPlainText(person.notes or "")
        for key in QUALITY_WIDGETS:
            self._update_quality(key)
            self.set_quality(key, person.quality.get(key, DataQuality.UNKNOWN))

    def birth(self) -> tuple[date | None, int | None]:
        """The birth date and the estimated age typed; a ValidationError if unreadable."""
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
        return birth, age

    def values(self) -> dict[str, object]:
        """The tab's part of a PersonInput (a ValidationError for a date or age it
        cannot read)."""
        birth, age = self.birth()
        return {
            "name_zh": optional(self.name_zh_edit.text()),
            "name_bo": optional(self.name_bo_edit.text()),
            "code_name": optional(self.code_name_edit.text()),
            "description": optional(self.description_edit.text()),
            "sex": chosen(self.sex_combo, Sex),
            "birth_date": birth,
            "estimated_age": age,
            "ethnicity": self.ethnicity_combo.currentData(),
            "id_doc_type": chosen(self.id_type_combo, IdDocumentType),
            "id_number": optional(self.id_number_edit.text()),
            "hukou_code": self.hukou_code,
            "hukou_text": optional(self.hukou_edit.text()),
            "residence": optional(self.residence_edit.text()),
            "phone": optional(self.phone_edit.text()),
            "languages": [code for code, box in self.language_boxes.items() if box.isChecked()],
            "notes": optional(self.notes_edit.toPlainText()),
            "refused": {
                key
                for key in QUALITY_WIDGETS
                if not self.has_value(key) and self.quality(key) is DataQuality.REFUSED
            },
        }
