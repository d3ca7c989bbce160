"""Tibetan script ↔ Wylie (EWTS), through ``pyewts``.

The conversion is the field's own: ``pyewts`` (Esukhia, Apache-2.0) is the
Python port of the EWTS converter that Tibetan text projects use, so a name
is transliterated here exactly as a Tibetan scholar's tools would do it,
Sanskrit stacks (``pad+ma``, ``badzra``, ``hU~M``) and ambiguous syllables
(``g.yang`` / ``gyang``, ``dangs`` / ``dgas``) included. What is searched is
in ``names``; this module only converts.

EWTS is case-sensitive: ``T Th D N Sh`` are the retroflex letters of Sanskrit
(ཊ ཋ ཌ ཎ ཥ), ``A I U`` long vowels, ``M`` / ``~M`` / ``H`` marks. Search keys
lower-case the Wylie (``names.latin_key``), so a name typed in lower case on
a Chinese keyboard (``ma ni`` for མ་ཎི) is still found.

The converter is made once, on first use; both directions and the syllable
check are cached per syllable, as search keys are computed for every person
of a station.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from typing import Protocol, cast

__all__ = ["from_wylie", "is_regular", "to_wylie"]

TSHEG = "\u0f0b"
_CACHE_SIZE = 50_000  # distinct syllables; names use a few thousand
_TIBETAN_RUN = re.compile(r"[\u0f00-\u0fff]+")
_TIBETAN_CHAR = re.compile(r"[\u0f00-\u0fff]")
_SPACES = re.compile(r" +")
# Characters pyewts leaves as they are but which have a reading: ༀ is the
# ligature of ཨོཾ "oM".
_SPELLED_OUT = str.maketrans({"\u0f00": "\u0f68\u0f7c\u0f7e"})
# What a Chinese input method types for EWTS punctuation (full-width letters
# and digits are folded by NFKC).
_CHINESE_PUNCTUATION = str.maketrans({"。": ".", "／": "/", "＋": "+", "～": "~"})


class _Converter(Protocol):
    """The part of ``pyewts.pyewts`` used here (the package has no type hints)."""

    def toWylie(
        self, inputstr: str, warns: list[str] | None = None, escape: bool = True
    ) -> str: ...

    def toUnicode(self, inputstr: str, warns: list[str] | None = None) -> str: ...


@cache
def _converter() -> _Converter:
    """The EWTS converter, checking syllables strictly (for ``is_regular``)."""
    # Imported here: commands that never touch Tibetan need not load it.
    import pyewts

    return cast(_Converter, pyewts.pyewts(check=True, check_strict=True))


def _script(text: str) -> str:
    """Tibetan in the order pyewts reads and writes it: decomposed (གྷ is ག + ྷ),
    a-chung before the vowel sign (ཧཱུ), ༀ spelled out."""
    return unicodedata.normalize("NFD", text.translate(_SPELLED_OUT))


@lru_cache(maxsize=_CACHE_SIZE)
def _piece_wylie(piece: str) -> str:
    """Wylie of Tibetan script between two tshegs. A sign pyewts cannot place (a
    vowel sign with no letter under it) is dropped."""
    wylie = _converter().toWylie(_script(piece), None, False)
    return _TIBETAN_CHAR.sub("", wylie)


def to_wylie(text: str) -> str:
    """Tibetan script → Wylie (EWTS); tsheg becomes a space. Other text is kept.

    ``བཀྲ་ཤིས་སྒྲོལ་མ`` → ``bkra shis sgrol ma``, ``པདྨ`` → ``pad+ma``, ``ཧཱུྃ`` →
    ``hU~M``, ``བཀྲ་ཤིས།`` → ``bkra shis/``, ``༡༩༥༩`` → ``1959``. Runs of spaces
    become one, and the ends are trimmed.
    """
    out: list[str] = []
    end = 0
    for run in _TIBETAN_RUN.finditer(text):
        out.append(text[end : run.start()])
        out.append(" ".join(_piece_wylie(p) for p in run.group().split(TSHEG)))
        end = run.end()
    out.append(text[end:])
    return _SPACES.sub(" ", "".join(out)).strip()


def from_wylie(text: str) -> str:
    """Wylie (EWTS) → Tibetan script; a space becomes a tsheg.

    ``bkra shis sgrol ma`` → ``བཀྲ་ཤིས་སྒྲོལ་མ``, ``g.yang`` → ``གཡང`` (``gyang`` is
    གྱང), ``pad+ma`` → ``པདྨ``. Case matters: ``ma Ni`` is མ་ཎི, ``ma ni`` མ་ནི.
    Full-width letters and the ideographic full stop of a Chinese input method
    are read as their ASCII forms. The script is decomposed (NFD, as
    ``to_wylie`` reads it).
    """
    text = unicodedata.normalize("NFKC", text).translate(_CHINESE_PUNCTUATION)
    if text.startswith("M"):
        # pyewts 1.0.0 lower-cases a leading M itself but keeps only the next
        # character ("Mani" → མ) and fails on "M" alone: do it for it.
        text = "m" + text[1:]
    return _converter().toUnicode(text)


@lru_cache(maxsize=_CACHE_SIZE)
def is_regular(syllable: str) -> bool:
    """Whether ``syllable`` (Tibetan script, no tsheg) is well formed, so that its
    Wylie means something.

    pyewts transliterates it, then reads its own Wylie back checking the
    syllable strictly (prefix, superscript, subscript, suffixes, which letter
    is the root); regular is: no warning either way, every sign placed, and the
    same script back. Plain syllables (བསྒྲུབས), Sanskrit stacks (པདྨ, ཧཱུྃ) and
    syllables typed without tsheg (བཀྲཤིས, ``bkrashis``) are regular; a vowel
    sign on no letter, a subjoined letter after the vowel, two visargas are not.
    """
    script = _script(syllable)
    if not script or TSHEG in script:
        return False
    converter = _converter()
    warnings: list[str] = []
    wylie = converter.toWylie(script, warnings, False)
    if warnings or not wylie or _TIBETAN_CHAR.search(wylie):
        return False
    back = converter.toUnicode(wylie, warnings)
    return not warnings and back == script
