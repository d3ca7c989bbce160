"""Independent checks of printed PDFs: text extraction and drawn glyphs.

Nothing here uses station_app.printing: the glyphs drawn are read back from
the PDF itself (content stream, /W, /CIDToGIDMap, the embedded subset font)
and matched to the original font by outline, so a bug in the printing
bookkeeping cannot hide itself.
"""

from __future__ import annotations

import re
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pdfplumber
import pypdf
import uharfbuzz as hb
from pypdf.generic import ContentStream

PRIVATE_USE = re.compile("[\ue000-\uf8ff]")


def squash(text: str) -> str:
    """Text without whitespace: line breaks may fall anywhere in wrapped text."""
    return re.sub(r"\s+", "", text)


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def extract_all(pdf: Path) -> dict[str, str]:
    """The text of the first page as poppler, pypdf and pdfplumber extract it."""
    poppler = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-l", "1", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pypdf_text = pypdf.PdfReader(pdf).pages[0].extract_text()
    with pdfplumber.open(pdf) as doc:
        plumber = doc.pages[0].extract_text()
    return {"pdftotext": poppler, "pypdf": pypdf_text, "pdfplumber": plumber}


# ---------------------------------------------------------------- glyphs


class _RecordingPen:
    def __init__(self) -> None:
        self.ops: list[tuple[Any, ...]] = []

    def moveTo(self, p: Any) -> None:
        self.ops.append(("M", *p))

    def lineTo(self, p: Any) -> None:
        self.ops.append(("L", *p))

    def qCurveTo(self, *points: Any) -> None:
        self.ops.append(("Q", *points))

    def curveTo(self, *points: Any) -> None:
        self.ops.append(("C", *points))

    def closePath(self) -> None:
        self.ops.append(("Z",))


def outline(font: hb.Font, gid: int) -> tuple[tuple[Any, ...], ...]:
    pen = _RecordingPen()
    font.draw_glyph_with_pen(gid, pen)
    return tuple(pen.ops)


def _glyf_components(face: hb.Face, gid: int) -> list[tuple[int, int, int]]:
    """The components of a composite glyph, [(gid, 0, 0)] for a simple one."""
    head = face.reference_table("head").data
    loca = face.reference_table("loca").data
    glyf = face.reference_table("glyf").data
    if struct.unpack_from(">h", head, 50)[0]:
        start, end = struct.unpack_from(">II", loca, 4 * gid)
    else:
        start, end = (2 * v for v in struct.unpack_from(">HH", loca, 2 * gid))
    record = glyf[start:end]
    if len(record) < 10 or struct.unpack_from(">h", record)[0] >= 0:
        return [(gid, 0, 0)]
    found = []
    pos = 10
    while True:
        flags, child = struct.unpack_from(">HH", record, pos)
        pos += 4
        if flags & 1:
            dx, dy = struct.unpack_from(">hh", record, pos)
            pos += 4
        else:
            dx, dy = struct.unpack_from(">bb", record, pos)
            pos += 2
        assert flags & 2, "components placed by point numbers are not expected"
        pos += 2 if flags & 8 else 4 if flags & 0x40 else 8 if flags & 0x80 else 0
        found.extend((g, x + dx, y + dy) for g, x, y in _glyf_components(face, child))
        if not flags & 0x20:
            return found


@dataclass(frozen=True)
class DrawnGlyph:
    """One glyph on the page: its font's PostScript name (no subset tag),
    its outline, and its origin in points."""

    font: str
    outline: tuple[tuple[Any, ...], ...]
    x: float
    y: float
    size: float


def _font_info(font_obj: Any) -> tuple[str, hb.Font, bytes, dict[int, float]]:
    descendant = font_obj["/DescendantFonts"][0].get_object()
    name = str(font_obj["/BaseFont"]).lstrip("/").split("+", 1)[-1]
    program = descendant["/FontDescriptor"]["/FontFile2"].get_object().get_data()
    cid_to_gid = descendant["/CIDToGIDMap"].get_object().get_data()
    widths: dict[int, float] = {}
    w = descendant["/W"]
    i = 0
    while i < len(w):
        first = int(w[i])
        if isinstance(w[i + 1], list):
            for k, value in enumerate(w[i + 1]):
                widths[first + k] = float(value)
            i += 2
        else:
            for cid in range(first, int(w[i + 1]) + 1):
                widths[cid] = float(w[i + 2])
            i += 3
    return name, hb.Font(hb.Face(program)), cid_to_gid, widths


