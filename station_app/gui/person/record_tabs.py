"""The tabs of a saved person: the history (visits, patrol encounters, items
received — also under records linked as the same person) and "Same person?",
where staff link records as one person or decide they differ, and undo such
decisions. Nothing is merged automatically."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QAbstractItemView, QPushButton, QTableWidget, QTableWidgetItem

from station_app.domain.clock import china_date
from station_app.domain.errors import N_
from station_app.domain.labels import enum_label
from station_app.gui import formatting, uiloader
from station_app.gui.feedback import Level
from station_app.i18n import _
from station_app.services import duplicates, person_record
from station_app.services.duplicates import DuplicateCandidate, LinkView
from station_app.services.history import EntryKind, HistoryEntry
from station_app.services.person_record import LinkDecision, PersonRecord

if TYPE_CHECKING:
    from .form import PersonForm

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
CONFLICT_TEXT = N_(
    "Linking these records would also join records that staff decided are different "
    "persons:\n{decisions}\nLook at them first. To link all the same, click "
    "\u201cLink anyway\u201d; the earlier decisions stay on record."
)
CONFLICT_LINE = N_("{date}: {a} and {b} are different persons. {reason}")
LINK_ANYWAY = N_("Link anyway")
LINK_SAME = N_("Link as the same person")


def day_text(moment: datetime) -> str:
    """A day as the screen language writes it (in the screen's digits)."""
    return formatting.day_text(china_date(moment))


def _fill(table: QTableWidget, rows: Sequence[Sequence[str]]) -> None:
    table.setRowCount(len(rows))
    for row, values in enumerate(rows):
        for column, value in enumerate(values):
            table.setItem(row, column, QTableWidgetItem(value))
    table.resizeColumnsToContents()


def _setup(table: QTableWidget, headers: tuple[str, ...]) -> None:
    table.setColumnCount(len(headers))
    table.horizontalHeader().setStretchLastSection(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()


class RecordTabs:
    """History and "Same person?" of the saved record the form shows."""

    def __init__(self, form: PersonForm) -> None:
        self.form = form
        dialog = form.dialog
        self.history_table = uiloader.child(dialog, QTableWidget, "historyTable")
        self.candidates_table = uiloader.child(dialog, QTableWidget, "candidatesTable")
        self.decisions_table = uiloader.child(dialog, QTableWidget, "decisionsTable")
        self.link_same_button = uiloader.child(dialog, QPushButton, "linkSameButton")
        self.link_different_button = uiloader.child(dialog, QPushButton, "linkDifferentButton")
        self.undo_decision_button = uiloader.child(dialog, QPushButton, "undoDecisionButton")
        for table, headers in self._headers():
            _setup(table, headers)
        self.record: PersonRecord | None = None
        self._names: dict[int, str] = {}
        self._confirming: int | None = None  # candidate whose link awaits a second click
        self.link_same_button.clicked.connect(lambda: self.decide(same_person=True))
        self.link_different_button.clicked.connect(lambda: self.decide(same_person=False))
        self.undo_decision_button.clicked.connect(self.undo_decision)
        self.candidates_table.itemSelectionChanged.connect(self.update_buttons)
        self.decisions_table.itemSelectionChanged.connect(self.update_buttons)

    def _headers(self) -> list[tuple[QTableWidget, tuple[str, ...]]]:
        return [
            (self.history_table, HISTORY_HEADERS),
            (self.candidates_table, CANDIDATE_HEADERS),
            (self.decisions_table, DECISION_HEADERS),
        ]

    @property
    def candidates(self) -> tuple[DuplicateCandidate, ...]:
        return self.record.candidates if self.record else ()

    @property
    def decisions(self) -> tuple[LinkView, ...]:
        return self.record.decisions if self.record else ()

    def show(self, record: PersonRecord | None) -> None:
        """Show the record's history and decisions (None: nothing saved yet)."""
        self.record = record
        self._names = dict(record.names) if record else {}
        self.retranslate()

    def retranslate(self) -> None:
        for table, headers in self._headers():
            table.setHorizontalHeaderLabels([_(h) for h in headers])
        self._fill_history()
        self._fill_same_person()
        self.update_buttons()

    # ------------------------------------------------------------ history

    def _record_name(self, person_id: int) -> str:
        if person_id == self.form.person_id:
            return _(THIS_RECORD)
        return _(OTHER_RECORD).format(id=person_id, name=self._names.get(person_id, ""))

    @staticmethod
    def _details(entry: HistoryEntry) -> tuple[str, str]:
        if entry.kind is EntryKind.VISIT:
            what = _(enum_label(entry.channel)) if entry.channel else ""
            if entry.departed_at is not None and entry.outcome is not None:
                details = _(DEPARTED).format(
                    date=day_text(entry.departed_at), outcome=_(enum_label(entry.outcome))
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
        rows = []
        for entry in self.record.history if self.record else ():
            what, details = self._details(entry)
            kind = _(KIND_TEXT[entry.kind])
            rows.append(
                (
                    day_text(entry.at),
                    f"{kind}: {what}" if what else kind,
                    details,
                    self._record_name(entry.person_id),
                )
            )
        _fill(self.history_table, rows)

    # ------------------------------------------------------------ same person

    def _fill_same_person(self) -> None:
        _fill(
            self.candidates_table,
            [
                (
                    c.display_name,
                    "" if c.birth_year is None else str(c.birth_year),
                    (c.id_number_masked or "")[-4:],
                    c.hukou_text or "",
                    "; ".join(r.shown(_) for r in c.reasons),
                    _(SAME_PERSON) if c.linked else "",
                )
                for c in self.candidates
            ],
        )
        rows = []
        for d in self.decisions:
            decision = _(SAME_PERSON) if d.same_person else _(DIFFERENT_PERSON)
            if d.undone_at is not None:
                decision = _(UNDONE).format(decision=decision, date=day_text(d.undone_at))
            rows.append(
                (
                    day_text(d.decided_at),
                    self._record_name(d.other(self.form.person_id or 0)),
                    decision,
                    d.decided_by or "",
                    d.reason or "",
                )
            )
        _fill(self.decisions_table, rows)

    def selected_candidate(self) -> DuplicateCandidate | None:
        rows = self.candidates_table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.candidates):
            return None
        return self.candidates[rows[0].row()]

    def selected_decision(self) -> LinkView | None:
        rows = self.decisions_table.selectionModel().selectedRows()
        if not rows or rows[0].row() >= len(self.decisions):
            return None
        return self.decisions[rows[0].row()]

    def update_buttons(self) -> None:
        candidate = self.selected_candidate()
        if self._confirming is not None and (
            candidate is None or candidate.person_id != self._confirming
        ):
            self._confirming = None
        self.link_same_button.setText(_(LINK_SAME if self._confirming is None else LINK_ANYWAY))
        undecided = candidate is not None and not candidate.linked
        self.link_same_button.setEnabled(undecided)
        self.link_different_button.setEnabled(undecided)
        decision = self.selected_decision()
        self.undo_decision_button.setEnabled(decision is not None and decision.active)

    def decide(self, *, same_person: bool, reason: str | None = None) -> bool:
        """Record staff's decision about the chosen candidate; False if nothing was asked.

        Linking that would join records decided to be different persons is not
        done at the first click: the form lists those decisions and the button
        becomes "Link anyway"; a second click links.
        """
        candidate = self.selected_candidate()
        person_id = self.form.person_id
        if candidate is None or person_id is None:
            return False
        self.form.feedback.clear()
        ctx, other = self.form.ctx, candidate.person_id
        anyway = self._confirming == other
        self.form.ops.write(
            lambda: person_record.decide(
                ctx,
                person_id,
                other,
                same_person=same_person,
                reason=reason,
                despite_conflicts=anyway,
            ),
            lambda outcome: self._decided(other, outcome),
        )
        return True

    def _decided(self, other: int, outcome: LinkDecision) -> None:
        if outcome.link is not None:
            self._confirming = None
            self.update_buttons()
            return  # the change notification reads the record again
        self._names.update(outcome.names or {})
        lines = [
            _(CONFLICT_LINE).format(
                date=day_text(c.decided_at),
                a=self._conflict_name(c.person_a_id),
                b=self._conflict_name(c.person_b_id),
                reason=c.reason or "",
            )
            for c in outcome.conflicts
        ]
        self._confirming = other
        self.form.feedback.tell(CONFLICT_TEXT, Level.WARNING, decisions="\n".join(lines))
        self.link_same_button.setText(_(LINK_ANYWAY))

    def _conflict_name(self, person_id: int) -> str:
        return f"{self._names.get(person_id, '')} (#{person_id})"

    def undo_decision(self) -> None:
        decision = self.selected_decision()
        if decision is None:
            return
        self.form.feedback.clear()
        ctx, link_id = self.form.ctx, decision.id
        self.form.ops.write(lambda: duplicates.undo_link(ctx, link_id))
