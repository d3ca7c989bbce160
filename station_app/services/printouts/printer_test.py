"""The printer test page: both scripts, rare characters, the fonts in use."""

from __future__ import annotations

from collections.abc import Sequence

from station_app.printing import documents
from station_app.printing.content import TestPage
from station_app.services.context import Context

from .common import heading
from .output import Output, use_station_fonts, write_pdf


def print_test_page(ctx: Context | None, lines: Sequence[str], out: Output) -> TestPage:
    """Print the printer test page (with the station's names when ``ctx`` is given)."""
    station = None
    if ctx is not None:
        with ctx.read() as session:
            station = heading(session, ctx.station_id)
    page = TestPage(lines=tuple(lines), station=station)
    use_station_fonts(ctx)
    write_pdf(out, lambda target: documents.build_test_page(page, target))
    return page
