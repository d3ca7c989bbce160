"""This package's own PDF font objects: one Type0 font per font and document.

Why not reportlab's ``TTFont``: it maps *characters* to 8-bit subset codes,
so glyphs that shaping produces and that have no character (Tibetan stacks)
get invented private-use code points whose ToUnicode entries point nowhere
(PRINTING.md fault 2), and it writes ToUnicode as ``<%04X>``, which breaks
characters beyond the BMP (fault 3). Patching that would tie us to its
internals. Instead each font used in a document becomes

- a ``/Type0`` font with ``/Identity-H`` encoding (2-byte codes = CIDs),
- a ``/CIDFontType2`` descendant with a ``/CIDToGIDMap`` stream and ``/W``
  widths, and a ``/FontFile2`` subset made by HarfBuzz's subsetter
  (uharfbuzz, already pinned), with hinting and layout tables dropped,
- a ``/ToUnicode`` CMap written here.

A CID is allocated per distinct *(glyphs, cluster text)* pair, not per
glyph. A cluster of one unmoved glyph uses that glyph; a cluster of several
glyphs, or one moved by GPOS, becomes one TrueType composite glyph appended
to the subset (``sfnt.py``) with the shaped offsets as component offsets.
So every code drawn maps in ToUnicode to its exact cluster text (UTF-16BE,
several characters and surrogate pairs as needed) and no code maps to
nothing: pdfplumber turns an empty ToUnicode entry into a word break (an
inserted space), so "the others map to nothing" is not safe there. No
private-use code point is ever invented.

reportlab is used only for its PDF object layer (``pdfdoc.PDFDictionary``,
``PDFStream``, ``doc.Reference``), its public ``Canvas.addLiteral`` for the
text operators, and its delayed-font protocol: an object in
``doc.delayedFonts`` gets ``addObjects(doc)`` when the PDF is written and
adds itself to the document's ``BasicFonts`` resource dictionary, exactly as
reportlab's own fonts do. ``tests/printing/test_reportlab_pin.py`` fails if
those internals change.

The font descriptor's ``/Descent`` is not the font's own: pdfminer and
pdfplumber place a character's box from ``/Descent`` and the font size and
group lines by box top, so a Tibetan run drawn 1.3 times larger than the
Chinese on the same baseline would become a line of its own. Every font
gets the descent ``-250`` (1/1000 em), and a font drawn ``scale`` times the
base size gets ``1000 * (0.75 / scale - 1)`` so that its box top is the
Chinese one; a document drawing Tibetan at two scales gets two font objects
(sharing nothing but the source font).
"""

from __future__ import annotations

import hashlib
import weakref
from typing import Any

import uharfbuzz as hb
from reportlab.pdfbase import pdfdoc

from . import sfnt
from .fonts import LoadedFont
from .shaping import Glyph

#: Descriptor descent (1/1000 em) of fonts drawn at the base size (see above).
REFERENCE_DESCENT = -250

# Tables the PDF does not need: layout, vertical and hinting metrics, bitmaps and colour.
_LAYOUT_TABLES = ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "kern", "morx", "kerx")
_METRIC_TABLES = ("vhea", "vmtx", "VORG", "hdmx", "LTSH", "VDMX", "DSIG")
_IMAGE_TABLES = ("EBDT", "EBLC", "EBSC", "CBDT", "CBLC", "sbix", "SVG ", "COLR", "CPAL")
_DROP_TABLES = _LAYOUT_TABLES + _METRIC_TABLES + _IMAGE_TABLES


def _tag(name: str) -> int:
    return int.from_bytes(name.encode("latin-1"), "big")


