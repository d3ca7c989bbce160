"""The decision on a help request: accept, refuse with a numbered notice,
terminate later with a numbered notice. Where the station decides in two
steps (审核确认, :mod:`.review`) the desk proposes and a manager confirms; the
confirmation writes the decision through :func:`write_decision` as a direct
decision does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.db.models import Decision, DecisionProposal, Document, FamilySearch, HelpRequest
from station_app.domain.enums import DecisionKind, DocumentKind, ProposalState, RequestStatus
from station_app.domain.errors import N_, Conflict, PermissionDenied, ValidationError
from station_app.domain.permissions import Permission, allows
from station_app.services import settings
from station_app.services.context import Context
from station_app.services.values import now_utc, required_text, text

from .common import check_moment, latest_screening, load_request, new_document, require_status
from .registration import return_flag


@dataclass(frozen=True)
class DecisionView:
    id: int
    request_id: int
    kind: DecisionKind
    decided_at: datetime
    reason: str | None
    document_number: str | None  # the notice's number (refusal, termination)
    status: RequestStatus  # the request's status after the decision


def decision_view(d: Decision, status: RequestStatus, number: str | None) -> DecisionView:
    return DecisionView(d.id, d.help_request_id, d.kind, d.decided_at, d.reason, number, status)


# What a decision of each kind needs the request to be, and what it says otherwise.
REQUIRED_STATUS: dict[DecisionKind, tuple[RequestStatus, str]] = {
    DecisionKind.ACCEPT: (
        RequestStatus.REGISTERED,
        N_("This help request is {status}; only a registered request can be accepted."),
    ),
    DecisionKind.REFUSE: (
        RequestStatus.REGISTERED,
        N_("This help request is {status}; only a registered request can be refused."),
    ),
    DecisionKind.TERMINATE: (
        RequestStatus.ACCEPTED,
        N_(
            "This help request is {status}; help can only be terminated for a "
            "person in the station's care."
        ),
    ),
}
NOTICES = {
    DecisionKind.REFUSE: DocumentKind.REFUSAL,
    DecisionKind.TERMINATE: DocumentKind.TERMINATION,
}
PROPOSE_INSTEAD = N_(
    "This station decides in two steps: propose the decision, and a manager confirms it."
)
PROPOSAL_WAITS = N_(
    "A proposed decision on this help request waits for confirmation; confirm it or "
    "return it first."
)


def check_decision(
    session: Session,
    ctx: Context,
    hr: HelpRequest,
    kind: DecisionKind,
    decided_at: datetime,
    reason: str | None,
    now: datetime,
) -> tuple[datetime, str | None]:
    """The rules a decision of ``kind`` must meet: the request's status, the
    time, the reason. Returns the time in UTC and the cleaned reason."""
    if kind not in REQUIRED_STATUS:
        raise ValidationError(
            N_("Only acceptance, refusal or termination can be decided here."),
            field="decision_kind",
        )
    why = (
        text(reason, "decision_reason", max_length=2000)
        if kind is DecisionKind.ACCEPT
        else required_text(reason, "decision_reason", max_length=2000)
    )
    status, message = REQUIRED_STATUS[kind]
    require_status(hr, (status,), message)
    at = check_moment(decided_at, field="decided_at", now=now, not_before=hr.arrived_at)
    if kind is DecisionKind.ACCEPT:
        flag = return_flag(session, ctx.station_id, hr, latest_screening(session, hr.id))
        if flag is not None and not flag.exempt and why is None:
            raise ValidationError(
                N_(
                    "This person left the station {days} days ago; to help them again, "
                    "enter the reason for the exception."
                ),
                field="decision_reason",
                days=flag.days_since,
            )
    return at, why


def write_decision(
    session: Session,
    ctx: Context,
    hr: HelpRequest,
    kind: DecisionKind,
    at: datetime,
    why: str | None,
) -> DecisionView:
    """Write a decision :func:`check_decision` let through: the decision, the
    request's new status, and for a refusal or termination its numbered notice."""
    document = NOTICES.get(kind)
    doc = (
        new_document(session, ctx, hr.id, document, at, {"reason": why})
        if document is not None
        else None
    )
    d = Decision(
        station_id=ctx.station_id,
        help_request_id=hr.id,
        kind=kind,
        decided_at=at,
        decided_by_id=ctx.actor.user_id,
        reason=why,
        document_id=doc.id if doc is not None else None,
    )
    session.add(d)
    if kind is DecisionKind.ACCEPT:
        hr.status = RequestStatus.ACCEPTED
    elif kind is DecisionKind.REFUSE:
        hr.status = RequestStatus.REFUSED
        # the person leaves: a search started at registration ends here
        for fs in session.scalars(
            select(FamilySearch).where(
                FamilySearch.help_request_id == hr.id, FamilySearch.closed_at.is_(None)
            )
        ):
            fs.closed_at = at
    session.flush()
    return decision_view(d, hr.status, doc.number_text if doc is not None else None)


