"""The checklists tab of the safety page (managers): for every kind of check,
how often it is due, how many staff check together, whether the station keeps
it, and its items — one per line, in the order staff answer them.

Saved through ``safety.save_template``; "Back to the default" puts the
application's checklist back. The page reads the checklists again after a
commit (:mod:`.page`), this tab keeps what is being typed until it is saved
or another kind is chosen.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from station_app.domain.enums import SafetyCheckKind, SafetyFrequency
from station_app.domain.errors import N_
from station_app.domain.labels import enum_label
from station_app.gui import ops, uiloader
from station_app.gui.feedback import FieldsOf, MessageArea, Msg
from station_app.gui.formatting import china_text
from station_app.gui.widgets.combos import choose, fill_combo, retranslate_combo
from station_app.i18n import _
from station_app.services import safety
from station_app.services.context import Context

KIND_ROLE = Qt.ItemDataRole.UserRole
OWN = N_("The station's own checklist, last changed {when}.")
DEFAULT = N_("The application's default checklist.")
SWITCHED_OFF = N_("{kind} (not kept)")
SAVED = N_("The checklist {kind} was saved.")
RESET = N_("The checklist {kind} is the default again.")


class ChecklistsTab(QObject):
    """The checklist editor; :attr:`saved` brings the TemplateView written."""

    saved = Signal(object)

    def __init__(self, ctx: Context, tab: QWidget, feedback: MessageArea) -> None:
        super().__init__(tab)
        self._ctx = ctx
        child = uiloader.child
        self.list = child(tab, QListWidget, "templatesList")
        self.frequency_combo = child(tab, QComboBox, "frequencyCombo")
        self.checkers_spin = child(tab, QSpinBox, "checkersSpin")
        self.active_check = child(tab, QCheckBox, "activeCheck")
        self.items_edit = child(tab, QPlainTextEdit, "itemsEdit")
        self.state_label = child(tab, QLabel, "templateStateLabel")
        self.save_button = child(tab, QPushButton, "saveTemplateButton")
        self.reset_button = child(tab, QPushButton, "resetTemplateButton")
        self.feedback = feedback
        fields = {
            "frequency": self.frequency_combo,
            "checkers_needed": self.checkers_spin,
            "items": self.items_edit,
            "check_kind": self.list,
        }
        self.ops = ops.Ops(
            self,
            busy=[self.save_button, self.reset_button],
            feedback=FieldsOf(feedback, fields),
        )
        fill_combo(self.frequency_combo, list(SafetyFrequency))
        self.templates: dict[SafetyCheckKind, safety.TemplateView] = {}
        self.list.currentRowChanged.connect(lambda _row: self._show_current())
        self.save_button.clicked.connect(self.save)
        self.reset_button.clicked.connect(self.reset)

    # ------------------------------------------------------------ showing

    @property
    def kind(self) -> SafetyCheckKind | None:
        item = self.list.currentItem()
        value = item.data(KIND_ROLE) if item is not None else None
        return SafetyCheckKind(value) if value else None

    def show_templates(self, templates: tuple[safety.TemplateView, ...]) -> None:
        """The checklists as read; the one being edited stays chosen."""
        changed = {t.kind: t for t in templates} != self.templates
        self.templates = {t.kind: t for t in templates}
        current = self.kind
        with QSignalBlocker(self.list):
            self.list.clear()
            for template in templates:
                item = QListWidgetItem(self._name(template), self.list)
                item.setData(KIND_ROLE, template.kind.value)
            kinds = [t.kind for t in templates]
            row = kinds.index(current) if current in kinds else 0
            self.list.setCurrentRow(row)
        if changed or current is None:
            self._show_current()

    def _name(self, template: safety.TemplateView) -> str:
        name = _(enum_label(template.kind))
        return name if template.active else _(SWITCHED_OFF).format(kind=name)

    def _show_current(self) -> None:
        kind = self.kind
        template = self.templates.get(kind) if kind is not None else None
        if template is None:
            return
        choose(self.frequency_combo, template.frequency)
        self.checkers_spin.setValue(template.checkers_needed)
        self.active_check.setChecked(template.active)
        self.items_edit.setPlainText("\n".join(template.items))
        self.reset_button.setEnabled(template.customized)
        self._show_state(template)

    def _show_state(self, template: safety.TemplateView) -> None:
        if template.customized and template.updated_at is not None:
            when = china_text(template.updated_at)
            self.state_label.setText(_(OWN).format(when=when))
        else:
            self.state_label.setText(_(DEFAULT))

    # ------------------------------------------------------------ writing

    def data(self) -> safety.TemplateInput | None:
        kind = self.kind
        frequency = self.frequency_combo.currentData()
        if kind is None or not frequency:
            return None
        return safety.TemplateInput(
            kind=kind,
            frequency=SafetyFrequency(frequency),
            items=self.items_edit.toPlainText().splitlines(),
            checkers_needed=self.checkers_spin.value(),
            active=self.active_check.isChecked(),
        )

    def save(self) -> None:
        ctx, data = self._ctx, self.data()
        if data is None:
            return
        self.feedback.clear()
        self.ops.write(lambda: safety.save_template(ctx, data), self._saved)

    def reset(self) -> None:
        ctx, kind = self._ctx, self.kind
        if kind is None:
            return
        self.feedback.clear()
        self.ops.write(lambda: safety.reset_template(ctx, kind), self._reset)

    def _saved(self, template: safety.TemplateView) -> None:
        self.feedback.tell(SAVED, kind=Msg(enum_label(template.kind)))
        self.saved.emit(template)

    def _reset(self, template: safety.TemplateView) -> None:
        self.feedback.tell(RESET, kind=Msg(enum_label(template.kind)))
        self.saved.emit(template)

    def retranslate(self) -> None:
        retranslate_combo(self.frequency_combo)
        for row in range(self.list.count()):
            item = self.list.item(row)
            template = self.templates.get(SafetyCheckKind(item.data(KIND_ROLE)))
            if template is not None:
                item.setText(self._name(template))
        kind = self.kind
        if kind is not None and kind in self.templates:
            self._show_state(self.templates[kind])
