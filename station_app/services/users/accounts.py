"""User accounts: add, edit, deactivate, reactivate, reset a password.

Who may manage whom: an administrator every account of the station; a manager
desk and patrol accounts only (a manager who could reset an administrator's
password could log in as one). Nobody deactivates themselves, and nobody
deactivates or demotes the last active administrator of a station. Row
changes are recorded by the audit trail's session events (the hash only as
``***``); each refusal is recorded with :meth:`Context.refused`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station_app.db.engine import IMMEDIATE, SQLITE_BEGIN
from station_app.db.models import Station, User, utcnow
from station_app.domain.enums import AuditAction, Role
from station_app.domain.errors import N_, Conflict, NotFound, PermissionDenied, ValidationError
from station_app.domain.permissions import Permission
from station_app.domain.text import clean_text
from station_app.services import audit
from station_app.services.context import Context

from . import passwords, throttle
from .login import throttle_error

LANGUAGES = ("zh_CN", "bo", "en")
# Roles a manager may give and manage; an administrator manages all.
MANAGER_MANAGES = frozenset({Role.DESK, Role.PATROL})

ONLY_DESK_AND_PATROL = N_(
    "A manager may manage desk and patrol accounts only. Ask an administrator "
    "to change this account."
)
NOT_YOURSELF = N_("You cannot deactivate your own account. Ask another administrator.")
LAST_ADMIN = N_(
    "This is the last active administrator of the station. Make another user an "
    "administrator first."
)
USE_OWN_CHANGE = N_(
    "To change your own password, use Change password and type your current password."
)
WRONG_OLD_PASSWORD = N_("The current password is wrong. Type it again.")
SAME_AS_OLD = N_("The new password must differ from the current one.")


@dataclass(frozen=True)
class UserView:
    id: int
    station_id: int
    username: str
    display_name: str
    role: Role
    active: bool
    last_login_at: datetime | None
    preferred_language: str | None = None
    must_change_password: bool = False
    failed_logins: int = 0  # failed logins in a row since the last good one

    @classmethod
    def of(cls, u: User, failed_logins: int = 0) -> UserView:
        return cls(
            u.id,
            u.station_id,
            u.username,
            u.display_name,
            u.role,
            u.active,
            u.last_login_at,
            u.preferred_language,
            u.must_change_password,
            failed_logins,
        )


def hash_password(password: str, username: str | None = None) -> str:
    return passwords.hash_password(password, username)


def _clean_username(raw: str) -> str:
    name = clean_text(raw, field="username", max_length=64, required=True) or ""
    if any(ch.isspace() for ch in name):
        raise ValidationError(N_("A user name cannot contain spaces."), field="username")
    return name.lower()


def _clean_display_name(raw: str, fallback: str) -> str:
    return clean_text(raw, field="display_name", max_length=100, required=True) or fallback


def _clean_language(raw: str | None) -> str | None:
    if raw in (None, ""):
        return None
    if raw not in LANGUAGES:
        raise ValidationError(
            N_("Choose one of the languages offered."), field="preferred_language"
        )
    return raw


def add_user_row(
    session: Session,
    station_id: int,
    username: str,
    display_name: str,
    role: Role,
    password: str,
    *,
    must_change_password: bool = False,
) -> User:
    """Insert a user inside an open service transaction (used by setup and demo).

    A demo station's passwords are published on its login screen, so the list
    of common passwords is not applied there; every other rule is.
    """
    name = _clean_username(username)
    exists = session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.station_id == station_id, User.username == name)
    )
    if exists:
        raise Conflict(
            N_("There is already a user named {username}."), field="username", username=name
        )
    station = session.get(Station, station_id)
    demo = bool(station is not None and station.is_demo)
    user = User(
        station_id=station_id,
        username=name,
        display_name=_clean_display_name(display_name, name),
        role=role,
        password_hash=passwords.hash_password(password, name, common=not demo),
        must_change_password=must_change_password,
    )
    session.add(user)
    session.flush()
    return user


def _refuse(ctx: Context, exc: PermissionDenied) -> PermissionDenied:
    return ctx.refused(exc, Permission.MANAGE_USERS)


def _check_role_allowed(ctx: Context, role: Role) -> None:
    """Refuse (audited) a role the actor may not give or manage."""
    if ctx.actor.role is Role.ADMIN:
        return
    if role is Role.ADMIN:
        raise _refuse(
            ctx, PermissionDenied(N_("Only an administrator can create another administrator."))
        )
    if role is Role.PREFECTURE:
        # The account reads every station of the database, far beyond a manager's own.
        raise _refuse(
            ctx, PermissionDenied(N_("Only an administrator can create a prefecture account."))
        )
    if role not in MANAGER_MANAGES:
        raise _refuse(ctx, PermissionDenied(ONLY_DESK_AND_PATROL))


def create_user(
    ctx: Context,
    username: str,
    display_name: str,
    role: Role,
    password: str,
    *,
    preferred_language: str | None = None,
    must_change_password: bool = True,
) -> UserView:
    """Add an account; its first password is changed by its owner at first login
    (``must_change_password=False``: for test stations whose staff are made up)."""
    ctx.require(Permission.MANAGE_USERS)
    _check_role_allowed(ctx, role)
    # The list of common passwords holds for every station's real accounts.
    passwords.check_password(password, username.strip().lower())
    language = _clean_language(preferred_language)
    with ctx.write(Permission.MANAGE_USERS) as session:
        user = add_user_row(
            session,
            ctx.station_id,
            username,
            display_name,
            role,
            password,
            must_change_password=must_change_password,
        )
        user.preferred_language = language
        return UserView.of(user)


def _get(session: Session, ctx: Context, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or user.station_id != ctx.station_id:
        raise NotFound(N_("User {id} does not exist."), id=user_id)
    return user


def _managed(session: Session, ctx: Context, user_id: int) -> User:
    """Another user's account, if the actor may change it (refusals audited)."""
    user = _get(session, ctx, user_id)
    if ctx.actor.role is Role.ADMIN:
        return user
    if user.role is Role.PREFECTURE:
        # A manager who could reset it would read every station through it.
        raise PermissionDenied(N_("Only an administrator can change a prefecture account."))
    if user.role not in MANAGER_MANAGES:
        raise PermissionDenied(ONLY_DESK_AND_PATROL)
    return user


