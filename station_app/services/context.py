"""The database handle and the acting user that every service call receives."""

from __future__ import annotations

import getpass
import logging
import sys
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from types import FrameType

from sqlalchemy import Engine, select
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker

from station_app.db import holders, planner, schema
from station_app.db.engine import IMMEDIATE, SQLITE_BEGIN, make_engine, normalize_url, sqlite_path
from station_app.db.models import Station, User
from station_app.domain.enums import AuditAction, Role
from station_app.domain.errors import N_, NotFound, PermissionDenied, SessionEnded, UserError
from station_app.domain.permissions import Permission, allows

from . import audit, search_index  # noqa: F401 - search_index registers its listener
from .changes import ChangeFeed

log = logging.getLogger(__name__)

READ_ONLY_VIEW = N_("This view only reads: records are changed by the staff of their own station.")
ROLE_REFUSED = N_("Your role ({role}) may not do this ({permission}). Ask a manager.")
ACCOUNT_DEACTIVATED = N_("Your account has been deactivated; ask a manager.")


RESTORE_IN_PROGRESS = N_(
    "The database is being restored from a backup just now. Wait until the restore "
    "has finished, then start again."
)


class Database:
    """One open database: engine and session factory, schema brought up to date."""

    def __init__(self, engine: Engine, holder: holders.Registration | None = None) -> None:
        self.engine = engine
        # Registered as a holder of a SQLite file, so that no restore replaces
        # the file under us (see station_app.db.holders); unregistered on close,
        # or when forgotten without one, at the latest when the program exits.
        self.holder = holder
        if holder is not None:
            weakref.finalize(self, holder.release)
        # Every commit through these sessions is told to the feed's observers.
        self.changes = ChangeFeed()
        self.sessions: sessionmaker[Session] = sessionmaker(
            bind=engine,
            class_=audit.AuditedSession,
            expire_on_commit=False,
            info={audit.FEED: self.changes},
        )

    @classmethod
    def open(cls, url: URL | str, *, prepare: bool = True) -> Database:
        url = normalize_url(url)
        engine = make_engine(url)
        holder = None
        try:
            path = sqlite_path(url)
            if path is not None:
                try:
                    holder = holders.register(path)
                except holders.GateTimeout:
                    raise UserError(RESTORE_IN_PROGRESS) from None
            if prepare:
                schema.prepare(engine)
                planner.optimize_on_close(engine)
        except BaseException:
            engine.dispose()
            if holder is not None:
                holder.release()
            raise
        return cls(engine, holder)

    @property
    def url(self) -> URL:
        return self.engine.url

    def close(self) -> None:
        self.engine.dispose()
        if self.holder is not None:
            self.holder.release()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass(frozen=True)
class Actor:
    """Who is acting: a logged-in user, or the command line / system."""

    station_id: int
    role: Role
    username: str
    user_id: int | None = None

    @classmethod
    def command_line(cls, station_id: int, role: Role = Role.ADMIN) -> Actor:
        """The operator of the command line, with the machine's full rights at the
        station (``role`` PREFECTURE for a prefecture-wide read)."""
        try:
            who = getpass.getuser()
        except (KeyError, OSError):
            who = "unknown"
        return cls(station_id=station_id, role=role, username=f"cli:{who}")


@dataclass(frozen=True)
class Context:
    """Passed to every service call.

    A ``read_only`` context (another station seen by the prefecture, see
    :meth:`at_station`) and every context of the prefecture role refuse all
    writes in :meth:`write`, so a service that forgets its own check still
    changes nothing.
    """

    db: Database
    actor: Actor
    read_only: bool = False

    @property
    def station_id(self) -> int:
        return self.actor.station_id

    @property
    def writable(self) -> bool:
        return not self.read_only and self.actor.role is not Role.PREFECTURE

    def at_station(self, station_id: int) -> Context:
        """The same user reading station ``station_id``: a read-only context.

        Any station for a role with ``Permission.ALL_STATIONS`` (the
        prefecture), only the actor's own otherwise.
        """
        if station_id != self.station_id:
            self.require(Permission.ALL_STATIONS)
        with self.db.sessions() as session:
            if session.get(Station, station_id) is None:
                raise NotFound(N_("Station {id} does not exist."), id=station_id)
        return Context(self.db, replace(self.actor, station_id=station_id), read_only=True)

    def require(self, permission: Permission) -> None:
        """Refuse (audited) unless the actor's role holds ``permission``."""
        if not allows(self.actor.role, permission):
            raise self.refused(
                PermissionDenied(ROLE_REFUSED, role=self.actor.role, permission=permission),
                permission,
            )

    def refused(
        self, exc: PermissionDenied, permission: Permission | None = None
    ) -> PermissionDenied:
        """Record the refusal ``exc`` in the audit trail and return it to be raised.

        The entry names the actor, the permission and the service refused, never
        a field value. It is written in its own short transaction, so it stays
        when the caller's work is rolled back; if the trail cannot be written
        (a read-only or locked file) the refusal still stands.
        """
        service = _calling_service()
        try:
            with self.db.sessions() as session:
                session.info["actor"] = self.actor
                with session.begin():
                    session.connection(execution_options={SQLITE_BEGIN: IMMEDIATE})
                    audit.record(
                        session,
                        AuditAction.REFUSED,
                        "user_account",
                        self.actor.user_id,
                        f"refused {permission or '-'} in {service}",
                        {
                            "permission": str(permission) if permission else None,
                            "service": service,
                            "role": self.actor.role,
                            "reason": type(exc).__name__,
                            "read_only": self.read_only,
                        },
                    )
        except Exception as error:  # the refusal matters more than its record
            log.warning("could not record a refusal in the audit trail (%s)", type(error).__name__)
        return exc

    def _still_active(self, session: Session) -> bool:
        """Whether the acting user's account is still active (one primary-key read)."""
        if self.actor.user_id is None:
            return True
        active = session.scalar(select(User.active).where(User.id == self.actor.user_id))
        return bool(active)

    def _ended(self, permission: Permission | None) -> PermissionDenied:
        return self.refused(SessionEnded(ACCOUNT_DEACTIVATED), permission)

    @contextmanager
    def write(self, permission: Permission) -> Iterator[Session]:
        """A transaction for a write: checked, audited, committed or rolled back whole."""
        if not self.writable:
            raise self.refused(PermissionDenied(READ_ONLY_VIEW), permission)
        self.require(permission)
        ended = False
        with self.db.sessions() as session:
            session.info["actor"] = self.actor
            with session.begin():
                # SQLite: BEGIN IMMEDIATE, the write lock before the first read
                # (engine.SQLITE_BEGIN); PostgreSQL ignores the option.
                session.connection(execution_options={SQLITE_BEGIN: IMMEDIATE})
                if self._still_active(session):
                    yield session
                else:
                    ended = True
        if ended:  # refused after the transaction: its record needs the write lock
            raise self._ended(permission)

    @contextmanager
    def read(self, permission: Permission | None = None) -> Iterator[Session]:
        if permission is not None:
            self.require(permission)
        with self.db.sessions() as session:
            session.info["read_only"] = True
            active = self._still_active(session)
            if active:
                yield session
        if not active:
            raise self._ended(permission)


def _calling_service() -> str:
    """``module.function`` of the service that asked for the refused permission."""
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if module != __name__ and not module.startswith("contextlib"):
            short = module.removeprefix("station_app.services.")
            return f"{short}.{frame.f_code.co_name}"
        frame = frame.f_back
    return "unknown"
