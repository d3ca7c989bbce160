"""Code lists of the station's work.

Values are stored in the database as these short English strings; labels for
the screen and for paper come from the i18n catalogs (see ``labels.py``).
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    DESK = "desk"
    PATROL = "patrol"
    MANAGER = "manager"
    ADMIN = "admin"
    PREFECTURE = "prefecture"  # the prefecture bureau: reads every station, writes nothing


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


class DataQuality(StrEnum):
    """Data-quality code of an identity field (as in HMIS)."""

    KNOWN = "known"
    UNKNOWN = "unknown"
    REFUSED = "refused"


class IdDocumentType(StrEnum):
    RESIDENT_ID = "resident_id"  # 居民身份证
    TEMPORARY_ID = "temporary_id"  # 临时身份证
    HOUSEHOLD_REGISTER = "household_register"  # 户口簿
    PASSPORT = "passport"
    MILITARY_ID = "military_id"
    HK_MACAO_PERMIT = "hk_macao_permit"
    TAIWAN_PERMIT = "taiwan_permit"
    OTHER = "other"
    NONE = "none"  # 无证件: the person has no document (or none is known)


class NameKind(StrEnum):
    """What an entry in a person's list of other names is."""

    ALIAS = "alias"  # another name the person uses
    SPELLING = "spelling"  # another Chinese spelling of the same Tibetan name
    HOUSE_NAME = "house_name"
    WYLIE = "wylie"  # Latin transliteration typed by staff
    CODE_NAME = "code_name"  # name given to someone whose identity is unknown


class SupportStatus(StrEnum):
    """Whether the person already receives 低保 / 特困 support."""

    NONE = "none"
    DIBAO = "dibao"
    TEKUN = "tekun"
    UNKNOWN = "unknown"


class ArrivalChannel(StrEnum):
    WALK_IN = "walk_in"
    POLICE = "police"
    CITY_MANAGEMENT = "city_management"
    PATROL = "patrol"
    PUBLIC = "public"
    HOTLINE = "hotline"
    OTHER_AGENCY = "other_agency"


class RequestStatus(StrEnum):
    REGISTERED = "registered"  # registered, not yet decided
    ACCEPTED = "accepted"  # in the station's care
    REFUSED = "refused"
    HANDED_OVER = "handed_over"  # routed to hospital, police or minors' centre
    CLOSED = "closed"  # departed


# A help request in one of these is open: the person is still in the station's
# hands (awaiting a decision, or accepted), so they cannot arrive again.
OPEN_STATUSES: tuple[RequestStatus, ...] = (RequestStatus.REGISTERED, RequestStatus.ACCEPTED)


class HandoverRoute(StrEnum):
    """Where screening sends a person before (or instead of) station help."""

    HOSPITAL = "hospital"  # 先救治后救助
    POLICE = "police"
    MINORS_CENTRE = "minors_centre"
    OTHER = "other"


class DecisionKind(StrEnum):
    ACCEPT = "accept"
    REFUSE = "refuse"
    TERMINATE = "terminate"
    GIVE_UP = "give_up"  # the person gives up help voluntarily


class DocumentKind(StrEnum):
    """Numbered documents, each with its own per-year sequence."""

    INTAKE_FORM = "intake_form"  # 求助登记表
    REFUSAL = "refusal"  # 不予救助通知书
    TERMINATION = "termination"  # 终止救助通知书
    SELF_DEPARTURE = "self_departure"  # 自行离站声明书
    DEPARTURE_RECORD = "departure_record"  # 在站服务及离站登记表
    FAMILY_NOTICE = "family_notice"  # 寻亲公告


class StayServiceKind(StrEnum):
    MEAL = "meal"
    MEDICAL = "medical"
    FAMILY_CONTACT = "family_contact"
    MONEY_FROM_FAMILY = "money_from_family"
    OTHER = "other"


class DepartureOutcome(StrEnum):
    RETURNED_HOME_VOUCHER = "returned_home_voucher"
    ESCORTED_HOME = "escorted_home"
    COLLECTED_BY_FAMILY = "collected_by_family"
    SELF_DEPARTURE = "self_departure"
    LEFT_WITHOUT_NOTICE = "left_without_notice"
    TRANSFERRED = "transferred"
    TERMINATED = "terminated"
    DIED = "died"
    OTHER = "other"


class TransferDestination(StrEnum):
    HOSPITAL = "hospital"
    WELFARE_HOME = "welfare_home"
    MINORS_CENTRE = "minors_centre"
    OTHER_STATION = "other_station"
    OTHER = "other"


class ShiftStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class PartnerAgency(StrEnum):
    POLICE = "police"
    CITY_MANAGEMENT = "city_management"
    VOLUNTEERS = "volunteers"
    MEDICAL = "medical"
    OTHER = "other"


