"""Users and login. Passwords are hashed with argon2; failed logins are audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station_app.db.engine import IMMEDIATE, SQLITE_BEGIN
from station_app.db.models import User, utcnow
from station_app.domain.enums import AuditAction, Role
from station_app.domain.errors import N_, Conflict, NotFound, PermissionDenied, ValidationError
from station_app.domain.permissions import Permission
from station_app.domain.text import clean_text

from . import audit
from .context import Actor, Context, Database

MIN_PASSWORD_LENGTH = 8
_hasher = PasswordHasher()


@dataclass(frozen=True)
class UserView:
    id: int
    station_id: int
    username: str
    display_name: str
    role: Role
    active: bool
    last_login_at: datetime | None

    @classmethod
    def of(cls, u: User) -> UserView:
        return cls(
            u.id, u.station_id, u.username, u.display_name, u.role, u.active, u.last_login_at
        )


class LoginFailed(ValidationError):
    pass


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            N_("The password must have at least {count} characters."),
            field="password",
            count=MIN_PASSWORD_LENGTH,
        )
    return _hasher.hash(password)


def _clean_username(raw: str) -> str:
    name = clean_text(raw, field="username", max_length=64, required=True) or ""
    if any(ch.isspace() for ch in name):
        raise ValidationError(N_("A user name cannot contain spaces."), field="username")
    return name.lower()


def add_user_row(
    session: Session, station_id: int, username: str, display_name: str, role: Role, password: str
) -> User:
    """Insert a user inside an open service transaction (used by setup and demo)."""
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
    user = User(
        station_id=station_id,
        username=name,
        display_name=clean_text(display_name, field="display_name", max_length=100, required=True)
        or name,
        role=role,
        password_hash=hash_password(password),
    )
    session.add(user)
    session.flush()
    return user


def create_user(
    ctx: Context, username: str, display_name: str, role: Role, password: str
) -> UserView:
    if role is Role.ADMIN and ctx.actor.role is not Role.ADMIN:
        raise PermissionDenied(N_("Only an administrator can create another administrator."))
    if role is Role.PREFECTURE and ctx.actor.role is not Role.ADMIN:
        # The account reads every station of the database, far beyond a manager's own.
        raise PermissionDenied(N_("Only an administrator can create a prefecture account."))
    with ctx.write(Permission.MANAGE_USERS) as session:
        return UserView.of(
            add_user_row(session, ctx.station_id, username, display_name, role, password)
        )


def _get(session: Session, ctx: Context, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None or user.station_id != ctx.station_id:
        raise NotFound(N_("User {id} does not exist."), id=user_id)
    return user


def _managed(session: Session, ctx: Context, user_id: int) -> User:
    """Another user's account, if the actor may change it."""
    user = _get(session, ctx, user_id)
    if user.role is Role.PREFECTURE and ctx.actor.role is not Role.ADMIN:
        # A manager who could reset it would read every station through it.
        raise PermissionDenied(N_("Only an administrator can change a prefecture account."))
    return user


def set_password(ctx: Context, user_id: int, password: str) -> None:
    """Managers reset passwords; everyone may change their own."""
    own = ctx.actor.user_id == user_id
    digest = hash_password(password)
    with ctx.write(Permission.VIEW_PERSONS if own else Permission.MANAGE_USERS) as session:
        user = _get(session, ctx, user_id) if own else _managed(session, ctx, user_id)
        user.password_hash = digest


def set_active(ctx: Context, user_id: int, active: bool) -> None:
    if ctx.actor.user_id == user_id and not active:
        raise Conflict(N_("You cannot deactivate your own account."))
    with ctx.write(Permission.MANAGE_USERS) as session:
        _managed(session, ctx, user_id).active = active


def list_users(ctx: Context) -> list[UserView]:
    with ctx.read(Permission.MANAGE_USERS) as session:
        rows = session.scalars(
            select(User).where(User.station_id == ctx.station_id).order_by(User.username)
        )
        return [UserView.of(u) for u in rows]


def login(db: Database, station_id: int, username: str, password: str) -> Context:
    """Check a user's password; returns the context to act as them."""
    name = username.strip().lower()
    failed = LoginFailed(N_("Wrong user name or password. Check both and try again."))
    with db.sessions() as session, session.begin():
        # a write: on SQLite the write lock first (see Context.write)
        session.connection(execution_options={SQLITE_BEGIN: IMMEDIATE})
        user = session.scalar(
            select(User).where(User.station_id == station_id, User.username == name)
        )
        ok = False
        if user is not None and user.active:
            try:
                ok = _hasher.verify(user.password_hash, password)
            except (VerificationError, InvalidHashError):
                ok = False
        actor = Actor(
            station_id=station_id,
            role=user.role if user else Role.DESK,
            username=name[:64],
            user_id=user.id if user else None,
        )
        session.info["actor"] = actor
        if not ok or user is None:
            audit.record(
                session,
                AuditAction.LOGIN_FAILED,
                "user_account",
                user.id if user else None,
                f"failed login as {name[:64]!r}",
            )
            # Committed on purpose: failed attempts stay in the trail.
        else:
            if _hasher.check_needs_rehash(user.password_hash):
                user.password_hash = _hasher.hash(password)
            user.last_login_at = utcnow()
            audit.record(session, AuditAction.LOGIN, "user_account", user.id, f"login as {name}")
    if not ok:
        raise failed
    return Context(db, actor)


def current_user(ctx: Context) -> UserView:
    """The signed-in user's own account (any role may read it)."""
    if ctx.actor.user_id is None:
        raise NotFound(N_("This account no longer exists. Log in again."))
    with ctx.read() as session:
        return UserView.of(_get(session, ctx, ctx.actor.user_id))
