"""The patrol page: the shifts of the last 60 days and this month's figures
for the bureau; a new shift, or a submitted one opened for correction.

Both are read off the GUI thread when the page is made, on Refresh, and when
a commit touches patrol shifts (a shift form submitting, another desk).
"""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import QHeaderView, QLabel, QPushButton, QTableView, QWidget
from typing_extensions import override

from station_app.domain.errors import N_
from station_app.gui import dialogs, ops, uiloader, watching
from station_app.gui.feedback import Level, show_level
from station_app.gui.formatting import CHINA, clock_text, day_text, number_text, today_in_china
from station_app.gui.models.rows import RowsModel
from station_app.i18n import _
from station_app.services import patrol
from station_app.services.context import Context

from .drafts import DraftStore
from .shift_form import ShiftForm

Index = QModelIndex | QPersistentModelIndex
SHIFT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
TEAM_COLUMN = 2

FIGURES = N_(
    "This month — shifts: {shifts}; staff person-times: {staff}; vehicle-times: {vehicles}; "
    "people met: {encounters}; brought to the station: {brought}."
)
LOADING = N_("Reading the patrol records…")
FAILED = N_("The patrol records could not be read: {reason}")
NEXT_DAY_MARK = N_("{end} (next day)")


# what the page shows: shifts, the people met, the items handed out
TABLES = ("patrol_shift", "encounter", "patrol_member")


class ShiftListModel(RowsModel[patrol.ShiftSummary]):
    """Recent shifts, latest first (the service's order)."""

    NUMBER_COLUMNS = frozenset({3, 4, 5, 6})

    HEADERS = (
        N_("Date"),
        N_("Time"),
        N_("Team members"),
        N_("Staff (person-times)"),
        N_("Vehicles (vehicle-times)"),
        N_("People met"),
        N_("Brought in"),
    )

    @override
    def _data(self, s: patrol.ShiftSummary, column: int, role: int) -> Any:
        if role == SHIFT_ID_ROLE:
            return s.id
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column == 0:
            return day_text(s.shift_date)
        if column == 1:
            start, end = s.started_at.astimezone(CHINA), s.ended_at.astimezone(CHINA)
            end_text = clock_text(end)
            if end.date() > start.date():
                end_text = _(NEXT_DAY_MARK).format(end=end_text)
            return f"{clock_text(start)}–{end_text}"
        if column == 2:
            return "、".join(s.members)
        values = (s.staff_count, s.vehicle_count, s.encounters, s.brought_in)
        return number_text(values[column - 3])


class PatrolPage(QObject):
    """Controller of ``ui/patrol_page.ui``; the page is :attr:`page`."""

    open_request = Signal(int)  # an arrival at the desk made by an encounter
    loaded = Signal(object)  # the RecentPatrols now on screen
    form_opened = Signal(object)  # ShiftForm

    def __init__(
        self, ctx: Context, parent: QWidget | None = None, *, draft_store: DraftStore | None = None
    ) -> None:
        super().__init__()
        self._ctx = ctx
        self._draft_store = draft_store
        page = uiloader.load_ui("patrol_page.ui", parent, on_retranslate=self._retranslate)
        self.page = page
        self.setParent(page)  # the page keeps its controller alive
        self.figures_label = uiloader.child(page, QLabel, "figuresLabel")
        self.error_label = uiloader.child(page, QLabel, "errorLabel")
        self.refresh_button = uiloader.child(page, QPushButton, "refreshButton")
        self.new_button = uiloader.child(page, QPushButton, "newShiftButton")
        self.table = uiloader.child(page, QTableView, "shiftsTable")
        self.error_label.hide()
        self.ops = ops.Ops(self, busy=[self.refresh_button])
        watching.watch(self, ctx.db, lambda _changes: self.refresh(), TABLES, page=page)
        self.view: patrol.RecentPatrols | None = None
        self.form: ShiftForm | None = None  # the last form opened
        self._new_form: ShiftForm | None = None  # the new shift being typed
        self._corrections: dict[int, ShiftForm] = {}  # submitted shifts open for correction
        self._error: BaseException | None = None

        self.model = ShiftListModel(self)
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(TEAM_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._activated)  # double click, or Enter
        self.new_button.clicked.connect(lambda: self.open_form(None))
        self.refresh_button.clicked.connect(self.refresh)
        self.refresh()

    # ------------------------------------------------------------ loading

    @property
    def loading(self) -> bool:
        return self.ops.reading("recent")

    def refresh(self) -> None:
        """Read the shifts and figures again off the GUI thread; :attr:`loaded` follows."""
        ctx, today = self._ctx, today_in_china()
        if self.view is None:
            self.figures_label.setText(_(LOADING))
        self.ops.query(
            lambda: patrol.recent_patrols(ctx, today),
            self._loaded,
            latest="recent",
            failed=self._failed,
        )

    def _loaded(self, view: patrol.RecentPatrols) -> None:
        self.view, self._error = view, None
        self.model.set_rows(view.shifts)
        self.table.resizeColumnsToContents()
        self._show()
        self.loaded.emit(view)

    def _failed(self, exc: BaseException) -> None:
        self._error = exc
        self._show()

    def _show(self) -> None:
        view = self.view
        if view is not None:
            f = view.figures
            self.figures_label.setText(
                _(FIGURES).format(
                    shifts=f.shifts,
                    staff=f.staff_person_times,
                    vehicles=f.vehicle_times,
                    encounters=f.encounters,
                    brought=f.brought_in,
                )
            )
        exc = self._error
        if exc is None:
            self.error_label.hide()
        else:
            reason = dialogs.describe(exc)
            show_level(self.error_label, _(FAILED).format(reason=reason), Level.ERROR)

    # ------------------------------------------------------------ forms

    def open_form(self, shift_id: int | None) -> ShiftForm:
        """The shift form: a new shift (``None``) or a submitted one to correct.

        One new shift at a time (its draft is one file), and one form per
        submitted shift: opening it again brings back the form already open."""
        typing = self._new_form
        if (
            shift_id is None
            and typing is not None
            and shiboken6.isValid(typing.dialog)
            and typing.shift_id is None
            and typing.dialog.isVisible()
        ):
            typing.show()
            return typing
        for open_form in (typing, *self._corrections.values()):
            if (
                shift_id is not None
                and open_form is not None
                and shiboken6.isValid(open_form.dialog)
                and open_form.shift_id == shift_id
            ):
                open_form.show()  # brought to the front
                return open_form
        form = ShiftForm(self._ctx, shift_id, self.page.window(), draft_store=self._draft_store)
        form.open_request.connect(self.open_request)
        self.form = form
        if shift_id is None:
            self._new_form = form
        else:
            self._corrections[shift_id] = form
        form.show()
        self.form_opened.emit(form)
        return form

    def _activated(self, index: QModelIndex) -> None:
        shift_id = index.data(SHIFT_ID_ROLE)
        if isinstance(shift_id, int):
            self.open_form(shift_id)

    def _retranslate(self) -> None:
        self.model.retranslate()
        if self.view is None and self.loading:
            self.figures_label.setText(_(LOADING))
        self._show()