class EmbeddedFont:
    """The glyphs of one font used in one document, written as a Type0 font."""

    def __init__(self, font: LoadedFont, resource_name: str, scale: float) -> None:
        self.font = font
        self.resource_name = resource_name
        self.scale = scale
        self._cids: dict[tuple[tuple[Glyph, ...], str], int] = {}
        #: per CID (index 0 = CID 1): glyphs, cluster text, advance in font units
        self.entries: list[tuple[tuple[Glyph, ...], str, int]] = []
        #: ``TJ`` operators drawn with these codes, by (text, clusters) (``layout.emit``)
        self.shown: dict[tuple[str, tuple[Any, ...]], str] = {}

    def cid(self, glyphs: tuple[Glyph, ...], text: str, advance: int) -> int:
        """The code that draws ``glyphs`` and extracts as ``text``."""
        key = (glyphs, text)
        cid = self._cids.get(key)
        if cid is None:
            self.entries.append((glyphs, text, advance))
            cid = self._cids[key] = len(self.entries)
            if cid > 0xFFFF:
                raise ValueError("more than 65535 distinct clusters in one font")
        return cid

    def width(self, cid: int) -> int:
        """The advance (font units) the PDF's /W gives ``cid``."""
        return self.entries[cid - 1][2]

    # -- reportlab's delayed-font protocol ---------------------------------
    def addObjects(self, doc: Any) -> None:
        font_data, gid_of_cid = self._subset()
        digest = hashlib.sha256(font_data).digest()
        base_name = "".join(chr(65 + b % 26) for b in digest[:6]) + "+" + self.font.ps_name
        scale = 1000 / self.font.upem
        font_file = pdfdoc.PDFStream(content=font_data, filters=[pdfdoc.PDFZCompress])
        font_file.dictionary["Length1"] = len(font_data)
        x_min, y_min, x_max, y_max = self.font.bbox
        descent = min(0, round(1000 * ((1 + REFERENCE_DESCENT / 1000) / self.scale - 1)))
        descriptor = pdfdoc.PDFDictionary(
            {
                "Type": pdfdoc.PDFName("FontDescriptor"),
                "FontName": pdfdoc.PDFName(base_name),
                "Flags": 4,
                "FontBBox": pdfdoc.PDFArray(
                    [round(v * scale) for v in (x_min, y_min, x_max, y_max)]
                ),
                "ItalicAngle": self.font.italic_angle,
                "Ascent": round(self.font.ascent * scale),
                "Descent": descent,
                "CapHeight": round(self.font.cap_height * scale),
                "StemV": 80,
                "FontFile2": doc.Reference(font_file),
            }
        )
        cid_to_gid = pdfdoc.PDFStream(
            content=b"\0\0" + b"".join(g.to_bytes(2, "big") for g in gid_of_cid),
            filters=[pdfdoc.PDFZCompress],
        )
        widths = pdfdoc.PDFArray([_number(e[2] * scale) for e in self.entries])
        widths.multiline = False
        cid_font = pdfdoc.PDFDictionary(
            {
                "Type": pdfdoc.PDFName("Font"),
                "Subtype": pdfdoc.PDFName("CIDFontType2"),
                "BaseFont": pdfdoc.PDFName(base_name),
                "CIDSystemInfo": pdfdoc.PDFDictionary(
                    {
                        "Registry": pdfdoc.PDFString("Adobe"),
                        "Ordering": pdfdoc.PDFString("Identity"),
                        "Supplement": 0,
                    }
                ),
                "FontDescriptor": doc.Reference(descriptor),
                "DW": 0,
                "W": pdfdoc.PDFArray([1, widths]),
                "CIDToGIDMap": doc.Reference(cid_to_gid),
            }
        )
        to_unicode = pdfdoc.PDFStream(
            content=to_unicode_cmap([e[1] for e in self.entries]), filters=[pdfdoc.PDFZCompress]
        )
        type0 = pdfdoc.PDFDictionary(
            {
                "Type": pdfdoc.PDFName("Font"),
                "Subtype": pdfdoc.PDFName("Type0"),
                "BaseFont": pdfdoc.PDFName(base_name),
                "Encoding": pdfdoc.PDFName("Identity-H"),
                "DescendantFonts": pdfdoc.PDFArray([doc.Reference(cid_font)]),
                "ToUnicode": doc.Reference(to_unicode),
            }
        )
        doc.idToObject["BasicFonts"].dict[self.resource_name] = doc.Reference(
            type0, "HbFont:" + self.resource_name
        )

    def _subset(self) -> tuple[bytes, list[int]]:
        """The subset font and the glyph id of every CID in it."""
        used = {g for glyphs, _text, _adv in self.entries for g, _x, _y in glyphs}
        subset_input = hb.SubsetInput()
        for gid in used:
            subset_input.glyph_set.add(gid)
        subset_input.flags = hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.NO_LAYOUT_CLOSURE
        drop = subset_input.sets(hb.SubsetInputSets.DROP_TABLE_TAG)
        for name in _DROP_TABLES:
            drop.add(_tag(name))
        plan = hb.SubsetPlan(self.font.face, subset_input)
        new_gid = plan.old_to_new_glyph_mapping
        subset_data = plan.execute().blob.data

        composite_index: dict[tuple[Glyph, ...], int] = {}
        composites: list[tuple[list[sfnt.Component], int]] = []
        placement: list[tuple[bool, int]] = []  # (is composite, gid or composite index)
        for glyphs, _text, advance in self.entries:
            if len(glyphs) == 1 and glyphs[0][1] == 0 and glyphs[0][2] == 0:
                placement.append((False, new_gid[glyphs[0][0]]))
                continue
            index = composite_index.get(glyphs)
            if index is None:
                index = composite_index[glyphs] = len(composites)
                composites.append(([(new_gid[g], x, y) for g, x, y in glyphs], advance))
            placement.append((True, index))
        font_data, first_new = sfnt.add_composites(bytes(subset_data), composites)
        return font_data, [first_new + n if composite else n for composite, n in placement]


