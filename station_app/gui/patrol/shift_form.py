"""Entering a patrol shift after it (issue 6): the team and the night, then
every person met in a grid typed end to end with the keyboard.

Keys: Tab or Enter moves to the next field or cell (past the grid's columns
rarely filled in); Enter on the last cell of the last row adds a person met
(time taken from the row before); F4 or Alt+Down opens the action list;
Delete on a row (Ctrl+Delete while typing in it) asks in the message line, a
second Delete removes it; Ctrl+Enter submits.

A new shift is a draft on disk from the first key (:class:`DraftStore`,
written 300 ms after the last edit and when the window closes) and is
restored when the form opens again; a successful submit deletes it. The
form opens at once: the shift, the items that can be handed out and the
team member's name are read off the GUI thread (a submitted shift can be
corrected once it is shown). The submit runs off the GUI thread; a refusal is
shown in the form with the field — and the row of the grid the service names —
highlighted, and nothing typed is lost.
"""

from __future__ import annotations

import itertools
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QLabel,
    QPushButton,
    QTableView,
    QWidget,
)
from typing_extensions import override

from station_app.domain.errors import N_, UserError
from station_app.domain.labels import PATROL_RECORD_TITLE
from station_app.gui import uiloader
from station_app.gui.date_checks import BackdateCheck
from station_app.gui.feedback import Level, MessageArea
from station_app.gui.formatting import clock_text, day_text, set_day, today_in_china
from station_app.gui.ops import Operation, Ops
from station_app.gui.watching import watch
from station_app.gui.widgets.date_entry import take_typed
from station_app.gui.widgets.window import DialogController
from station_app.i18n import _
from station_app.services import patrol, supplies
from station_app.services.changes import Changes
from station_app.services.context import Context

from .drafts import DraftStore, DraftUnreadable
from .encounter_model import COLUMN, COLUMNS
from .grid import ENTER, EncounterGrid
from .header import HEADER_FIELDS, NEXT_DAY, ShiftHeader
from .rows import CELL_FIELDS, CellError, EncounterRow, to_input, with_item_keys

if TYPE_CHECKING:
    from station_app.gui.print_preview import PrintPreview

log = logging.getLogger(__name__)

DRAFT_DELAY_MS = 300
TITLE_NEW = N_("New patrol shift")
TITLE_EDIT = N_("Patrol shift of {day}")
RESTORED = N_("Restored the shift you were entering at {time}.")
DRAFT_SET_ASIDE = N_(
    "The shift saved on this computer could not be read; it was set aside as {path}. "
    "Start the shift again."
)
DRAFT_NOT_SAVED = N_("The shift could not be kept on this computer: {reason}. Submit it soon.")
CONFIRM_REMOVE = N_(
    "Remove row {row} ({place})? Press Delete again to remove it, any other key to keep it."
)
UNDONE = N_(
    "Esc put back what the cell held instead of “{text}”; Ctrl+Z brings that back. "
    "Esc again leaves the cell."
)
SAVED = N_("The shift is saved.")
SAVED_ARRIVALS = N_("The shift is saved; {count} brought to the station wait at the desk.")
SAVED_WARNINGS = N_("The shift is saved. Please check: {warnings}")
CHANGED_ELSEWHERE = N_(
    "This shift was changed meanwhile (at another desk or window). What you typed is "
    "kept; submitting it replaces those changes."
)


def _drop_draft(store: DraftStore) -> None:
    """The draft of a submitted shift goes; the shift is saved even if it cannot."""
    try:
        store.delete()
    except OSError as exc:
        log.error("the draft of a submitted shift could not be deleted", exc_info=exc)


