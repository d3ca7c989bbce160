"""A help request from arrival to decision: registration, security check and
custody, screening and handovers, decisions and numbered documents."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from station_app.domain.enums import (
    ArrivalChannel,
    DecisionKind,
    DocumentKind,
    HandoverRoute,
    ProposalState,
    RequestStatus,
    SupportStatus,
)

from .base import Base, Fixed2, StationOwned, Timestamps, enum_column
from .person import Person

MONEY = Fixed2()


class HelpRequest(StationOwned, Timestamps, Base):
    """One arrival of a person asking for (or brought for) help."""

    __tablename__ = "help_request"
    __table_args__ = (
        Index("ix_help_request_station_arrived", "station_id", "arrived_at"),
        Index("ix_help_request_station_status", "station_id", "status"),
    )

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    arrived_at: Mapped[datetime]
    channel: Mapped[ArrivalChannel] = mapped_column(enum_column(ArrivalChannel, 20))
    brought_by: Mapped[str | None] = mapped_column(String(200))  # unit and person
    encounter_id: Mapped[int | None] = mapped_column(ForeignKey("encounter.id"))
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("hotline_call.id"))
    status: Mapped[RequestStatus] = mapped_column(
        enum_column(RequestStatus, 16), default=RequestStatus.REGISTERED
    )
    # 先行救助: helped first, identified later; missing items are derived from
    # the person's data-quality codes and shown until completed.
    quick_intake: Mapped[bool] = mapped_column(default=False)
    support_status: Mapped[SupportStatus] = mapped_column(
        enum_column(SupportStatus, 12), default=SupportStatus.UNKNOWN
    )
    reason: Mapped[str | None] = mapped_column(Text)  # why without means
    without_means_since: Mapped[str | None] = mapped_column(String(100))
    belongings_carried: Mapped[str | None] = mapped_column(Text)
    photo_taken: Mapped[bool] = mapped_column(default=False)
    fingerprint_taken: Mapped[bool] = mapped_column(default=False)
    signature: Mapped[str | None] = mapped_column(String(20))  # signed / fingerprint / refused
    # Further registration answers that a station's form may add.
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    form_number: Mapped[str | None] = mapped_column(String(30))
    notes: Mapped[str | None] = mapped_column(Text)
    # Raised by every save of the registration answers (see Person.version).
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    person: Mapped[Person] = relationship()


class SecurityCheck(StationOwned, Base):
    __tablename__ = "security_check"

    help_request_id: Mapped[int] = mapped_column(
        ForeignKey("help_request.id", ondelete="CASCADE"), index=True
    )
    checked_at: Mapped[datetime]
    checked_by: Mapped[str] = mapped_column(String(100))
    second_staff: Mapped[str] = mapped_column(String(100))
    dangerous_items: Mapped[str | None] = mapped_column(Text)
    handed_to_police: Mapped[bool] = mapped_column(default=False)
    police_receiver: Mapped[str | None] = mapped_column(String(200))
    notes: Mapped[str | None] = mapped_column(Text)


class CustodyItem(StationOwned, Base):
    """A belonging held by the station, returned and signed off at departure."""

    __tablename__ = "custody_item"

    help_request_id: Mapped[int] = mapped_column(
        ForeignKey("help_request.id", ondelete="CASCADE"), index=True
    )
    item: Mapped[str] = mapped_column(String(100))
    quantity: Mapped[int] = mapped_column(default=1)
    condition: Mapped[str | None] = mapped_column(String(100))
    cash_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    received_by: Mapped[str | None] = mapped_column(String(100))
    witness: Mapped[str | None] = mapped_column(String(100))
    returned_at: Mapped[datetime | None]
    returned_by: Mapped[str | None] = mapped_column(String(100))
    return_signed: Mapped[bool] = mapped_column(default=False)


class Screening(StationOwned, Base):
    """甄别: the person's state and what the routing rule decided, and why."""

    __tablename__ = "screening"

    help_request_id: Mapped[int] = mapped_column(
        ForeignKey("help_request.id", ondelete="CASCADE"), index=True
    )
    screened_at: Mapped[datetime]
    screened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    physical_state: Mapped[str | None] = mapped_column(Text)
    mental_state: Mapped[str | None] = mapped_column(Text)
    intellectual_state: Mapped[str | None] = mapped_column(Text)
    visible_injuries: Mapped[str | None] = mapped_column(Text)
    is_minor: Mapped[bool] = mapped_column(default=False)
    suspected_mental_illness: Mapped[bool] = mapped_column(default=False)
    intellectual_disability: Mapped[bool] = mapped_column(default=False)
    infectious_disease: Mapped[bool] = mapped_column(default=False)
    critical_illness: Mapped[bool] = mapped_column(default=False)
    injured: Mapped[bool] = mapped_column(default=False)
    drunk_or_threatening: Mapped[bool] = mapped_column(default=False)
    suspected_drug_use: Mapped[bool] = mapped_column(default=False)
    trafficking_victim: Mapped[bool] = mapped_column(default=False)
    domestic_violence_victim: Mapped[bool] = mapped_column(default=False)
    left_behind_child: Mapped[bool] = mapped_column(default=False)
    dementia: Mapped[bool] = mapped_column(default=False)  # counted apart in the statistics
    route: Mapped[HandoverRoute | None] = mapped_column(enum_column(HandoverRoute, 16))
    rule_explanation: Mapped[str | None] = mapped_column(Text)


