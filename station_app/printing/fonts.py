"""The font chain: which font prints which character.

Each character is printed with the first font of its script's list whose
cmap has it:

- Tibetan (U+0F00–U+0FFF): the bundled DDC Uchen, then the extra fonts.
- Latin (U+0000–U+024F, U+1E00–U+1EFF): the Latin face, then the bundled
  Droid Sans Fallback, then the extra fonts. The Latin face is the bundled
  DejaVu Sans: Droid Sans Fallback has almost no ASCII, and DDC Uchen's
  Latin is a serif that clashes with the sans-serif Chinese. Bundling it
  keeps printed pages the same on every PC.
- everything else (Han, CJK punctuation, full-width forms): Droid Sans
  Fallback, then the Latin face, then the extra fonts.

Extra fonts are system font files (``FontFile(path, index)``; ``index``
picks the face of a ``.ttc`` collection), by default the installed ones of
:data:`SYSTEM_FALLBACKS` (AR PL UMing has part of CJK Extension B, which no
bundled font has). Fonts must have TrueType outlines (``glyf``); CFF fonts
such as Noto Sans CJK are refused with :class:`UnusableFont`.

After all of them, the process-wide chain (``discover=True``) falls back,
as word processors do, to any installed font that has the character
(``font_discovery.py``: fontconfig, the Windows or macOS font folders). It
asks only for characters the chain lacks; the fonts so found are listed in
:attr:`FontChain.discovered`, and the printer test page shows them.

A font is read once per process (:func:`load_font`, cached) and then shared
by all documents; nothing is registered with ``reportlab.pdfmetrics``
because the text is drawn with this package's own PDF font objects
(``embedding.py``).

Characters that no font of the chain has are never printed as blank boxes:
:func:`uncovered` lists them and :func:`check_printable` raises
:class:`MissingGlyphs` (a :class:`UserError`) before anything is drawn.
"""

from __future__ import annotations

import os
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import uharfbuzz as hb

from station_app.domain.errors import N_, UserError
from station_app.paths import fonts_dir

TIBETAN_FONT_FILE = "DDC_Uchen.ttf"
CHINESE_FONT_FILE = "DroidSansFallbackFull.ttf"
LATIN_FONT_FILE = "DejaVuSans.ttf"  # bundled, so print looks the same on every PC


@dataclass(frozen=True)
class FontFile:
    """A font file and, for a ``.ttc`` collection, the index of the face."""

    path: Path
    index: int = 0

    @classmethod
    def parse(cls, text: str) -> FontFile:
        """``"/path/font.ttc#2"`` or ``"/path/font.ttf"`` (the form kept in settings)."""
        match = re.fullmatch(r"(.*)#(\d+)", text)
        if match:
            return cls(Path(match.group(1)), int(match.group(2)))
        return cls(Path(text))

    def __str__(self) -> str:
        return f"{self.path}#{self.index}" if self.index else str(self.path)


#: System fonts used after the bundled ones when installed. UMing CN (face 0
#: of the collection, mainland glyph forms) covers ~1,800 Extension B
#: characters; install Debian ``fonts-arphic-uming``.
SYSTEM_FALLBACKS: tuple[FontFile, ...] = (
    FontFile(Path("/usr/share/fonts/truetype/arphic/uming.ttc"), 0),
    FontFile(Path("/usr/share/fonts/truetype/arphic/ukai.ttc"), 0),
)

FontSpec = FontFile | str | os.PathLike[str] | tuple[str | os.PathLike[str], int]


def _as_font_file(spec: FontSpec) -> FontFile:
    if isinstance(spec, FontFile):
        return spec
    if isinstance(spec, tuple):
        return FontFile(Path(spec[0]), spec[1])
    return FontFile(Path(spec))


class MissingGlyphs(UserError):
    """Text holds characters that no configured font can print."""

    def __init__(self, characters: Sequence[str]) -> None:
        self.characters = list(characters)
        listed = ", ".join(f"U+{ord(c):04X} {c}" for c in self.characters)
        super().__init__(
            N_(
                "No font can print these characters: {characters}. No font installed on "
                "this computer has them either. Change the text, or install a font that "
                "has them (for rare name characters e.g. SimSun-ExtB, HanaMinB or AR PL "
                "UMing) and print again."
            ),
            characters=listed,
        )


