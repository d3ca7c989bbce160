"""The safety page's forms about people: an incident (with the person it
happened to, where there is one) and a visitor or collector (with the person
visited). Both pick the person by search as you type; see :mod:`.dialogs` for
the reason asked for a change to a signed month."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QWidget,
)
from typing_extensions import override

from station_app.domain.enums import IncidentKind
from station_app.domain.errors import N_
from station_app.domain.text import has_tibetan
from station_app.gui import fonts, uiloader
from station_app.gui.formatting import (
    china_text,
    moment_of,
    optional,
    reset_to_now,
    set_moment,
    setup_time_edit,
)
from station_app.gui.widgets.combos import choose, fill_combo, retranslate_combo
from station_app.gui.widgets.person_picker import PersonPicker
from station_app.i18n import _
from station_app.services import safety
from station_app.services.context import Context

from .dialogs import REASON_FIELD, SafetyDialog

NEW_INCIDENT_TITLE = N_("New incident")
INCIDENT_TITLE = N_("Incident of {time}")
NEW_VISITOR_TITLE = N_("New visitor")
VISITOR_TITLE = N_("Visitor {name}")
NOBODY = N_("Nobody chosen")


class _PersonChoice:
    """The person a record is about: picked by search, or nobody."""

    def __init__(self, dialog: SafetyDialog, person_id: int | None, name: str | None) -> None:
        child = uiloader.child
        self.edit = child(dialog.dialog, QLineEdit, "personEdit")
        self.results = child(dialog.dialog, QListWidget, "personList")
        self.value = child(dialog.dialog, QLabel, "chosenValue")
        self.person_id = person_id
        self.name = name
        self._plain_font = self.value.font()
        self.picker = PersonPicker(dialog.ctx, self.edit, self.results, dialog)
        self.picker.chosen.connect(self._chosen)
        self.edit.textChanged.connect(self._typed)
        self.show()

    def _chosen(self, person_id: int, name: str) -> None:
        self.person_id, self.name = person_id, name
        self.show()

    def _typed(self, text: str) -> None:
        if not text.strip():  # the box emptied: the record is about nobody
            self.person_id, self.name = None, None
            self.show()

    def show(self) -> None:
        self.value.setText(self.name or _(NOBODY))
        tibetan = bool(self.name) and has_tibetan(self.name or "")
        self.value.setFont(fonts.tibetan_font() if tibetan else self._plain_font)


class IncidentDialog(SafetyDialog):
    """A fall, fight, absconding, illness or death: with the person, and what was done."""

    def __init__(
        self,
        ctx: Context,
        parent: QWidget | None = None,
        *,
        incident: safety.IncidentView | None = None,
        signed: bool = False,
    ) -> None:
        super().__init__(
            ctx,
            "safety_incident.ui",
            parent,
            signed=signed or bool(incident and incident.month_signed),
        )
        dialog = self.dialog
        child = uiloader.child
        self.incident = incident
        self.occurred_at_edit = child(dialog, QDateTimeEdit, "occurredAtEdit")
        self.kind_combo = child(dialog, QComboBox, "kindCombo")
        self.description_edit = child(dialog, QPlainTextEdit, "descriptionEdit")
        self.action_edit = child(dialog, QPlainTextEdit, "actionEdit")
        self.reported_to_edit = child(dialog, QLineEdit, "reportedToEdit")
        setup_time_edit(self.occurred_at_edit)
        fill_combo(self.kind_combo, list(IncidentKind))
        self.person = _PersonChoice(
            self,
            incident.person_id if incident else None,
            incident.person_name if incident else None,
        )
        self.fields = {
            "occurred_at": self.occurred_at_edit,
            "incident_kind": self.kind_combo,
            "person_id": self.person.edit,
            "help_request_id": self.person.edit,
            "description": self.description_edit,
            "action_taken": self.action_edit,
            "reported_to": self.reported_to_edit,
            REASON_FIELD: self.reason_edit,
        }
        if incident is None:
            reset_to_now(self.occurred_at_edit, force=True)
        else:
            set_moment(self.occurred_at_edit, incident.occurred_at)
            choose(self.kind_combo, incident.kind)
            self.description_edit.setPlainText(incident.description)
            self.action_edit.setPlainText(incident.action_taken or "")
            self.reported_to_edit.setText(incident.reported_to or "")
        self._retranslate()

    def data(self) -> safety.IncidentInput:
        kind = self.kind_combo.currentData()
        incident = self.incident
        same_person = incident is not None and incident.person_id == self.person.person_id
        return safety.IncidentInput(
            occurred_at=moment_of(self.occurred_at_edit),
            kind=IncidentKind(kind) if kind else IncidentKind.OTHER,
            description=self.description_edit.toPlainText(),
            action_taken=optional(self.action_edit.toPlainText()),
            reported_to=optional(self.reported_to_edit.text()),
            help_request_id=incident.help_request_id if incident and same_person else None,
            person_id=self.person.person_id,
        )

    @override
    def save(self) -> None:
        ctx, data, reason, incident = self.ctx, self.data(), self.reason, self.incident
        if incident is None:
            self.ops.write(lambda: safety.record_incident(ctx, data, reason=reason), self.written)
        else:
            self.ops.write(
                lambda: safety.update_incident(ctx, incident.id, data, reason=reason),
                self.written,
            )

    @override
    def _retranslate(self) -> None:
        retranslate_combo(self.kind_combo)
        if self.incident is None:
            self.dialog.setWindowTitle(_(NEW_INCIDENT_TITLE))
        else:
            self.dialog.setWindowTitle(
                _(INCIDENT_TITLE).format(time=china_text(self.incident.occurred_at))
            )
        if hasattr(self, "person"):
            self.person.show()


class VisitorDialog(SafetyDialog):
    """A visitor or a collector: who, from where, why, whom for, when in and out."""

    def __init__(
        self,
        ctx: Context,
        parent: QWidget | None = None,
        *,
        visitor: safety.VisitorView | None = None,
        signed: bool = False,
    ) -> None:
        super().__init__(
            ctx,
            "safety_visitor.ui",
            parent,
            signed=signed or bool(visitor and visitor.month_signed),
        )
        dialog = self.dialog
        child = uiloader.child
        self.visitor = visitor
        self.name_edit = child(dialog, QLineEdit, "nameEdit")
        self.id_number_edit = child(dialog, QLineEdit, "idNumberEdit")
        self.unit_edit = child(dialog, QLineEdit, "unitEdit")
        self.purpose_edit = child(dialog, QLineEdit, "purposeEdit")
        self.arrived_at_edit = child(dialog, QDateTimeEdit, "arrivedAtEdit")
        self.left_check = child(dialog, QCheckBox, "leftCheck")
        self.left_at_edit = child(dialog, QDateTimeEdit, "leftAtEdit")
        for edit in (self.arrived_at_edit, self.left_at_edit):
            setup_time_edit(edit)
        self.person = _PersonChoice(
            self,
            visitor.visited_person_id if visitor else None,
            visitor.visited_person_name if visitor else None,
        )
        self.fields = {
            "name": self.name_edit,
            "id_number": self.id_number_edit,
            "unit": self.unit_edit,
            "purpose": self.purpose_edit,
            "arrived_at": self.arrived_at_edit,
            "left_at": self.left_at_edit,
            "visited_person_id": self.person.edit,
            REASON_FIELD: self.reason_edit,
        }
        if visitor is None:
            reset_to_now(self.arrived_at_edit, force=True)
            reset_to_now(self.left_at_edit, force=True)
        else:
            self.name_edit.setText(visitor.name)
            self.id_number_edit.setText(visitor.id_number or "")
            self.unit_edit.setText(visitor.unit or "")
            self.purpose_edit.setText(visitor.purpose or "")
            set_moment(self.arrived_at_edit, visitor.arrived_at)
            if visitor.left_at is not None:
                set_moment(self.left_at_edit, visitor.left_at)
                self.left_check.setChecked(True)
            else:
                reset_to_now(self.left_at_edit, force=True)
        self.left_at_edit.setEnabled(self.left_check.isChecked())
        self.left_check.toggled.connect(self.left_at_edit.setEnabled)
        self._retranslate()

    def data(self) -> safety.VisitorInput:
        return safety.VisitorInput(
            arrived_at=moment_of(self.arrived_at_edit),
            name=self.name_edit.text(),
            left_at=moment_of(self.left_at_edit) if self.left_check.isChecked() else None,
            id_number=optional(self.id_number_edit.text()),
            unit=optional(self.unit_edit.text()),
            purpose=optional(self.purpose_edit.text()),
            visited_person_id=self.person.person_id,
        )

    @override
    def save(self) -> None:
        ctx, data, reason, visitor = self.ctx, self.data(), self.reason, self.visitor
        if visitor is None:
            self.ops.write(lambda: safety.record_visitor(ctx, data, reason=reason), self.written)
        else:
            self.ops.write(
                lambda: safety.update_visitor(ctx, visitor.id, data, reason=reason), self.written
            )

    @override
    def _retranslate(self) -> None:
        if self.visitor is None:
            self.dialog.setWindowTitle(_(NEW_VISITOR_TITLE))
        else:
            self.dialog.setWindowTitle(_(VISITOR_TITLE).format(name=self.visitor.name))
        if hasattr(self, "person"):
            self.person.show()


__all__ = ["IncidentDialog", "VisitorDialog"]