def pending_proposal(session: Session, request_id: int) -> DecisionProposal | None:
    return session.scalar(
        select(DecisionProposal)
        .where(
            DecisionProposal.help_request_id == request_id,
            DecisionProposal.state == ProposalState.PENDING,
        )
        .limit(1)
    )


def _decide(
    ctx: Context,
    request_id: int,
    kind: DecisionKind,
    decided_at: datetime,
    reason: str | None,
    now: datetime | None,
) -> DecisionView:
    """A decision taken directly. Where the station decides in two steps only
    someone who may confirm decides directly, and the decision is recorded as
    a proposal of theirs they confirmed: the station's record of reviews stays
    whole."""
    moment = now_utc(now)
    with ctx.write(Permission.DESK_WORK) as session:
        hr = load_request(session, ctx, request_id, lock=True)
        two_step = settings.two_step_review(session, ctx.station_id)
        if two_step:
            if not allows(ctx.actor.role, Permission.CONFIRM_DECISIONS):
                raise PermissionDenied(PROPOSE_INSTEAD)
            if pending_proposal(session, hr.id) is not None:
                raise Conflict(PROPOSAL_WAITS)
        at, why = check_decision(session, ctx, hr, kind, decided_at, reason, moment)
        view = write_decision(session, ctx, hr, kind, at, why)
        if two_step:
            session.add(
                DecisionProposal(
                    station_id=ctx.station_id,
                    help_request_id=hr.id,
                    kind=kind,
                    decided_at=at,
                    reason=why,
                    proposed_at=moment,
                    proposed_by_id=ctx.actor.user_id,
                    state=ProposalState.CONFIRMED,
                    reviewed_at=moment,
                    reviewed_by_id=ctx.actor.user_id,
                    decision_id=view.id,
                )
            )
        return view


def accept(
    ctx: Context,
    request_id: int,
    decided_at: datetime,
    reason: str | None = None,
    *,
    now: datetime | None = None,
) -> DecisionView:
    """Take the person into the station's care (status ACCEPTED).

    Someone back within a month who is not exempt may be helped again only
    with a recorded reason. Where the station decides in two steps (setting
    ``review.two_step``), desk staff propose instead (``desk.propose``)."""
    return _decide(ctx, request_id, DecisionKind.ACCEPT, decided_at, reason, now)


def refuse(
    ctx: Context,
    request_id: int,
    decided_at: datetime,
    reason: str,
    *,
    now: datetime | None = None,
) -> DecisionView:
    """Refuse help with a reason; the notice of refusal (不予救助通知书) gets its
    number now, and printing it (``printouts.print_notice``) shows that number."""
    return _decide(ctx, request_id, DecisionKind.REFUSE, decided_at, reason, now)


def terminate(
    ctx: Context,
    request_id: int,
    decided_at: datetime,
    reason: str,
    *,
    now: datetime | None = None,
) -> DecisionView:
    """Terminate the help of an accepted person, with a numbered notice of
    termination (终止救助通知书). Record the departure (outcome TERMINATED) next."""
    return _decide(ctx, request_id, DecisionKind.TERMINATE, decided_at, reason, now)


def decisions(ctx: Context, request_id: int) -> tuple[DecisionView, ...]:
    with ctx.read(Permission.DESK_WORK) as session:
        hr = load_request(session, ctx, request_id)
        rows = session.execute(
            select(Decision, Document.number_text)
            .outerjoin(Document, Document.id == Decision.document_id)
            .where(Decision.help_request_id == hr.id)
            .order_by(Decision.decided_at, Decision.id)
        ).all()
        return tuple(decision_view(d, hr.status, number) for d, number in rows)