def _other_active_admins(session: Session, user: User) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(User)
            .where(
                User.station_id == user.station_id,
                User.role == Role.ADMIN,
                User.active.is_(True),
                User.id != user.id,
            )
        )
        or 0
    )


def _keep_an_admin(session: Session, user: User) -> None:
    """Refuse a change that leaves the station without an active administrator."""
    if user.role is Role.ADMIN and user.active and not _other_active_admins(session, user):
        raise Conflict(LAST_ADMIN)


def update_user(
    ctx: Context,
    user_id: int,
    *,
    display_name: str | None = None,
    role: Role | None = None,
    preferred_language: str | None = None,
) -> UserView:
    """Change an account's display name, role or preferred language
    (``None``: unchanged; ``preferred_language=""``: the station's default)."""
    ctx.require(Permission.MANAGE_USERS)  # the role before the input
    if role is not None:
        _check_role_allowed(ctx, role)
    denied: PermissionDenied | None = None
    with ctx.write(Permission.MANAGE_USERS) as session:
        try:
            user = _managed(session, ctx, user_id)
        except PermissionDenied as exc:
            denied = exc
        else:
            if display_name is not None:
                user.display_name = _clean_display_name(display_name, user.username)
            if preferred_language is not None:
                user.preferred_language = _clean_language(preferred_language)
            if role is not None and role is not user.role:
                if role is not Role.ADMIN:
                    _keep_an_admin(session, user)
                user.role = role
            session.flush()
            return UserView.of(user)
    assert denied is not None
    raise _refuse(ctx, denied)


def set_active(ctx: Context, user_id: int, active: bool) -> None:
    """Deactivate (the account can no longer log in) or reactivate an account."""
    if ctx.actor.user_id == user_id and not active:
        raise Conflict(NOT_YOURSELF)
    denied: PermissionDenied | None = None
    with ctx.write(Permission.MANAGE_USERS) as session:
        try:
            user = _managed(session, ctx, user_id)
        except PermissionDenied as exc:
            denied = exc
        else:
            if not active:
                _keep_an_admin(session, user)
            user.active = active
            return
    assert denied is not None
    raise _refuse(ctx, denied)


