"""Entering a patrol shift after it (issue 6): the team and the night, then
every person met in a grid typed end to end with the keyboard.

Keys: Tab or Enter moves to the next field or cell; Enter on the last cell of
the last row adds a person met (time taken from the row before); F4 or
Alt+Down opens the action list; Delete on a row (Ctrl+Delete while typing in
it) asks in the message line, a second Delete removes it; Ctrl+Enter submits.

A new shift is a draft on disk from the first key (:class:`DraftStore`,
written 300 ms after the last edit and when the window closes) and is
restored when the form opens again; a successful submit deletes it. The
submit runs off the GUI thread; a refusal is shown in the form with the field
(and the row of the grid) highlighted, and nothing typed is lost.
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
    QDialog,
    QLabel,
    QPushButton,
    QTableView,
    QWidget,
)

from station_app.domain.errors import N_, UserError
from station_app.domain.labels import field_label
from station_app.gui import dialogs, uiloader
from station_app.gui.request.common import CHINA, INVALID_STYLE, set_day, today_in_china
from station_app.gui.tasks import BackgroundTask, Progress
from station_app.i18n import _
from station_app.services import patrol, supplies, users
from station_app.services.context import Context

from .drafts import DraftStore, DraftUnreadable
from .encounter_model import COLUMN, COLUMNS
from .grid import ENTER, EncounterGrid, person_hits
from .header import HEADER_FIELDS, NEXT_DAY, ShiftHeader
from .refusals import CELL_FIELDS, blamed_row
from .rows import CellError, EncounterRow, to_input

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
SAVED = N_("The shift is saved.")
SAVED_ARRIVALS = N_("The shift is saved; {count} brought to the station wait at the desk.")
SAVED_WARNINGS = N_("The shift is saved. Please check: {warnings}")


class ShiftForm(QObject):
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
        super().__init__()
        self._ctx = ctx
        self.shift_id = shift_id
        dialog = uiloader.load_ui("patrol_shift_form.ui", parent, on_retranslate=self._retranslate)
        assert isinstance(dialog, QDialog)
        self.dialog = dialog
        self.setParent(dialog)  # the dialog keeps its controller alive
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.store = draft_store or DraftStore(ctx.station_id, ctx.actor.username)
        self.saving: BackgroundTask | None = None
        self.view: patrol.ShiftView | None = None
        self.arrivals: list[int] = []  # help requests made by the last submit
        self._invalid: list[QWidget] = []
        self._restoring = False
        self._dirty = False  # typed since the draft was last written
        self._message: tuple[str, dict[str, Any], bool] | None = None
        self._draft_line: tuple[str, dict[str, Any]] | None = None

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
        self.message_label.hide()
        self.draft_label.hide()
        self.open_arrival_button.hide()

        self.user_id = ctx.actor.user_id
        self.user_name = users.current_user(ctx).display_name if self.user_id else None
        self.catalogue = supplies.list_items(ctx)
        self.grid = EncounterGrid(
            self.table,
            lambda query: person_hits(ctx, query),
            [i.name_zh for i in self.catalogue],
            self,
        )
        self.model, self.delegate = self.grid.model, self.grid.delegate
        self.delegate.on_typing = self._edited
        self.grid.asking.connect(self._asking)
        self.grid.answered.connect(self.clear_message)
        self._tab_order()

        self.draft_timer = QTimer(self)
        self.draft_timer.setSingleShot(True)
        self.draft_timer.setInterval(DRAFT_DELAY_MS)
        self.draft_timer.timeout.connect(self.save_draft)
        self._connect()

        if shift_id is not None:
            self.load(patrol.get_shift(ctx, shift_id))
        else:
            self._defaults()
            self._restore_draft()
        self._retranslate()

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

    def _retranslate(self) -> None:
        self.model.retranslate()
        self._show_end_day()
        if self.view is None:
            self.dialog.setWindowTitle(_(TITLE_NEW))
        else:
            self.dialog.setWindowTitle(_(TITLE_EDIT).format(day=self.view.shift_date.isoformat()))
        if self._draft_line is not None:
            msgid, params = self._draft_line
            self.draft_label.setText(_(msgid).format(**params))
        if self._message is not None:
            msgid, params, error = self._message
            self._set_message(_(msgid).format(**params), error=error)

    def _show_end_day(self) -> None:
        h = self.header
        if h.ends_next_day():
            day = h.ended_at().date().isoformat()
            self.end_day_label.setText(_(NEXT_DAY).format(day=day))
        else:
            self.end_day_label.setText("")

    # ------------------------------------------------------------ keys

    def _asking(self, row: int, place: str) -> None:
        self.show_message(CONFIRM_REMOVE, error=False, row=row, place=place)

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
        at = draft.saved_at.astimezone(CHINA).strftime("%H:%M")
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
            self.print_button.setEnabled(self.saving is None)
            self.header.load(view)
            self.model.set_rows([EncounterRow.of(e) for e in view.encounters] or [EncounterRow()])
        finally:
            self._restoring = False
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
        if self.saving is not None:
            return
        self.clear_message()
        try:
            data, sent = self.shift_input()
        except UserError as exc:
            self.show_error(exc, data=None, sent=[])
            return
        ctx, shift_id = self._ctx, self.shift_id

        def work(_progress: Progress) -> patrol.ShiftView:
            if shift_id is None:
                return patrol.submit_shift(ctx, data)
            return patrol.update_shift(ctx, shift_id, data)

        self.keep_draft()  # should the window go while saving, the draft holds it all
        self._set_busy(True)
        self.saving = BackgroundTask(work, self)
        self.saving.finished.connect(self._submitted)
        self.saving.failed.connect(lambda exc: self._failed(exc, data, sent))
        self.saving.start()

    def _set_busy(self, busy: bool) -> None:
        for button in (self.submit_button, self.add_row_button, self.remove_row_button):
            button.setEnabled(not busy)
        # what is printed is what the database holds: not while it changes
        self.print_button.setEnabled(not busy and self.shift_id is not None)

    def _submitted(self, view: patrol.ShiftView) -> None:
        self.saving = None
        if not shiboken6.isValid(self.dialog):
            self.store.delete()
            return
        self._set_busy(False)
        new = self.shift_id is None
        if new:
            self.store.delete()
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
            text = " ".join(w.render(_) for w in view.warnings)
            self.show_message(SAVED_WARNINGS, error=False, warnings=text)
        elif self.arrivals:
            self.show_message(SAVED_ARRIVALS, error=False, count=len(self.arrivals))
        else:
            self.show_message(SAVED, error=False)
        self.open_arrival_button.setVisible(bool(self.arrivals))
        self.submitted.emit(view)

    def _failed(self, exc: BaseException, data: patrol.ShiftInput, sent: list[int]) -> None:
        self.saving = None
        if not shiboken6.isValid(self.dialog):
            return
        self._set_busy(False)
        self._edited()  # the draft was held back while saving
        self.show_error(exc, data=data, sent=sent)

    def show_error(
        self, exc: BaseException, *, data: patrol.ShiftInput | None, sent: list[int]
    ) -> None:
        """Show a refusal in the form and point at the field (and row) at fault."""
        self.clear_message()
        self._message = None
        self._set_message(dialogs.error_text(exc), error=True)
        if isinstance(exc, UserError):
            field = exc.field or ""
            if isinstance(exc, CellError):
                self._point_cell(exc.row, exc.column)
            elif field in CELL_FIELDS:
                names = {i.id: i.name_zh for i in self.catalogue}
                row = blamed_row(exc, data, sent, names)
                self._point_cell(row, COLUMN[CELL_FIELDS[field]])
            elif field in HEADER_FIELDS:
                widget = uiloader.child(self.dialog, QWidget, HEADER_FIELDS[field])
                widget.setProperty("invalid", True)
                widget.setStyleSheet(INVALID_STYLE)
                widget.setToolTip(_(field_label(field)))
                self._invalid.append(widget)
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
        self.failed.emit(self.message_label.text())

    def _point_cell(self, row: int | None, column: int) -> None:
        self.table.setProperty("invalid", True)
        self._invalid.append(self.table)
        self.grid.point(row, column)

    def show_message(self, msgid: str, *, error: bool, **params: Any) -> None:
        """A message id shown in the form (kept translated on a language switch)."""
        self._message = (msgid, params, error)
        self._set_message(_(msgid).format(**params), error=error)

    def _set_message(self, text: str, *, error: bool) -> None:
        self.message_label.setText(text)
        self.message_label.setStyleSheet("color: #c0392b;" if error else "color: #1e6b30;")
        self.message_label.show()

    def clear_message(self) -> None:
        self._message = None
        self.message_label.clear()
        self.message_label.hide()
        self.model.clear_mark()
        for widget in self._invalid:
            if shiboken6.isValid(widget):
                widget.setProperty("invalid", False)
                widget.setStyleSheet("")
                widget.setToolTip("")
        self._invalid = []

    # ------------------------------------------------------------ window

    def print_record(self) -> PrintPreview | None:
        """Preview the record of the saved shift; print it or save the PDF from there."""
        if self.shift_id is None or self.view is None:
            return None
        # pdfium loads with the preview, not when the application starts
        from station_app.gui.print_preview import PrintPreview
        from station_app.printing.documents.patrol_shift import TITLE
        from station_app.services.patrol_print import print_patrol_shift

        ctx, shift_id = self._ctx, self.shift_id

        def make_pdf(out: Path) -> object:
            return print_patrol_shift(ctx, shift_id, out)

        preview = PrintPreview(
            TITLE,
            make_pdf,
            self.dialog,
            suggested_name=f"patrol-shift-{self.view.shift_date.isoformat()}-{shift_id}.pdf",
        )
        self.preview = preview
        preview.show()
        self.preview_opened.emit(preview)
        return preview

    def _open_arrival(self) -> None:
        if self.arrivals:
            self.open_request.emit(self.arrivals[0])

    def show(self) -> None:
        self.dialog.show()
        self.dialog.activateWindow()

    def close(self) -> None:
        if shiboken6.isValid(self.dialog):
            self.keep_draft()
            uiloader.discard(self.dialog)
