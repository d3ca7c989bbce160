"""Fonts and sample characters shared by the printing tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reportlab.pdfgen.canvas import Canvas

from station_app.paths import fonts_dir
from station_app.printing import FontFile

TIBETAN_FONT = fonts_dir() / "DDC_Uchen.ttf"
CHINESE_FONT = fonts_dir() / "DroidSansFallbackFull.ttf"

#: CJK Extension B is in no bundled font. AR PL UMing (Debian
#: fonts-arphic-uming, installed by .ci/run) has ~1,800 Extension B
#: characters, among them 𨋢 U+282E2 (not 𠮷 U+20BB7).
EXT_B_FONT = FontFile(Path("/usr/share/fonts/truetype/arphic/uming.ttc"), 0)
EXT_B_CHAR = "\U000282e2"

PdfMaker = Callable[[Callable[[Canvas], None]], Path]
