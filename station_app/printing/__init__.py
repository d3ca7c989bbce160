"""Printed documents: reportlab, font chain, complex-script shaping.

This is the printing core the documents (intake form, notices, contact
cards) are built on. Stock reportlab breaks Tibetan in five ways
(``/work/shared/PRINTING.md``); none of its text machinery is used here.
Text is itemized into runs per font, shaped with uharfbuzz, and drawn with
this package's own Type0 font objects whose ToUnicode maps every drawn code
to its exact HarfBuzz cluster text, so every PDF is searchable in both
scripts.

How the five faults of stock reportlab (PRINTING.md) are avoided
----------------------------------------------------------------

1. ``drawString(shaping=True)`` needs rlbidi: text is shaped here with
   uharfbuzz (``shaping.py``) and drawn as glyph codes (``layout.emit``).
2. Stacks lost in copy/search: codes are allocated per HarfBuzz cluster and
   ToUnicode maps each to its exact cluster text; several glyphs of one
   cluster become one composite glyph, so no code maps to nothing and no
   private-use code point exists (``embedding.py``, ``sfnt.py``).
3. Characters beyond the BMP: ToUnicode is written as UTF-16BE, with
   surrogate pairs (``embedding.to_unicode_cmap``).
4. Shaping twice on re-wrap: a paragraph is shaped once from its source
   text; ``wrap`` only breaks lines (``layout.PreparedLine``).
5. Mixed-script words: text is split into runs per font before shaping
   (``shaping.itemize``).

API for document builders
-------------------------

``check_printable(texts, chain=None) -> None``
    Raise :class:`MissingGlyphs` (a ``UserError``; ``.characters`` lists
    them, the message shows ``U+XXXX c``) for every character of ``texts``
    no font has. Call it first with all texts of a document, so the user
    learns about all missing characters at once and nothing is drawn.
``uncovered(text, chain=None) -> list[str]``
    The same check, returning the characters.
``draw_text(canvas, x, y, text, size, *, align="left", max_width=None,
tibetan_scale=1.3, fonts=None) -> float``
    One line on a reportlab canvas, baseline at ``y``; ``x`` is the left
    edge/centre/right edge by ``align``. Tibetan is drawn at
    ``size * tibetan_scale``. Too wide for ``max_width``: drawn smaller.
    Uses the canvas fill colour. Returns the width drawn.
``text_width(text, size, *, tibetan_scale=1.3, fonts=None) -> float``
    Width of that line in points.
``RichParagraph(text, style=None, *, fonts=None)``
    A Platypus flowable for frames and ``Table`` cells: wraps Chinese
    between characters (kinsoku), Tibetan after tsheg/shad, Latin at spaces;
    ``\\n`` breaks lines; splits across pages. ``wrap`` is idempotent.
    Imported on first use (it loads ``reportlab.platypus``, ~50 ms).
``TextBlock(text, style=None, *, fonts=None)``
    The same paragraph without Platypus: ``wrap``, ``split`` and
    ``drawOn(canvas, x, y)`` as a flowable has them (the documents use it).
``TextStyle(size=10.5, tibetan_scale=1.3, line_height=1.4,
tibetan_line_height=1.6, align="left", color=None, space_before=0, space_after=0)``
    Frozen; ``dataclasses.replace(style, size=14)`` makes variants.
``configure_fonts(extra=None, *, latin=None, discover=True) -> FontChain``
    Set the process-wide font chain: extra font files (``FontFile(path,
    index)``, a path, ``(path, index)``; settings may store
    ``FontFile.parse("/x/uming.ttc#0")``), by default the installed
    :data:`SYSTEM_FALLBACKS`; with ``discover``, then any installed font
    that has a character they lack (``font_discovery.py``). Raises
    :class:`UnusableFont` for a file that is not a TrueType-outline font.
``font_chain() -> FontChain``; ``FontChain(tibetan=, chinese=, latin=, extra=, discover=False)``
    The chain in use (discovering) / a chain of one's own (pass it as ``fonts=``).

Rules for builders
------------------

- Draw all text through ``draw_text``, ``TextBlock`` or ``RichParagraph``; never
  ``canvas.drawString``, reportlab ``Paragraph`` or plain strings in
  ``Table`` cells (those use reportlab's fonts and break Tibetan).
- Give tables explicit ``colWidths``.
- Fonts load lazily once per process (first use costs ~0.1 s); each
  document embeds only the glyphs it uses, compressed.
- Canvas state: ``draw_text`` wraps its operators in ``q``/``Q`` and resets
  the text state, so it mixes freely with other canvas drawing.

Modules: ``fonts`` (chain, coverage, errors), ``shaping`` (runs, HarfBuzz
clusters), ``linebreak`` (break rules), ``layout`` (lines, metrics, PDF text
operators), ``embedding`` (Type0 fonts, subsets, ToUnicode; why not
reportlab's TTFont), ``sfnt`` (composite glyphs), ``text`` (public drawing
API), ``flowable`` (``RichParagraph``).
"""

from typing import TYPE_CHECKING, Any

from reportlab import rl_config

from .fonts import (
    SYSTEM_FALLBACKS,
    FontChain,
    FontFile,
    MissingGlyphs,
    UnusableFont,
    check_printable,
    configure_fonts,
    font_chain,
    uncovered,
)
from .layout import TIBETAN_SCALE, TIBETAN_SCALE_RANGE, TextStyle
from .text import TextBlock, draw_text, text_width

if TYPE_CHECKING:
    from .flowable import RichParagraph

# Streams Flate-compressed and written as binary. reportlab's default wraps
# every compressed stream in ASCII85 (a quarter larger, and slower to write) so
# a PDF survives 7-bit channels; ours are saved to files and sent to printers.
# reportlab reads the setting as each stream is written: every PDF this process
# makes is binary.
rl_config.useA85 = 0


def __getattr__(name: str) -> Any:
    if name == "RichParagraph":  # loads reportlab.platypus (~50 ms): only when asked for
        from .flowable import RichParagraph

        return RichParagraph
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "SYSTEM_FALLBACKS",
    "TIBETAN_SCALE",
    "TIBETAN_SCALE_RANGE",
    "FontChain",
    "FontFile",
    "MissingGlyphs",
    "RichParagraph",
    "TextBlock",
    "TextStyle",
    "UnusableFont",
    "check_printable",
    "configure_fonts",
    "draw_text",
    "font_chain",
    "text_width",
    "uncovered",
]
