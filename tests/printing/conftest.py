"""Fixtures of the printing tests: font chains and a PDF canvas in a temp dir."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from station_app.printing import FontChain

from .samples import EXT_B_FONT, PdfMaker


@pytest.fixture(scope="session")
def chain() -> FontChain:
    """Bundled fonts only (plus the system Latin face), whatever is configured."""
    return FontChain(extra=())


@pytest.fixture(scope="session")
def ext_b_chain() -> FontChain:
    if not EXT_B_FONT.path.is_file():
        pytest.fail(
            f"needs {EXT_B_FONT.path}: install the Debian package fonts-arphic-uming "
            "(`bash .ci/run` installs everything the tests need)"
        )
    return FontChain(extra=[EXT_B_FONT])


@pytest.fixture
def make_pdf(tmp_path: Path) -> PdfMaker:
    """``make_pdf(draw)``: an A4 PDF whose page ``draw(canvas)`` filled."""
    count = 0

    def build(draw: Callable[[Canvas], None]) -> Path:
        nonlocal count
        count += 1
        path = tmp_path / f"page{count}.pdf"
        canvas = Canvas(str(path), pagesize=A4)
        draw(canvas)
        canvas.showPage()
        canvas.save()
        return path

    return build
