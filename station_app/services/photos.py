"""Person photos, kept in the database (one per person).

The screen that takes or chooses the photo scales it down and encodes it; the
service checks what it receives is a JPEG or PNG of a sensible size, so a
wrong file is refused with a message instead of stored.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.db.models import PersonPhoto, utcnow
from station_app.domain.errors import N_, NotFound, ValidationError
from station_app.domain.permissions import Permission

from .context import Context
from .persons import _load

MAX_BYTES = 1_000_000  # a 600×800 JPEG is about 100 KB
MAX_SIDE = 4000


@dataclass(frozen=True)
class Photo:
    person_id: int
    image: bytes
    mime: str
    width: int
    height: int
    taken_at: datetime


def image_size(data: bytes) -> tuple[str, int, int]:
    """(mime type, width, height) of a JPEG or PNG; ValidationError for anything else."""
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24 and data[12:16] == b"IHDR":
        width, height = struct.unpack(">II", data[16:24])
        return "image/png", width, height
    if data.startswith(b"\xff\xd8"):
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                break
            marker = data[i + 1]
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
                i += 2
                continue
            (length,) = struct.unpack(">H", data[i + 2 : i + 4])
            # SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the size
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                height, width = struct.unpack(">HH", data[i + 5 : i + 9])
                return "image/jpeg", width, height
            i += 2 + length
    raise ValidationError(
        N_("This file is not a photo the program can read. Choose a JPEG or PNG picture."),
        field="photo",
    )


def set_photo(ctx: Context, person_id: int, data: bytes) -> Photo:
    """Store (or replace) the person's photo."""
    ctx.require(Permission.EDIT_PERSONS)  # refused before the picture is read
    if len(data) > MAX_BYTES:
        raise ValidationError(
            N_(
                "The photo is too large ({size} KB). Choose a smaller picture (at most {limit} KB)."
            ),
            field="photo",
            size=len(data) // 1000,
            limit=MAX_BYTES // 1000,
        )
    mime, width, height = image_size(data)
    if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
        raise ValidationError(
            N_(
                "The photo is {width}×{height} pixels. Choose a picture at most {limit} "
                "pixels wide and high."
            ),
            field="photo",
            width=width,
            height=height,
            limit=MAX_SIDE,
        )
    with ctx.write(Permission.EDIT_PERSONS) as session:
        _load(session, ctx, person_id)
        row = session.scalar(select(PersonPhoto).where(PersonPhoto.person_id == person_id))
        if row is None:
            row = PersonPhoto(station_id=ctx.station_id, person_id=person_id)
            session.add(row)
        row.image, row.mime, row.width, row.height = data, mime, width, height
        row.taken_at = utcnow()
        session.flush()
        return Photo(person_id, data, mime, width, height, row.taken_at)


def get_photo(ctx: Context, person_id: int) -> Photo | None:
    with ctx.read(Permission.VIEW_PERSONS) as session:
        _load(session, ctx, person_id)
        return photo_of(session, person_id)


def photo_of(session: Session, person_id: int) -> Photo | None:
    """The person's photo read in the caller's transaction (a printout's)."""
    row = session.scalar(select(PersonPhoto).where(PersonPhoto.person_id == person_id))
    if row is None:
        return None
    return Photo(person_id, row.image, row.mime, row.width, row.height, row.taken_at)


def remove_photo(ctx: Context, person_id: int) -> None:
    with ctx.write(Permission.EDIT_PERSONS) as session:
        _load(session, ctx, person_id)
        row = session.scalar(select(PersonPhoto).where(PersonPhoto.person_id == person_id))
        if row is None:
            raise NotFound(N_("This person has no photo to remove."), field="photo")
        session.delete(row)
