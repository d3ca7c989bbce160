"""Who may do what. Services check these; screens only hide what is refused.

The prefecture bureau (``Role.PREFECTURE``) reads the reports of every station
and changes nothing: it holds no permission that writes, and ``Context.write``
refuses its every transaction whatever permission a service asks for. Its
accounts are ordinary rows of ``user_account`` at one station (the one whose
administrator created them, in the demo Kangding, the prefecture seat): the
login, the password and the audit entries of the account stay with a station
like everyone else's, and the other stations are read through
``Context.at_station``.
"""

from __future__ import annotations

from enum import StrEnum

from .enums import Role


class Permission(StrEnum):
    VIEW_PERSONS = "view_persons"
    EDIT_PERSONS = "edit_persons"
    DELETE_PERSONS = "delete_persons"
    LINK_PERSONS = "link_persons"
    DESK_WORK = "desk_work"  # registration to departure
    PATROL_WORK = "patrol_work"  # shifts, encounters, leads
    ISSUE_SUPPLIES = "issue_supplies"
    MANAGE_SUPPLIES = "manage_supplies"  # receipts, transfers, stock-takes, catalogue
    SAFETY = "safety"
    REPORTS = "reports"
    MANAGE_USERS = "manage_users"
    MANAGE_SETTINGS = "manage_settings"
    IMPORT_DATA = "import_data"
    VIEW_AUDIT = "view_audit"
    MAINTENANCE = "maintenance"  # backup, restore, demo data
    ALL_STATIONS = "all_stations"  # read every station of the database (the prefecture)
    CONFIRM_DECISIONS = "confirm_decisions"  # 审核确认: confirm or return the desk's proposals
    MANAGE_SAFETY = "manage_safety"  # safety checklists, the monthly sign-off of the log
    MANAGE_BACKUPS = "manage_backups"  # list, take and restore backups, choose their folder
    REVIEW_WORDING = "review_wording"  # translations out for review, the reviewed ones in
    SUGGEST_WORDING = "suggest_wording"  # a better wording of a text, from its screen


_DESK = {
    Permission.SUGGEST_WORDING,
    Permission.VIEW_PERSONS,
    Permission.EDIT_PERSONS,
    Permission.LINK_PERSONS,
    Permission.DESK_WORK,
    Permission.ISSUE_SUPPLIES,
    Permission.SAFETY,
}
_PATROL = {
    Permission.SUGGEST_WORDING,
    Permission.VIEW_PERSONS,
    Permission.EDIT_PERSONS,
    Permission.PATROL_WORK,
    Permission.ISSUE_SUPPLIES,
}
_MANAGER = (
    _DESK
    | _PATROL
    | {
        Permission.DELETE_PERSONS,
        Permission.MANAGE_SUPPLIES,
        Permission.REPORTS,
        Permission.MANAGE_USERS,
        Permission.MANAGE_SETTINGS,
        Permission.IMPORT_DATA,
        Permission.VIEW_AUDIT,
        Permission.CONFIRM_DECISIONS,
        Permission.MANAGE_SAFETY,
        Permission.MANAGE_BACKUPS,
        Permission.REVIEW_WORDING,
    }
)

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.DESK: frozenset(_DESK),
    Role.PATROL: frozenset(_PATROL),
    Role.MANAGER: frozenset(_MANAGER),
    # A station's administrator runs that station only; other stations are
    # the prefecture's to read.
    Role.ADMIN: frozenset(Permission) - {Permission.ALL_STATIONS},
    Role.PREFECTURE: frozenset({Permission.REPORTS, Permission.ALL_STATIONS}),
}


def allows(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]


def markdown_table() -> str:
    """The role × permission table of the README, made from ROLE_PERMISSIONS
    (a test keeps the README's copy equal to it)."""
    from .labels import enum_label  # labels imports this module

    roles = list(Role)
    lines = [
        "| permission | what it allows | " + " | ".join(r.value for r in roles) + " |",
        "|---|---|" + "---|" * len(roles),
    ]
    for permission in Permission:
        marks = " | ".join("✓" if allows(r, permission) else "" for r in roles)
        lines.append(f"| `{permission.value}` | {enum_label(permission)} | {marks} |")
    return "\n".join(lines) + "\n"
