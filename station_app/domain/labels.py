"""English message ids naming fields and code-list values on screen and paper.

Translated through the i18n catalogs like every other message; kept in the
domain so that errors raised here can name the field in the user's language.
"""

from __future__ import annotations

from enum import Enum

from .enums import (
    AlertKind,
    ArrivalChannel,
    DataQuality,
    DecisionKind,
    DepartureOutcome,
    EncounterAction,
    HandoverRoute,
    IdDocumentType,
    LeadOutcome,
    LeadSource,
    MovementKind,
    NameKind,
    PartnerAgency,
    PatrolArea,
    RequestStatus,
    Role,
    Sex,
    StayServiceKind,
    SupportStatus,
    TransferDestination,
)
from .errors import N_
from .permissions import Permission

FIELD_LABELS: dict[str, str] = {
    "name_zh": N_("Chinese name"),
    "name_bo": N_("Tibetan name"),
    "name_en": N_("English name"),
    "code_name": N_("Code name"),
    "description": N_("Description"),
    "other_names": N_("Other names"),
    "sex": N_("Sex"),
    "birth_date": N_("Date of birth"),
    "estimated_age": N_("Estimated age"),
    "age_estimated_on": N_("Date of the age estimate"),
    "ethnicity": N_("Ethnicity"),
    "id_number": N_("ID number"),
    "hukou_code": N_("Household registration place"),
    "hukou_text": N_("Household registration place"),
    "residence": N_("Residence"),
    "phone": N_("Phone"),
    "languages": N_("Languages spoken"),
    "disability": N_("Disability"),
    "photo_file": N_("Photo"),
    "notes": N_("Remarks"),
    "relative_name": N_("Relative's name"),
    "relative_relation": N_("Relation"),
    "relative_address": N_("Relative's address"),
    "relative_phone": N_("Relative's phone"),
    "relative_notes": N_("Remarks on the relative"),
    "username": N_("User name"),
    "display_name": N_("Full name"),
    "password": N_("Password"),
    "code": N_("Station code"),
    "region_code": N_("Region code"),
    "address_zh": N_("Address (Chinese)"),
    "address_bo": N_("Address (Tibetan)"),
    "room": N_("Room"),
    "beds": N_("Beds"),
    "arrived_at": N_("Arrival time"),
    "brought_by": N_("Brought by"),
    "reason": N_("Why without means"),
    "without_means_since": N_("Without means since"),
    "belongings_carried": N_("Belongings carried"),
    "checked_at": N_("Time of the check"),
    "checked_by": N_("Checked by"),
    "second_staff": N_("Second staff member"),
    "dangerous_items": N_("Dangerous items"),
    "police_receiver": N_("Received by (police)"),
    "custody_item": N_("Item"),
    "quantity": N_("Quantity"),
    "condition": N_("Condition"),
    "cash_amount": N_("Cash amount"),
    "returned_at": N_("Time returned"),
    "returned_by": N_("Returned by"),
    "screened_at": N_("Time of screening"),
    "physical_state": N_("Physical state"),
    "mental_state": N_("Mental state"),
    "intellectual_state": N_("Intellectual state"),
    "visible_injuries": N_("Visible injuries"),
    "receiving_unit": N_("Receiving unit"),
    "receiving_person": N_("Received by"),
    "handed_at": N_("Time of handover"),
    "came_back_at": N_("Time of return"),
    "decided_at": N_("Time of the decision"),
    "decision_reason": N_("Reason"),
    "started_at": N_("Time the bed was taken"),
    "bed_number": N_("Bed"),
    "extension_reason": N_("Reason for a longer stay"),
    "extension_reported_on": N_("Date reported to the bureau"),
    "service_at": N_("Time of the service"),
    "contact_name": N_("Contact name"),
    "contact_phone": N_("Contact phone"),
    "amount": N_("Amount"),
    "notice_published_at": N_("Time the notice was published"),
    "notice_channel": N_("Where the notice was published"),
    "clothing": N_("Clothing when found"),
    "found_place": N_("Place found"),
    "found_on": N_("Date found"),
    "dna_sampled_on": N_("Date of the DNA sample"),
    "notice_updated_on": N_("Date the notice was updated"),
    "placement_started_on": N_("Date placement started"),
    "face_system": N_("Face-check system"),
    "face_result": N_("Result"),
    "search_result": N_("Result of the search"),
    "closed_at": N_("Time closed"),
    "departed_at": N_("Departure time"),
    "destination": N_("Destination"),
    "voucher_route": N_("Voucher route"),
    "voucher_cost": N_("Voucher cost"),
    "transfer_city_station": N_("Station in the transfer city"),
    "escort_staff": N_("Escorting staff"),
    "collector_name": N_("Collector's name"),
    "collector_id_number": N_("Collector's ID number"),
    "collector_relation": N_("Collector's relation"),
    "cash_given": N_("Cash given"),
    # patrols
    "shift_date": N_("Date of the shift"),
    "shift_started_at": N_("Start of the shift"),
    "shift_ended_at": N_("End of the shift"),
    "members": N_("Team members"),
    "member_name": N_("Team member"),
    "agency": N_("Agency"),
    "staff_count": N_("Staff (person-times)"),
    "vehicle_count": N_("Vehicles (vehicle-times)"),
    "area_notes": N_("Places covered"),
    "weather": N_("Weather"),
    "temperature_c": N_("Temperature (°C)"),
    "met_at": N_("Time met"),
    "place": N_("Place"),
    "needs": N_("Needs"),
    "action": N_("Action taken"),
    "refusal_reason": N_("Reason for refusing help"),
    "follow_up_note": N_("Follow-up"),
    "items": N_("Items handed out"),
    "person_id": N_("Person"),
    "encounter_id": N_("Patrol encounter"),
    "help_request_id": N_("Help request"),
    "lead_id": N_("Hotline lead"),
    "station_id": N_("Station"),
    # hotline and publicity
    "received_at": N_("Time of the call"),
    "caller_name": N_("Caller"),
    "caller_phone": N_("Caller's phone"),
    "dispatched_to": N_("Sent to"),
    "dispatched_at": N_("Time sent"),
    "outcome": N_("Outcome"),
    "held_on": N_("Date of the event"),
    # supplies
    "item_id": N_("Item"),
    "item_code": N_("Item code"),
    "unit_zh": N_("Unit in Chinese"),
    "unit_bo": N_("Unit in Tibetan"),
    "whole_units": N_("Counted in whole units"),
    "donor": N_("Donor"),
    "counterpart": N_("Supplier or other party"),
    "movement_reason": N_("Reason"),
    "counts": N_("Counted quantities"),
    "reasons": N_("Reasons for the differences"),
    "taken_at": N_("Time of the stock-take"),
    "end": N_("End of the period"),
}

