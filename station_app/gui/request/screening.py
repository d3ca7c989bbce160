"""The screening tab: the observations, a live view of what the routing rule
decides and why (the rule itself is :func:`station_app.domain.screening.route_for`),
the handover and the way back."""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
)
from typing_extensions import override

from station_app.domain import age as age_rules
from station_app.domain.enums import OPEN_STATUSES, HandoverRoute, RequestStatus
from station_app.domain.errors import N_
from station_app.domain.labels import enum_label
from station_app.gui.formatting import china_text, moment_of, optional, reset_to_now, today_in_china
from station_app.gui.widgets.combos import choose, fill_combo, retranslate_combo
from station_app.gui.widgets.tables import fill_table, set_headers, setup_table
from station_app.i18n import _
from station_app.services import desk

from .base import RequestTab

if TYPE_CHECKING:
    from station_app.gui.request_window import RequestWindow

HANDOVER_HEADERS = (
    N_("Handed over to"),
    N_("Receiving unit"),
    N_("Received by"),
    N_("Time of handover"),
    N_("Came back"),
)
ROUTE = N_("The rule decides: {route}")
NO_ROUTE = N_("The rule decides: no handover; the station decides on help.")
CLOSED = N_("This help request is {status}: it cannot be screened or handed over now.")
SCREENED = N_("The screening is recorded.")
HANDED_OVER = N_("The handover is recorded.")
CAME_BACK = N_("The return to the station is recorded.")


def _camel(key: str) -> str:
    first, *rest = key.split("_")
    return first + "".join(part.title() for part in rest)


FLAG_KEYS = tuple(f.name for f in fields(desk.ScreeningFlags))