class ShiftForm(DialogController):
    """Controller of ``ui/patrol_shift_form.ui``; the dialog is :attr:`dialog`."""

    submitted = Signal(object)  # ShiftView, after the database has it
    failed = Signal(str)  # the message shown in the form
    draft_saved = Signal()
    open_request = Signal(int)  # a help request made by an encounter
    preview_opened = Signal(object)  # PrintPreview of the shift record

    def __init__(
        self,
        ctx: Context,
        shift_id: int | None = None,
        parent: QWidget | None = None,
        *,
        draft_store: DraftStore | None = None,
    ) -> None:
        self._ctx = ctx
        self.shift_id = shift_id
        super().__init__("patrol_shift_form.ui", parent)
        dialog = self.dialog
        self.store = draft_store or DraftStore(ctx.station_id, ctx.actor.username)
        self.saving: Operation | None = None
        self.view: patrol.ShiftView | None = None
        self.sheet: patrol.ShiftSheet | None = None  # what was read for the form
        self.arrivals: list[int] = []  # help requests made by the last submit
        self._sent: list[int] = []  # the grid row of each encounter of the last submit
        self._restoring = False
        self._dirty = False  # typed since the draft was last written
        self._draft_line: tuple[str, dict[str, Any]] | None = None
        self._loaded_state: dict[str, Any] | None = None  # the form as the shift was read

        self.header = ShiftHeader(dialog)
        self.message_label = uiloader.child(dialog, QLabel, "messageLabel")
        self.draft_label = uiloader.child(dialog, QLabel, "draftLabel")
        self.end_day_label = uiloader.child(dialog, QLabel, "endDayLabel")
        self.table = uiloader.child(dialog, QTableView, "encountersTable")
        self.add_row_button = uiloader.child(dialog, QPushButton, "addRowButton")
        self.remove_row_button = uiloader.child(dialog, QPushButton, "removeRowButton")
        self.submit_button = uiloader.child(dialog, QPushButton, "submitButton")
        self.close_button = uiloader.child(dialog, QPushButton, "closeButton")
        self.open_arrival_button = uiloader.child(dialog, QPushButton, "openArrivalButton")
        self.print_button = uiloader.child(dialog, QPushButton, "printButton")
        self.print_button.setEnabled(False)  # until the shift is saved
        self.preview: PrintPreview | None = None
        self.draft_label.hide()
        self.open_arrival_button.hide()

        self.user_id = ctx.actor.user_id
        self.user_name: str | None = None
        self.catalogue: tuple[supplies.ItemView, ...] = ()
        self.grid = EncounterGrid(self.table, ctx, self)
        self.model, self.delegate = self.grid.model, self.grid.delegate
        self.delegate.on_typing = self._edited
        self.delegate.on_undone = lambda typed: self.show_message(UNDONE, error=False, text=typed)
        self.grid.start_time = lambda: self.header.start_edit.time().toString("HH:mm")
        self.grid.asking.connect(self._asking)
        self.grid.answered.connect(self.clear_message)
        self.feedback = MessageArea(
            self.message_label,
            {
                **{f: uiloader.child(dialog, QWidget, name) for f, name in HEADER_FIELDS.items()},
                **dict.fromkeys(CELL_FIELDS, self.table),
            },
            rows=self._point_row,
            on_refusal=self.failed.emit,
            on_clear=self.model.clear_mark,
        )
        self.ops = Ops(self, feedback=self.feedback)
        self.dates = BackdateCheck(dialog, self.ops, ctx)  # asks before a far-back date
        watch(self, ctx.db, self._changed, ("patrol_shift",))
        self._tab_order()

        self.draft_timer = QTimer(self)
        self.draft_timer.setSingleShot(True)
        self.draft_timer.setInterval(DRAFT_DELAY_MS)
        self.draft_timer.timeout.connect(self.save_draft)
        self._connect()

        if shift_id is None:
            self._defaults()
            self._restore_draft()
        self._retranslate()
        self._read_sheet()

    def _read_sheet(self) -> None:
        """The shift, the catalogue and the user's name, off the GUI thread.

        A new shift can be typed meanwhile (its draft is on this computer);
        a submitted one waits, so what the database holds is not typed over."""
        ctx, shift_id = self._ctx, self.shift_id
        busy: list[QWidget] = [self.submit_button, self.print_button]
        if shift_id is not None and self.view is None:
            busy += [
                uiloader.child(self.dialog, QWidget, name) for name in ("shiftBox", "encountersBox")
            ]
        self.ops.query(
            lambda: with_item_keys(patrol.shift_sheet(ctx, shift_id)),
            self._sheet_read,
            latest="sheet",
            busy=busy,
        )

    def _changed(self, changes: Changes) -> None:
        """A commit touched the shift being corrected (another desk, another window)."""
        shift_id = self.shift_id
        if shift_id is None or self.saving is not None:
            return  # a new shift, or our own submit on its way
        if changes.touches("patrol_shift", shift_id):
            self._read_sheet()

    def _sheet_read(self, sheet: patrol.ShiftSheet) -> None:
        self.sheet = sheet
        self.user_name = sheet.user_name
        self.catalogue = sheet.catalogue
        self.delegate.catalogue = sheet.catalogue
        self.grid.usual_action = sheet.usual_action
        if sheet.shift is not None:
            if self.view is None or self.state() == self._loaded_state:
                self.load(sheet.shift)
            elif sheet.shift != self.view:
                self.feedback.tell(CHANGED_ELSEWHERE, Level.WARNING)
        elif not self.header.members_edit.text().strip() and sheet.user_name:
            self._restoring = True  # the team member's own name is no draft yet
            try:
                self.header.members_edit.setText(sheet.user_name)
            finally:
                self._restoring = False

    # ------------------------------------------------------------ building

    def _tab_order(self) -> None:
        # The check boxes are made in code: put them in the order they are seen.
        h = self.header
        chain: list[QWidget] = [
            h.date_edit,
            h.start_edit,
            h.end_edit,
            h.members_edit,
            *h.partners.values(),
            h.staff_spin,
            h.vehicle_spin,
            h.weather_edit,
            h.temperature_edit,
            *h.areas.values(),
            h.area_notes_edit,
            self.table,
            self.add_row_button,
            self.remove_row_button,
            self.open_arrival_button,
            self.print_button,
            self.submit_button,
            self.close_button,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _connect(self) -> None:
        h = self.header
        h.date_edit.dateChanged.connect(self._edited)
        for edit in (h.start_edit, h.end_edit):
            edit.timeChanged.connect(self._edited)
            edit.timeChanged.connect(self._show_end_day)
        h.date_edit.dateChanged.connect(self._show_end_day)
        for spin in (h.staff_spin, h.vehicle_spin):
            spin.valueChanged.connect(self._edited)
        for line in h.line_edits:
            line.textChanged.connect(self._edited)
            line.installEventFilter(self)
        for box in (*h.partners.values(), *h.areas.values()):
            box.toggled.connect(self._edited)
        self.model.dataChanged.connect(self._cells_changed)
        for signal in (
            self.model.rowsInserted,
            self.model.rowsRemoved,
            self.model.modelReset,
        ):
            signal.connect(self._edited)
        self.add_row_button.clicked.connect(self.grid.add_row)
        self.remove_row_button.clicked.connect(self.grid.ask_remove)
        self.submit_button.clicked.connect(self.submit)
        self.close_button.clicked.connect(self.close)
        self.open_arrival_button.clicked.connect(self._open_arrival)
        self.print_button.clicked.connect(self.print_record)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            submit = QShortcut(QKeySequence(keys), self.dialog)
            submit.setContext(Qt.ShortcutContext.WindowShortcut)
            submit.activated.connect(self.submit)
        remove = QShortcut(QKeySequence("Ctrl+Delete"), self.dialog)
        remove.activated.connect(self.grid.ask_remove)
        self.dialog.installEventFilter(self)

    def _defaults(self) -> None:
        """A blank shift (not a draft until something is typed)."""
        h = self.header
        self._restoring = True
        try:
            set_day(h.date_edit, today_in_china())
            h.start_edit.setTime(QTime(20, 0))
            h.end_edit.setTime(QTime(0, 0))
            h.members_edit.setText(self.user_name or "")
            h.staff_spin.setValue(1)
            self.model.set_rows([EncounterRow()])
        finally:
            self._restoring = False

    @override
    def _retranslate(self) -> None:
        self.model.retranslate()
        self._show_end_day()
        if self.view is None:
            self.dialog.setWindowTitle(_(TITLE_NEW))
        else:
            self.dialog.setWindowTitle(_(TITLE_EDIT).format(day=day_text(self.view.shift_date)))
        if self._draft_line is not None:
            msgid, params = self._draft_line
            self.draft_label.setText(_(msgid).format(**params))

    def _show_end_day(self) -> None:
        h = self.header
        if h.ends_next_day():
            day = day_text(h.ended_at().date())
            self.end_day_label.setText(_(NEXT_DAY).format(day=day))
        else:
            self.end_day_label.setText("")

    # ------------------------------------------------------------ keys

    def _asking(self, row: int, place: str) -> None:
        self.show_message(CONFIRM_REMOVE, error=False, row=row, place=place)

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.dialog:
            # closed, or hidden (minimised): the draft on disk is complete
            if event.type() in (QEvent.Type.Close, QEvent.Type.Hide):
                self.keep_draft()
            elif (
                event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)
                and event.key() == Qt.Key.Key_Escape
            ):
                return True  # Esc leaves a cell; pressed once more it must not close the shift
        elif (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in ENTER
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            and isinstance(watched, QWidget)
        ):
            watched.focusNextChild()  # Enter in the header moves on like Tab
            return True
        return False

    # ------------------------------------------------------------ drafts

    def _cells_changed(self, _top: object, _bottom: object, roles: list[int]) -> None:
        if Qt.ItemDataRole.EditRole in roles:
            self._edited()

    def _edited(self, *_args: object) -> None:
        if self._restoring or self.shift_id is not None or self.saving is not None:
            return
        self._dirty = True
        self.draft_timer.start()

    def state(self) -> dict[str, Any]:
        """Everything typed, as plain data (what a draft keeps)."""
        rows = [r.to_json() for r in self.model.rows]
        pending = self.delegate.pending_text()
        if pending is not None:  # the cell being typed in counts too
            row, column, text = pending
            if row < len(rows) and COLUMNS[column][0] != "action":
                rows[row][COLUMNS[column][0]] = text
        return {"header": self.header.state(), "rows": rows}

    def restore(self, state: dict[str, Any]) -> None:
        self._restoring = True
        try:
            self.header.restore(state["header"])
            rows = [EncounterRow.from_json(r) for r in state.get("rows", [])]
            self.model.set_rows(rows or [EncounterRow()])
        finally:
            self._restoring = False
        self._show_end_day()

    def save_draft(self) -> None:
        """Write the draft now (the timer does this 300 ms after an edit)."""
        self.draft_timer.stop()
        if self.shift_id is not None:
            return
        try:
            self.store.save(self.state())
        except OSError as exc:
            log.error("the shift draft could not be written", exc_info=exc)
            self.show_message(DRAFT_NOT_SAVED, error=True, reason=exc.strerror or str(exc))
            return
        self._dirty = False
        self.draft_saved.emit()

    def keep_draft(self) -> None:
        """Closing, hiding or submitting: the draft on disk gets the last key."""
        if (
            self._dirty
            and self.shift_id is None
            and self.saving is None
            and shiboken6.isValid(self.dialog)
        ):
            self.save_draft()

    def _restore_draft(self) -> None:
        try:
            draft = self.store.load()
        except DraftUnreadable as exc:
            log.warning("shift draft set aside as %s", exc.set_aside)
            self.show_message(DRAFT_SET_ASIDE, error=True, path=str(exc.set_aside))
            return
        if draft is None:
            return
        try:
            self.restore(draft.state)
        except (KeyError, ValueError, TypeError) as exc:
            log.warning("shift draft not usable: %s", exc)
            self.store.delete()
            self._defaults()
            self.show_message(DRAFT_SET_ASIDE, error=True, path=str(self.store.path))
            return
        at = clock_text(draft.saved_at)
        self._draft_line = (RESTORED, {"time": at})
        self.draft_label.setText(_(RESTORED).format(time=at))
        self.draft_label.show()

    # ------------------------------------------------------------ values

    def load(self, view: patrol.ShiftView) -> None:
        """Show a saved shift (replacing what the form holds)."""
        self._restoring = True
        try:
            self.view = view
            self.shift_id = view.id
            self.print_button.setEnabled(True)
            self.header.load(view)
            self.model.set_rows([EncounterRow.of(e) for e in view.encounters] or [EncounterRow()])
        finally:
            self._restoring = False
        self._loaded_state = self.state()  # changed from this: typed, not yet saved
        self._retranslate()

    def shift_input(self) -> tuple[patrol.ShiftInput, list[int]]:
        """What the form holds, and the grid row of each encounter sent."""
        self.delegate.commit_open_editor()
        h = self.header
        started = h.started_at()
        sent: list[int] = []
        encounters: list[patrol.EncounterInput] = []
        for index, r in enumerate(self.model.rows):
            if r.is_blank() and r.action is None:
                continue  # the empty row Enter added last
            encounters.append(
                to_input(
                    r,
                    index,
                    shift_date=h.shift_date,
                    started_at=started,
                    catalogue=self.catalogue,
                    columns=COLUMN,
                )
            )
            sent.append(index)
        return h.shift_input(self.user_name, self.user_id, encounters), sent

    # ------------------------------------------------------------ submitting

    def submit(self) -> None:
        """Check and save the shift off the GUI thread."""
        if self.saving is not None and self.saving.running:
            return
        if self.sheet is None:
            # Not before the shift, the catalogue and the team member are read
            # (Ctrl+Enter bypasses the disabled button): a shift opened for
            # correction would be written over with the empty form. A read that
            # failed is tried again.
            if not self.ops.reading("sheet"):
                self._read_sheet()
            return
        self.clear_message()
        if not take_typed(self.dialog):
            return  # a date typed (Ctrl+Enter before Tab) that is no date
        try:
            data, sent = self.shift_input()
        except UserError as exc:
            self.feedback.refusal(exc)
            return
        self._sent = sent
        days = [("shift_date", data.shift_date)]
        if self.view is not None and self.view.shift_date == data.shift_date:
            days = []  # a correction of an old shift: its date was confirmed before
        if self.dates.box is None:  # a question open already waits for its answer
            self.dates.confirm(days, lambda: self._send(data))

    def _send(self, data: patrol.ShiftInput) -> None:
        if self.saving is not None and self.saving.running:
            return
        ctx, shift_id = self._ctx, self.shift_id
        self.keep_draft()  # should the window go while saving, the draft holds it all
        busy = [self.submit_button, self.add_row_button, self.remove_row_button, self.print_button]
        store = self.store

        def submit_new() -> patrol.ShiftView:
            view = patrol.submit_shift(ctx, data)
            # With the shift, in the writer: whatever becomes of the window, and
            # before the form says it is saved.
            _drop_draft(store)
            return view

        if shift_id is None:
            self.saving = self.ops.write(
                submit_new, self._submitted, busy=busy, failed=self._failed
            )
        else:
            self.saving = self.ops.write(
                lambda: patrol.update_shift(ctx, shift_id, data),
                self._submitted,
                busy=busy,
                failed=self._failed,
            )

    def _submitted(self, view: patrol.ShiftView) -> None:
        self.saving = None
        known = {e.help_request_id for e in self.view.encounters} if self.view else set()
        self.arrivals = [
            e.help_request_id
            for e in view.encounters
            if e.help_request_id is not None and e.help_request_id not in known
        ]
        self.load(view)
        self._draft_line = None
        self.draft_label.hide()
        if view.warnings:
            self.feedback.tell(SAVED_WARNINGS, Level.WARNING, warnings=view.warnings)
        elif self.arrivals:
            self.show_message(SAVED_ARRIVALS, error=False, count=len(self.arrivals))
        else:
            self.show_message(SAVED, error=False)
        self.open_arrival_button.setVisible(bool(self.arrivals))
        self.submitted.emit(view)

    def _failed(self, exc: BaseException) -> None:
        self.saving = None
        self._edited()  # the draft was held back while saving
        self.ops.report(exc)

    def _point_row(self, exc: UserError) -> QWidget | None:
        """Mark the cell of the grid a refusal names (its row and column)."""
        if isinstance(exc, CellError):
            row, column = exc.row, exc.column
        else:
            name = CELL_FIELDS.get(exc.field or "")
            if name is None or exc.row is None or not 0 <= exc.row < len(self._sent):
                return None
            row, column = self._sent[exc.row], COLUMN[name]
        self.grid.point(row, column)
        return self.table

    def show_message(self, msgid: str, *, error: bool, **params: Any) -> None:
        """A message id shown in the form (kept translated on a language switch)."""
        self.feedback.tell(msgid, Level.ERROR if error else Level.INFORMATION, **params)

    def clear_message(self) -> None:
        self.feedback.clear()

    # ------------------------------------------------------------ window

    def print_record(self) -> PrintPreview | None:
        """Preview the record of the saved shift; print it or save the PDF from there."""
        if self.shift_id is None or self.view is None:
            return None
        # pdfium loads with the preview, not when the application starts
        from station_app.gui.print_preview import open_preview
        from station_app.services.patrol_print import print_patrol_shift

        ctx, shift_id = self._ctx, self.shift_id

        def make_pdf(out: Path) -> object:
            return print_patrol_shift(ctx, shift_id, out)

        self.preview = open_preview(
            PATROL_RECORD_TITLE,
            make_pdf,
            self.dialog,
            f"{self.view.shift_date.isoformat()} {shift_id}",
            self.preview_opened,
        )
        return self.preview

    def _open_arrival(self) -> None:
        if self.arrivals:
            self.open_request.emit(self.arrivals[0])

    @override
    def close(self) -> None:
        if shiboken6.isValid(self.dialog):
            self.keep_draft()
        super().close()
