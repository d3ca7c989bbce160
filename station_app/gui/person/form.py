"""The person form: every identity field with its data-quality code, other
names and relatives; create a person or edit one.

The form opens at once; a saved person is read off the GUI thread (one
service call for everything the form shows) and the form fills when it
arrives. Saving runs off the GUI thread. A new person is first checked for
possible duplicates: strong candidates are shown in the form and staff decide
— save as a new person, or open the existing record instead. Nothing is
merged automatically. A refused save is shown in the form, the field (and the
row of a list) at fault is focused and highlighted, and everything typed stays.

A saved person's form also shows the photo, the history and the "Same
person?" tab (:mod:`.record_tabs`). It reads the record again when a commit
touches the person (here or at another desk); fields typed in and not saved
are left as they are.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QWidget,
)
from typing_extensions import override

from station_app.domain.errors import N_, UserError
from station_app.gui import ops, uiloader, watching
from station_app.gui.feedback import Level, MessageArea
from station_app.gui.widgets.window import DialogController
from station_app.i18n import _
from station_app.services import person_record
from station_app.services.changes import Changes
from station_app.services.context import Context
from station_app.services.duplicates import DuplicateCandidate
from station_app.services.person_record import PersonRecord
from station_app.services.persons import PersonInput, SavedPerson
from station_app.services.stale_edit import StaleEdit

from .identity import IdentityFields
from .names import OtherNames
from .photo import PhotoPanel
from .record_tabs import RecordTabs

TITLE_NEW = N_("New person")
TITLE_EDIT = N_("Person: {name}")
SAVED_WITH_WARNINGS = N_("Saved. Please check: {warnings}")
CHANGED_ELSEWHERE = N_(
    "This person's record was changed meanwhile (at another desk or window). What you "
    "typed is kept; saving it replaces those changes."
)
DUPLICATE_HEADERS = (N_("Name"), N_("Birth year"), N_("ID (last 4)"), N_("Reasons"))
SAVE_AS_NEW = N_("Save as a new person")
SAVE_ANYWAY = N_("Save anyway")


class PersonForm(DialogController):
    """Controller of ``ui/person_form.ui``; the dialog is :attr:`dialog`."""

    saved = Signal(object)  # SavedPerson, after the database has it
    shown = Signal(object)  # the PersonRecord now on screen
    duplicates_shown = Signal(object)  # tuple of DuplicateCandidate
    failed = Signal(str)  # the message shown in the form
    open_person = Signal(int)  # staff chose an existing record instead

    def __init__(
        self, ctx: Context, person_id: int | None = None, parent: QWidget | None = None
    ) -> None:
        self.ctx = ctx
        self.person_id = person_id
        super().__init__("person_form.ui", parent)
        dialog = self.dialog
        self.record: PersonRecord | None = None
        self.candidates: tuple[DuplicateCandidate, ...] = ()  # found when saving
        self._typed_at_read: PersonInput | None = None  # the fields as last read
        # The version of the person whose values the fields were filled with:
        # a save sends it, and is refused if someone else saved since.
        self._version_at_read: int | None = None
        # A read asked to replace the fields typed in: a newer read (a change
        # notification) that drops its result replaces them all the same.
        self._replace_typed = False

        self.tabs = uiloader.child(dialog, QTabWidget, "tabs")
        self.history_tab = uiloader.child(dialog, QWidget, "historyTab")
        self.same_person_tab = uiloader.child(dialog, QWidget, "samePersonTab")
        self.message_label = uiloader.child(dialog, QLabel, "messageLabel")
        self.duplicates_box = uiloader.child(dialog, QGroupBox, "duplicatesBox")
        self.duplicates_table = uiloader.child(dialog, QTableWidget, "duplicatesTable")
        self.save_anyway_button = uiloader.child(dialog, QPushButton, "saveAnywayButton")
        self.open_existing_button = uiloader.child(dialog, QPushButton, "openExistingButton")
        self.save_button = uiloader.child(dialog, QPushButton, "saveButton")
        self.close_button = uiloader.child(dialog, QPushButton, "closeButton")
        self.identity = IdentityFields(dialog)
        self.names = OtherNames(dialog)
        self.feedback = MessageArea(
            self.message_label,
            {**self.identity.fields, **self.names.fields},
            rows=self.names.point_row,
            tabs=self.tabs,
            on_refusal=self.failed.emit,
        )
        self.ops = ops.Ops(
            self,
            busy=[self.save_button, self.save_anyway_button, self.open_existing_button],
            feedback=self.feedback,
        )
        self.photo = PhotoPanel(self)
        self.record_tabs = RecordTabs(self)
        self.duplicates_table.setColumnCount(len(DUPLICATE_HEADERS))
        self.duplicates_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.duplicates_box.hide()
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.close)
        self.save_anyway_button.clicked.connect(self.save_as_new)
        self.open_existing_button.clicked.connect(self._open_existing)
        watching.watch(self, ctx.db, self._changed, ("person",))
        self._show_record_tabs()
        self._retranslate()
        if person_id is not None:
            self.read(replace_typed=True)

    # ------------------------------------------------------------ reading

    @property
    def loading(self) -> bool:
        return self.ops.reading("record")

    def read(self, *, replace_typed: bool = False) -> None:
        """Read the saved person; ``replace_typed`` also replaces fields typed in."""
        person_id = self.person_id
        if person_id is None:
            return
        ctx = self.ctx
        self._replace_typed = self._replace_typed or replace_typed
        # Until the first read there is nothing to edit: the tabs wait with it.
        busy = [self.tabs, self.save_button] if self.record is None else []
        opened = self.record is None  # audited once per opening, not per refresh
        self.ops.query(
            lambda: person_record.person_record(ctx, person_id, opened=opened),
            self._read,
            latest="record",
            busy=busy,
        )

    def _changed(self, changes: Changes) -> None:
        if self.person_id is not None and changes.touches("person", self.person_id):
            self.read()

    def _read(self, record: PersonRecord) -> None:
        replace_typed, self._replace_typed = self._replace_typed, False
        typed = self._typed()
        untouched = typed is not None and typed == self._typed_at_read
        if replace_typed or self.record is None or untouched:
            self.identity.load(record.person)
            self.names.load(record.person)
            self._typed_at_read = self._typed()
            self._version_at_read = record.person.version
        elif self.record is not None and record.person != self.record.person:
            self.feedback.tell(CHANGED_ELSEWHERE, Level.WARNING)
        self.record = record
        self.photo.show_saved(record.photo)
        self.record_tabs.show(record)
        self._show_record_tabs()
        self._retranslate()
        self.shown.emit(record)

    def _typed(self) -> PersonInput | None:
        try:
            return self.person_input()
        except UserError:
            return None  # an unreadable date or age: typed in, not as read

    def _show_record_tabs(self) -> None:
        saved = self.person_id is not None
        self.tabs.setTabEnabled(self.tabs.indexOf(self.history_tab), saved)
        self.tabs.setTabEnabled(self.tabs.indexOf(self.same_person_tab), saved)

    @override
    def _retranslate(self) -> None:
        self.identity.retranslate()
        self.names.retranslate()
        self.duplicates_table.setHorizontalHeaderLabels([_(h) for h in DUPLICATE_HEADERS])
        if self.person_id is None:
            self.dialog.setWindowTitle(_(TITLE_NEW))
        else:
            name = self.identity.title_name() or f"#{self.person_id}"
            self.dialog.setWindowTitle(_(TITLE_EDIT).format(name=name))
        if self.candidates:
            self._show_candidates(self.candidates)
        self.photo.retranslate()
        self.record_tabs.retranslate()

    # ------------------------------------------------------------ values

    def person_input(self) -> PersonInput:
        """What the form holds; raises ValidationError for a date or age it cannot read."""
        return PersonInput(**self.identity.values(), **self.names.values())  # type: ignore[arg-type]

    # ------------------------------------------------------------ saving

    def save(self) -> None:
        """Check and save; first check for possible duplicates not yet decided about."""
        self._save(check_duplicates=True)

    def save_as_new(self) -> None:
        """Staff looked at the possible duplicates and say this is someone else."""
        self._save(check_duplicates=False)

    def _save(self, *, check_duplicates: bool) -> None:
        self.feedback.clear()
        try:
            data = self.person_input()
        except UserError as exc:
            self.feedback.refusal(exc)
            return
        ctx, person_id = self.ctx, self.person_id
        photo = self.photo.photo if self.photo.pending else None
        version = self._version_at_read if person_id is not None else None
        self.ops.write(
            lambda: person_record.save_person(
                ctx,
                data,
                person_id=person_id,
                photo=photo,
                check_duplicates=check_duplicates,
                expected_version=version,
            ),
            self._done,
            failed=self._refused,
        )

    def _refused(self, exc: BaseException) -> None:
        self.ops.report(exc)
        if isinstance(exc, StaleEdit):
            # The message names what the other desk changed; the fields now
            # show their save, for staff to enter their own changes again.
            self.read(replace_typed=True)

    def _done(self, result: SavedPerson | tuple[DuplicateCandidate, ...]) -> None:
        if isinstance(result, tuple):
            self._show_candidates(result)
            self.duplicates_shown.emit(result)
            return
        self.candidates = ()
        self.duplicates_box.hide()
        self.person_id = result.person.id
        self._version_at_read = result.person.version  # what the fields hold now
        self.photo.pending = False
        self._show_record_tabs()
        self.read(replace_typed=True)  # what was saved, as the database keeps it
        if result.warnings:
            self.feedback.tell(SAVED_WITH_WARNINGS, Level.WARNING, warnings=result.warnings)
        self.saved.emit(result)
        if not result.warnings:
            self.close()

    # ------------------------------------------------------------ duplicates

    def _show_candidates(self, candidates: tuple[DuplicateCandidate, ...]) -> None:
        self.candidates = candidates
        table = self.duplicates_table
        table.setRowCount(len(candidates))
        for row, c in enumerate(candidates):
            reasons = "; ".join(r.shown(_) for r in c.reasons)
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
        self.feedback.clear()
        self.candidates = ()
        self.duplicates_box.hide()
        self.person_id = chosen.person_id
        self.record = None
        self.read(replace_typed=True)
        self.open_person.emit(chosen.person_id)

    # ------------------------------------------------------------ closing
