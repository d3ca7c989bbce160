"""File → Settings…: the station's settings, for managers and administrators.

Every value of ``resources/default_settings.json`` and the station's hotline,
grouped by topic, each with its unit and a short explanation. Save sends the
changed fields to ``settings.save`` (checked all or none; a refusal points at
the field); "Reset to default" puts the shipped values back in the form. The
backup folder belongs to each computer: it is shown here and chosen in
File → Backups. The Rooms tab (:mod:`.rooms_tab`) adds, edits and takes rooms
out of use. The services refuse anyone else too.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QWidget,
)
from typing_extensions import override

from station_app.domain.errors import N_
from station_app.i18n import _
from station_app.services import settings
from station_app.services.backups import automatic
from station_app.services.backups.automatic import BackupListing
from station_app.services.context import Context
from station_app.services.settings import HOTLINE, StationSettings

from . import uiloader, watching
from .feedback import Level, MessageArea
from .ops import Ops
from .rooms_tab import RoomsTab
from .widgets.window import DialogController

SAVED = N_("The settings were saved; they apply at once.")
NOTHING_CHANGED = N_("Nothing was changed.")
DEFAULTS_IN_FORM = N_("The shipped values are in the form; press Save to keep them.")
BACKUP_FOLDER = N_("Backups of this computer are written to {folder}.")
NO_BACKUP_FILES = N_("This database is not a file on this computer: it has no backup folder.")

YUAN = N_("yuan")
YUAN_MONTH = N_("yuan a month")
DAYS = N_("days")
HOURS = N_("hours")
MINUTES = N_("minutes")


@dataclass(frozen=True)
class Field:
    """How one setting is shown: its topic box, label, unit and explanation."""

    box: str
    label: str
    unit: str | None = None
    help: str | None = None


FIELDS: dict[str, Field] = {
    HOTLINE: Field(
        "stationBox",
        N_("24-hour hotline"),
        None,
        N_(
            "Printed on the contact cards and their QR code; a mobile or a landline with "
            "its area code."
        ),
    ),
    "texts.card_message_zh": Field(
        "stationBox", N_("Card text (Chinese)"), None, N_("The message of the contact cards.")
    ),
    "texts.card_message_bo": Field(
        "stationBox", N_("Card text (Tibetan)"), None, N_("The same message in Tibetan.")
    ),
    "standards.year": Field("standardsBox", N_("Year of the standards"), None, None),
    "standards.effective_from": Field(
        "standardsBox",
        N_("In force from"),
        None,
        N_("The day the standards below apply from (YYYY-MM-DD)."),
    ),
    "standards.dibao_urban_yuan": Field("standardsBox", N_("低保, urban"), YUAN_MONTH),
    "standards.dibao_rural_yuan": Field("standardsBox", N_("低保, rural"), YUAN_MONTH),
    "standards.tekun_urban_yuan": Field("standardsBox", N_("特困, urban"), YUAN_MONTH),
    "standards.tekun_rural_yuan": Field("standardsBox", N_("特困, rural"), YUAN_MONTH),
    "rules.stay_limit_days": Field(
        "rulesBox", N_("Stay limit"), DAYS, N_("Days in the station before an extension is due.")
    ),
    "rules.cash_limit_yuan": Field(
        "rulesBox",
        N_("Cash limit"),
        YUAN,
        N_("Most cash a person may be given at departure; more is refused."),
    ),
    "rules.return_window_days": Field(
        "rulesBox", N_("Return window"), DAYS, N_("A person back within these days is flagged.")
    ),
    "rules.family_notice_hours": Field(
        "rulesBox", N_("Family-search notice"), HOURS, N_("Due within these hours of arrival.")
    ),
    "rules.expected_arrival_hours": Field(
        "rulesBox",
        N_("Persuaded to come"),
        HOURS,
        N_("Someone persuaded on patrol is expected at the desk for these hours."),
    ),
    "rules.dna_sample_days": Field(
        "rulesBox", N_("DNA sample"), DAYS, N_("Due within these days of arrival.")
    ),
    "rules.long_stay_alert_days": Field(
        "rulesBox", N_("Long-stay alerts"), DAYS, N_("Rising numbers separated by commas.")
    ),
    "rules.recent_issue_days": Field(
        "rulesBox",
        N_("Repeat hand-out warning"),
        DAYS,
        N_("Warn when the same item was given to the person within these days."),
    ),
    "rules.backdate_confirm_days": Field(
        "rulesBox",
        N_("Ask for older dates"),
        DAYS,
        N_("Ask before saving a date typed more than these days back."),
    ),
    "documents.number_format": Field(
        "documentsBox",
        N_("Number format"),
        None,
        N_("Must keep the prefix, the year and the number in braces, as in the default."),
    ),
    "documents.prefix.intake_form": Field("documentsBox", N_("Prefix: intake form")),
    "documents.prefix.refusal": Field("documentsBox", N_("Prefix: refusal notice")),
    "documents.prefix.termination": Field("documentsBox", N_("Prefix: termination notice")),
    "documents.prefix.self_departure": Field("documentsBox", N_("Prefix: self-departure")),
    "documents.prefix.departure_record": Field("documentsBox", N_("Prefix: departure record")),
    "documents.prefix.family_notice": Field("documentsBox", N_("Prefix: family-search notice")),
    "printing.extra_fonts": Field(
        "printingBox",
        N_("Extra fonts"),
        None,
        N_(
            "Font files for rare name characters, one full path per line (path#number for one "
            "font of a .ttc); each must exist on this computer."
        ),
    ),
    "review.two_step": Field(
        "workBox",
        N_("Decisions in two steps (审核确认)"),
        None,
        N_("The desk proposes accept, refuse or terminate; a manager confirms or returns."),
    ),
    "security.idle_lock_minutes": Field(
        "workBox",
        N_("Lock when idle after"),
        MINUTES,
        N_("The window hides its records until the password is typed again; 0: never."),
    ),
}


def _text(key: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        joiner = "\n" if key == "printing.extra_fonts" else ", "
        return joiner.join(str(v) for v in value)
    return str(value)


class SettingsDialog(DialogController):
    """Controller of ``ui/settings_dialog.ui``; the dialog is :attr:`dialog`."""

    loaded = Signal(object)  # StationSettings, once in the form
    saved = Signal(object)  # the values stored
    failed = Signal(str)  # a refusal shown in the dialog
    backups_requested = Signal()

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        self._ctx = ctx
        super().__init__("settings_dialog.ui", parent)
        dialog = self.dialog
        self.current: StationSettings | None = None
        self.inputs: dict[str, QLineEdit | QPlainTextEdit | QCheckBox] = {}
        self._texts: list[tuple[QLabel, str]] = []  # labels built here, by message id
        self.save_button = uiloader.child(dialog, QPushButton, "saveButton")
        self.reset_button = uiloader.child(dialog, QPushButton, "resetButton")
        self.close_button = uiloader.child(dialog, QPushButton, "closeButton")
        self.backup_folder = uiloader.child(dialog, QLabel, "backupFolderValue")
        backups = uiloader.child(dialog, QPushButton, "backupsButton")
        self._build()
        message = uiloader.child(dialog, QLabel, "messageLabel")
        self.feedback = MessageArea(message, fields=self.inputs, on_refusal=self.failed.emit)
        self.ops = Ops(self, busy=[self.save_button, self.reset_button], feedback=self.feedback)
        self.tabs = uiloader.child(dialog, QTabWidget, "settingsTabs")
        self.rooms_tab = RoomsTab(ctx, dialog)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.save_button.clicked.connect(self.save)
        self.reset_button.clicked.connect(self.reset_to_defaults)
        self.close_button.clicked.connect(self.close)
        backups.clicked.connect(self.backups_requested.emit)
        # another desk's change shows here, unless this form holds edits of its own
        watching.watch(self, ctx.db, self._changed, ("setting", "station"))
        self.reload()

    def _tab_changed(self, index: int) -> None:
        # Save and Reset store the settings; the Rooms tab has its own buttons.
        on_settings = self.tabs.widget(index) is not self.rooms_tab_page
        self.save_button.setVisible(on_settings)
        self.reset_button.setVisible(on_settings)
        if not on_settings:
            self.rooms_tab.shown()

    @property
    def rooms_tab_page(self) -> QWidget:
        return uiloader.child(self.dialog, QWidget, "roomsTab")

    # ------------------------------------------------------------ the form

    def _build(self) -> None:
        keys = [HOTLINE, *settings.defaults()]
        for key in sorted(keys, key=lambda k: list(FIELDS).index(k) if k in FIELDS else 999):
            field = FIELDS.get(key, Field("otherBox", key))
            box = uiloader.child(self.dialog, QGroupBox, field.box)
            form = box.layout()
            assert isinstance(form, QFormLayout)
            widget: QLineEdit | QPlainTextEdit | QCheckBox
            default = settings.defaults().get(key)
            if isinstance(default, bool):
                widget = QCheckBox(box)
            elif key == "printing.extra_fonts":
                widget = QPlainTextEdit(box)
                widget.setMaximumHeight(80)
            else:
                widget = QLineEdit(box)
            widget.setObjectName(f"setting:{key}")
            row = QHBoxLayout()
            row.addWidget(widget, 1)
            if field.unit is not None:
                row.addWidget(self._label(box, field.unit))
            label = self._label(box, field.label) if field.label != key else QLabel(key, box)
            form.addRow(label, row)
            if field.help is not None:
                hint = self._label(box, field.help)
                hint.setWordWrap(True)
                hint.setEnabled(False)  # greyed: an explanation, not a value
                form.addRow("", hint)
            self.inputs[key] = widget
        other = uiloader.child(self.dialog, QGroupBox, "otherBox")
        layout = other.layout()
        other.setVisible(layout is not None and layout.count() > 0)

    def _label(self, parent: QWidget, msgid: str) -> QLabel:
        label = QLabel(_(msgid), parent)
        self._texts.append((label, msgid))
        return label

    def value_of(self, key: str) -> str | bool:
        widget = self.inputs[key]
        if isinstance(widget, QCheckBox):
            return widget.isChecked()
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        return widget.text()

    def set_value(self, key: str, value: Any) -> None:
        widget = self.inputs[key]
        if isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(_text(key, value))
        else:
            widget.setText(_text(key, value))

    def _shown(self, key: str, value: Any) -> str | bool:
        return bool(value) if isinstance(self.inputs[key], QCheckBox) else _text(key, value)

    def changes(self) -> dict[str, Any]:
        """The fields that differ from what was read."""
        if self.current is None:
            return {}
        values = self.current.values
        return {
            key: self.value_of(key)
            for key in self.inputs
            if self.value_of(key) != self._shown(key, values.get(key))
        }

    # ------------------------------------------------------------ reading

    def reload(self) -> None:
        ctx = self._ctx
        self.ops.query(lambda: settings.read_all(ctx), self._loaded, latest="settings")
        self.ops.query(lambda: automatic.list_backups(ctx), self._folder, latest="folder")

    def _changed(self, _changes: object) -> None:
        if not self.changes():
            self.reload()

    def _loaded(self, current: StationSettings) -> None:
        self.current = current
        for key in self.inputs:
            self.set_value(key, current.values.get(key))
        self.loaded.emit(current)

    def _folder(self, listing: BackupListing) -> None:
        if listing.file_backups:
            self.backup_folder.setText(_(BACKUP_FOLDER).format(folder=listing.folder))
        else:
            self.backup_folder.setText(_(NO_BACKUP_FILES))

    # ------------------------------------------------------------ writing

    def save(self) -> None:
        """Store the changed fields (all or none)."""
        self.feedback.clear()
        changes = self.changes()
        if not changes:
            self.feedback.tell(NOTHING_CHANGED, Level.INFORMATION)
            return
        ctx = self._ctx
        self.ops.write(lambda: settings.save(ctx, changes), self._saved)

    def _saved(self, stored: dict[str, Any]) -> None:
        self.feedback.tell(SAVED, Level.INFORMATION)
        self.saved.emit(stored)
        self.reload()

    def reset_to_defaults(self) -> None:
        """Put the shipped values in the form; Save keeps them."""
        if self.current is None:
            return
        for key, value in self.current.defaults.items():
            if key != HOTLINE and key in self.inputs:
                self.set_value(key, value)
        self.feedback.clear()
        self.feedback.tell(DEFAULTS_IN_FORM, Level.INFORMATION)

    @override
    def _retranslate(self) -> None:
        for label, msgid in self._texts:
            label.setText(_(msgid))
        self.rooms_tab.retranslate()
