"""Street patrols (街面巡查 / 主动救助, issue 6): a shift entered after it, with
its team, the people met, what was done and what was handed out; editing it
later (audited); the bureau's monthly patrol figures.

Plain functions taking a ``Context``; input dataclasses in, frozen views out.
Someone brought or escorted to the station becomes an arrival at the desk in
the same transaction; items handed out are issues in the supplies ledger.
"""

from .figures import ItemFigure, PatrolFigures, patrol_figures
from .forms import (
    EncounterInput,
    EncounterView,
    ItemGiven,
    ItemView,
    MemberInput,
    MemberView,
    ShiftInput,
    ShiftSummary,
    ShiftView,
)
from .screens import RecentPatrols, ShiftSheet, recent_patrols, shift_sheet
from .shifts import get_shift, list_shifts, submit_shift, update_shift

__all__ = [
    "EncounterInput",
    "EncounterView",
    "ItemFigure",
    "ItemGiven",
    "ItemView",
    "MemberInput",
    "MemberView",
    "PatrolFigures",
    "RecentPatrols",
    "ShiftInput",
    "ShiftSheet",
    "ShiftSummary",
    "ShiftView",
    "get_shift",
    "list_shifts",
    "patrol_figures",
    "recent_patrols",
    "shift_sheet",
    "submit_shift",
    "update_shift",
]
