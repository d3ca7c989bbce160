"""What every printout reads: the station's heading, the help request with its
person, and the name of a staff member."""

from __future__ import annotations

from sqlalchemy.orm import Session

from station_app.db.models import HelpRequest, Station, User
from station_app.domain.errors import N_, NotFound
from station_app.printing.content import StationHeading
from station_app.services.context import Context


def heading(session: Session, station_id: int) -> StationHeading:
    s = session.get(Station, station_id)
    if s is None:
        raise NotFound(N_("Station {id} does not exist."), id=station_id)
    return StationHeading(s.name_zh, s.name_bo, s.address_zh, s.address_bo, s.hotline)


def load_request(
    session: Session, ctx: Context, request_id: int, *, lock: bool = False
) -> HelpRequest:
    """The help request with its person's other names and relatives (a form
    prints them); ``lock`` before numbering one of its documents."""
    # imported here: the desk's services are not needed by printouts of no
    # request (the blank form, cards, the supplies ledger)
    from station_app.services.desk import common as desk_common

    return desk_common.load_request(session, ctx, request_id, whole_person=True, lock=lock)


def user_name(session: Session, user_id: int | None) -> str | None:
    if user_id is None:
        return None
    u = session.get(User, user_id)
    return u.display_name if u else None
