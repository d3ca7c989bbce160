"""Logging in: the password checked in the same time whether or not the name
exists, and growing waits after repeated failures (see :mod:`.throttle`)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.db.engine import IMMEDIATE, SQLITE_BEGIN
from station_app.db.models import User, utcnow
from station_app.domain.enums import AuditAction, Role
from station_app.domain.errors import N_, ValidationError
from station_app.services import audit
from station_app.services.context import Actor, Context, Database

from . import passwords, throttle

NOT_IN_THE_TRAIL = N_(
    "This account does not match the audit trail: it was created or changed outside the "
    "application, so it cannot log in. Ask the administrator to run the database check."
)
WRONG_NAME_OR_PASSWORD = N_("Wrong user name or password. Check both and try again.")
WAIT_SECONDS = N_(
    "Too many wrong passwords for this user name. Wait {seconds} seconds, then try again."
)
WAIT_MINUTES = N_(
    "Too many wrong passwords for this user name. Wait {minutes} minutes, then try "
    "again, or ask a manager to reset the password."
)


class LoginFailed(ValidationError):
    pass


class LoginThrottled(LoginFailed):
    """Refused without checking the password: the name must wait ``wait``."""

    def __init__(self, message: str, *, wait: timedelta, **params: Any) -> None:
        super().__init__(message, **params)
        self.wait = wait


def throttle_error(wait: timedelta) -> LoginThrottled:
    seconds = math.ceil(wait.total_seconds())
    if seconds < 120:
        return LoginThrottled(WAIT_SECONDS, wait=wait, seconds=seconds)
    return LoginThrottled(WAIT_MINUTES, wait=wait, minutes=math.ceil(seconds / 60))


def _tampered(session: Session, user_id: int) -> bool:
    """Whether the account does not match the audit trail (inserted or changed
    in the file behind the application's back)."""
    # imported here: maintenance (backups, check) reaches the stations service,
    # which creates the first users through this package
    from station_app.services.maintenance import tamper

    return tamper.account_problem(session.connection(), user_id) is not None


@dataclass(frozen=True)
class LoginResult:
    context: Context
    # A reset or first password: the user chooses their own before working.
    must_change_password: bool


def authenticate(
    db: Database, station_id: int, username: str, password: str, *, now: datetime | None = None
) -> LoginResult:
    """Check a user's password; the context to act as them and whether the
    password must be changed first. ``now`` is for tests of the waits."""
    at = now or utcnow()
    name = username.strip().lower()[:64]
    refusal: LoginFailed | None = None
    with db.sessions() as session, session.begin():
        # a write: on SQLite the write lock first (see Context.write)
        session.connection(execution_options={SQLITE_BEGIN: IMMEDIATE})
        user = session.scalar(
            select(User).where(User.station_id == station_id, User.username == name)
        )
        actor = Actor(
            station_id=station_id,
            role=user.role if user else Role.DESK,
            username=name,
            user_id=user.id if user else None,
        )
        session.info["actor"] = actor
        entity_id = user.id if user else None
        wait = throttle.remaining(session, station_id, name, at)
        if wait:
            # Not checked at all: a guess made while waiting proves nothing.
            refusal = throttle_error(wait)
            audit.record(
                session, AuditAction.LOGIN_FAILED, "user_account", entity_id,
                f"login refused while {name!r} waits",
            )  # fmt: skip
        else:
            # An unknown name is checked against a decoy hash: the same time.
            ok = passwords.verify(user.password_hash if user else None, password)
            if ok and user is not None and user.active and _tampered(session, user.id):
                # Inserted or promoted in the file, behind the application's back.
                refusal = LoginFailed(NOT_IN_THE_TRAIL)
                audit.record(
                    session, AuditAction.LOGIN_FAILED, "user_account", user.id,
                    "login refused: the account does not match the audit trail",
                )  # fmt: skip
            elif ok and user is not None and user.active:
                throttle.succeeded(session, station_id, name)
                if passwords.needs_rehash(user.password_hash):
                    user.password_hash = passwords.hasher.hash(password)
                user.last_login_at = at
                audit.record(
                    session, AuditAction.LOGIN, "user_account", user.id, f"login as {name}"
                )
                result = LoginResult(Context(db, actor), user.must_change_password)
            else:
                started = throttle.failed(session, station_id, name, at)
                refusal = (
                    throttle_error(started) if started else LoginFailed(WRONG_NAME_OR_PASSWORD)
                )
                # Committed on purpose: failed attempts stay in the trail.
                audit.record(
                    session, AuditAction.LOGIN_FAILED, "user_account", entity_id,
                    f"failed login as {name!r}",
                )  # fmt: skip
    if refusal is not None:
        raise refusal
    return result


def login(
    db: Database, station_id: int, username: str, password: str, *, now: datetime | None = None
) -> Context:
    """Check a user's password; returns the context to act as them."""
    return authenticate(db, station_id, username, password, now=now).context
