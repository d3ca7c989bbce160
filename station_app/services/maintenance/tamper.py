"""Finding changes made to a station database behind the application's back.

Three things the check compares (reading only):

- every station's audit chain (station_app.services.audit_chain): an entry
  deleted, inserted or edited in the file breaks it from that entry on;
- every user account against its audit history: an account that no entry
  created (e.g. an administrator inserted in the file), or whose name, role
  or state differ from what the trail last recorded;
- every person's name and ID number against the last values the trail
  recorded for them (persons written only in bulk, by the demo generator or a
  ledger import, have no recorded values to compare with).

Reports name the station, entry or record, and never a field's value: the
report is read and pasted by people who may not see the records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import Connection, select

from station_app.db.models import AuditEntry, Person, User
from station_app.domain.clock import china_minute_text
from station_app.domain.enums import AuditAction
from station_app.domain.errors import N_, UserError
from station_app.services.audit_chain import ChainBreak, verify

# What to do about any of them: compare with what is on paper and in backups.
TAMPER_ADVICE = N_(
    "Someone changed the database file outside the application. Compare the audit "
    "anchor on the last printed monthly safety log and in the backups with this file, "
    "keep a copy of the file as evidence, and tell the administrator."
)

_USER_FIELDS = ("username", "role", "active")
_PERSON_FIELDS = ("name_zh", "name_bo", "id_number")


class Tampered(UserError):
    """A record or audit entry that does not match the audit trail."""

    def render(self, gettext: Callable[[str], str]) -> str:
        params = dict(self.params)
        if "reason" in params:
            params["reason"] = gettext(str(params["reason"]))
        text = UserError(self.message, **params).render(gettext)
        return f"{text} {gettext(TAMPER_ADVICE)}"

    def __str__(self) -> str:
        return f"{super().__str__()} {TAMPER_ADVICE}"


def _chain_problem(found: ChainBreak) -> Tampered:
    return Tampered(
        N_("The audit trail of station {station} is broken at entry #{seq} ({time}): {reason}."),
        station=found.station_id,
        seq=found.seq if found.seq is not None else "-",
        time=china_minute_text(found.at) if found.at else "-",
        reason=found.reason,
    )


def problems(conn: Connection) -> list[UserError]:
    """Everything the trail contradicts, first problem of each kind and station."""
    found: list[UserError] = [_chain_problem(b) for b in verify(conn)]
    user = _first_unaudited_user(conn)
    if user is not None:
        found.append(user)
    person = _first_changed_person(conn)
    if person is not None:
        found.append(person)
    return found


def _history(conn: Connection, entity: str, entity_id: int | None = None) -> Iterator[Any]:
    q = (
        select(AuditEntry.entity_id, AuditEntry.action, AuditEntry.changes)
        .where(
            AuditEntry.entity == entity,
            AuditEntry.entity_id.is_not(None)
            if entity_id is None
            else AuditEntry.entity_id == entity_id,
            AuditEntry.action.in_([AuditAction.CREATE, AuditAction.UPDATE, AuditAction.DELETE]),
        )
        .order_by(AuditEntry.seq, AuditEntry.id)
    )
    # options on the statement: Connection.execution_options() would change the
    # connection itself, and a login goes on to INSERT through it
    yield from conn.execute(q.execution_options(stream_results=True, yield_per=5000))


def _recorded(
    conn: Connection, entity: str, fields: tuple[str, ...], only: int | None = None
) -> dict[int, dict[str, Any]]:
    """The last values the trail recorded of ``fields``, per record id (of record
    ``only`` when given); a record created through the application has all of
    them (an absent one was empty)."""
    known: dict[int, dict[str, Any]] = {}
    for entity_id, action, changes in _history(conn, entity, only):
        changes = changes or {}
        if action == AuditAction.CREATE:
            new = changes.get("new") or {}
            known[entity_id] = {f: new.get(f) for f in fields}
        elif action == AuditAction.UPDATE:
            values = known.setdefault(entity_id, {})
            for f in fields:
                change = changes.get(f)
                if isinstance(change, dict) and "new" in change:
                    values[f] = change["new"]
        else:
            known.pop(entity_id, None)
    return known


def _plain(value: Any) -> Any:
    return value.value if hasattr(value, "value") else value


def account_problem(conn: Connection, user_id: int) -> UserError | None:
    """Why account ``user_id`` does not match the audit trail (inserted in the
    file, or its name, role or state changed there), or None: checked at every
    login, so such an account cannot log in."""
    return _first_unaudited_user(conn, user_id)


def _first_unaudited_user(conn: Connection, only: int | None = None) -> UserError | None:
    created = {
        entity_id
        for entity_id, action, _changes in _history(conn, User.__tablename__, only)
        if action == AuditAction.CREATE
    }
    recorded = _recorded(conn, User.__tablename__, _USER_FIELDS, only)
    query = select(User.id, User.station_id, User.username, User.role, User.active)
    if only is not None:
        query = query.where(User.id == only)
    rows = conn.execute(query.order_by(User.id))
    for row in rows:
        if row.id not in created:
            return Tampered(
                N_(
                    "User account {id} ({username}) of station {station} was not created "
                    "through the application: the audit trail has no record of it. Do not "
                    "let it log in."
                ),
                id=row.id,
                username=row.username,
                station=row.station_id,
            )
        values = recorded.get(row.id, {})
        for f in _USER_FIELDS:
            if f in values and values[f] != _plain(getattr(row, f)):
                return Tampered(
                    N_(
                        "User account {id} ({username}) of station {station} differs from "
                        "its last audited values ({field_name})."
                    ),
                    id=row.id,
                    username=values.get("username") or row.username,
                    station=row.station_id,
                    field_name=f,
                )
    return None


def _first_changed_person(conn: Connection) -> UserError | None:
    recorded = _recorded(conn, Person.__tablename__, _PERSON_FIELDS)
    if not recorded:
        return None
    ids = sorted(recorded)
    for start in range(0, len(ids), 2000):
        chunk = ids[start : start + 2000]
        rows = conn.execute(
            select(Person.id, Person.station_id, *(getattr(Person, f) for f in _PERSON_FIELDS))
            .where(Person.id.in_(chunk))
            .order_by(Person.id)
        )
        for row in rows:
            values = recorded[row.id]
            changed = [f for f in _PERSON_FIELDS if f in values and values[f] != getattr(row, f)]
            if changed:
                return Tampered(
                    N_(
                        "The record of person {id} of station {station} differs from its "
                        "last audited values ({field_name})."
                    ),
                    id=row.id,
                    station=row.station_id,
                    field_name=changed[0],
                )
    return None