def drawn_glyphs(pdf: Path) -> list[DrawnGlyph]:
    """Every glyph drawn by Type0 fonts on page 1, in content-stream order."""
    reader = pypdf.PdfReader(pdf)
    page = reader.pages[0]
    resources = page["/Resources"]["/Font"]
    infos: dict[str, tuple[str, hb.Font, bytes, dict[int, float]]] = {}
    result = []
    font_key = ""
    size = 0.0
    x = y = 0.0
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"Tf":
            font_key, size = str(operands[0]), float(operands[1])
        elif operator == b"Tm":
            x, y = float(operands[4]), float(operands[5])
        elif operator == b"TJ":
            font_obj = resources[font_key].get_object()
            if str(font_obj["/Subtype"]) != "/Type0":
                continue
            if font_key not in infos:
                infos[font_key] = _font_info(font_obj)
            name, subset, cid_to_gid, widths = infos[font_key]
            scale = size / subset.face.upem
            for item in operands[0]:
                if isinstance(item, (bytes, str)):
                    data = bytes(item) if isinstance(item, bytes) else item.original_bytes
                    for k in range(0, len(data), 2):
                        cid = int.from_bytes(data[k : k + 2], "big")
                        (gid,) = struct.unpack_from(">H", cid_to_gid, 2 * cid)
                        for part, dx, dy in _glyf_components(subset.face, gid):
                            result.append(
                                DrawnGlyph(
                                    name,
                                    outline(subset, part),
                                    x + dx * scale,
                                    y + dy * scale,
                                    size,
                                )
                            )
                        x += widths[cid] / 1000 * size
                else:
                    x -= float(item) / 1000 * size
    return result


def expected_glyphs(
    font_path: Path,
    text: str,
    x: float,
    y: float,
    size: float,
    *,
    index: int = 0,
    script: str | None = None,
    language: str | None = None,
) -> tuple[list[DrawnGlyph], float]:
    """What uharfbuzz makes of ``text`` at ``(x, y)``, and the pen after it."""
    font = hb.Font(hb.Face(hb.Blob.from_file_path(str(font_path)), index))
    buf = hb.Buffer()
    buf.add_str(text)
    buf.guess_segment_properties()
    if script:
        buf.script = script
    if language:
        buf.language = language
    hb.shape(font, buf, None)
    scale = size / font.face.upem
    glyphs: list[DrawnGlyph] = []
    for info, pos in zip(buf.glyph_infos, buf.glyph_positions, strict=True):
        glyphs += placed(
            font, info.codepoint, x + pos.x_offset * scale, y + pos.y_offset * scale, size
        )
        x += pos.x_advance * scale
    return glyphs, x


def placed(font: hb.Font, gid: int, x: float, y: float, size: float) -> list[DrawnGlyph]:
    """Glyph ``gid`` of ``font`` drawn at ``(x, y)``, composites split into
    their components as :func:`drawn_glyphs` reads them."""
    name = re.sub(
        r"[^A-Za-z0-9_.-]", "", font.face.get_name(hb.OTNameIdPredefined.POSTSCRIPT_NAME) or ""
    )
    scale = size / font.face.upem
    return [
        DrawnGlyph(name, outline(font, part), x + dx * scale, y + dy * scale, size)
        for part, dx, dy in _glyf_components(font.face, gid)
    ]


def same_glyphs(
    drawn: list[DrawnGlyph], expected: list[DrawnGlyph], tolerance: float = 0.01
) -> bool:
    return len(drawn) == len(expected) and all(
        d.font == e.font
        and d.outline == e.outline
        and abs(d.x - e.x) <= tolerance
        and abs(d.y - e.y) <= tolerance
        and d.size == e.size
        for d, e in zip(drawn, expected, strict=True)
    )