def reset_password(ctx: Context, user_id: int, password: str) -> None:
    """Give another user a new password, which they must change at their next login."""
    denied: PermissionDenied | None = None
    with ctx.write(Permission.MANAGE_USERS) as session:
        if ctx.actor.user_id == user_id:
            raise ValidationError(USE_OWN_CHANGE, field="password")
        try:
            user = _managed(session, ctx, user_id)
        except PermissionDenied as exc:
            denied = exc
        else:
            user.password_hash = passwords.hash_password(password, user.username)
            user.must_change_password = True
            # A forgotten password is the usual reason: the wait starts afresh.
            throttle.succeeded(session, user.station_id, user.username)
            audit.record(
                session,
                AuditAction.UPDATE,
                "user_account",
                user.id,
                f"password reset for user {user.id}",
            )
            return
    assert denied is not None
    raise _refuse(ctx, denied)


def set_password(ctx: Context, user_id: int, password: str) -> None:
    """Reset another user's password (see :func:`reset_password`); one's own
    password is changed with :func:`change_own_password`, which asks for it."""
    reset_password(ctx, user_id, password)


def change_own_password(
    ctx: Context, old_password: str, new_password: str, *, now: datetime | None = None
) -> None:
    """Change the signed-in user's password after checking the current one.

    Open to every role (the prefecture's read-only account too): it is a write
    of one's own account, not of the station's records.
    """
    if ctx.actor.user_id is None:
        raise NotFound(N_("This account no longer exists. Log in again."))
    with ctx.db.sessions() as session, session.begin():
        session.info["actor"] = ctx.actor
        session.connection(execution_options={SQLITE_BEGIN: IMMEDIATE})
        user = _get(session, ctx, ctx.actor.user_id)
        if not user.active:
            raise PermissionDenied(N_("Your account has been deactivated; ask a manager."))
        # Guessing the current password at an unlocked desk waits like a login.
        wait = throttle.remaining(session, user.station_id, user.username, now or utcnow())
        if wait:
            raise throttle_error(wait)
        if not passwords.verify(user.password_hash, old_password):
            wrong = True
            throttle.failed(session, user.station_id, user.username, now or utcnow())
        else:
            wrong = False
            if new_password == old_password:
                raise ValidationError(SAME_AS_OLD, field="new_password")
            user.password_hash = passwords.hash_password(new_password, user.username)
            user.must_change_password = False
            audit.record(
                session,
                AuditAction.UPDATE,
                "user_account",
                user.id,
                f"own password changed by user {user.id}",
            )
    if wrong:
        raise ctx.refused(PermissionDenied(WRONG_OLD_PASSWORD))


def list_users(ctx: Context) -> list[UserView]:
    """The station's accounts with their last login and failed logins in a row."""
    with ctx.read(Permission.MANAGE_USERS) as session:
        failures = throttle.failures_by_name(session, ctx.station_id)
        rows = session.scalars(
            select(User).where(User.station_id == ctx.station_id).order_by(User.username)
        )
        return [UserView.of(u, failures.get(u.username, 0)) for u in rows]


def find_user(ctx: Context, username: str) -> UserView:
    """The station's account named ``username`` (any case, spaces around ignored)."""
    name = username.strip().lower()
    with ctx.read(Permission.MANAGE_USERS) as session:
        user = session.scalar(
            select(User).where(User.station_id == ctx.station_id, User.username == name)
        )
        if user is None:
            raise NotFound(
                N_("There is no user named {username} at this station."),
                field="username",
                username=name[:64],
            )
        failures = throttle.failures_by_name(session, ctx.station_id)
        return UserView.of(user, failures.get(user.username, 0))


def current_user(ctx: Context) -> UserView:
    """The signed-in user's own account (any role may read it)."""
    if ctx.actor.user_id is None:
        raise NotFound(N_("This account no longer exists. Log in again."))
    with ctx.read() as session:
        return UserView.of(_get(session, ctx, ctx.actor.user_id))
