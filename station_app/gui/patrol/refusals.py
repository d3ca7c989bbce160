"""Which row of the grid a refusal of the service is about.

The service names the field at fault, not the encounter; the form points at
the first encounter sent that fits the refusal, so the team sees the row."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from station_app.domain.enums import EncounterAction
from station_app.domain.errors import UserError
from station_app.services import patrol

# encounter error field -> the grid column (a field of EncounterRow)
CELL_FIELDS = {
    "met_at": "time",
    "arrived_at": "time",
    "place": "place",
    "code_name": "person",
    "description": "person",
    "person_id": "person",
    "condition": "condition",
    "needs": "needs",
    "action": "action",
    "refusal_reason": "refusal_reason",
    "items": "items",
    "item_id": "items",
    "quantity": "items",
    "follow_up_note": "follow_up",
}
# what the service allows around a shift for the time someone was met
SLACK = timedelta(minutes=30)


def _fits(
    exc: UserError,
    e: patrol.EncounterInput,
    start: datetime,
    end: datetime,
    item_names: Mapping[int, str],
) -> bool:
    field, params = exc.field, exc.params
    if field == "met_at":
        return not start - SLACK <= e.met_at <= min(end + SLACK, datetime.now(UTC))
    if field == "place":
        return not e.place.strip()
    if field == "code_name":
        return e.person_id is None and not (e.code_name or e.description)
    if field == "person_id" and "id" in params:
        return bool(e.person_id == params["id"])
    if field == "refusal_reason":
        return e.action is EncounterAction.REFUSED_HELP and not (e.refusal_reason or "").strip()
    if field in ("items", "item_id", "quantity") and "item" in params:
        return any(item_names.get(g.item_id) == params["item"] for g in e.items)
    return "place" in params and e.place == params["place"]


def blamed_row(
    exc: UserError, data: patrol.ShiftInput | None, sent: list[int], item_names: Mapping[int, str]
) -> int | None:
    """The grid row of the first encounter sent that fits ``exc`` (``sent``:
    the row of each encounter of ``data``); None when none fits for sure."""
    if data is None:
        return None
    for e, row in zip(data.encounters, sent, strict=True):
        if _fits(exc, e, data.started_at, data.ended_at, item_names):
            return row
    return sent[0] if len(sent) == 1 else None
