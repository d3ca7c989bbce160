"""Two desks editing the same record: the second save is refused, never
written over the first.

Persons and help requests carry a ``version`` that every save of their form
raises. A form sends back the version it was loaded with; when the record's
version has moved on, the save is refused with a :class:`StaleEdit` that
names the fields the other desk changed (their labels, read from the audit
trail, never their values: the message may be logged).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.db.models import AuditEntry, HelpRequest, Person
from station_app.domain.enums import AuditAction
from station_app.domain.errors import N_, Conflict
from station_app.domain.labels import field_label

PERSON_CHANGED = N_(
    "Someone else saved this person's record while you were editing it (changed: "
    "{changed}). Your changes were not saved; reload to see theirs and enter yours again."
)
REQUEST_CHANGED = N_(
    "Someone else saved this help request while you were editing it (changed: "
    "{changed}). Your changes were not saved; reload to see theirs and enter yours again."
)
# When the audit trail names no field (e.g. only other names or relatives changed).
OTHER_FIELDS = N_("other names or relatives")

# Audit keys shown under the label of another field, and keys never shown.
_SHOWN_AS = {
    "name_quality": "name_zh",
    "sex_quality": "sex",
    "birth_quality": "birth_date",
    "ethnicity_quality": "ethnicity",
    "id_quality": "id_number",
    "id_doc_type": "id_number",
    "hukou_quality": "hukou_code",
    "hukou_text": "hukou_code",
    "residence_quality": "residence",
    "phone_quality": "phone",
}
_HIDDEN = {"version", "updated_at", "created_at", "created_by_id", "registered_by_id"}
# Fields of the registration answers that the common field labels lack.
_LABELS = {
    "support_status": N_("Dibao / tekun support"),
    "photo_taken": N_("Photo taken"),
    "fingerprint_taken": N_("Fingerprints taken"),
    "signature": N_("Signature"),
}


class StaleEdit(Conflict):
    """A save refused because the record changed since the form was loaded.
    ``changed`` holds the keys of the fields the other desk changed."""

    def __init__(self, message: str, changed: tuple[str, ...]) -> None:
        self.changed = changed
        super().__init__(message, changed=", ".join(changed) or OTHER_FIELDS)

    def render(self, gettext: Callable[[str], str]) -> str:
        names = ", ".join(gettext(_LABELS.get(k) or field_label(k)) for k in self.changed)
        return gettext(self.message).format(changed=names or gettext(OTHER_FIELDS))


def changed_since(session: Session, row: Person | HelpRequest, version: int) -> tuple[str, ...]:
    """The keys of the fields saved into ``row`` after its ``version``, in the
    order the form shows them (the model's column order)."""
    keys: set[str] = set()
    for changes in session.scalars(
        select(AuditEntry.changes).where(
            AuditEntry.entity == row.__tablename__,
            AuditEntry.entity_id == row.id,
            AuditEntry.action == AuditAction.UPDATE,
        )
    ):
        saved = changes.get("version") if isinstance(changes, dict) else None
        if isinstance(saved, dict) and _at_least(saved.get("old"), version):
            keys.update(_SHOWN_AS.get(k, k) for k in changes if k not in _HIDDEN)
    order = [c.key for c in type(row).__table__.columns]
    return tuple(sorted(keys, key=lambda k: order.index(k) if k in order else len(order)))


def _at_least(value: Any, version: int) -> bool:
    return isinstance(value, int) and value >= version


def refuse_if_changed(
    session: Session, row: Person | HelpRequest, expected: int | None, message: str
) -> None:
    """Refuse the save when ``row`` (locked and read in this transaction) is no
    longer at the ``expected`` version; ``None``: no form version to compare
    (the command line, an import)."""
    if expected is None or row.version == expected:
        return
    raise StaleEdit(message, changed_since(session, row, expected))