# Keyed by member identity: StrEnum members of different enums with the same
# value compare equal (Role.PATROL == ArrivalChannel.PATROL == "patrol").
_ENUM_LABELS: list[tuple[Enum, str]] = [
    (Role.DESK, N_("Desk staff")),
    (Role.PATROL, N_("Patrol team")),
    (Role.MANAGER, N_("Manager")),
    (Role.ADMIN, N_("Administrator")),
    (Sex.MALE, N_("Male")),
    (Sex.FEMALE, N_("Female")),
    (IdDocumentType.RESIDENT_ID, N_("Resident ID card")),
    (IdDocumentType.TEMPORARY_ID, N_("Temporary ID card")),
    (IdDocumentType.HOUSEHOLD_REGISTER, N_("Household register")),
    (IdDocumentType.PASSPORT, N_("Passport")),
    (IdDocumentType.MILITARY_ID, N_("Military ID")),
    (IdDocumentType.HK_MACAO_PERMIT, N_("Hong Kong and Macao travel permit")),
    (IdDocumentType.TAIWAN_PERMIT, N_("Taiwan travel permit")),
    (IdDocumentType.OTHER, N_("Other document")),
    (NameKind.ALIAS, N_("Alias")),
    (NameKind.SPELLING, N_("Other spelling")),
    (NameKind.HOUSE_NAME, N_("House name")),
    (NameKind.WYLIE, N_("Wylie")),
    (NameKind.CODE_NAME, N_("Code name")),
    (DataQuality.KNOWN, N_("Known")),
    (DataQuality.UNKNOWN, N_("Unknown")),
    (DataQuality.REFUSED, N_("Refused to say")),
    (ArrivalChannel.WALK_IN, N_("Walked in")),
    (ArrivalChannel.POLICE, N_("Brought by police")),
    (ArrivalChannel.CITY_MANAGEMENT, N_("Brought by city management")),
    (ArrivalChannel.PATROL, N_("Brought by a patrol")),
    (ArrivalChannel.PUBLIC, N_("Guided by the public")),
    (ArrivalChannel.HOTLINE, N_("Referred by the hotline")),
    (ArrivalChannel.OTHER_AGENCY, N_("Referred by another agency")),
    (DepartureOutcome.RETURNED_HOME_VOUCHER, N_("Returned home with a travel voucher")),
    (DepartureOutcome.ESCORTED_HOME, N_("Escorted home")),
    (DepartureOutcome.COLLECTED_BY_FAMILY, N_("Collected by family")),
    (DepartureOutcome.SELF_DEPARTURE, N_("Left on own declaration")),
    (DepartureOutcome.LEFT_WITHOUT_NOTICE, N_("Left without notice")),
    (DepartureOutcome.TRANSFERRED, N_("Transferred")),
    (DepartureOutcome.TERMINATED, N_("Help terminated")),
    (DepartureOutcome.DIED, N_("Died")),
    (DepartureOutcome.OTHER, N_("Other")),
    (EncounterAction.BROUGHT_TO_STATION, N_("Persuaded and brought to the station")),
    (EncounterAction.ESCORTED_TO_STATION, N_("Escorted to the station")),
    (EncounterAction.SENT_TO_HOSPITAL, N_("Sent to hospital")),
    (EncounterAction.HANDED_TO_POLICE, N_("Handed to the police")),
    (EncounterAction.HANDED_TO_MINORS_PROTECTION, N_("Handed to minors' protection")),
    (EncounterAction.REFUSED_HELP, N_("Refused help")),
    (EncounterAction.CONTACT_CARD_LEFT, N_("Left a contact card")),
    (EncounterAction.OTHER, N_("Other")),
    (SupportStatus.NONE, N_("No dibao or tekun support")),
    (SupportStatus.DIBAO, N_("Dibao (minimum living allowance)")),
    (SupportStatus.TEKUN, N_("Tekun (extreme-poverty support)")),
    (SupportStatus.UNKNOWN, N_("Not known yet")),
    (StayServiceKind.MEAL, N_("Meal")),
    (StayServiceKind.MEDICAL, N_("Medical care")),
    (StayServiceKind.FAMILY_CONTACT, N_("Call to family")),
    (StayServiceKind.MONEY_FROM_FAMILY, N_("Money from family")),
    (StayServiceKind.OTHER, N_("Other help")),
    (TransferDestination.HOSPITAL, N_("Hospital")),
    (TransferDestination.WELFARE_HOME, N_("Welfare home")),
    (TransferDestination.MINORS_CENTRE, N_("Minors' protection centre")),
    (TransferDestination.OTHER_STATION, N_("Another relief station")),
    (TransferDestination.OTHER, N_("Other")),
    (DecisionKind.ACCEPT, N_("Accepted")),
    (DecisionKind.REFUSE, N_("Help refused")),
    (DecisionKind.TERMINATE, N_("Help terminated")),
    (DecisionKind.GIVE_UP, N_("Gave up help")),
    (PartnerAgency.POLICE, N_("Police")),
    (PartnerAgency.CITY_MANAGEMENT, N_("City management")),
    (PartnerAgency.VOLUNTEERS, N_("Volunteers")),
    (PartnerAgency.MEDICAL, N_("Medical staff")),
    (PartnerAgency.OTHER, N_("Other")),
    (PatrolArea.TRANSPORT_STATION, N_("Bus and railway stations")),
    (PatrolArea.BRIDGE_UNDERPASS, N_("Bridges and underpasses")),
    (PatrolArea.ABANDONED_BUILDING, N_("Abandoned buildings")),
    (PatrolArea.BUILDING_SITE, N_("Building sites")),
    (PatrolArea.STREET_SQUARE, N_("Streets and squares")),
    (PatrolArea.TEMPLE_MARKET, N_("Temples and markets")),
    (PatrolArea.OTHER, N_("Other")),
    (LeadSource.PUBLIC, N_("A member of the public")),
    (LeadSource.POLICE, N_("Police")),
    (LeadSource.CITY_MANAGEMENT, N_("City management")),
    (LeadSource.OTHER_AGENCY, N_("Another agency")),
    (LeadSource.SELF, N_("The person in need")),
    (LeadOutcome.BROUGHT_TO_STATION, N_("Brought to the station")),
    (LeadOutcome.HELPED_ON_SITE, N_("Helped on the spot")),
    (LeadOutcome.REFUSED_HELP, N_("Refused help")),
    (LeadOutcome.NOT_FOUND, N_("Not found")),
    (LeadOutcome.REFERRED, N_("Referred to another agency")),
    (LeadOutcome.OTHER, N_("Other")),
    (Permission.VIEW_PERSONS, N_("view persons")),
    (Permission.EDIT_PERSONS, N_("register and edit persons")),
    (Permission.DELETE_PERSONS, N_("delete persons")),
    (Permission.LINK_PERSONS, N_("link duplicate records")),
    (Permission.DESK_WORK, N_("desk work")),
    (Permission.PATROL_WORK, N_("patrol work")),
    (Permission.ISSUE_SUPPLIES, N_("issue supplies")),
    (Permission.MANAGE_SUPPLIES, N_("manage supplies")),
    (Permission.SAFETY, N_("safety records")),
    (Permission.REPORTS, N_("reports")),
    (Permission.MANAGE_USERS, N_("manage users")),
    (Permission.MANAGE_SETTINGS, N_("change settings")),
    (Permission.IMPORT_DATA, N_("import data")),
    (Permission.VIEW_AUDIT, N_("view the audit trail")),
    (Permission.MAINTENANCE, N_("database maintenance")),
    (RequestStatus.REGISTERED, N_("registered, awaiting a decision")),
    (RequestStatus.ACCEPTED, N_("accepted")),
    (RequestStatus.REFUSED, N_("refused")),
    (RequestStatus.HANDED_OVER, N_("handed over")),
    (RequestStatus.CLOSED, N_("closed (departed)")),
    (HandoverRoute.HOSPITAL, N_("Hospital")),
    (HandoverRoute.POLICE, N_("Police")),
    (HandoverRoute.MINORS_CENTRE, N_("Minors' protection centre")),
    (HandoverRoute.OTHER, N_("Other")),
    (AlertKind.FAMILY_NOTICE, N_("Family-search notice")),
    (AlertKind.FAMILY_DNA, N_("DNA sample")),
    (AlertKind.FAMILY_NOTICE_UPDATE, N_("Notice update")),
    (AlertKind.FAMILY_PLACEMENT, N_("Placement")),
    (AlertKind.STAY_LIMIT, N_("10-day limit")),
    (AlertKind.INCOMPLETE_INTAKE, N_("Incomplete intake")),
    (AlertKind.RETURNED_WITHIN_MONTH, N_("Back within a month")),
    (MovementKind.RECEIPT_PURCHASE, N_("Purchase")),
    (MovementKind.RECEIPT_ALLOCATION, N_("Allocation from the bureau")),
    (MovementKind.RECEIPT_DONATION, N_("Donation")),
    (MovementKind.ISSUE_PERSON, N_("Issue to a registered person")),
    (MovementKind.ISSUE_ANONYMOUS, N_("Issue to an anonymous contact")),
    (MovementKind.ISSUE_PATROL, N_("Issue to a patrol")),
    (MovementKind.ISSUE_DESK, N_("Issue at the desk")),
    (MovementKind.TRANSFER_OUT, N_("Transfer out")),
    (MovementKind.TRANSFER_IN, N_("Transfer in")),
    (MovementKind.STOCKTAKE, N_("Stock-take difference")),
]
ENUM_LABELS: dict[tuple[type[Enum], str], str] = {
    (type(member), str(member.value)): label for member, label in _ENUM_LABELS
}


