"""The proposed decisions of a request (审核确认), in the decision tab: what
the desk proposed and what became of it; a manager confirms the waiting one
or returns it to the desk with a reason ("Return…" asks for it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QGroupBox, QLabel, QPlainTextEdit, QPushButton, QTableWidget, QWidget
from typing_extensions import override

from station_app.domain.enums import DecisionKind, ProposalState
from station_app.domain.errors import N_
from station_app.domain.labels import enum_label
from station_app.domain.permissions import Permission, allows
from station_app.gui import uiloader
from station_app.gui.feedback import Level, show_level
from station_app.gui.form_dialog import FormDialog
from station_app.gui.formatting import china_text
from station_app.gui.widgets.tables import fill_table, set_headers, setup_table
from station_app.i18n import _
from station_app.services import desk
from station_app.services.context import Context

if TYPE_CHECKING:
    from .decision import DecisionTab

HEADERS = (
    N_("Proposed"),
    N_("Decision"),
    N_("Time of the decision"),
    N_("Reason"),
    N_("Proposed by"),
    N_("State"),
    N_("Reviewed"),
    N_("Note of the review"),
)
WAITING = N_("Proposed by {who}: {decision}, waiting for a manager's confirmation since {since}.")
WAITING_FOR_YOU = N_(
    "Proposed by {who}: {decision}, waiting since {since}. Confirm it, or return it "
    "to the desk with a reason."
)
LAST_RETURNED = N_("The last proposal was returned on {when}: {reason}")
NOBODY = "—"
CONFIRMED = {
    DecisionKind.ACCEPT: N_("Confirmed: the person is accepted into the station's care."),
    DecisionKind.REFUSE: N_(
        "Confirmed: help refused; notice of refusal no. {number}. Print it for the person."
    ),
    DecisionKind.TERMINATE: N_(
        "Confirmed: help terminated; notice of termination no. {number}. Print it, then "
        "record the departure."
    ),
}
RETURNED = N_("The proposal is returned to the desk with your reason.")
RETURN_TITLE = N_("Return the proposal to the desk")
RETURN_WHAT = N_("{person}: {decision}, proposed by {who} on {since}.")


def may_confirm(ctx: Context) -> bool:
    return allows(ctx.actor.role, Permission.CONFIRM_DECISIONS)


def _text(p: desk.ProposalView, message: str) -> str:
    return _(message).format(
        who=p.proposed_by or NOBODY,
        decision=_(enum_label(p.kind)),
        since=china_text(p.proposed_at),
        person=p.person_name,
    )


class ReturnDialog(FormDialog):
    """Controller of ``ui/proposal_return.ui``: the reason a proposal goes back."""

    def __init__(
        self, ctx: Context, proposal: desk.ProposalView, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, "proposal_return.ui", parent)
        self.proposal = proposal
        self.proposal_label = uiloader.child(self.dialog, QLabel, "proposalLabel")
        self.reason_edit = uiloader.child(self.dialog, QPlainTextEdit, "returnReasonEdit")
        self.fields = {"return_reason": self.reason_edit}
        self._retranslate()

    @override
    def save(self) -> None:
        ctx, proposal_id = self.ctx, self.proposal.id
        reason = self.reason_edit.toPlainText()
        self.ops.write(lambda: desk.return_proposal(ctx, proposal_id, reason), self.written)

    @override
    def _retranslate(self) -> None:
        self.dialog.setWindowTitle(_(RETURN_TITLE))
        self.proposal_label.setText(_text(self.proposal, RETURN_WHAT))


class ProposalsPanel:
    """The ``proposalsBox`` of the decision tab."""

    def __init__(self, tab: DecisionTab) -> None:
        self.tab = tab
        self.box = tab.child(QGroupBox, "proposalsBox")
        self.state_label = tab.child(QLabel, "proposalStateLabel")
        self.table = tab.child(QTableWidget, "proposalsTable")
        self.confirm_button = tab.child(QPushButton, "confirmProposalButton")
        self.return_button = tab.child(QPushButton, "returnProposalButton")
        setup_table(self.table)
        set_headers(self.table, HEADERS)
        self.confirm_button.clicked.connect(self.confirm)
        self.return_button.clicked.connect(self.open_return)
        self.record: desk.RequestRecord | None = None
        self.proposals: tuple[desk.ProposalView, ...] = ()
        self.dialog: ReturnDialog | None = None

    @property
    def pending(self) -> desk.ProposalView | None:
        """The proposal waiting for a manager (one at a time)."""
        return next((p for p in self.proposals if p.state is ProposalState.PENDING), None)

    def refresh(self, record: desk.RequestRecord) -> None:
        self.record = record
        self.proposals = record.proposals
        self.box.setVisible(record.two_step or bool(record.proposals))
        reviewer = may_confirm(self.tab.ctx)
        for button in (self.confirm_button, self.return_button):
            button.setVisible(reviewer)
            button.setEnabled(reviewer and self.pending is not None)
        fill_table(
            self.table,
            [
                (
                    china_text(p.proposed_at),
                    _(enum_label(p.kind)),
                    china_text(p.decided_at),
                    p.reason or "",
                    p.proposed_by or NOBODY,
                    _(enum_label(p.state)),
                    china_text(p.reviewed_at),
                    p.review_note or "",
                )
                for p in self.proposals
            ],
        )
        self._show_state()

    def _show_state(self) -> None:
        """A line on the waiting proposal, or why the last one came back."""
        waiting = self.pending
        last = self.proposals[-1] if self.proposals else None
        if waiting is not None:
            message = WAITING_FOR_YOU if may_confirm(self.tab.ctx) else WAITING
            show_level(self.state_label, _text(waiting, message), Level.WARNING)
        elif last is not None and last.state is ProposalState.RETURNED:
            text = _(LAST_RETURNED).format(
                when=china_text(last.reviewed_at),
                reason=last.review_note or "",
            )
            show_level(self.state_label, text, Level.INFORMATION)
        else:
            self.state_label.clear()
            self.state_label.hide()

    def confirm(self) -> None:
        waiting = self.pending
        if waiting is None:
            return
        ctx, proposal_id = self.tab.ctx, waiting.id
        self.tab.ops.write(lambda: desk.confirm(ctx, proposal_id), self._confirmed)

    def _confirmed(self, result: desk.ProposalView) -> None:
        self.tab.done(CONFIRMED[result.kind], number=result.document_number or "")

    def open_return(self) -> ReturnDialog | None:
        """Ask for the reason, then send the waiting proposal back to the desk."""
        waiting = self.pending
        if waiting is None:
            return None
        dialog = ReturnDialog(self.tab.ctx, waiting, self.tab.window.dialog)
        self.dialog = dialog
        dialog.saved.connect(lambda _result: self.tab.done(RETURNED))
        dialog.show()
        return dialog

    def retranslate(self) -> None:
        set_headers(self.table, HEADERS)
        if self.record is not None:
            self.refresh(self.record)  # the decisions and states in the new language
