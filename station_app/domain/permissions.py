"""Who may do what. Services check these; screens only hide what is refused."""

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


_DESK = {
    Permission.VIEW_PERSONS,
    Permission.EDIT_PERSONS,
    Permission.LINK_PERSONS,
    Permission.DESK_WORK,
    Permission.ISSUE_SUPPLIES,
    Permission.SAFETY,
}
_PATROL = {
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
    }
)

ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.DESK: frozenset(_DESK),
    Role.PATROL: frozenset(_PATROL),
    Role.MANAGER: frozenset(_MANAGER),
    Role.ADMIN: frozenset(Permission),
}


def allows(role: Role, permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[role]