class Handover(StationOwned, Base):
    """A person handed to a hospital, the police or the minors' centre."""

    __tablename__ = "handover"

    help_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("help_request.id", ondelete="CASCADE"), index=True
    )
    encounter_id: Mapped[int | None] = mapped_column(ForeignKey("encounter.id"), index=True)
    screening_id: Mapped[int | None] = mapped_column(ForeignKey("screening.id"))
    route: Mapped[HandoverRoute] = mapped_column(enum_column(HandoverRoute, 16))
    receiving_unit: Mapped[str] = mapped_column(String(200))
    receiving_person: Mapped[str | None] = mapped_column(String(100))
    handed_at: Mapped[datetime]
    came_back_at: Mapped[datetime | None]  # e.g. back from hospital to the station
    notes: Mapped[str | None] = mapped_column(Text)


class Document(StationOwned, Base):
    """A numbered document issued by the station (notices, forms)."""

    __tablename__ = "document"
    __table_args__ = (UniqueConstraint("station_id", "kind", "year", "number"),)

    kind: Mapped[DocumentKind] = mapped_column(enum_column(DocumentKind, 24))
    year: Mapped[int]
    number: Mapped[int]
    number_text: Mapped[str] = mapped_column(String(40))
    help_request_id: Mapped[int | None] = mapped_column(ForeignKey("help_request.id"), index=True)
    issued_at: Mapped[datetime]
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    content: Mapped[dict[str, Any]] = mapped_column(default=dict)  # what was printed


class Decision(StationOwned, Base):
    __tablename__ = "decision"

    help_request_id: Mapped[int] = mapped_column(
        ForeignKey("help_request.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[DecisionKind] = mapped_column(enum_column(DecisionKind, 12))
    decided_at: Mapped[datetime]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    reason: Mapped[str | None] = mapped_column(Text)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("document.id"))


class DecisionProposal(StationOwned, Base):
    """审核确认: a decision the desk proposes and a manager confirms or returns,
    where the station works in two steps (setting ``review.two_step``)."""

    __tablename__ = "decision_proposal"
    __table_args__ = (Index("ix_decision_proposal_station_state", "station_id", "state"),)

    help_request_id: Mapped[int] = mapped_column(
        ForeignKey("help_request.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[DecisionKind] = mapped_column(enum_column(DecisionKind, 12))
    decided_at: Mapped[datetime]  # the time the decision takes effect when confirmed
    reason: Mapped[str | None] = mapped_column(Text)
    proposed_at: Mapped[datetime]
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    state: Mapped[ProposalState] = mapped_column(
        enum_column(ProposalState, 12), default=ProposalState.PENDING
    )
    reviewed_at: Mapped[datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    review_note: Mapped[str | None] = mapped_column(Text)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id"))
