"""A printed page as a picture: the first page of a PDF rendered with pdfium
(the renderer of the print preview) at a given width in pixels, as PNG.

pdfium is not thread-safe, even across documents: every call into it, here
and in the screens' preview, holds :data:`PDFIUM`.
"""

from __future__ import annotations

import io

import pypdfium2 as pdfium
from PIL import Image

from station_app.pdfium_lock import PDFIUM


def page_png(pdf: bytes, width: int) -> bytes:
    """The first page of ``pdf``, ``width`` pixels wide (height to scale), as PNG
    on a white background."""
    with PDFIUM:
        document = pdfium.PdfDocument(pdf)
        try:
            page = document[0]
            try:
                points = page.get_width()
                bitmap = page.render(scale=width / points, fill_color=(255, 255, 255, 255))
                picture = bitmap.to_pil().convert("RGB")
            finally:
                page.close()
        finally:
            document.close()
    if picture.width != width:  # pdfium rounds the size; the target is exact
        height = round(picture.height * width / picture.width)
        picture = picture.resize((width, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    picture.save(out, "PNG", optimize=True)
    return out.getvalue()
