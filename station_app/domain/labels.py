"""English message ids naming fields and code-list values on screen and paper.

Translated through the i18n catalogs like every other message; kept in the
domain so that errors raised here can name the field in the user's language.
"""

from __future__ import annotations

from enum import Enum

from .enums import (
    ArrivalChannel,
    DataQuality,
    DepartureOutcome,
    EncounterAction,
    IdDocumentType,
    NameKind,
    Role,
    Sex,
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
]
ENUM_LABELS: dict[tuple[type[Enum], str], str] = {
    (type(member), str(member.value)): label for member, label in _ENUM_LABELS
}


def field_label(key: str) -> str:
    """The message id naming a form field (the key itself if it has none)."""
    return FIELD_LABELS.get(key, key)


def enum_label(value: Enum) -> str:
    """The message id naming a code-list value (its raw value if it has none)."""
    return ENUM_LABELS.get((type(value), str(value.value)), str(value.value))
