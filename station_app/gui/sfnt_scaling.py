"""A TrueType font drawn larger at every size, under another family name.

Qt sizes a font once for all scripts, and Tibetan letters are small beside
Chinese characters of the same point size (the body of མ is 0.65 of the
height of 国). A copy of the Tibetan font whose em is smaller (``head``'s
units per em divided by the scale) draws every glyph, its positioning
(GPOS) and its line metrics larger by the same factor: everything in a
TrueType font is in font units, read against the units per em. Tables of
pre-rendered sizes (device metrics, embedded bitmaps, a signature) would be
wrong for the new em and are left out. The copy is renamed so that it never
stands for the original, installed or bundled.

Pure bytes: no Qt, no font library.
"""

from __future__ import annotations

import struct

from station_app.font_tables import TRUETYPE, read_tables, write_font

#: Tables that hold per-pixel-size data (or a signature) for the old em.
_DROPPED = frozenset(("hdmx", "VDMX", "LTSH", "EBDT", "EBLC", "EBSC", "DSIG"))
#: name IDs holding the family: family, unique id, full name, PostScript name,
#: typographic family, WWS family.
_FAMILY_NAMES = frozenset((1, 3, 4, 6, 16, 21))


class NotTrueType(ValueError):
    """The bytes are not a single TrueType/OpenType font."""


def _tables(data: bytes) -> dict[str, bytes]:
    if len(data) < 12 or data[:4] not in (TRUETYPE, b"OTTO", b"true"):
        raise NotTrueType("not an sfnt font")
    (count,) = struct.unpack_from(">H", data, 4)
    for i in range(count):
        tag, _checksum, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        if offset + length > len(data):
            raise NotTrueType(f"table {tag!r} runs past the end")
    tables = read_tables(data)
    if "head" not in tables or "name" not in tables:
        raise NotTrueType("no head or name table")
    return tables


def _renamed(name: bytes, family: str) -> bytes:
    """The name table with every family name replaced by ``family``."""
    _format, count, storage = struct.unpack_from(">HHH", name, 0)
    records = []
    strings = bytearray()
    for i in range(count):
        platform, encoding, language, name_id, length, offset = struct.unpack_from(
            ">6H", name, 6 + 12 * i
        )
        text = name[storage + offset : storage + offset + length]
        if name_id in _FAMILY_NAMES:
            new = family.replace(" ", "") if name_id == 6 else family
            text = new.encode("utf-16-be" if platform in (0, 3) else "latin-1")
        records.append((platform, encoding, language, name_id, len(text), len(strings)))
        strings += text
    header = struct.pack(">HHH", 0, count, 6 + 12 * count)
    return header + b"".join(struct.pack(">6H", *r) for r in records) + bytes(strings)


def _characters(cmap: bytes) -> dict[int, int]:
    """The characters and glyphs of the Windows Unicode (3, 1) format 4 subtable."""
    (count,) = struct.unpack_from(">H", cmap, 2)
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", cmap, 4 + 8 * i)
        if (platform, encoding) == (3, 1) and struct.unpack_from(">H", cmap, offset)[0] == 4:
            break
    else:
        raise NotTrueType("no Unicode format 4 cmap")
    (segments_x2,) = struct.unpack_from(">H", cmap, offset + 6)
    ends = offset + 14
    starts = ends + segments_x2 + 2
    deltas = starts + segments_x2
    range_offsets = deltas + segments_x2
    glyphs: dict[int, int] = {}
    for seg in range(segments_x2 // 2):
        (end,) = struct.unpack_from(">H", cmap, ends + 2 * seg)
        (start,) = struct.unpack_from(">H", cmap, starts + 2 * seg)
        (delta,) = struct.unpack_from(">H", cmap, deltas + 2 * seg)
        (range_offset,) = struct.unpack_from(">H", cmap, range_offsets + 2 * seg)
        for code in range(start, end + 1):
            if range_offset == 0:
                glyph = (code + delta) & 0xFFFF
            else:
                at = range_offsets + 2 * seg + range_offset + 2 * (code - start)
                (glyph,) = struct.unpack_from(">H", cmap, at)
                glyph = (glyph + delta) & 0xFFFF if glyph else 0
            if glyph and code != 0xFFFF:
                glyphs[code] = glyph
    return glyphs


def _cmap(glyphs: dict[int, int]) -> bytes:
    """A cmap with one (3, 1) format 4 subtable mapping ``glyphs``."""
    codes = [*sorted(glyphs), 0xFFFF]
    count = len(codes)
    power = 1 << (count.bit_length() - 1)
    deltas = [(glyphs.get(code, 0) - code) & 0xFFFF for code in codes]  # U+FFFF: glyph 0
    subtable = struct.pack(
        f">7H{count}HH{count}H{count}H{count}H",
        4,
        16 + 8 * count,
        0,
        2 * count,
        2 * power,
        power.bit_length() - 1,
        2 * (count - power),
        *codes,
        0,
        *codes,
        *deltas,
        *([0] * count),
    )
    return struct.pack(">HHHHI", 0, 1, 3, 1, 12) + subtable


def scaled_font(data: bytes, scale: float, family: str, keep: range | None = None) -> bytes:
    """``data`` (a TrueType font) drawn ``scale`` times larger, named ``family``;
    with ``keep``, only those characters (the others left to other fonts)."""
    tables = {tag: table for tag, table in _tables(data).items() if tag not in _DROPPED}
    if keep is not None:
        kept = {c: g for c, g in _characters(tables["cmap"]).items() if c in keep}
        tables["cmap"] = _cmap(kept)
    head = bytearray(tables["head"])
    (units_per_em,) = struct.unpack_from(">H", head, 18)
    struct.pack_into(">H", head, 18, max(16, min(16384, round(units_per_em / scale))))
    tables["head"] = bytes(head)
    tables["name"] = _renamed(tables["name"], family)
    return write_font(tables, version=data[:4])
