"""All tables of the product. Import from here so every mapper is configured."""

from .base import Base, StationOwned, utcnow
from .desk import (
    CustodyItem,
    Decision,
    DecisionProposal,
    Document,
    Handover,
    HelpRequest,
    Screening,
    SecurityCheck,
)
from .patrol import (
    Encounter,
    ExpectedArrival,
    HotlineCall,
    PatrolMember,
    PatrolShift,
    PublicityEvent,
)
from .person import Person, PersonLink, PersonName, PersonPhoto, PersonSearchKey, Relative
from .safety import (
    Hazard,
    Incident,
    SafetyAmendment,
    SafetyCheck,
    SafetyLogSignoff,
    SafetyTemplate,
    Visitor,
)
from .station import (
    AuditChainHead,
    AuditEntry,
    DocumentSequence,
    LoginThrottle,
    Room,
    Setting,
    Station,
    User,
)
from .stay import Departure, FaceCheck, FamilySearch, Stay, StayService
from .supplies import StockMonth, StockMovement, Stocktake, SupplyItem
from .wording import ReviewedTerm, ReviewedText, WordingSuggestion

__all__ = [
    "AuditChainHead",
    "AuditEntry",
    "Base",
    "CustodyItem",
    "Decision",
    "DecisionProposal",
    "Departure",
    "Document",
    "DocumentSequence",
    "Encounter",
    "ExpectedArrival",
    "FaceCheck",
    "FamilySearch",
    "Handover",
    "Hazard",
    "HelpRequest",
    "HotlineCall",
    "Incident",
    "LoginThrottle",
    "PatrolMember",
    "PatrolShift",
    "Person",
    "PersonLink",
    "PersonName",
    "PersonPhoto",
    "PersonSearchKey",
    "PublicityEvent",
    "Relative",
    "ReviewedTerm",
    "ReviewedText",
    "Room",
    "SafetyAmendment",
    "SafetyCheck",
    "SafetyLogSignoff",
    "SafetyTemplate",
    "Screening",
    "SecurityCheck",
    "Setting",
    "Station",
    "StationOwned",
    "Stay",
    "StayService",
    "StockMonth",
    "StockMovement",
    "Stocktake",
    "SupplyItem",
    "User",
    "Visitor",
    "WordingSuggestion",
    "utcnow",
]

# Every ORM session keeps the monthly stock sums with the movements it writes.
from station_app.db import stock_months as _stock_months  # noqa: F401
