"""One help request with everything recorded about it: what the desk opens
from a Today alert or a search result."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from station_app.db.models import (
    Decision,
    Departure,
    Document,
    FamilySearch,
    Handover,
    Screening,
    Stay,
)
from station_app.domain.clock import china_date
from station_app.domain.permissions import Permission
from station_app.services import persons, settings
from station_app.services.context import Context
from station_app.services.values import now_utc

from .common import RequestView, age_on, latest_screening, load_request, request_view
from .custody import CustodyItemView, item_view, items_of
from .decisions import DecisionView, decision_view
from .departure import DepartureView, departure_view
from .family_search import FamilySearchView, face_check_count, search_view
from .registration import MissingItem, ReturnFlag, missing_of, return_flag
from .review import ProposalView, proposals_in
from .screening import HandoverView, ScreeningView, handover_view, screening_view
from .stay import StayView, stay_view


@dataclass(frozen=True)
class RequestRecord:
    request: RequestView
    person: persons.PersonView
    missing: tuple[MissingItem, ...]
    returned: ReturnFlag | None
    custody: tuple[CustodyItemView, ...]
    screening: ScreeningView | None  # the latest
    handovers: tuple[HandoverView, ...]
    decisions: tuple[DecisionView, ...]
    proposals: tuple[ProposalView, ...]  # proposed decisions (审核确认), in order
    two_step: bool  # the station decides in two steps: the desk proposes
    stay: StayView | None  # the open stay, else the last
    family_search: FamilySearchView | None
    departure: DepartureView | None


def request_record(ctx: Context, request_id: int, *, now: datetime | None = None) -> RequestRecord:
    """Everything recorded about one help request."""
    moment = now_utc(now)
    with ctx.read(Permission.DESK_WORK) as session:
        hr = load_request(session, ctx, request_id, whole_person=True)
        s: Screening | None = latest_screening(session, hr.id)
        stay = session.scalar(
            select(Stay)
            .where(Stay.help_request_id == hr.id)
            .order_by(Stay.ended_at.is_not(None), Stay.started_at.desc())
            .limit(1)
        )
        fs = session.scalar(
            select(FamilySearch)
            .where(FamilySearch.help_request_id == hr.id)
            .order_by(FamilySearch.id.desc())
            .limit(1)
        )
        d = session.scalar(select(Departure).where(Departure.help_request_id == hr.id))
        items = items_of(session, hr.id)
        number = None
        if d is not None and d.document_id is not None:
            doc = session.get(Document, d.document_id)
            number = doc.number_text if doc else None
        decided = session.execute(
            select(Decision, Document.number_text)
            .outerjoin(Document, Document.id == Decision.document_id)
            .where(Decision.help_request_id == hr.id)
            .order_by(Decision.decided_at, Decision.id)
        ).all()
        return RequestRecord(
            request=request_view(hr),
            person=persons.view(hr.person),
            missing=missing_of(hr, hr.person),
            returned=return_flag(session, ctx.station_id, hr, s),
            custody=tuple(item_view(c) for c in items),
            screening=None
            if s is None
            else screening_view(s, age_on(hr.person, china_date(s.screened_at))),
            handovers=tuple(
                handover_view(h)
                for h in session.scalars(
                    select(Handover).where(Handover.help_request_id == hr.id).order_by(Handover.id)
                )
            ),
            decisions=tuple(decision_view(dc, hr.status, n) for dc, n in decided),
            proposals=proposals_in(session, hr, moment),
            two_step=settings.two_step_review(session, ctx.station_id),
            stay=None if stay is None else stay_view(session, ctx, hr, stay, moment),
            family_search=None
            if fs is None
            else search_view(fs, hr.arrived_at, face_check_count(session, fs.id)),
            departure=None
            if d is None
            else departure_view(d, sum(1 for c in items if c.returned_at is None), number),
        )