class UnusableFont(UserError):
    """A configured font file cannot be used for printing."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(
            N_("The font file {path} cannot be used for printing: {reason}"),
            path=path,
            reason=reason,
        )


class LoadedFont:
    """One font face read into memory, with what shaping and the PDF need.

    Metrics are in font units (``upem`` per em); ``descent`` is negative.
    Compared by identity: :func:`load_font` returns one object per file.
    """

    __slots__ = (
        "ascent",
        "bbox",
        "cap_height",
        "coverage",
        "descent",
        "face",
        "file",
        "hb_font",
        "italic_angle",
        "ps_name",
        "upem",
    )

    def __init__(self, file: FontFile) -> None:
        self.file = file
        try:
            blob = hb.Blob.from_file_path(str(file.path))
        except Exception as exc:  # uharfbuzz raises its own errors for I/O
            raise UnusableFont(str(file), str(exc)) from exc
        face = hb.Face(blob, file.index)
        tags = set(face.table_tags)
        if "glyf" not in tags:
            reason = "no TrueType outlines (CFF fonts are not supported)" if tags else "not a font"
            raise UnusableFont(str(file), reason)
        self.face = face
        self.hb_font = hb.Font(face)  # scale = upem: shaping gives font units
        self.upem: int = face.upem
        self.coverage: frozenset[int] = frozenset(face.unicodes)
        extents = self.hb_font.get_font_extents("ltr")
        self.ascent: int = extents.ascender
        self.descent: int = extents.descender
        self.cap_height: int = self.hb_font.get_metric_position_with_fallback(
            hb.OTMetricsTag.CAP_HEIGHT
        )
        head = face.reference_table("head").data
        self.bbox = tuple(
            int.from_bytes(head[i : i + 2], "big", signed=True) for i in (36, 38, 40, 42)
        )
        post = face.reference_table("post").data
        self.italic_angle = int.from_bytes(post[4:8], "big", signed=True) / 65536 if post else 0.0
        name = face.get_name(hb.OTNameIdPredefined.POSTSCRIPT_NAME) or file.path.stem
        self.ps_name = re.sub(r"[^A-Za-z0-9_.-]", "", name) or "Font"

    def has(self, code_point: int) -> bool:
        return code_point in self.coverage

    def __repr__(self) -> str:
        return f"<LoadedFont {self.ps_name} {self.file}>"


_load_lock = threading.Lock()
_loaded: dict[FontFile, LoadedFont] = {}


def load_font(file: FontSpec) -> LoadedFont:
    """The font read from ``file``; read once per process."""
    key = _as_font_file(file)
    font = _loaded.get(key)
    if font is None:
        with _load_lock:
            font = _loaded.get(key)
            if font is None:
                font = _loaded[key] = LoadedFont(key)
    return font


def bundled_font(name: str) -> FontFile:
    return FontFile(fonts_dir() / name)


def default_latin_font() -> FontFile:
    bundled = bundled_font(LATIN_FONT_FILE)
    if bundled.path.is_file():
        return bundled
    return bundled_font(TIBETAN_FONT_FILE)  # a damaged install: serif Latin, still legible


def installed_system_fallbacks() -> list[FontFile]:
    return [f for f in SYSTEM_FALLBACKS if f.path.is_file()]


def is_tibetan(code_point: int) -> bool:
    return 0x0F00 <= code_point <= 0x0FFF


def _is_latin(code_point: int) -> bool:
    return code_point < 0x0250 or 0x1E00 <= code_point <= 0x1EFF


def is_ignorable(char: str) -> bool:
    """Whitespace, controls, format characters and variation selectors.

    They need no glyph of their own: spaces take the space of the
    neighbouring font and HarfBuzz hides format characters.
    """
    if char.isspace():
        return True
    category = unicodedata.category(char)
    if category in ("Cc", "Cf"):
        return True
    cp = ord(char)
    return 0xFE00 <= cp <= 0xFE0F or 0xE0100 <= cp <= 0xE01EF


class FontChain:
    """Fonts per script; the first font whose cmap has a character prints it.

    Fonts are loaded on first need, so an extra font of 20 MB is read only
    when a character is not in the bundled fonts. With ``discover``, a
    character none of them has is looked for in the installed fonts.
    """

    def __init__(
        self,
        *,
        tibetan: FontSpec | None = None,
        chinese: FontSpec | None = None,
        latin: FontSpec | None = None,
        extra: Iterable[FontSpec] = (),
        discover: bool = False,
    ) -> None:
        self.tibetan = _as_font_file(tibetan) if tibetan else bundled_font(TIBETAN_FONT_FILE)
        self.chinese = _as_font_file(chinese) if chinese else bundled_font(CHINESE_FONT_FILE)
        self.latin = _as_font_file(latin) if latin else default_latin_font()
        self.extra = tuple(_as_font_file(f) for f in extra)
        self.discover = discover
        self._by_code_point: dict[int, LoadedFont | None] = {}
        self._discovered: dict[FontFile, None] = {}

    @property
    def discovered(self) -> tuple[FontFile, ...]:
        """Installed fonts found for characters the chain lacked, in the
        order of preference (see ``font_discovery.preference``)."""
        from station_app.printing.font_discovery import preference

        return tuple(sorted(self._discovered, key=preference))

    def fonts_for(self, code_point: int) -> tuple[FontFile, ...]:
        """The files tried for ``code_point``, in order."""
        if is_tibetan(code_point):
            return (self.tibetan, *self.extra)
        if _is_latin(code_point):
            return (self.latin, self.chinese, *self.extra)
        return (self.chinese, self.latin, *self.extra)

    def font_for(self, code_point: int) -> LoadedFont | None:
        """The font that prints ``code_point``, or ``None`` if none has it."""
        try:
            return self._by_code_point[code_point]
        except KeyError:
            pass
        found = None
        for file in self.fonts_for(code_point):
            font = load_font(file)
            if font.has(code_point):
                found = font
                break
        if found is None and self.discover:
            found = self._discover(code_point)
        self._by_code_point[code_point] = found
        return found

    def _discover(self, code_point: int) -> LoadedFont | None:
        from station_app.printing.font_discovery import installed_fonts_with

        tried = set(self.fonts_for(code_point))
        for file in installed_fonts_with(code_point):
            if file in tried:
                continue
            try:
                font = load_font(file)
            except UnusableFont:
                continue  # e.g. CFF outlines behind a .ttf name: not embeddable
            if font.has(code_point):
                self._discovered[file] = None
                return font
        return None

    def uncovered(self, text: str) -> list[str]:
        """Characters of ``text`` that no font has, each once, in order of appearance."""
        missing: dict[str, None] = {}
        for char in text:
            if char not in missing and not is_ignorable(char) and self.font_for(ord(char)) is None:
                missing[char] = None
        return list(missing)

    def validate(self) -> None:
        """Load every font now, raising :class:`UnusableFont` for a bad file."""
        for file in (self.tibetan, self.chinese, self.latin, *self.extra):
            load_font(file)


_chain_lock = threading.Lock()
_chain: FontChain | None = None


def configure_fonts(
    extra: Iterable[FontSpec] | None = None,
    *,
    latin: FontSpec | None = None,
    discover: bool = True,
) -> FontChain:
    """Set the process-wide chain: extra font files (default: installed
    :data:`SYSTEM_FALLBACKS`), optionally another Latin face, and (unless
    ``discover`` is false) any installed font for characters they lack.

    Raises :class:`UnusableFont` if a file cannot be used.
    """
    global _chain
    chain = FontChain(
        latin=latin,
        extra=installed_system_fallbacks() if extra is None else extra,
        discover=discover,
    )
    chain.validate()
    with _chain_lock:
        _chain = chain
    return chain


def font_chain() -> FontChain:
    """The process-wide chain (bundled fonts + installed system fallbacks +
    discovery of installed fonts by default)."""
    global _chain
    chain = _chain
    if chain is None:
        with _chain_lock:
            if _chain is None:
                _chain = FontChain(extra=installed_system_fallbacks(), discover=True)
            chain = _chain
    return chain


def uncovered(text: str, chain: FontChain | None = None) -> list[str]:
    """Characters of ``text`` that no configured font can print (whitespace ignored)."""
    return (chain or font_chain()).uncovered(text)


def check_printable(texts: Iterable[str], chain: FontChain | None = None) -> None:
    """Raise :class:`MissingGlyphs` listing every unprintable character of ``texts``.

    Document builders call this with all their texts before drawing, so the
    user hears about every missing character at once.
    """
    chain = chain or font_chain()
    texts = list(texts)
    if not chain.uncovered("".join(set().union(*texts))):
        return  # each distinct character checked once; the usual case
    missing: dict[str, None] = {}
    for text in texts:  # in order of appearance, as the message lists them
        missing.update(dict.fromkeys(chain.uncovered(text)))
    raise MissingGlyphs(list(missing))
