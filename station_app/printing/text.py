"""Mixed Chinese/Tibetan/Latin text: direct drawing and wrapping paragraphs.

``draw_text``/``text_width`` draw and measure one line on a canvas (labels
of forms and cards). :class:`TextBlock` is a wrapping paragraph drawn at a
place on a canvas (the documents' pen); ``flowable.RichParagraph`` is the
same paragraph as a Platypus flowable for frames and table cells, in a
module of its own so that only code that uses Platypus pays for importing
it (``reportlab.platypus`` takes about 50 ms to import). Both raise
:class:`~.fonts.MissingGlyphs` before drawing anything if a character has no
font.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Self

from .fonts import FontChain, font_chain
from .layout import TIBETAN_SCALE, Align, Line, PreparedLine, TextStyle, emit, line_start
from .shaping import clean_text

_Position = tuple[int, int]  # (source line, item)


@lru_cache(maxsize=4096)
def _single_line(text: str, size: float, tibetan_scale: float, chain: FontChain) -> Line:
    text = clean_text(text)
    if "\n" in text:
        raise ValueError("draw_text draws one line; use RichParagraph for several")
    style = TextStyle(size=size, tibetan_scale=tibetan_scale)
    prepared = PreparedLine(text, style, chain)
    return prepared.make_line(0, len(prepared), style, trim=False)


@lru_cache(maxsize=4096)
def _prepared(
    text: str, size: float, tibetan_scale: float, chain: FontChain
) -> tuple[PreparedLine, ...]:
    """The source lines of a paragraph's text, shaped. Prepared lines are never
    changed, so paragraphs of the same text and size share them (a table
    repeats its header and many of its cells)."""
    style = TextStyle(size=size, tibetan_scale=tibetan_scale)
    return tuple(PreparedLine(part, style, chain) for part in clean_text(text).split("\n"))


def text_width(
    text: str, size: float, *, tibetan_scale: float = TIBETAN_SCALE, fonts: FontChain | None = None
) -> float:
    """Width in points of ``text`` drawn by :func:`draw_text` at ``size``."""
    return _single_line(text, size, tibetan_scale, fonts or font_chain()).width


def draw_text(
    canvas: Any,
    x: float,
    y: float,
    text: str,
    size: float,
    *,
    align: Align = "left",
    max_width: float | None = None,
    tibetan_scale: float = TIBETAN_SCALE,
    fonts: FontChain | None = None,
) -> float:
    """Draw one line of text with its baseline at ``y``; return its width.

    ``x`` is the left edge, the centre or the right edge for ``align``
    ``"left"``, ``"center"``, ``"right"`` (like ``drawString``,
    ``drawCentredString``, ``drawRightString``). Chinese and Latin are drawn
    at ``size``, Tibetan at ``size * tibetan_scale``. Text wider than
    ``max_width`` is drawn smaller to fit, never clipped. The colour is the
    canvas's fill colour.
    """
    chain = fonts or font_chain()
    line = _single_line(text, size, tibetan_scale, chain)
    if max_width is not None and line.width > max_width > 0:
        line = _single_line(text, size * max_width / line.width, tibetan_scale, chain)
    emit(canvas, line_start(x, line.width, align), y, line.pieces)
    return line.width


class TextBlock:
    """A paragraph of mixed Chinese, Tibetan and Latin text.

    Wraps within the width it is given (Chinese between characters with
    kinsoku, Tibetan after tsheg or shad, Latin at spaces); ``\\n`` starts a
    new line. The text is shaped once, when the paragraph is made; ``wrap``
    only breaks lines and may be called any number of times with any widths
    (tables do). ``split`` continues it on the next page. ``drawOn`` draws it
    as a Platypus flowable's does; :class:`~.flowable.RichParagraph` is one.
    """

    canv: Any  # the canvas while drawing

    def __init__(
        self, text: str, style: TextStyle | None = None, *, fonts: FontChain | None = None
    ) -> None:
        self.text = text
        self.style = style or TextStyle()
        chain = fonts or font_chain()
        self._source = _prepared(text, self.style.size, self.style.tibetan_scale, chain)
        self._start: _Position = (0, 0)
        self._end: _Position = (len(self._source) - 1, len(self._source[-1]))
        self._layouts: dict[float, list[tuple[_Position, Line]]] = {}
        self._lines: list[tuple[_Position, Line]] = []
        self.spaceBefore = self.style.space_before
        self.spaceAfter = self.style.space_after
        self.width = 0.0
        self.height = 0.0

    def _new_part(self) -> Self:
        """An empty instance of this class, to be filled in by :meth:`_part`."""
        return self.__class__.__new__(self.__class__)

    def _part(self, start: _Position, end: _Position) -> Self:
        part = self._new_part()
        part.text = self.text
        part.style = self.style
        part._source = self._source
        part._start, part._end = start, end
        part._layouts, part._lines = {}, []
        part.spaceBefore = self.spaceBefore if start == self._start else 0.0
        part.spaceAfter = self.spaceAfter if end == self._end else 0.0
        part.width = part.height = 0.0
        return part

    def _ranges(self) -> list[tuple[int, int, int]]:
        """(source line, first item, end item) of the part this paragraph shows."""
        (first_line, first_item), (last_line, last_item) = self._start, self._end
        return [
            (
                n,
                first_item if n == first_line else 0,
                last_item if n == last_line else len(self._source[n]),
            )
            for n in range(first_line, last_line + 1)
        ]

    def _layout(self, width: float) -> list[tuple[_Position, Line]]:
        lines = self._layouts.get(width)
        if lines is None:
            lines = []
            for n, start, end in self._ranges():
                for a, line in self._source[n].lines(start, end, width, self.style):
                    lines.append(((n, a), line))
            self._layouts[width] = lines
        return lines

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        self._lines = self._layout(availWidth)
        self.width = availWidth
        self.height = sum(line.ascent + line.descent for _, line in self._lines)
        return self.width, self.height

    def minWidth(self) -> float:
        return max(self._source[n].min_width(a, b) for n, a, b in self._ranges())

    def split(self, availWidth: float, availHeight: float) -> list[Self]:  # noqa: N803
        if availWidth <= 0 or availHeight <= 0:
            return []
        lines = self._layout(availWidth)
        used = 0.0
        fit = 0
        for _, line in lines:
            if used + line.ascent + line.descent > availHeight + 1e-6:
                break
            used += line.ascent + line.descent
            fit += 1
        if fit == 0:
            return []
        if fit == len(lines):
            return [self]
        cut = lines[fit][0]
        source_line, item = cut
        first_end = (source_line - 1, len(self._source[source_line - 1])) if item == 0 else cut
        return [self._part(self._start, first_end), self._part(cut, self._end)]

    def drawOn(self, canvas: Any, x: float, y: float) -> None:  # Platypus's name
        """Draw the paragraph with its bottom left corner at (x, y), after :meth:`wrap`."""
        canvas.saveState()
        canvas.translate(x, y)
        self.canv = canvas
        self.draw()
        del self.canv
        canvas.restoreState()

    def draw(self) -> None:
        canvas = self.canv
        style = self.style
        if style.color is not None:
            canvas.saveState()
            canvas.setFillColor(style.color)
        anchor = {"left": 0.0, "center": self.width / 2, "right": self.width}[style.align]
        y = self.height
        for _, line in self._lines:
            y -= line.ascent
            emit(canvas, line_start(anchor, line.width, style.align), y, line.pieces)
            y -= line.descent
        if style.color is not None:
            canvas.restoreState()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.text[:40]!r})"


def __getattr__(name: str) -> Any:
    if name == "RichParagraph":  # loads reportlab.platypus: only when asked for
        from .flowable import RichParagraph

        return RichParagraph
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
