"""Departure (离站) with every outcome: what each one must record, belongings
handed back, cash only up to the limit against a receipt, and the stay closed.

Belongings: a person who leaves in the station's presence gets everything
held back, signed for; the departure is refused while items are held unless
their return is recorded with it. Someone who left without notice or died
cannot sign: the items stay held (``belongings_returned`` false) until they
are handed to the person or their family with ``return_belongings``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.db.models import Decision, Departure, Document, FamilySearch, HelpRequest
from station_app.domain import age as age_rules
from station_app.domain.clock import china_date
from station_app.domain.enums import (
    OPEN_STATUSES,
    DecisionKind,
    DepartureOutcome,
    DocumentKind,
    RequestStatus,
    TransferDestination,
)
from station_app.domain.errors import N_, Conflict, ValidationError
from station_app.domain.idcard import parse_id_number
from station_app.domain.permissions import Permission
from station_app.services import settings
from station_app.services.context import Context
from station_app.services.values import money, now_utc, text

from .common import (
    NO_FULL_CAPACITY,
    age_on,
    check_moment,
    issued_document,
    latest_screening,
    load_request,
    new_document,
    open_stay,
    require_status,
)
from .custody import ReturnInput, hand_back, held_items

Out = DepartureOutcome
# Outcomes where the person is not there to sign for their belongings.
_ABSENT = (Out.LEFT_WITHOUT_NOTICE, Out.DIED)


@dataclass
class DepartureInput:
    outcome: DepartureOutcome
    departed_at: datetime
    destination: str | None = None  # where the person goes (home place, unit)
    transfer_to: TransferDestination | None = None
    voucher_route: str | None = None
    voucher_cost: Decimal | int | str | None = None
    via_transfer_city: bool = False  # no direct service: the voucher goes to a transfer city
    transfer_city_station: str | None = None  # that city's station
    escort_staff: str | None = None
    collector_name: str | None = None
    collector_id_number: str | None = None
    collector_relation: str | None = None
    cash_given: Decimal | int | str | None = None  # short local fare only
    cash_receipt_signed: bool = False
    notes: str | None = None
    return_belongings: ReturnInput | None = None  # when items are held


@dataclass(frozen=True)
class DepartureView:
    id: int
    request_id: int
    departed_at: datetime
    outcome: DepartureOutcome
    destination: str | None
    transfer_to: TransferDestination | None
    voucher_route: str | None
    voucher_cost: Decimal | None
    transfer_city_station: str | None
    escort_staff: str | None
    collector_name: str | None
    collector_id_number: str | None
    collector_relation: str | None
    cash_given: Decimal | None
    cash_receipt_signed: bool
    belongings_returned: bool
    items_still_held: int
    document_number: str | None  # self-departure declaration or departure record


def _required(value: str | None, field: str, message: str, max_length: int = 200) -> str:
    cleaned = text(value, field, max_length=max_length)
    if cleaned is None:
        raise ValidationError(message, field=field)
    return cleaned


def _outcome_fields(data: DepartureInput, row: Departure) -> None:
    """What each outcome must record; other outcomes' fields are not kept."""
    outcome = data.outcome
    if outcome is Out.RETURNED_HOME_VOUCHER:
        row.voucher_route = _required(
            data.voucher_route,
            "voucher_route",
            N_("Enter the voucher's route, e.g. 康定—成都 (bus)."),
        )
        cost = money(data.voucher_cost, "voucher_cost")
        if cost is None:
            raise ValidationError(
                N_("Enter the cost of the travel voucher in yuan."), field="voucher_cost"
            )
        row.voucher_cost = cost
        if data.via_transfer_city:
            row.transfer_city_station = _required(
                data.transfer_city_station,
                "transfer_city_station",
                N_(
                    "The voucher goes to a transfer city: enter the relief station there "
                    "that takes the person on."
                ),
            )
    elif outcome is Out.ESCORTED_HOME:
        row.escort_staff = _required(
            data.escort_staff, "escort_staff", N_("Enter the staff who escort the person home.")
        )
    elif outcome is Out.COLLECTED_BY_FAMILY:
        row.collector_name = _required(
            data.collector_name,
            "collector_name",
            N_("Enter the name of the person who collects them."),
            100,
        )
        number = _required(
            data.collector_id_number,
            "collector_id_number",
            N_("Enter the ID number of the person who collects them, from their ID card."),
            40,
        )
        row.collector_id_number = parse_id_number(number, field="collector_id_number").number
        row.collector_relation = _required(
            data.collector_relation,
            "collector_relation",
            N_("Enter how the collector is related to the person, e.g. brother."),
            40,
        )
    elif outcome is Out.TRANSFERRED:
        if data.transfer_to is None:
            raise ValidationError(
                N_("Choose where the person is transferred to."), field="transfer_to"
            )
        row.transfer_to = data.transfer_to
        row.destination = _required(
            data.destination,
            "destination",
            N_("Enter the hospital, home or station that receives the person."),
        )
        row.escort_staff = text(data.escort_staff, "escort_staff")
    elif outcome in (Out.DIED, Out.OTHER):
        row.notes = _required(
            data.notes,
            "notes",
            N_("Describe what happened and who was informed."),
            4000,
        )


