"""Review and confirmation (审核确认): where a station decides in two steps
(setting ``review.two_step``), the desk proposes to accept, refuse or
terminate, and a manager confirms the proposal or returns it with a reason.

Confirming writes the decision exactly as a direct decision does
(:func:`.decisions.write_decision`: the status, the numbered notice), at the
time the desk proposed, in the same transaction that marks the proposal
confirmed. Returning leaves the request as it was; the desk may propose
again. One proposal per request waits at a time.

A manager may still decide directly (``desk.accept`` / ``refuse`` /
``terminate``); that decision is recorded as a proposal of theirs they
confirmed themselves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from station_app.db.models import Decision, DecisionProposal, Document, HelpRequest, Person, User
from station_app.domain.clock import china_minute_text
from station_app.domain.enums import DecisionKind, ProposalState, RequestStatus
from station_app.domain.errors import N_, Conflict, NotFound, ValidationError
from station_app.domain.permissions import Permission
from station_app.services import settings
from station_app.services.context import Context
from station_app.services.persons import display_name
from station_app.services.values import now_utc, required_text, text

from .common import load_request
from .decisions import (
    REQUIRED_STATUS,
    check_decision,
    pending_proposal,
    write_decision,
)

ONE_STEP = N_(
    "This station decides in one step: take the decision directly. (A manager can "
    "switch on two-step decisions in the settings.)"
)
ALREADY_WAITING = N_(
    "A proposal for this help request already waits for the manager (since {since}); "
    "wait until it is confirmed or returned."
)
ALREADY_REVIEWED = {
    ProposalState.CONFIRMED: N_("This proposal is already confirmed; its decision stands."),
    ProposalState.RETURNED: N_(
        "This proposal was already returned to the desk; the desk may propose again."
    ),
}
STATUS_CHANGED = N_(
    "This help request is now {status}: it changed after the proposal was made. "
    "Return the proposal with that reason; the desk may propose again."
)
SECONDS_PER_HOUR = 3600

_Row = tuple[DecisionProposal, HelpRequest, Person]


@dataclass
class ProposalInput:
    """What the desk proposes: the decision, when it takes effect, and why."""

    kind: DecisionKind
    decided_at: datetime
    reason: str | None = None


@dataclass(frozen=True)
class ProposalView:
    id: int
    request_id: int
    person_id: int
    person_name: str
    request_status: RequestStatus  # the request's status now
    arrived_at: datetime
    kind: DecisionKind
    decided_at: datetime  # when the decision takes effect once confirmed
    reason: str | None
    proposed_at: datetime
    proposed_by: str | None  # the user's display name
    state: ProposalState
    reviewed_at: datetime | None
    reviewed_by: str | None
    review_note: str | None  # the reason for returning it, or the confirmer's note
    decision_id: int | None
    document_number: str | None  # the notice of the confirmed refusal or termination
    hours_waiting: int  # whole hours from the proposal to its review (or to now)


def _user_names(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    query = select(User.id, User.display_name).where(User.id.in_(wanted))
    return dict(session.execute(query).all())


def _views(
    session: Session,
    rows: list[_Row],
    moment: datetime,
) -> list[ProposalView]:
    names = _user_names(
        session, [i for p, _h, _p in rows for i in (p.proposed_by_id, p.reviewed_by_id)]
    )
    decision_ids = [p.decision_id for p, _h, _p in rows if p.decision_id is not None]
    numbers: dict[int, str] = {}
    if decision_ids:
        numbers = dict(
            session.execute(
                select(Decision.id, Document.number_text)
                .join(Document, Document.id == Decision.document_id)
                .where(Decision.id.in_(decision_ids))
            ).all()
        )
    out: list[ProposalView] = []
    for p, hr, person in rows:
        until = p.reviewed_at if p.reviewed_at is not None else moment
        out.append(
            ProposalView(
                id=p.id,
                request_id=hr.id,
                person_id=person.id,
                person_name=display_name(person),
                request_status=hr.status,
                arrived_at=hr.arrived_at,
                kind=p.kind,
                decided_at=p.decided_at,
                reason=p.reason,
                proposed_at=p.proposed_at,
                proposed_by=names.get(p.proposed_by_id) if p.proposed_by_id else None,
                state=p.state,
                reviewed_at=p.reviewed_at,
                reviewed_by=names.get(p.reviewed_by_id) if p.reviewed_by_id else None,
                review_note=p.review_note,
                decision_id=p.decision_id,
                document_number=numbers.get(p.decision_id) if p.decision_id else None,
                hours_waiting=max(0, int((until - p.proposed_at).total_seconds()))
                // SECONDS_PER_HOUR,
            )
        )
    return out


def _rows(session: Session, *where: ColumnElement[bool]) -> list[_Row]:
    """Proposals with their request and person, in the order they were made."""
    return [
        (p, hr, person)
        for p, hr, person in session.execute(
            select(DecisionProposal, HelpRequest, Person)
            .join(HelpRequest, HelpRequest.id == DecisionProposal.help_request_id)
            .join(Person, Person.id == HelpRequest.person_id)
            .where(*where)
            .order_by(DecisionProposal.proposed_at, DecisionProposal.id)
        )
    ]


def _one(session: Session, proposal_id: int, moment: datetime) -> ProposalView:
    return _views(session, _rows(session, DecisionProposal.id == proposal_id), moment)[0]


def _load_pending(session: Session, ctx: Context, proposal_id: int) -> DecisionProposal:
    p = session.scalar(
        select(DecisionProposal).where(DecisionProposal.id == proposal_id).with_for_update()
    )
    if p is None or p.station_id != ctx.station_id:
        raise NotFound(N_("Proposed decision {id} does not exist."), id=proposal_id)
    if p.state is not ProposalState.PENDING:
        raise Conflict(ALREADY_REVIEWED[p.state])
    return p


def propose(
    ctx: Context, request_id: int, data: ProposalInput, *, now: datetime | None = None
) -> ProposalView:
    """The desk proposes a decision; it waits for a manager. The proposal must
    meet the rules the decision itself would (status, time, reason), so the
    desk hears of a mistake now, not when the manager confirms."""
    ctx.require(Permission.DESK_WORK)  # refused before the input is read
    moment = now_utc(now)
    check_kind(data.kind)
    with ctx.write(Permission.DESK_WORK) as session:
        hr = load_request(session, ctx, request_id, lock=True)
        if not settings.two_step_review(session, ctx.station_id):
            raise Conflict(ONE_STEP)
        waiting = pending_proposal(session, hr.id)
        if waiting is not None:
            raise Conflict(ALREADY_WAITING, since=china_minute_text(waiting.proposed_at))
        at, why = check_decision(session, ctx, hr, data.kind, data.decided_at, data.reason, moment)
        p = DecisionProposal(
            station_id=ctx.station_id,
            help_request_id=hr.id,
            kind=data.kind,
            decided_at=at,
            reason=why,
            proposed_at=moment,
            proposed_by_id=ctx.actor.user_id,
            state=ProposalState.PENDING,
        )
        session.add(p)
        session.flush()
        return _one(session, p.id, moment)


def confirm(
    ctx: Context, proposal_id: int, note: str | None = None, *, now: datetime | None = None
) -> ProposalView:
    """Confirm a pending proposal: its decision is written now, dated as
    proposed, with its numbered notice for a refusal or termination. A request
    whose status changed since is refused: return the proposal instead."""
    moment = now_utc(now)
    remark = text(note, "review_note", max_length=2000)
    with ctx.write(Permission.CONFIRM_DECISIONS) as session:
        p = _load_pending(session, ctx, proposal_id)
        hr = load_request(session, ctx, p.help_request_id, lock=True)
        needed, _message = REQUIRED_STATUS[p.kind]
        if hr.status is not needed:
            raise Conflict(STATUS_CHANGED, status=hr.status)
        at, why = check_decision(session, ctx, hr, p.kind, p.decided_at, p.reason, moment)
        decision = write_decision(session, ctx, hr, p.kind, at, why)
        p.state = ProposalState.CONFIRMED
        p.reviewed_at = moment
        p.reviewed_by_id = ctx.actor.user_id
        p.review_note = remark
        p.decision_id = decision.id
        session.flush()
        return _one(session, p.id, moment)


def return_proposal(
    ctx: Context, proposal_id: int, reason: str, *, now: datetime | None = None
) -> ProposalView:
    """Send a pending proposal back to the desk with the reason; the request
    stays as it was."""
    moment = now_utc(now)
    why = required_text(reason, "return_reason", max_length=2000)
    with ctx.write(Permission.CONFIRM_DECISIONS) as session:
        p = _load_pending(session, ctx, proposal_id)
        p.state = ProposalState.RETURNED
        p.reviewed_at = moment
        p.reviewed_by_id = ctx.actor.user_id
        p.review_note = why
        session.flush()
        return _one(session, p.id, moment)


def pending_proposals(ctx: Context, *, now: datetime | None = None) -> list[ProposalView]:
    """The manager's queue: what waits for confirmation, oldest first."""
    moment = now_utc(now)
    with ctx.read(Permission.CONFIRM_DECISIONS) as session:
        rows = _rows(
            session,
            DecisionProposal.station_id == ctx.station_id,
            DecisionProposal.state == ProposalState.PENDING,
        )
        return _views(session, rows, moment)


def proposals_of(
    ctx: Context, request_id: int, *, now: datetime | None = None
) -> tuple[ProposalView, ...]:
    """Every proposal on one help request, in the order they were made."""
    moment = now_utc(now)
    with ctx.read(Permission.DESK_WORK) as session:
        hr = load_request(session, ctx, request_id)
        return proposals_in(session, hr, moment)


def proposals_in(session: Session, hr: HelpRequest, moment: datetime) -> tuple[ProposalView, ...]:
    """The proposals of a request already loaded (the request record reads them so)."""
    rows = [
        (p, hr, hr.person)
        for p in session.scalars(
            select(DecisionProposal)
            .where(DecisionProposal.help_request_id == hr.id)
            .order_by(DecisionProposal.proposed_at, DecisionProposal.id)
        )
    ]
    return tuple(_views(session, rows, moment))


def check_kind(kind: DecisionKind) -> None:
    """Refuse a kind of decision that is never proposed (giving up is the person's own)."""
    if kind not in REQUIRED_STATUS:
        raise ValidationError(
            N_("Only acceptance, refusal or termination can be proposed."),
            field="decision_kind",
        )
