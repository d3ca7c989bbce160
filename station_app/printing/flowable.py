"""The wrapping paragraph as a Platypus flowable, for frames and ``Table`` cells.

Apart from ``text.py`` because importing ``reportlab.platypus`` (every
flowable, paragraphs, tables, document templates) takes about 50 ms: the
documents draw their paragraphs with :class:`~.text.TextBlock` and need
none of it.
"""

from __future__ import annotations

from typing import Self

from reportlab.platypus.flowables import Flowable

from .fonts import FontChain
from .layout import TextStyle
from .text import TextBlock


class RichParagraph(TextBlock, Flowable):  # type: ignore[misc]  # reportlab is untyped
    """A :class:`~.text.TextBlock` that is a Platypus flowable: ``wrap``,
    ``split``, ``minWidth`` and ``draw`` are the paragraph's; ``drawOn`` and
    the rest are Platypus's."""

    drawOn = Flowable.drawOn  # noqa: N815  # Platypus's name

    def __init__(
        self, text: str, style: TextStyle | None = None, *, fonts: FontChain | None = None
    ) -> None:
        Flowable.__init__(self)
        TextBlock.__init__(self, text, style, fonts=fonts)

    def _new_part(self) -> Self:
        part = super()._new_part()
        Flowable.__init__(part)
        return part
