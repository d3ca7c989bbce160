"""Append composite glyphs to a TrueType font (a HarfBuzz subset).

A shaped cluster of several glyphs (a Tibetan consonant and its vowel sign,
a mark moved by GPOS) becomes one TrueType composite glyph whose components
are the shaped glyphs at their shaped offsets, so the PDF draws it with one
character code whose ToUnicode entry is the whole cluster text. This module
only does the binary work: read the tables, add ``glyf`` records, rewrite
``loca`` (long format), ``hmtx`` (full metrics), ``hhea``, ``maxp`` and
``head``, and write the table directory with checksums.

Only the tables in :data:`KEEP_TABLES` are written: the PDF needs outlines
and metrics, not layout, hinting or bitmap tables.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence

from station_app.font_tables import read_tables, write_font

KEEP_TABLES = ("OS/2", "cmap", "glyf", "head", "hhea", "hmtx", "loca", "maxp", "name", "post")

Component = tuple[int, int, int]
"""(glyph id, x offset, y offset) in font units."""

_ARG_WORDS = 0x0001
_ARGS_XY = 0x0002
_HAVE_SCALE = 0x0008
_MORE_COMPONENTS = 0x0020
_XY_SCALE = 0x0040
_TWO_BY_TWO = 0x0080
_OVERLAP_COMPOUND = 0x0400


def glyph_records(tables: dict[str, bytes]) -> list[bytes]:
    """The ``glyf`` record of every glyph (empty for glyphs without outline)."""
    (num_glyphs,) = struct.unpack_from(">H", tables["maxp"], 4)
    (long_loca,) = struct.unpack_from(">h", tables["head"], 50)
    loca = tables["loca"]
    if long_loca:
        offsets = struct.unpack_from(f">{num_glyphs + 1}I", loca)
    else:
        offsets = tuple(2 * o for o in struct.unpack_from(f">{num_glyphs + 1}H", loca))
    glyf = tables["glyf"]
    return [glyf[offsets[i] : offsets[i + 1]] for i in range(num_glyphs)]


def components(record: bytes) -> list[Component]:
    """The components of a composite glyph record ([] for a simple glyph)."""
    if len(record) < 10 or struct.unpack_from(">h", record)[0] >= 0:
        return []
    found = []
    pos = 10
    while True:
        flags, glyph = struct.unpack_from(">HH", record, pos)
        pos += 4
        if flags & _ARG_WORDS:
            dx, dy = struct.unpack_from(">hh", record, pos)
            pos += 4
        else:
            dx, dy = struct.unpack_from(">bb", record, pos)
            pos += 2
        if not flags & _ARGS_XY:
            dx = dy = 0  # point-matched placement; not produced here
        pos += (
            2
            if flags & _HAVE_SCALE
            else 4
            if flags & _XY_SCALE
            else 8
            if flags & _TWO_BY_TWO
            else 0
        )
        found.append((glyph, dx, dy))
        if not flags & _MORE_COMPONENTS:
            return found


def _bbox(record: bytes) -> tuple[int, int, int, int] | None:
    if len(record) < 10:
        return None
    x_min, y_min, x_max, y_max = struct.unpack_from(">hhhh", record, 2)
    return x_min, y_min, x_max, y_max


def _points_contours_depth(records: list[bytes], glyph: int, seen: int = 0) -> tuple[int, int, int]:
    record = records[glyph]
    if len(record) < 10:
        return 0, 0, 0
    (contours,) = struct.unpack_from(">h", record)
    if contours >= 0:
        if contours == 0:
            return 0, 0, 0
        (last_point,) = struct.unpack_from(">H", record, 10 + 2 * (contours - 1))
        return last_point + 1, contours, 0
    if seen > 16:
        raise ValueError("composite glyphs nested too deeply")
    points = total_contours = depth = 0
    for child, _dx, _dy in components(record):
        p, c, d = _points_contours_depth(records, child, seen + 1)
        points += p
        total_contours += c
        depth = max(depth, d)
    return points, total_contours, depth + 1


def add_composites(
    font: bytes, composites: Sequence[tuple[Sequence[Component], int]]
) -> tuple[bytes, int]:
    """Append one composite glyph per ``(components, advance)``.

    Returns the new font and the glyph id of the first new glyph (the others
    follow in order).
    """
    tables = {tag: data for tag, data in read_tables(font).items() if tag in KEEP_TABLES}
    records = glyph_records(tables)
    first_new = len(records)
    hhea = bytearray(tables["hhea"])
    (num_hmetrics,) = struct.unpack_from(">H", hhea, 34)
    hmtx = tables["hmtx"]
    metrics = [struct.unpack_from(">Hh", hmtx, 4 * i) for i in range(num_hmetrics)]
    last_advance = metrics[-1][0]
    for i in range(len(records) - num_hmetrics):
        (lsb,) = struct.unpack_from(">h", hmtx, 4 * num_hmetrics + 2 * i)
        metrics.append((last_advance, lsb))

    maxp = bytearray(tables["maxp"])
    max_points, max_contours = struct.unpack_from(">HH", maxp, 10)
    max_elements, max_depth = struct.unpack_from(">HH", maxp, 28)
    head = bytearray(tables["head"])
    font_box = list(struct.unpack_from(">hhhh", head, 36))
    for parts, advance in composites:
        boxes = []
        record = bytearray(10)
        for n, (glyph, dx, dy) in enumerate(parts):
            flags = _ARG_WORDS | _ARGS_XY
            if n + 1 < len(parts):
                flags |= _MORE_COMPONENTS
            if n == 0:
                flags |= _OVERLAP_COMPOUND
            record += struct.pack(">HHhh", flags, glyph, dx, dy)
            box = _bbox(records[glyph])
            if box:
                boxes.append((box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy))
        box = (
            (
                min(b[0] for b in boxes),
                min(b[1] for b in boxes),
                max(b[2] for b in boxes),
                max(b[3] for b in boxes),
            )
            if boxes
            else (0, 0, 0, 0)
        )
        struct.pack_into(">hhhhh", record, 0, -1, *box)
        records.append(bytes(record))
        metrics.append((advance, box[0]))
        if boxes:
            font_box = [
                min(font_box[0], box[0]),
                min(font_box[1], box[1]),
                max(font_box[2], box[2]),
                max(font_box[3], box[3]),
            ]
        points, contours, depth = _points_contours_depth(records, len(records) - 1)
        max_points = max(max_points, points)
        max_contours = max(max_contours, contours)
        max_elements = max(max_elements, len(parts))
        max_depth = max(max_depth, depth)

    glyf = bytearray()
    offsets = []
    for glyph_record in records:
        offsets.append(len(glyf))
        glyf += glyph_record + b"\0" * (-len(glyph_record) % 4)
    offsets.append(len(glyf))
    tables["glyf"] = bytes(glyf)
    tables["loca"] = struct.pack(f">{len(offsets)}I", *offsets)
    tables["hmtx"] = b"".join(struct.pack(">Hh", a, lsb) for a, lsb in metrics)
    struct.pack_into(">H", hhea, 34, len(metrics))
    struct.pack_into(">H", hhea, 10, max(a for a, _ in metrics))
    tables["hhea"] = bytes(hhea)
    struct.pack_into(">H", maxp, 4, len(records))
    struct.pack_into(">HH", maxp, 10, max_points, max_contours)
    struct.pack_into(">HH", maxp, 28, max_elements, max_depth)
    tables["maxp"] = bytes(maxp)
    struct.pack_into(">hhhh", head, 36, *font_box)
    struct.pack_into(">h", head, 50, 1)
    tables["head"] = bytes(head)
    post = tables.get("post")
    if post and post[:4] == b"\x00\x02\x00\x00":  # glyph names are per glyph: drop them
        tables["post"] = b"\x00\x03\x00\x00" + post[4:32]
    return write_font(tables), first_new
