"""Writing a printout: the station's fonts, and a PDF file that appears only
when it is complete."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from station_app.domain.errors import N_, UserError
from station_app.printing import FontFile, configure_fonts, font_chain
from station_app.printing.fonts import installed_system_fallbacks
from station_app.services import settings
from station_app.services.context import Context
from station_app.services.report_files import create_private

Output = Path | BinaryIO


def use_station_fonts(ctx: Context | None) -> None:
    """Print with the station's extra fonts (setting ``printing.extra_fonts``)
    after the bundled ones, then the installed system fallbacks, then any
    installed font that has the character (the chain's discovery)."""
    extra: list[str] = []
    if ctx is not None:
        with ctx.read() as session:
            extra = list(settings.value(session, ctx.station_id, "printing.extra_fonts"))
    wanted = [*(FontFile.parse(spec) for spec in extra), *installed_system_fallbacks()]
    if list(font_chain().extra) != wanted:
        configure_fonts(extra=wanted)


def write_pdf(out: Output, build: Callable[[Output], None]) -> None:
    """Run ``build`` into ``out``; a path is written through a temporary file
    beside it and renamed when complete, so a failure leaves no file."""
    if not isinstance(out, Path):
        build(out)
        return
    out = out.resolve()
    if out.is_dir():
        raise UserError(N_("{path} is a folder; give the name of the PDF file to write."), path=out)
    if not out.parent.is_dir():
        raise UserError(N_("The folder {folder} does not exist."), folder=out.parent)
    # A name of our own rather than mkstemp's, created owner-only before the
    # builder writes into it (it keeps the mode): a printout names people.
    part = out.with_name(f".{out.name}.{secrets.token_hex(4)}.part")
    try:
        create_private(part)
        build(part)
        os.replace(part, out)
    finally:
        part.unlink(missing_ok=True)
