"""The table directory of a TrueType (sfnt) font file, read and written.

Shared by the printing core (composite glyphs added to a subset,
:mod:`station_app.printing.sfnt`) and the screen's scaled Tibetan copy
(:mod:`station_app.gui.sfnt_scaling`). Pure bytes: no Qt, no font library.
"""

from __future__ import annotations

import struct

TRUETYPE = b"\x00\x01\x00\x00"  # the sfnt version of a TrueType font


def read_tables(data: bytes) -> dict[str, bytes]:
    """The tables of a single-font sfnt file, by tag."""
    (num_tables,) = struct.unpack_from(">H", data, 4)
    tables = {}
    for i in range(num_tables):
        tag, _checksum, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        tables[tag.decode("latin-1")] = data[offset : offset + length]
    return tables


def checksum(data: bytes) -> int:
    """The sfnt checksum of a table (or a whole font): its 32-bit words summed."""
    padded = data + b"\0" * (-len(data) % 4)
    words: tuple[int, ...] = struct.unpack(f">{len(padded) // 4}I", padded)
    return sum(words) & 0xFFFFFFFF


def write_font(tables: dict[str, bytes], version: bytes = TRUETYPE) -> bytes:
    """An sfnt file of ``tables`` with a correct directory and checksums
    (``head``'s checkSumAdjustment included)."""
    tags = sorted(tables)
    count = len(tags)
    entry_selector = max(count.bit_length() - 1, 0)
    search_range = 16 << entry_selector
    header = version + struct.pack(
        ">HHHH", count, search_range, entry_selector, count * 16 - search_range
    )
    offset = 12 + 16 * count
    directory = []
    body = []
    head_offset = 0
    for tag in tags:
        table = tables[tag]
        if tag == "head":
            table = table[:8] + b"\0\0\0\0" + table[12:]
            head_offset = offset
        directory.append(
            struct.pack(">4sIII", tag.encode("latin-1"), checksum(table), offset, len(table))
        )
        padded = table + b"\0" * (-len(table) % 4)
        body.append(padded)
        offset += len(padded)
    font = bytearray(header + b"".join(directory) + b"".join(body))
    adjustment = (0xB1B0AFBA - checksum(bytes(font))) & 0xFFFFFFFF
    struct.pack_into(">I", font, head_offset + 8, adjustment)
    return bytes(font)
