"""A person's photo and history, on SQLite and real PostgreSQL.

The photo is stored in the database (one per person, replaced, removed; a file
that is not a JPEG/PNG or is too large is refused; the audit keeps a hash, not
the picture). The history lists visits with their departure, patrol
encounters and items received — directly or on a patrol — newest first, and
includes the records linked as the same person until the link is undone.
"""

from __future__ import annotations

import struct
import zlib
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from station_app.db.models import (
    AuditEntry,
    Departure,
    Encounter,
    PatrolShift,
    StockMovement,
    SupplyItem,
)
from station_app.domain.enums import (
    ArrivalChannel,
    DepartureOutcome,
    EncounterAction,
    MovementKind,
)
from station_app.domain.errors import NotFound, ValidationError
from station_app.domain.permissions import Permission
from station_app.services import photos
from station_app.services.context import Context
from station_app.services.duplicates import link_persons, undo_link
from station_app.services.history import EntryKind, person_history
from station_app.services.persons import PersonInput, create_person
from tests.support.records import help_request

T0 = datetime(2025, 12, 1, 3, 0, tzinfo=UTC)


def png(width: int, height: int) -> bytes:
    """A real (tiny, grey) PNG file of the given size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


# A baseline JPEG header: SOI, APP0 (JFIF), SOF0 with height 480 and width 360.
JPEG = (
    b"\xff\xd8"
    + b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    + b"\xff\xc0\x00\x11\x08"
    + struct.pack(">HH", 480, 360)
    + b"\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01"
    + b"\xff\xd9"
)


def test_photo_is_stored_replaced_and_removed(admin_ctx: Context) -> None:
    pid = create_person(admin_ctx, PersonInput(name_zh="格桑")).person.id
    assert photos.get_photo(admin_ctx, pid) is None
    first = photos.set_photo(admin_ctx, pid, png(30, 40))
    assert (first.mime, first.width, first.height) == ("image/png", 30, 40)
    assert photos.get_photo(admin_ctx, pid) == first
    second = photos.set_photo(admin_ctx, pid, JPEG)
    got = photos.get_photo(admin_ctx, pid)
    assert got is not None
    assert got.image == JPEG
    assert (second.mime, second.width, second.height) == ("image/jpeg", 360, 480)
    photos.remove_photo(admin_ctx, pid)
    assert photos.get_photo(admin_ctx, pid) is None
    with pytest.raises(NotFound):
        photos.remove_photo(admin_ctx, pid)


def test_photo_audit_keeps_a_hash_not_the_picture(admin_ctx: Context) -> None:
    pid = create_person(admin_ctx, PersonInput(name_zh="格桑")).person.id
    photos.set_photo(admin_ctx, pid, png(8, 8))
    with admin_ctx.read() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.entity == "person_photo")).one()
    assert "sha256" in str(entry.changes)
    assert len(str(entry.changes)) < 400


@pytest.mark.parametrize(
    ("data", "field_message"),
    [
        (b"%PDF-1.7 not a picture", "not a photo"),
        (b"\xff\xd8\xff\xe0 truncated", "not a photo"),
        (png(1, 1)[:20], "not a photo"),
        (png(5000, 1), "at most 4000 pixels"),
        (b"\xff\xd8" + b"\x00" * 1_000_001, "too large"),
    ],
    ids=["pdf", "truncated-jpeg", "truncated-png", "too-wide", "too-many-bytes"],
)
def test_wrong_photo_is_refused_and_old_one_kept(
    admin_ctx: Context, data: bytes, field_message: str
) -> None:
    pid = create_person(admin_ctx, PersonInput(name_zh="格桑")).person.id
    kept = photos.set_photo(admin_ctx, pid, png(3, 3))
    with pytest.raises(ValidationError) as err:
        photos.set_photo(admin_ctx, pid, data)
    assert field_message in err.value.render(lambda s: s)
    assert err.value.field == "photo"
    assert photos.get_photo(admin_ctx, pid) == kept


def _shift_with_encounter(ctx: Context, person_id: int, met_at: datetime) -> int:
    with ctx.write(Permission.PATROL_WORK) as s:
        shift = PatrolShift(
            station_id=ctx.station_id,
            shift_date=met_at.date(),
            started_at=met_at - timedelta(hours=1),
            ended_at=met_at + timedelta(hours=2),
            staff_count=3,
        )
        s.add(shift)
        s.flush()
        enc = Encounter(
            station_id=ctx.station_id,
            shift_id=shift.id,
            person_id=person_id,
            place="新都桥镇汽车站",
            met_at=met_at,
            action=EncounterAction.CONTACT_CARD_LEFT,
        )
        s.add(enc)
        s.flush()
        return enc.id


def _item(ctx: Context, code: str, name: str) -> int:
    with ctx.write(Permission.MANAGE_SUPPLIES) as s:
        item = SupplyItem(station_id=ctx.station_id, code=code, name_zh=name, unit_zh="件")
        s.add(item)
        s.flush()
        return item.id


def _issue(ctx: Context, item_id: int, at: datetime, **links: int) -> None:
    with ctx.write(Permission.ISSUE_SUPPLIES) as s:
        s.add(
            StockMovement(
                station_id=ctx.station_id,
                item_id=item_id,
                kind=MovementKind.ISSUE_PERSON
                if "person_id" in links
                else MovementKind.ISSUE_ANONYMOUS,
                quantity=Decimal(-1),
                moved_at=at,
                **links,
            )
        )


def test_history_lists_visits_encounters_and_items_newest_first(admin_ctx: Context) -> None:
    rid = help_request(
        admin_ctx,
        arrived_at=T0,
        channel=ArrivalChannel.PATROL,
        name_zh="扎西",
        birth_date=date(1970, 1, 1),
    )
    with admin_ctx.read() as s:
        from station_app.db.models import HelpRequest

        pid = s.get(HelpRequest, rid).person_id  # type: ignore[union-attr]
    with admin_ctx.write(Permission.DESK_WORK) as s:
        s.add(
            Departure(
                station_id=admin_ctx.station_id,
                help_request_id=rid,
                departed_at=T0 + timedelta(days=3),
                outcome=DepartureOutcome.RETURNED_HOME_VOUCHER,
            )
        )
    enc = _shift_with_encounter(admin_ctx, pid, T0 - timedelta(days=10))
    coat, quilt = _item(admin_ctx, "coat", "棉衣"), _item(admin_ctx, "quilt", "棉被")
    _issue(admin_ctx, coat, T0 - timedelta(days=10), encounter_id=enc)  # on the patrol
    _issue(admin_ctx, quilt, T0 + timedelta(days=1), person_id=pid)  # at the desk
    other = create_person(admin_ctx, PersonInput(name_zh="别人")).person.id
    _issue(admin_ctx, quilt, T0, person_id=other)

    history = person_history(admin_ctx, pid)
    kinds = [(e.kind, e.at) for e in history.entries]
    assert kinds == [
        (EntryKind.ITEM, T0 + timedelta(days=1)),
        (EntryKind.VISIT, T0),
        (EntryKind.ITEM, T0 - timedelta(days=10)),
        (EntryKind.ENCOUNTER, T0 - timedelta(days=10)),
    ] or kinds == [
        (EntryKind.ITEM, T0 + timedelta(days=1)),
        (EntryKind.VISIT, T0),
        (EntryKind.ENCOUNTER, T0 - timedelta(days=10)),
        (EntryKind.ITEM, T0 - timedelta(days=10)),
    ]
    (visit,) = history.of_kind(EntryKind.VISIT)
    assert visit.outcome is DepartureOutcome.RETURNED_HOME_VOUCHER
    assert visit.departed_at == T0 + timedelta(days=3)
    (encounter,) = history.of_kind(EntryKind.ENCOUNTER)
    assert (encounter.place, encounter.action) == (
        "新都桥镇汽车站",
        EncounterAction.CONTACT_CARD_LEFT,
    )
    items = {(e.item_name_zh, e.quantity) for e in history.of_kind(EntryKind.ITEM)}
    assert items == {("棉衣", Decimal(1)), ("棉被", Decimal(1))}
    assert all(e.person_id == pid for e in history.entries)


def test_history_follows_same_person_links_until_undone(admin_ctx: Context) -> None:
    a = create_person(admin_ctx, PersonInput(name_zh="扎西", name_bo="བཀྲ་ཤིས")).person.id
    b = create_person(admin_ctx, PersonInput(name_zh="扎喜", name_bo="བཀྲ་ཤིས")).person.id
    _shift_with_encounter(admin_ctx, b, T0)
    assert person_history(admin_ctx, a).entries == ()
    link = link_persons(admin_ctx, a, b, same_person=True)
    history = person_history(admin_ctx, a)
    assert history.record_ids == {a, b}
    (entry,) = history.entries
    assert entry.person_id == b
    assert person_history(admin_ctx, a, linked=False).entries == ()
    undo_link(admin_ctx, link.id)
    assert person_history(admin_ctx, a).entries == ()


def test_history_of_a_person_of_another_station_is_not_found(admin_ctx: Context) -> None:
    with pytest.raises(NotFound):
        person_history(admin_ctx, 999_999)
