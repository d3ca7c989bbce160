"""Everything the request window shows, read in one call: the record, the
services log, the family search's face checks and milestones, and the beds
free per room."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from station_app.services.context import Context
from station_app.services.full_views import record_full_view

from .family_search import FaceCheckView, SearchMilestone, face_checks, search_milestones
from .record import RequestRecord, request_record
from .stay import ServiceView, services
from .today import RoomBeds, today


@dataclass(frozen=True)
class RequestSheet:
    record: RequestRecord
    services: tuple[ServiceView, ...]
    face_checks: tuple[FaceCheckView, ...]
    milestones: tuple[SearchMilestone, ...]  # due while the family search is open
    rooms: tuple[RoomBeds, ...]


def request_sheet(
    ctx: Context, request_id: int, *, now: datetime | None = None, opened: bool = False
) -> RequestSheet:
    """``opened``: the window's first read, audited as a full view (the
    screening's health notes, the person's ID number); refreshes are not."""
    record = request_record(ctx, request_id, now=now)
    if opened:
        record_full_view(ctx, "help_request", request_id)
    search = record.family_search
    return RequestSheet(
        record=record,
        services=services(ctx, request_id),
        face_checks=face_checks(ctx, search.id) if search is not None else (),
        milestones=search_milestones(ctx, search.id, now=now)
        if search is not None and search.closed_at is None
        else (),
        rooms=tuple(today(ctx, now=now).rooms),
    )
