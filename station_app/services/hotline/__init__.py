"""The 24-hour help line and leads (站外救助线索), and publicity days (issue 6).

A lead is linked to what it produced from the other side: ``Encounter.lead_id``
and ``HelpRequest.lead_id`` (``hotline_call`` has no column for them). Calls
are answered by desk or patrol staff: either permission will do.
"""

from .calls import (
    CallInput,
    CallView,
    ResponseFigures,
    close_call,
    dispatch,
    list_calls,
    minutes_to_arrival,
    nearest_rank,
    record_arrival,
    record_call,
    response_figures,
)
from .period import HotlinePeriod, hotline_period
from .publicity import (
    PublicityFigures,
    PublicityInput,
    PublicityView,
    list_publicity,
    publicity_figures,
    record_publicity,
)

__all__ = [
    "CallInput",
    "CallView",
    "HotlinePeriod",
    "PublicityFigures",
    "PublicityInput",
    "PublicityView",
    "ResponseFigures",
    "close_call",
    "dispatch",
    "hotline_period",
    "list_calls",
    "list_publicity",
    "minutes_to_arrival",
    "nearest_rank",
    "publicity_figures",
    "record_arrival",
    "record_call",
    "record_publicity",
    "response_figures",
]
