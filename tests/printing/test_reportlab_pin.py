"""Fails loudly if reportlab or uharfbuzz change what the printing core relies on.

The core does not patch reportlab. It uses reportlab's PDF object layer and
its delayed-font protocol (``embedding.py``): it appends font objects to
``doc.delayedFonts``, reportlab calls their ``addObjects(doc)`` from
``GetPDFData``, and they add themselves to the ``BasicFonts`` dictionary that
every page's resources point at. The documents' canvas
(``documents/common._PageCanvas``) keeps pages open until ``save`` by keeping
the canvas's page state (``showPage``, ``_startPage``, fresh accumulators per
page). If one of these functions changes, re-read it, re-run the whole
printing suite, then update the hash here.
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Callable
from typing import Any

import pytest
import reportlab
import uharfbuzz
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

RELIED_ON: list[tuple[Callable[..., Any], str]] = [
    (pdfdoc.PDFDocument.__init__, "cd323144e687e270"),  # makes BasicFonts, delayedFonts
    (pdfdoc.PDFDocument.GetPDFData, "d277704fa42a1062"),  # calls addObjects(doc)
    (pdfdoc.PDFResourceDictionary.basicFonts, "01a4da34cace130d"),  # pages use BasicFonts
    (pdfdoc.PDFDocument.Reference, "75342ed129b2115c"),
    (pdfdoc.PDFStream.format, "12ee5c4d2e6ac259"),  # filters, Length
    (Canvas.addLiteral, "3e82ca0b7be74781"),  # raw text operators
    (Canvas.showPage, "a9d4d3b9b7563794"),  # a page is made from the canvas's state
    (Canvas._startPage, "1b9b735f9841f397"),
    (Canvas._restartAccumulators, "5e2e913d97915312"),  # new lists for each page
    (Canvas.save, "50fd3ba8f81e953c"),
]


def test_reportlab_is_the_pinned_version() -> None:
    assert reportlab.Version == "5.1.0"


def test_reportlab_uses_its_c_accelerator() -> None:
    """rl_accel (pinned) formats the numbers and ASCII85 of every PDF; without
    it reportlab falls back to pure Python (about 0.1 s of a 31-page log)."""
    from reportlab.lib import rl_accel

    assert type(rl_accel.fp_str).__name__ == "builtin_function_or_method"
    assert type(rl_accel.asciiBase85Encode).__name__ == "builtin_function_or_method"


@pytest.mark.parametrize(
    ("function", "digest"), RELIED_ON, ids=lambda v: getattr(v, "__qualname__", "")
)
def test_reportlab_internals_relied_on_are_unchanged(
    function: Callable[..., Any], digest: str
) -> None:
    source = inspect.getsource(function)
    assert hashlib.sha256(source.encode()).hexdigest()[:16] == digest, (
        f"reportlab changed {function.__qualname__}; check embedding.py against it"
    )


def test_basic_fonts_dictionary_is_where_fonts_go() -> None:
    doc = pdfdoc.PDFDocument()
    assert isinstance(doc.idToObject[pdfdoc.BasicFonts].dict, dict)
    assert doc.delayedFonts == []


def test_uharfbuzz_is_the_pinned_version_with_the_subsetter() -> None:
    assert uharfbuzz.__version__ == "0.57.0"
    for name in ("SubsetPlan", "SubsetInput", "SubsetFlags", "SubsetInputSets"):
        assert hasattr(uharfbuzz, name)
    assert hasattr(uharfbuzz.SubsetPlan, "old_to_new_glyph_mapping")