class ScreeningTab(RequestTab):
    def __init__(self, window: RequestWindow) -> None:
        super().__init__(window, "screening")
        self.screened_at_edit = self.time_edit("screenedAtEdit")
        self.flag_checks = {key: self.child(QCheckBox, f"{_camel(key)}Check") for key in FLAG_KEYS}
        self.looks_minor_check = self.child(QCheckBox, "looksMinorCheck")
        self.physical_edit = self.child(QLineEdit, "physicalEdit")
        self.mental_edit = self.child(QLineEdit, "mentalEdit")
        self.intellectual_edit = self.child(QLineEdit, "intellectualEdit")
        self.injuries_edit = self.child(QLineEdit, "injuriesEdit")
        self.route_label = self.child(QLabel, "routeLabel")
        self.reasons_label = self.child(QLabel, "routeReasonsLabel")
        self.record_button = self.child(QPushButton, "recordScreeningButton")
        self.handover_box = self.child(QGroupBox, "handoverBox")
        self.route_combo = self.child(QComboBox, "handoverRouteCombo")
        self.unit_edit = self.child(QLineEdit, "receivingUnitEdit")
        self.person_edit = self.child(QLineEdit, "receivingPersonEdit")
        self.handed_at_edit = self.time_edit("handedAtEdit")
        self.hand_over_button = self.child(QPushButton, "handOverButton")
        self.handovers_table = self.child(QTableWidget, "handoversTable")
        self.came_back_edit = self.time_edit("cameBackAtEdit")
        self.came_back_button = self.child(QPushButton, "cameBackButton")
        self.route_label.setStyleSheet("font-weight: bold;")
        fill_combo(self.route_combo, HandoverRoute, blank=True)
        setup_table(self.handovers_table)
        set_headers(self.handovers_table, HANDOVER_HEADERS)
        self.map_fields(
            screened_at="screenedAtEdit",
            physical_state="physicalEdit",
            mental_state="mentalEdit",
            intellectual_state="intellectualEdit",
            visible_injuries="injuriesEdit",
            route="handoverRouteCombo",
            receiving_unit="receivingUnitEdit",
            receiving_person="receivingPersonEdit",
            handed_at="handedAtEdit",
            came_back_at="cameBackAtEdit",
        )
        for check in (*self.flag_checks.values(), self.looks_minor_check):
            check.toggled.connect(self.show_routing)
        self.record_button.clicked.connect(self.record)
        self.hand_over_button.clicked.connect(self.hand_over)
        self.came_back_button.clicked.connect(self.came_back)
        self._age: int | None = None
        self._handovers: tuple[desk.HandoverView, ...] = ()

    def flags(self) -> desk.ScreeningFlags:
        values = {key: check.isChecked() for key, check in self.flag_checks.items()}
        return desk.ScreeningFlags(**values)

    def routing(self) -> desk.Routing:
        """What the rule decides for the boxes ticked now (nothing is saved)."""
        return desk.route_for(
            self.flags(), self._age, looks_minor=self.looks_minor_check.isChecked()
        )

    def show_routing(self) -> None:
        routing = self.routing()
        if routing.route is None:
            self.route_label.setText(_(NO_ROUTE))
        else:
            self.route_label.setText(_(ROUTE).format(route=_(enum_label(routing.route))))
        self.reasons_label.setText("\n".join(f"• {_(r)}" for r in routing.reasons))

    @override
    def refresh(self, sheet: desk.RequestSheet) -> None:
        record = sheet.record
        person = record.person
        self._age = age_rules.effective_age(
            person.birth_date, person.estimated_age, person.age_estimated_on, today_in_china()
        )
        status = record.request.status
        self.gate(
            None if status in OPEN_STATUSES or status is RequestStatus.HANDED_OVER else CLOSED,
            status=_(enum_label(status)),
        )
        is_open = status in OPEN_STATUSES
        for widget in (
            self.record_button,
            self.hand_over_button,
            self.route_combo,
            self.unit_edit,
            self.person_edit,
            self.handed_at_edit,
        ):
            widget.setEnabled(is_open)
        pending = [h for h in record.handovers if h.came_back_at is None]
        handed_over = status is RequestStatus.HANDED_OVER and bool(pending)
        self.came_back_edit.setEnabled(handed_over)
        self.came_back_button.setEnabled(handed_over)
        s = record.screening
        if s is not None and self.route_combo.currentData() is None and s.route is not None:
            choose(self.route_combo, s.route)
        for edit in (self.screened_at_edit, self.handed_at_edit, self.came_back_edit):
            reset_to_now(edit)
        self._handovers = record.handovers
        fill_table(
            self.handovers_table,
            [
                (
                    _(enum_label(h.route)),
                    h.receiving_unit,
                    h.receiving_person or "",
                    china_text(h.handed_at),
                    china_text(h.came_back_at),
                )
                for h in record.handovers
            ],
        )
        self.show_routing()

    def record(self) -> None:
        data = desk.ScreeningInput(
            screened_at=moment_of(self.screened_at_edit),
            flags=self.flags(),
            looks_minor=self.looks_minor_check.isChecked(),
            physical_state=optional(self.physical_edit.text()),
            mental_state=optional(self.mental_edit.text()),
            intellectual_state=optional(self.intellectual_edit.text()),
            visible_injuries=optional(self.injuries_edit.text()),
        )
        ctx, request_id = self.ctx, self.request_id
        self.ops.write(lambda: desk.record_screening(ctx, request_id, data), self._screened)

    def _screened(self, result: object) -> None:
        reset_to_now(self.screened_at_edit, force=True)
        if isinstance(result, desk.ScreeningView) and result.route is not None:
            choose(self.route_combo, result.route)
        self.done(SCREENED)

    def hand_over(self) -> None:
        route = self.route_combo.currentData()
        data = desk.HandoverInput(
            handed_at=moment_of(self.handed_at_edit),
            receiving_unit=self.unit_edit.text(),
            receiving_person=self.person_edit.text(),
            route=HandoverRoute(route) if route else None,
        )
        ctx, request_id = self.ctx, self.request_id
        self.ops.write(
            lambda: desk.hand_over(ctx, request_id, data),
            lambda _r: self.done(HANDED_OVER),
        )

    def came_back(self) -> None:
        pending = [h for h in self._handovers if h.came_back_at is None]
        if not pending:
            return
        handover_id, at = pending[-1].id, moment_of(self.came_back_edit)
        ctx = self.ctx
        self.ops.write(
            lambda: desk.record_return(ctx, handover_id, at),
            lambda _r: self.done(CAME_BACK),
        )

    @override
    def retranslate(self) -> None:
        super().retranslate()
        retranslate_combo(self.route_combo)
        set_headers(self.handovers_table, HANDOVER_HEADERS)
        self.show_routing()
