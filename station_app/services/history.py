"""A person's history: visits to the station, patrol encounters, items received.

Records linked as the same person (``duplicates.link_persons``) share their
history, so a clerk looking at one spelling of a name sees what happened under
the others; each entry says which record it belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import or_, select

from station_app.db.models import (
    Departure,
    Encounter,
    HelpRequest,
    StockMovement,
    SupplyItem,
)
from station_app.domain.enums import (
    ArrivalChannel,
    DepartureOutcome,
    EncounterAction,
    MovementKind,
    RequestStatus,
)
from station_app.domain.permissions import Permission

from .context import Context
from .duplicates import _group
from .persons import _load


class EntryKind(StrEnum):
    VISIT = "visit"
    ENCOUNTER = "encounter"
    ITEM = "item"


@dataclass(frozen=True)
class HistoryEntry:
    kind: EntryKind
    at: datetime
    person_id: int  # the record it was entered under
    # visits
    request_id: int | None = None
    channel: ArrivalChannel | None = None
    status: RequestStatus | None = None
    departed_at: datetime | None = None
    outcome: DepartureOutcome | None = None
    # encounters
    encounter_id: int | None = None
    place: str | None = None
    action: EncounterAction | None = None
    # items
    item_name_zh: str | None = None
    item_name_bo: str | None = None
    quantity: Decimal | None = None  # handed out, positive
    unit_zh: str | None = None
    movement: MovementKind | None = None


@dataclass(frozen=True)
class PersonHistory:
    person_id: int
    record_ids: frozenset[int]  # this record and those linked to it as the same person
    entries: tuple[HistoryEntry, ...]  # newest first

    def of_kind(self, kind: EntryKind) -> list[HistoryEntry]:
        return [e for e in self.entries if e.kind is kind]


def person_history(ctx: Context, person_id: int, *, linked: bool = True) -> PersonHistory:
    """Everything the station recorded about this person, newest first."""
    with ctx.read(Permission.VIEW_PERSONS) as session:
        _load(session, ctx, person_id)
        ids = _group(session, ctx.station_id, person_id) if linked else {person_id}
        entries: list[HistoryEntry] = []
        visits = session.execute(
            select(HelpRequest, Departure)
            .outerjoin(Departure, Departure.help_request_id == HelpRequest.id)
            .where(HelpRequest.station_id == ctx.station_id, HelpRequest.person_id.in_(ids))
        )
        for request, departure in visits:
            entries.append(
                HistoryEntry(
                    kind=EntryKind.VISIT,
                    at=request.arrived_at,
                    person_id=request.person_id,
                    request_id=request.id,
                    channel=request.channel,
                    status=request.status,
                    departed_at=departure.departed_at if departure else None,
                    outcome=departure.outcome if departure else None,
                )
            )
        encounters = list(
            session.scalars(
                select(Encounter).where(
                    Encounter.station_id == ctx.station_id, Encounter.person_id.in_(ids)
                )
            )
        )
        owner_of_encounter = {e.id: e.person_id for e in encounters}
        for e in encounters:
            entries.append(
                HistoryEntry(
                    kind=EntryKind.ENCOUNTER,
                    at=e.met_at,
                    person_id=e.person_id or person_id,
                    encounter_id=e.id,
                    place=e.place,
                    action=e.action,
                )
            )
        conditions = [StockMovement.person_id.in_(ids)]
        if owner_of_encounter:
            conditions.append(StockMovement.encounter_id.in_(owner_of_encounter))
        movements = session.execute(
            select(StockMovement, SupplyItem)
            .join(SupplyItem, SupplyItem.id == StockMovement.item_id)
            .where(StockMovement.station_id == ctx.station_id, or_(*conditions))
        )
        for m, item in movements:
            owner = m.person_id
            if owner is None and m.encounter_id is not None:
                owner = owner_of_encounter.get(m.encounter_id)
            entries.append(
                HistoryEntry(
                    kind=EntryKind.ITEM,
                    at=m.moved_at,
                    person_id=owner or person_id,
                    encounter_id=m.encounter_id,
                    request_id=m.help_request_id,
                    item_name_zh=item.name_zh,
                    item_name_bo=item.name_bo,
                    quantity=-m.quantity,
                    unit_zh=item.unit_zh,
                    movement=m.kind,
                )
            )
        entries.sort(key=lambda e: (e.at, e.kind.value), reverse=True)
        return PersonHistory(person_id, frozenset(ids), tuple(entries))