def record_departure(
    ctx: Context, request_id: int, data: DepartureInput, *, now: datetime | None = None
) -> DepartureView:
    """Record how the person left; closes the stay and the request.

    Refused: a time before the arrival or in the future; an outcome without
    what it must record; a minor or a person without full capacity leaving on
    their own; cash over the limit (setting ``rules.cash_limit_yuan``) or
    without a signed receipt; belongings still held and not handed back."""
    ctx.require(Permission.DESK_WORK)  # refused before the input is read
    moment = now_utc(now)
    cash = money(data.cash_given, "cash_given")
    with ctx.write(Permission.DESK_WORK) as session:
        hr = load_request(session, ctx, request_id, lock=True)
        require_status(
            hr,
            OPEN_STATUSES,
            N_("This help request is {status}; a departure cannot be recorded for it."),
        )
        stay = open_stay(session, hr.id)
        at = check_moment(
            data.departed_at, field="departed_at", now=moment, not_before=hr.arrived_at
        )
        if stay is not None and at < stay.started_at:
            raise ValidationError(
                N_("The departure is before the person got a bed; check the date and time."),
                field="departed_at",
            )
        if data.outcome is Out.SELF_DEPARTURE:
            _check_may_leave_alone(session, hr, at)
        if data.outcome is Out.TERMINATED:
            terminated = session.scalar(
                select(Decision.id).where(
                    Decision.help_request_id == hr.id, Decision.kind == DecisionKind.TERMINATE
                )
            )
            if terminated is None:
                raise Conflict(
                    N_(
                        "Record the decision to terminate help (with its reason and notice) "
                        "before the departure."
                    )
                )
        if cash is not None and cash > 0:
            limit = settings.decimal_value(session, ctx.station_id, "rules.cash_limit_yuan")
            if cash > limit:
                raise ValidationError(
                    N_(
                        "Cash is given only for short local fares, at most {limit} yuan; "
                        "give a travel voucher for longer journeys."
                    ),
                    field="cash_given",
                    limit=str(limit),
                )
            if not data.cash_receipt_signed:
                raise ValidationError(
                    N_("Cash is given only against a signed receipt; have the person sign it."),
                    field="cash_receipt_signed",
                )
        row = Departure(
            station_id=ctx.station_id,
            help_request_id=hr.id,
            departed_at=at,
            outcome=data.outcome,
            destination=text(data.destination, "destination"),
            cash_given=cash if cash else None,
            cash_receipt_signed=bool(cash) and data.cash_receipt_signed,
            recorded_by_id=ctx.actor.user_id,
            notes=text(data.notes, "notes", max_length=4000),
        )
        _outcome_fields(data, row)
        held = held_items(session, hr.id)
        if held and data.outcome not in _ABSENT:
            if data.return_belongings is None:
                raise Conflict(
                    N_(
                        "The station still holds {count} of this person's belongings; hand "
                        "them back and record who returned them and the person's signature."
                    ),
                    count=len(held),
                )
            hand_back(session, hr, data.return_belongings, moment)
        row.belongings_returned = bool(held) and data.outcome not in _ABSENT
        doc = _paperwork(session, ctx, hr, data, at)
        row.document_id = doc.id if doc else None
        session.add(row)
        if stay is not None:
            stay.ended_at = at
        for fs in session.scalars(
            select(FamilySearch).where(
                FamilySearch.help_request_id == hr.id, FamilySearch.closed_at.is_(None)
            )
        ):
            fs.closed_at = at
        hr.status = RequestStatus.CLOSED
        session.flush()
        still_held = len(held_items(session, hr.id))
        return departure_view(row, still_held, doc.number_text if doc else None)


