"""Rare characters of names: readings pypinyin lacks, and everyday substitutes.

pypinyin has no reading for some characters met in names (王𠮷), so their pinyin
and initials keys would be missing. ``extra_readings`` gives readings from the
Unicode Han database (Unihan), kept in ``data/unihan_readings.tsv.gz`` for just
the characters pypinyin does not know (made by ``tools/unihan_readings.py``;
Unihan is under the Unicode licence, ``data/LICENSE-Unicode.txt``).

Where computers or typists cannot write a rare character, people write an
everyday one in its place (𠮷 → 吉, 堃 → 坤), so the same person is recorded
both ways. ``SUBSTITUTES`` is a small table of such pairs; ``name_variants``
spells a name with them, for extra search keys and lookups.

Pure Python; the data file is read once, the first time it is needed.
"""

from __future__ import annotations

import gzip
from functools import cache
from importlib import resources

from . import pinyin_tables

DATA_FILE = "data/unihan_readings.tsv.gz"

# Rare character → what is written in its place where it cannot be typed or
# stored. Only pairs that are the same character in people's names (a variant
# form), never mere look-alikes or homophones.
SUBSTITUTES: dict[str, str] = {
    # U+20BB7, outside the BMP and GBK; Unihan lists 吉 as its variant
    # (kSpoofingVariant); 𠮷 has no reading in Unihan 15 either, so its reading
    # is 吉's (jí).
    "𠮷": "吉",
    # Variants of 哲/坤/升 in the 1955 《第一批异体字整理表》, so long written as
    # those in registers; allowed again for names only in 2013 (《通用规范汉字表》).
    # Not in GB2312, which older systems still use.
    "喆": "哲",
    "堃": "坤",
    "昇": "升",
    "陞": "升",
    # 䶮 yǎn (U+4DAE, simplified 龑; not in GBK): banks have asked holders to
    # write the traditional 龑, which input methods and GBK systems have.
    "䶮": "龑",
    # 𬱖 dí (U+2CC56, simplified 頔, the form on identity cards since 2013):
    # most input methods give only 頔, so everything but the card says 頔.
    "𬱖": "頔",
}


@cache
def _table() -> dict[str, tuple[str, ...]]:
    raw = resources.files(__package__).joinpath(DATA_FILE).read_bytes()
    out: dict[str, tuple[str, ...]] = {}
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        if line and not line.startswith("#"):
            ch, _, readings = line.partition("\t")
            out[ch] = tuple(readings.split())
    return out


def unihan_readings(ch: str) -> tuple[str, ...]:
    """Readings of ``ch`` from the shipped Unihan data (only characters pypinyin
    lacks are there): toneless pinyin, ü as ``v``, the most common first."""
    return _table().get(ch, ())


def _pypinyin_readings(ch: str) -> tuple[str, ...]:
    pinyin_tables.load()  # its phrase table held compactly
    from pypinyin import Style, pinyin

    got = pinyin(ch, style=Style.NORMAL, errors="ignore")
    return tuple(r.replace("ü", "v") for readings in got for r in readings if r)


def extra_readings(ch: str) -> tuple[str, ...]:
    """Readings of a character pypinyin has none for: the Unihan data's, else
    those of its everyday substitute (𠮷 → 吉 → ``ji``); empty when pypinyin
    knows ``ch`` or nobody does."""
    found = unihan_readings(ch)
    if found:
        return found
    sub = SUBSTITUTES.get(ch)
    if sub is None or _pypinyin_readings(ch):
        return ()
    return _pypinyin_readings(sub)


def substitute(ch: str) -> str | None:
    """The everyday character written in place of ``ch``, or None."""
    return SUBSTITUTES.get(ch)


def name_variants(name: str) -> list[str]:
    """``name`` spelt with the everyday substitutes of its rare characters
    (王𠮷 → [王吉]); empty when it has none."""
    if not any(ch in SUBSTITUTES for ch in name):
        return []
    return ["".join(SUBSTITUTES.get(ch, ch) for ch in name)]
