"""The desk workflow from arrival to departure (issue 5), without any window:
registration and quick intake, security check and custody, screening and
handovers, decisions with numbered notices, the stay and its 10-day clock,
family search, departure, and the Today page.

Plain functions taking a ``Context``; input dataclasses in, frozen views out
(never ORM rows), so the GUI can call them from background threads. Rules
live here; errors a user can fix are ``ValidationError`` / ``Conflict`` with
a message that says what to do.
"""

from station_app.domain.screening import Routing, ScreeningFlags, route_for

from .common import RequestView
from .custody import (
    CustodyItemInput,
    CustodyItemView,
    ReturnInput,
    SecurityCheckInput,
    SecurityCheckView,
    custody_items,
    record_security_check,
    return_belongings,
)
from .decisions import DecisionView, accept, decisions, refuse, terminate
from .departure import DepartureInput, DepartureView, departure_of, give_up, record_departure
from .family_search import (
    FaceCheckInput,
    FaceCheckView,
    FamilySearchView,
    NoticeInput,
    SearchMilestone,
    add_face_check,
    close_family_search,
    face_checks,
    family_search_of,
    open_family_search,
    publish_notice,
    record_dna_sample,
    record_notice_update,
    record_placement_start,
    search_milestones,
)
from .record import RequestRecord, request_record
from .registration import (
    MissingItem,
    Registration,
    RegistrationDetails,
    RegistrationInput,
    ReturnFlag,
    missing_items,
    register,
    returned_within_window,
    update_details,
)
from .screening import (
    HandoverInput,
    HandoverView,
    ScreeningInput,
    ScreeningView,
    hand_over,
    handovers,
    record_return,
    record_screening,
)
from .sheet import RequestSheet, request_sheet
from .stay import (
    BedInput,
    ServiceInput,
    ServiceView,
    StayClock,
    StayView,
    assign_bed,
    current_stay,
    extend_stay,
    move_bed,
    record_service,
    services,
)
from .today import Alert, Resident, RoomBeds, TodayView, today

__all__ = [
    "Alert",
    "BedInput",
    "CustodyItemInput",
    "CustodyItemView",
    "DecisionView",
    "DepartureInput",
    "DepartureView",
    "FaceCheckInput",
    "FaceCheckView",
    "FamilySearchView",
    "HandoverInput",
    "HandoverView",
    "MissingItem",
    "NoticeInput",
    "Registration",
    "RegistrationDetails",
    "RegistrationInput",
    "RequestRecord",
    "RequestSheet",
    "RequestView",
    "Resident",
    "ReturnFlag",
    "ReturnInput",
    "RoomBeds",
    "Routing",
    "ScreeningFlags",
    "ScreeningInput",
    "ScreeningView",
    "SearchMilestone",
    "SecurityCheckInput",
    "SecurityCheckView",
    "ServiceInput",
    "ServiceView",
    "StayClock",
    "StayView",
    "TodayView",
    "accept",
    "add_face_check",
    "assign_bed",
    "close_family_search",
    "current_stay",
    "custody_items",
    "decisions",
    "departure_of",
    "extend_stay",
    "face_checks",
    "family_search_of",
    "give_up",
    "hand_over",
    "handovers",
    "missing_items",
    "move_bed",
    "open_family_search",
    "publish_notice",
    "record_departure",
    "record_dna_sample",
    "record_notice_update",
    "record_placement_start",
    "record_return",
    "record_screening",
    "record_security_check",
    "record_service",
    "refuse",
    "register",
    "request_record",
    "request_sheet",
    "return_belongings",
    "returned_within_window",
    "route_for",
    "search_milestones",
    "services",
    "terminate",
    "today",
    "update_details",
]
