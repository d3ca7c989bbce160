"""What the person form shows and does, each in one service call: a saved
person with the photo, the history, the possible duplicates and staff's
decisions about them; saving with the duplicate check; deciding about a
candidate.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from station_app.db.models import Person
from station_app.domain.permissions import Permission

from . import duplicates, history, persons, photos
from .context import Context
from .duplicates import DuplicateCandidate, LinkView
from .full_views import record_full_view
from .history import HistoryEntry
from .persons import PersonInput, PersonView, SavedPerson


@dataclass(frozen=True)
class PersonRecord:
    person: PersonView
    photo: bytes | None
    history: tuple[HistoryEntry, ...]  # also under records linked as the same person
    candidates: tuple[DuplicateCandidate, ...]  # possible duplicates of the saved record
    decisions: tuple[LinkView, ...]  # staff's decisions about it, oldest first
    names: dict[int, str]  # display name of every other record named above


def display_names(ctx: Context, ids: Iterable[int]) -> dict[int, str]:
    """The display names of records of this station, in one query."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    with ctx.read(Permission.VIEW_PERSONS) as session:
        rows = session.scalars(
            select(Person).where(Person.station_id == ctx.station_id, Person.id.in_(wanted))
        )
        return {p.id: persons.display_name(p) for p in rows}


def person_record(ctx: Context, person_id: int, *, opened: bool = True) -> PersonRecord:
    """Everything the form of a saved person shows, in full: the ID number and
    the health notes. ``opened`` (the form's first read, not its refreshes)
    records who looked at whom: one audit entry per opening."""
    person = persons.get_person(ctx, person_id)
    if opened:
        record_full_view(ctx, "person", person_id)
    photo = photos.get_photo(ctx, person_id)
    entries = tuple(history.person_history(ctx, person_id).entries)
    candidates = tuple(duplicates.find_possible_duplicates(ctx, person_id))
    decisions = tuple(duplicates.links_of(ctx, person_id))
    others = {c.person_id for c in candidates}
    others |= {d.other(person_id) for d in decisions}
    others |= {e.person_id for e in entries}
    others.discard(person_id)
    return PersonRecord(
        person=person,
        photo=photo.image if photo else None,
        history=entries,
        candidates=candidates,
        decisions=decisions,
        names=display_names(ctx, others),
    )


def save_person(
    ctx: Context,
    data: PersonInput,
    *,
    person_id: int | None = None,
    photo: bytes | None = None,
    check_duplicates: bool = True,
    expected_version: int | None = None,
) -> SavedPerson | tuple[DuplicateCandidate, ...]:
    """Create (``person_id`` None) or update a person, with the photo chosen for a new one.

    ``expected_version``: the version of the person the form was loaded with;
    a save over someone else's newer save is refused (``StaleEdit``).

    With ``check_duplicates``, records that are strongly the same person and
    not yet linked are returned instead and nothing is saved: staff decide
    whether this is someone new.
    """
    if check_duplicates:
        found = duplicates.find_possible_duplicates(ctx, data, self_id=person_id)
        strong = tuple(c for c in found if c.strong and not c.linked)
        if strong:
            return strong
    if person_id is not None:
        return persons.update_person(ctx, person_id, data, expected_version=expected_version)
    saved = persons.create_person(ctx, data)
    if photo is not None:
        photos.set_photo(ctx, saved.person.id, photo)
    return saved


@dataclass(frozen=True)
class LinkDecision:
    """A decision recorded (``link``), or the earlier "different persons"
    decisions it would contradict (``conflicts``) and nothing recorded."""

    link: LinkView | None
    conflicts: tuple[LinkView, ...] = ()
    names: dict[int, str] | None = None  # display names of the records in the conflicts


def decide(
    ctx: Context,
    person_id: int,
    other_id: int,
    *,
    same_person: bool,
    reason: str | None = None,
    despite_conflicts: bool = False,
) -> LinkDecision:
    """Record that two records are (or are not) the same person.

    Linking records whose groups staff decided are different persons is not
    done unless ``despite_conflicts``: the conflicting decisions come back to
    be shown first.
    """
    ctx.require(Permission.LINK_PERSONS)  # refused before the records are read
    if same_person and not despite_conflicts:
        conflicts = tuple(duplicates.different_decisions_between(ctx, person_id, other_id))
        if conflicts:
            ids = {c.person_a_id for c in conflicts} | {c.person_b_id for c in conflicts}
            return LinkDecision(None, conflicts, display_names(ctx, ids))
    link = duplicates.link_persons(ctx, person_id, other_id, same_person=same_person, reason=reason)
    return LinkDecision(link)
