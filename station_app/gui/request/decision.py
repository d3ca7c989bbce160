"""The decision tab: accept, refuse with a reason and a numbered notice of
refusal, terminate later with a numbered notice of termination.

Where the station decides in two steps (审核确认) desk staff propose the
decision instead, and a manager confirms or returns it in the same tab
(:mod:`.proposals`); a manager may still decide directly."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QPlainTextEdit, QPushButton, QTableWidget
from typing_extensions import override

from station_app.domain.enums import DecisionKind, DocumentKind, ProposalState, RequestStatus
from station_app.domain.errors import N_
from station_app.domain.labels import enum_label
from station_app.gui.feedback import Msg
from station_app.gui.formatting import china_text, moment_of, reset_to_now
from station_app.gui.widgets.tables import fill_table, set_headers, setup_table
from station_app.i18n import _
from station_app.services import desk, printouts

from .base import RequestTab
from .proposals import ProposalsPanel, may_confirm

if TYPE_CHECKING:
    from station_app.gui.request_window import RequestWindow

HEADERS = (N_("Time"), N_("Decision"), N_("Reason"), N_("Notice number"))
REFUSAL_TITLE = N_("Notice of refusal")
TERMINATION_TITLE = N_("Notice of termination")
CLOSED = N_("This help request is {status}: no decision can be taken on it now.")
ACCEPTED = N_("Accepted into the station's care.")
REFUSED = N_("Help refused; notice of refusal no. {number}. Print it for the person.")
TERMINATED = N_(
    "Help terminated; notice of termination no. {number}. Print it, then record the departure."
)
PROPOSED = N_("Proposed: {decision}. It waits for a manager's confirmation.")


def print_notice(window: RequestWindow, kind: DocumentKind, title: str) -> None:
    ctx, request_id = window.ctx, window.request_id

    def make_pdf(path: Path) -> object:
        return printouts.print_notice(ctx, request_id, kind, path)

    window.open_preview(title, make_pdf, str(request_id))


class DecisionTab(RequestTab):
    def __init__(self, window: RequestWindow) -> None:
        super().__init__(window, "decision")
        self.decided_at_edit = self.time_edit("decidedAtEdit")
        self.reason_edit = self.child(QPlainTextEdit, "decisionReasonEdit")
        self.accept_button = self.child(QPushButton, "acceptButton")
        self.refuse_button = self.child(QPushButton, "refuseButton")
        self.terminate_button = self.child(QPushButton, "terminateButton")
        self.two_step_label = self.child(QLabel, "twoStepLabel")
        self.propose_buttons = {
            DecisionKind.ACCEPT: self.child(QPushButton, "proposeAcceptButton"),
            DecisionKind.REFUSE: self.child(QPushButton, "proposeRefuseButton"),
            DecisionKind.TERMINATE: self.child(QPushButton, "proposeTerminateButton"),
        }
        self.proposals = ProposalsPanel(self)
        self.table = self.child(QTableWidget, "decisionsTable")
        self.print_refusal_button = self.child(QPushButton, "printRefusalButton")
        self.print_termination_button = self.child(QPushButton, "printTerminationButton")
        setup_table(self.table)
        set_headers(self.table, HEADERS)
        self.map_fields(decided_at="decidedAtEdit", decision_reason="decisionReasonEdit")
        self.accept_button.clicked.connect(self.accept)
        self.refuse_button.clicked.connect(self.refuse)
        self.terminate_button.clicked.connect(self.terminate)
        for kind, button in self.propose_buttons.items():
            button.clicked.connect(lambda _checked=False, k=kind: self.propose(k))
        self.print_refusal_button.clicked.connect(
            lambda: print_notice(self.window, DocumentKind.REFUSAL, REFUSAL_TITLE)
        )
        self.print_termination_button.clicked.connect(
            lambda: print_notice(self.window, DocumentKind.TERMINATION, TERMINATION_TITLE)
        )

    @override
    def refresh(self, sheet: desk.RequestSheet) -> None:
        record = sheet.record
        status = record.request.status
        registered = status is RequestStatus.REGISTERED
        accepted = status is RequestStatus.ACCEPTED
        self.gate(
            None if registered or accepted else CLOSED,
            status=_(enum_label(status)),
        )
        # Two steps: the desk proposes; one proposal waits at a time, and a
        # manager deciding directly would go around it.
        proposing = record.two_step and not may_confirm(self.ctx)
        free = not any(p.state is ProposalState.PENDING for p in record.proposals)
        self.two_step_label.setVisible(record.two_step)
        allowed = {
            DecisionKind.ACCEPT: registered and free,
            DecisionKind.REFUSE: registered and free,
            DecisionKind.TERMINATE: accepted and free,
        }
        for kind, button in (
            (DecisionKind.ACCEPT, self.accept_button),
            (DecisionKind.REFUSE, self.refuse_button),
            (DecisionKind.TERMINATE, self.terminate_button),
        ):
            button.setVisible(not proposing)
            button.setEnabled(allowed[kind])
            self.propose_buttons[kind].setVisible(proposing)
            self.propose_buttons[kind].setEnabled(allowed[kind])
        kinds = {d.kind for d in record.decisions}
        self.content.setEnabled(True)  # the notices print after the request closed
        for widget in (self.decided_at_edit, self.reason_edit):
            widget.setEnabled(registered or accepted)
        self.print_refusal_button.setEnabled(DecisionKind.REFUSE in kinds)
        self.print_termination_button.setEnabled(DecisionKind.TERMINATE in kinds)
        reset_to_now(self.decided_at_edit)
        fill_table(
            self.table,
            [
                (
                    china_text(d.decided_at),
                    _(enum_label(d.kind)),
                    d.reason or "",
                    d.document_number or "",
                )
                for d in record.decisions
            ],
        )
        self.proposals.refresh(record)

    def _decide(self, kind: DecisionKind) -> None:
        ctx, request_id = self.ctx, self.request_id
        at, reason = moment_of(self.decided_at_edit), self.reason_edit.toPlainText()
        if kind is DecisionKind.ACCEPT:
            self.ops.write(
                lambda: desk.accept(ctx, request_id, at, reason.strip() or None), self._decided
            )
        elif kind is DecisionKind.REFUSE:
            self.ops.write(lambda: desk.refuse(ctx, request_id, at, reason), self._decided)
        else:
            self.ops.write(lambda: desk.terminate(ctx, request_id, at, reason), self._decided)

    def propose(self, kind: DecisionKind) -> None:
        """Two steps: the decision goes to a manager for confirmation."""
        ctx, request_id = self.ctx, self.request_id
        proposal = desk.ProposalInput(
            kind, moment_of(self.decided_at_edit), self.reason_edit.toPlainText().strip() or None
        )
        self.ops.write(lambda: desk.propose(ctx, request_id, proposal), self._proposed)

    def _proposed(self, result: desk.ProposalView) -> None:
        self.reason_edit.clear()
        reset_to_now(self.decided_at_edit, force=True)
        self.done(PROPOSED, decision=Msg(enum_label(result.kind)))

    def accept(self) -> None:
        self._decide(DecisionKind.ACCEPT)

    def refuse(self) -> None:
        self._decide(DecisionKind.REFUSE)

    def terminate(self) -> None:
        self._decide(DecisionKind.TERMINATE)

    def _decided(self, result: object) -> None:
        if not isinstance(result, desk.DecisionView):
            return
        self.reason_edit.clear()
        reset_to_now(self.decided_at_edit, force=True)
        message = {
            DecisionKind.ACCEPT: ACCEPTED,
            DecisionKind.REFUSE: REFUSED,
            DecisionKind.TERMINATE: TERMINATED,
        }.get(result.kind)
        if message is not None:
            self.done(message, number=result.document_number or "")

    @override
    def retranslate(self) -> None:
        super().retranslate()
        set_headers(self.table, HEADERS)
        self.proposals.retranslate()
