"""The database handle and the acting user that every service call receives."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker

from station_app.db import schema
from station_app.db.engine import make_engine, normalize_url
from station_app.domain.enums import Role
from station_app.domain.errors import N_, PermissionDenied
from station_app.domain.permissions import Permission, allows

from . import audit, search_index  # noqa: F401 - search_index registers its listener
from .changes import ChangeFeed


class Database:
    """One open database: engine and session factory, schema brought up to date."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
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
        engine = make_engine(normalize_url(url))
        try:
            if prepare:
                schema.prepare(engine)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine)

    @property
    def url(self) -> URL:
        return self.engine.url

    def close(self) -> None:
        self.engine.dispose()

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
    def command_line(cls, station_id: int) -> Actor:
        """The operator of the command line, who has the machine's full rights."""
        try:
            who = getpass.getuser()
        except (KeyError, OSError):
            who = "unknown"
        return cls(station_id=station_id, role=Role.ADMIN, username=f"cli:{who}")


@dataclass(frozen=True)
class Context:
    """Passed to every service call."""

    db: Database
    actor: Actor

    @property
    def station_id(self) -> int:
        return self.actor.station_id

    def require(self, permission: Permission) -> None:
        if not allows(self.actor.role, permission):
            raise PermissionDenied(
                N_("Your role ({role}) may not do this ({permission}). Ask a manager."),
                role=self.actor.role,
                permission=permission,
            )

    @contextmanager
    def write(self, permission: Permission) -> Iterator[Session]:
        """A transaction for a write: checked, audited, committed or rolled back whole."""
        self.require(permission)
        with self.db.sessions() as session:
            session.info["actor"] = self.actor
            with session.begin():
                yield session

    @contextmanager
    def read(self, permission: Permission | None = None) -> Iterator[Session]:
        if permission is not None:
            self.require(permission)
        with self.db.sessions() as session:
            session.info["read_only"] = True
            yield session
