"""The decision on a help request: accept, refuse with a numbered notice,
terminate later with a numbered notice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from station_app.db.models import Decision, Document, FamilySearch
from station_app.domain.enums import DecisionKind, DocumentKind, RequestStatus
from station_app.domain.errors import N_, ValidationError
from station_app.domain.permissions import Permission
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
    with a recorded reason."""
    moment = now_utc(now)
    with ctx.write(Permission.DESK_WORK) as session:
        hr = load_request(session, ctx, request_id)
        require_status(
            hr,
            (RequestStatus.REGISTERED,),
            N_("This help request is {status}; only a registered request can be accepted."),
        )
        at = check_moment(decided_at, field="decided_at", now=moment, not_before=hr.arrived_at)
        why = text(reason, "decision_reason", max_length=2000)
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
        d = Decision(
            station_id=ctx.station_id,
            help_request_id=hr.id,
            kind=DecisionKind.ACCEPT,
            decided_at=at,
            decided_by_id=ctx.actor.user_id,
            reason=why,
        )
        session.add(d)
        hr.status = RequestStatus.ACCEPTED
        session.flush()
        return decision_view(d, hr.status, None)


def _numbered(
    ctx: Context,
    request_id: int,
    kind: DecisionKind,
    document: DocumentKind,
    decided_at: datetime,
    reason: str,
    moment: datetime,
) -> DecisionView:
    why = required_text(reason, "decision_reason", max_length=2000)
    with ctx.write(Permission.DESK_WORK) as session:
        hr = load_request(session, ctx, request_id)
        if kind is DecisionKind.REFUSE:
            require_status(
                hr,
                (RequestStatus.REGISTERED,),
                N_("This help request is {status}; only a registered request can be refused."),
            )
        else:
            require_status(
                hr,
                (RequestStatus.ACCEPTED,),
                N_(
                    "This help request is {status}; help can only be terminated for a "
                    "person in the station's care."
                ),
            )
        at = check_moment(decided_at, field="decided_at", now=moment, not_before=hr.arrived_at)
        doc = new_document(session, ctx, hr.id, document, at, {"reason": why})
        d = Decision(
            station_id=ctx.station_id,
            help_request_id=hr.id,
            kind=kind,
            decided_at=at,
            decided_by_id=ctx.actor.user_id,
            reason=why,
            document_id=doc.id,
        )
        session.add(d)
        if kind is DecisionKind.REFUSE:
            hr.status = RequestStatus.REFUSED
            # the person leaves: a search started at registration ends here
            for fs in session.scalars(
                select(FamilySearch).where(
                    FamilySearch.help_request_id == hr.id, FamilySearch.closed_at.is_(None)
                )
            ):
                fs.closed_at = at
        session.flush()
        return decision_view(d, hr.status, doc.number_text)


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
    return _numbered(
        ctx,
        request_id,
        DecisionKind.REFUSE,
        DocumentKind.REFUSAL,
        decided_at,
        reason,
        now_utc(now),
    )


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
    return _numbered(
        ctx,
        request_id,
        DecisionKind.TERMINATE,
        DocumentKind.TERMINATION,
        decided_at,
        reason,
        now_utc(now),
    )


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