class PatrolArea(StrEnum):
    TRANSPORT_STATION = "transport_station"  # bus and railway stations
    BRIDGE_UNDERPASS = "bridge_underpass"
    ABANDONED_BUILDING = "abandoned_building"
    BUILDING_SITE = "building_site"
    STREET_SQUARE = "street_square"
    TEMPLE_MARKET = "temple_market"
    OTHER = "other"


class EncounterAction(StrEnum):
    BROUGHT_TO_STATION = "brought_to_station"
    ESCORTED_TO_STATION = "escorted_to_station"
    SENT_TO_HOSPITAL = "sent_to_hospital"
    HANDED_TO_POLICE = "handed_to_police"
    HANDED_TO_MINORS_PROTECTION = "handed_to_minors_protection"
    REFUSED_HELP = "refused_help"
    CONTACT_CARD_LEFT = "contact_card_left"
    OTHER = "other"


class ExpectedState(StrEnum):
    """A person persuaded on patrol to come to the station (劝导来站): expected
    until the desk records them coming or dismisses the expectation; an
    expectation still open after its time has lapsed (not stored)."""

    EXPECTED = "expected"
    CAME = "came"
    DISMISSED = "dismissed"


class MovementKind(StrEnum):
    """A line of the supplies ledger. Stock is the sum of movements."""

    RECEIPT_PURCHASE = "receipt_purchase"
    RECEIPT_ALLOCATION = "receipt_allocation"  # allocated by the bureau
    RECEIPT_DONATION = "receipt_donation"
    ISSUE_PERSON = "issue_person"  # to a registered person
    ISSUE_ANONYMOUS = "issue_anonymous"  # to an anonymous patrol contact
    ISSUE_PATROL = "issue_patrol"  # handed to a patrol team to carry
    ISSUE_DESK = "issue_desk"
    TRANSFER_OUT = "transfer_out"
    TRANSFER_IN = "transfer_in"
    STOCKTAKE = "stocktake"  # adjustment after counting, with a reason

    @property
    def is_receipt(self) -> bool:
        return self in _INBOUND

    @property
    def is_issue(self) -> bool:
        return self.value.startswith("issue_")


_INBOUND = frozenset(
    {
        MovementKind.RECEIPT_PURCHASE,
        MovementKind.RECEIPT_ALLOCATION,
        MovementKind.RECEIPT_DONATION,
        MovementKind.TRANSFER_IN,
    }
)


class LeadSource(StrEnum):
    PUBLIC = "public"
    POLICE = "police"
    CITY_MANAGEMENT = "city_management"
    OTHER_AGENCY = "other_agency"
    SELF = "self"  # the person in need called


class LeadOutcome(StrEnum):
    BROUGHT_TO_STATION = "brought_to_station"
    HELPED_ON_SITE = "helped_on_site"
    REFUSED_HELP = "refused_help"
    NOT_FOUND = "not_found"
    REFERRED = "referred"
    OTHER = "other"


class SafetyCheckKind(StrEnum):
    FIRE_DAILY = "fire_daily"
    FIRE_MONTHLY = "fire_monthly"
    NIGHT_ROUND = "night_round"
    HEATING_CO = "heating_co"
    ELECTRICAL_GAS = "electrical_gas"
    KITCHEN_FOOD_SAMPLE = "kitchen_food_sample"
    CCTV = "cctv"
    VEHICLE = "vehicle"
    OTHER = "other"


class SafetyFrequency(StrEnum):
    """How often a safety check is due."""

    DAILY = "daily"
    NIGHTLY = "nightly"  # every night (a night round)
    WEEKLY = "weekly"
    MONTHLY = "monthly"


class ProposalState(StrEnum):
    """A decision proposed by the desk, awaiting a manager (审核确认)."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    RETURNED = "returned"  # sent back to the desk with a reason


class IncidentKind(StrEnum):
    FALL = "fall"
    FIGHT = "fight"
    ABSCONDING = "absconding"
    ILLNESS = "illness"
    DEATH = "death"
    OTHER = "other"


class AuditAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    BULK = "bulk"  # many rows written at once (demo generator)
    REFUSED = "refused"  # a call refused for the role, a read-only view or an ended session
    VIEW = "view"  # a person's full record (ID number, health notes) opened: who looked at whom


class AlertKind(StrEnum):
    """Something on the desk's Today page that needs action today."""

    FAMILY_NOTICE = "family_notice"  # family-search notice due within 24 h of arrival
    FAMILY_DNA = "family_dna"  # DNA sample within a month
    FAMILY_NOTICE_UPDATE = "family_notice_update"  # notice updated after a month
    FAMILY_PLACEMENT = "family_placement"  # 落户安置 after three months
    STAY_LIMIT = "stay_limit"  # the 10-day limit reached, no extension reported
    INCOMPLETE_INTAKE = "incomplete_intake"  # quick intake with items still missing
    RETURNED_WITHIN_MONTH = "returned_within_month"
    PROPOSAL_PENDING = "proposal_pending"  # a decision waits for the manager (审核确认)
