"""The safety log's baseline drawing: the rows' text on A4 pages with bare
reportlab (no shaping, no layout), rows spread evenly over ``pages`` pages.
Shared by the in-process baseline and the fresh-process one (which imports
only this module and reportlab, so that its clock holds no more than they
need)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, BinaryIO

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas


def draw_rows(
    out: str | BinaryIO, rows: Sequence[Sequence[Any]], font_names: Sequence[str], pages: int
) -> None:
    """Write the PDF to ``out`` in the fonts registered as ``font_names``."""
    canvas = Canvas(out, pagesize=A4, pageCompression=1, invariant=1)
    per_page = max(1, -(-len(rows) // pages))
    width, height = A4
    for p in range(pages):
        canvas.setFont(font_names[0], 14)
        canvas.drawString(40, height - 40, "安全日志")
        y = height - 70
        for row in rows[p * per_page : (p + 1) * per_page]:
            canvas.setFont(font_names[(p + int(y)) % len(font_names)], 8)
            canvas.drawString(40, y, " | ".join("" if v is None else str(v) for v in row)[:120])
            y -= 10
            if y < 40:
                y = height - 70
        canvas.drawString(width / 2, 20, f"{p + 1} / {pages}")
        canvas.showPage()
    canvas.save()
