"""Records of the desk workflow made through the services, for tests."""

from __future__ import annotations

from datetime import datetime

from station_app.db.models import Decision, HelpRequest
from station_app.domain.enums import ArrivalChannel, DecisionKind
from station_app.domain.permissions import Permission
from station_app.services import persons
from station_app.services.context import Context


def help_request(
    ctx: Context,
    *,
    arrived_at: datetime,
    channel: ArrivalChannel,
    brought_by: str | None = None,
    reason: str | None = None,
    **person: object,
) -> int:
    """A new person (``person`` are PersonInput fields) and their help request."""
    pid = persons.create_person(ctx, persons.PersonInput(**person)).person.id  # type: ignore[arg-type]
    with ctx.write(Permission.DESK_WORK) as s:
        hr = HelpRequest(
            station_id=ctx.station_id,
            person_id=pid,
            arrived_at=arrived_at,
            channel=channel,
            brought_by=brought_by,
            reason=reason,
        )
        s.add(hr)
        s.flush()
        return hr.id


def decide(ctx: Context, request_id: int, kind: DecisionKind, *, at: datetime, reason: str) -> None:
    with ctx.write(Permission.DESK_WORK) as s:
        s.add(
            Decision(
                station_id=ctx.station_id,
                help_request_id=request_id,
                kind=kind,
                decided_at=at,
                reason=reason,
            )
        )