# ---------------------------------------------------------------- short forms for paper
# The printed forms name a few code-list values more briefly than the screen
# (tick boxes side by side in two scripts).

PRINTED_SUPPORT_LABELS: dict[SupportStatus, str] = {
    SupportStatus.NONE: N_("No support"),
    SupportStatus.DIBAO: N_("Dibao"),
    SupportStatus.TEKUN: N_("Tekun"),
    SupportStatus.UNKNOWN: N_("Unknown"),
}
PRINTED_SERVICE_LABELS: dict[StayServiceKind, str] = {
    StayServiceKind.MEAL: N_("Meal"),
    StayServiceKind.MEDICAL: N_("Medical care"),
    StayServiceKind.FAMILY_CONTACT: N_("Family contacted"),
    StayServiceKind.MONEY_FROM_FAMILY: N_("Money sent by family"),
    StayServiceKind.OTHER: N_("Other service"),
}
# the languages a person speaks (``PersonInput.languages`` codes)
LANGUAGE_LABELS: dict[str, str] = {
    "bo": N_("Tibetan language"),
    "zh": N_("Chinese language"),
    "en": N_("English language"),
    "ii": N_("Yi language"),
    "other": N_("Other language"),
}

# ---------------------------------------------------------------- titles of paper and screen
# A printed document and the screen showing the same records head their
# columns alike: the supplies ledger (printed, exported as a workbook, and the
# supplies screens), the patrol record (previewed from the patrol shift form).

