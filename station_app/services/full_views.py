"""Who looked at whom: opening a record that shows an ID number in full or
health notes is an audit entry (``AuditAction.VIEW``), one per opening of a
form or window, not one per refresh."""

from __future__ import annotations

from station_app.db.engine import IMMEDIATE, SQLITE_BEGIN
from station_app.domain.enums import AuditAction

from . import audit
from .context import Context

SUMMARY = "full record viewed"


def record_full_view(ctx: Context, entity: str, entity_id: int) -> None:
    """A VIEW entry in its own short transaction (as a refusal's): a read-only
    view records it too. It changes nothing, so no screen is told to read the
    record again."""
    with ctx.db.sessions() as session:
        session.info["actor"] = ctx.actor
        with session.begin():
            session.connection(execution_options={SQLITE_BEGIN: IMMEDIATE})
            audit.record(session, AuditAction.VIEW, entity, entity_id, SUMMARY)
            audit._changed(session).discard((entity, entity_id))  # not a change to show