def _check_may_leave_alone(session: Session, hr: HelpRequest, at: datetime) -> None:
    age = age_on(hr.person, china_date(at))
    screening = latest_screening(session, hr.id)
    if (age is not None and age_rules.is_minor(age)) or (screening and screening.is_minor):
        raise ValidationError(
            N_(
                "A minor may not leave the station on their own; they must be collected by "
                "family or escorted. Choose one of those outcomes."
            ),
            field="outcome",
        )
    if hr.person.disability in NO_FULL_CAPACITY or (
        screening is not None
        and (screening.suspected_mental_illness or screening.intellectual_disability)
    ):
        raise ValidationError(
            N_(
                "A person without full legal capacity may not leave on their own; they must "
                "be collected by family or escorted. Choose one of those outcomes."
            ),
            field="outcome",
        )


def _paperwork(
    session: Session, ctx: Context, hr: HelpRequest, data: DepartureInput, at: datetime
) -> Document | None:
    """Giving up is a decision too; the numbered paper of the departure.

    A self-departure declaration printed before the person left keeps its number."""
    if data.outcome in (Out.SELF_DEPARTURE, Out.LEFT_WITHOUT_NOTICE):
        decision = Decision(
            station_id=ctx.station_id,
            help_request_id=hr.id,
            kind=DecisionKind.GIVE_UP,
            decided_at=at,
            decided_by_id=ctx.actor.user_id,
            reason=text(data.notes, "notes", max_length=4000),
        )
        session.add(decision)
        if data.outcome is Out.LEFT_WITHOUT_NOTICE:
            return None
        printed = issued_document(session, hr.id, DocumentKind.SELF_DEPARTURE)
        doc = printed or new_document(
            session, ctx, hr.id, DocumentKind.SELF_DEPARTURE, at, {"outcome": data.outcome.value}
        )
        decision.document_id = doc.id
        return doc
    return new_document(
        session, ctx, hr.id, DocumentKind.DEPARTURE_RECORD, at, {"outcome": data.outcome.value}
    )


def departure_view(d: Departure, still_held: int, number: str | None) -> DepartureView:
    return DepartureView(
        id=d.id,
        request_id=d.help_request_id,
        departed_at=d.departed_at,
        outcome=d.outcome,
        destination=d.destination,
        transfer_to=d.transfer_to,
        voucher_route=d.voucher_route,
        voucher_cost=d.voucher_cost,
        transfer_city_station=d.transfer_city_station,
        escort_staff=d.escort_staff,
        collector_name=d.collector_name,
        collector_id_number=d.collector_id_number,
        collector_relation=d.collector_relation,
        cash_given=d.cash_given,
        cash_receipt_signed=d.cash_receipt_signed,
        belongings_returned=d.belongings_returned,
        items_still_held=still_held,
        document_number=number,
    )


def give_up(
    ctx: Context,
    request_id: int,
    at: datetime,
    reason: str | None = None,
    *,
    return_belongings: ReturnInput | None = None,
    now: datetime | None = None,
) -> DepartureView:
    """The person gives up help voluntarily and leaves with the signed
    self-departure declaration (refused for minors and people without full
    capacity, like any self-departure)."""
    return record_departure(
        ctx,
        request_id,
        DepartureInput(
            outcome=Out.SELF_DEPARTURE,
            departed_at=at,
            notes=reason,
            return_belongings=return_belongings,
        ),
        now=now,
    )


def departure_of(ctx: Context, request_id: int) -> DepartureView | None:
    with ctx.read(Permission.DESK_WORK) as session:
        hr = load_request(session, ctx, request_id)
        d = session.scalar(select(Departure).where(Departure.help_request_id == hr.id))
        if d is None:
            return None
        number = None
        if d.document_id is not None:
            doc = session.get(Document, d.document_id)
            number = doc.number_text if doc else None
        return departure_view(d, len(held_items(session, hr.id)), number)