LEDGER_TITLE = N_("Supplies ledger")
LEDGER_TIME = N_("Time")
LEDGER_CODE = N_("Code")
LEDGER_ITEM = N_("Item")
LEDGER_UNIT = N_("Unit")
LEDGER_KIND = N_("Movement")
LEDGER_QUANTITY = N_("Quantity")
LEDGER_PARTY = N_("Donor, supplier, recipient")
LEDGER_REASON = N_("Reason")
LEDGER_OPENING = N_("Opening stock")
LEDGER_RECEIVED = N_("Received")
LEDGER_ISSUED = N_("Issued")
LEDGER_TRANSFERRED_IN = N_("Transferred in")
LEDGER_TRANSFERRED_OUT = N_("Transferred out")
LEDGER_ADJUSTED = N_("Stock-take difference")
LEDGER_CLOSING = N_("Closing stock")
LEDGER_STOCK = N_("Stock on hand")
LEDGER_LOW_STOCK = N_("Low-stock threshold")
LEDGER_LOW = N_("Low")
LEDGER_DONOR = N_("Donor")
LEDGER_DONATIONS = N_("Number of donations")
LEDGER_FIRST = N_("First")
LEDGER_LAST = N_("Last")
# The donations of a period per donor and item, on screen and in the workbook alike.
LEDGER_DONOR_COLUMNS = (
    LEDGER_DONOR,
    LEDGER_ITEM,
    LEDGER_QUANTITY,
    LEDGER_UNIT,
    LEDGER_DONATIONS,
    LEDGER_FIRST,
    LEDGER_LAST,
)

PATROL_RECORD_TITLE = N_("Street patrol record")


def field_label(key: str) -> str:
    """The message id naming a form field (the key itself if it has none)."""
    return FIELD_LABELS.get(key, key)


def enum_label(value: Enum) -> str:
    """The message id naming a code-list value (its raw value if it has none)."""
    return ENUM_LABELS.get((type(value), str(value.value)), str(value.value))