def _number(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def to_unicode_cmap(texts: list[str]) -> bytes:
    """A ToUnicode CMap mapping CID ``n`` (from 1) to ``texts[n - 1]`` in UTF-16BE."""
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        "<0000> <FFFF>",
        "endcodespacerange",
    ]
    for block in range(0, len(texts), 100):  # at most 100 entries per block
        chunk = texts[block : block + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines.extend(
            f"<{block + i + 1:04X}> <{text.encode('utf-16-be').hex().upper()}>"
            for i, text in enumerate(chunk)
        )
        lines.append("endbfchar")
    lines += [
        "endcmap",
        "CMapName currentdict /CMap defineresource pop",
        "end",
        "end",
    ]
    return "\n".join(lines).encode("ascii")


class DocumentFonts:
    """The embedded fonts of one reportlab document."""

    def __init__(self, doc: Any) -> None:
        self._doc = weakref.ref(doc)
        self.fonts: dict[tuple[LoadedFont, float], EmbeddedFont] = {}

    def embed(self, font: LoadedFont, scale: float = 1.0) -> EmbeddedFont:
        """The font object for ``font`` drawn at ``scale`` times the base size."""
        key = (font, scale)
        embedded = self.fonts.get(key)
        if embedded is None:
            doc = self._doc()
            if doc is None:
                raise RuntimeError("the PDF document is gone")
            embedded = self.fonts[key] = EmbeddedFont(font, f"HbF{len(self.fonts) + 1}", scale)
            doc.delayedFonts.append(embedded)
        return embedded


_documents: weakref.WeakKeyDictionary[Any, DocumentFonts] = weakref.WeakKeyDictionary()


def document_fonts(canvas: Any) -> DocumentFonts:
    """The embedded fonts of the document ``canvas`` draws into."""
    doc = canvas._doc
    fonts = _documents.get(doc)
    if fonts is None:
        fonts = _documents[doc] = DocumentFonts(doc)
    return fonts
