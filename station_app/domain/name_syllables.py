"""The Tibetan syllables behind the Chinese spellings of Tibetan names.

One Tibetan name reaches Chinese documents in several spellings: ཚེ་རིང is
次仁, 泽仁 or 才让 (a Lhasa, a Kham and an Amdo ear), བློ་བཟང is 洛桑 or 罗桑.
``resources/tibetan_name_syllables.tsv`` lists the syllables common in names
with their Wylie and the Chinese characters that spell them (sources and
status in ``resources/tibetan_name_syllables.md``). From it a Chinese name
whose every character spells a name syllable is read back as the Tibetan
syllables it can stand for, written as Wylie letters (``latin_key`` form), so
that 次仁, 泽仁, 才让, ཚེ་རིང and ``tshe ring`` all meet at the key
``tshering``.
"""

from __future__ import annotations

import csv
import heapq
from dataclasses import dataclass
from functools import cache

from station_app.domain import pinyin_tables
from station_app.paths import resources_dir

TABLE_FILE = "tibetan_name_syllables.tsv"
MAX_SPELLINGS = 4  # Tibetan readings of one Chinese name, at most
_COLUMNS = ("tibetan", "wylie", "chinese", "sources", "status", "notes")


@dataclass(frozen=True)
class NameSyllable:
    """One row of the table."""

    tibetan: str
    wylie: str
    chinese: tuple[str, ...]  # single characters, the most common spelling first
    sources: tuple[str, ...]
    status: str  # A attested, D derived, U unverified
    notes: str


@cache
def syllable_table() -> tuple[NameSyllable, ...]:
    """The rows of the table, in file order."""
    path = resources_dir() / TABLE_FILE
    rows: list[NameSyllable] = []
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t")
        header = next(reader)
        if tuple(h.strip() for h in header[: len(_COLUMNS)]) != _COLUMNS:
            raise ValueError(f"{path.name}: unexpected header {header!r}")
        for cells in reader:
            if not cells or not "".join(cells).strip():
                continue
            cells = [*cells, *[""] * (len(_COLUMNS) - len(cells))]
            rows.append(
                NameSyllable(
                    tibetan=cells[0].strip(),
                    wylie=cells[1].strip(),
                    chinese=tuple(cells[2].split()),
                    sources=tuple(s.strip() for s in cells[3].split(",") if s.strip()),
                    status=cells[4].strip(),
                    notes=cells[5].strip(),
                )
            )
    return tuple(rows)


def _letters(wylie: str) -> str:
    from .names import latin_key  # names imports this module lazily too

    return latin_key(wylie)


@cache
def _readings_of_characters() -> dict[str, tuple[str, ...]]:
    """Chinese character → the syllables (Wylie letters) it spells, likeliest first.

    The table lists the syllables the most frequent in names first, so a
    character's syllables are taken in table order (次 is ཚེ before ཚུལ or
    ཚེས)."""
    ranked: dict[str, list[tuple[int, str]]] = {}
    for row_index, row in enumerate(syllable_table()):
        key = _letters(row.wylie)
        if not key:
            continue
        for ch in row.chinese:
            ranked.setdefault(ch, []).append((row_index, key))
    return _in_table_order(ranked)


def _in_table_order(ranked: dict[str, list[tuple[int, str]]]) -> dict[str, tuple[str, ...]]:
    """Each entry's syllables once, in the order of their rows in the table."""
    out: dict[str, tuple[str, ...]] = {}
    for entry, options in ranked.items():
        out[entry] = tuple(dict.fromkeys(key for _row, key in sorted(options)))
    return out


def tibetan_readings(han: str, limit: int = MAX_SPELLINGS) -> list[list[str]]:
    """The Tibetan syllables (Wylie letters) a Chinese spelling can stand for, each
    reading a list with one syllable per character, the likeliest first; empty
    when a character spells no name syllable (a Chinese name like 王伟)."""
    if not han:
        return []
    table = _readings_of_characters()
    choices: list[tuple[str, ...]] = []
    for ch in han:
        options = table.get(ch)
        if not options:
            return []
        choices.append(options)
    return [[choices[i][j] for i, j in enumerate(pick)] for pick in _likeliest(choices, limit)]


def _likeliest(choices: list[tuple[str, ...]], limit: int) -> list[tuple[int, ...]]:
    """The ``limit`` picks (one option index per position) with the smallest sum of
    indices, i.e. the likeliest readings first, without listing every combination."""
    start = (0,) * len(choices)
    heap = [(0, start)]
    seen = {start}
    out: list[tuple[int, ...]] = []
    while heap and len(out) < limit:
        cost, pick = heapq.heappop(heap)
        out.append(pick)
        for i, j in enumerate(pick):
            if j + 1 < len(choices[i]):
                nxt = (*pick[:i], j + 1, *pick[i + 1 :])
                if nxt not in seen:
                    seen.add(nxt)
                    heapq.heappush(heap, (cost + 1, nxt))
    return out


def same_syllables(a: str, b: str) -> bool:
    """Whether two Chinese spellings can stand for the same Tibetan syllables."""
    left = {"".join(r) for r in tibetan_readings(a, limit=64)}
    return any("".join(r) in left for r in tibetan_readings(b, limit=64))


_MAX_SEGMENTATIONS = 4  # ways of cutting typed pinyin into syllables, at most


@cache
def _readings_of_pinyin() -> dict[str, tuple[str, ...]]:
    """Toneless pinyin syllable → the name syllables (Wylie letters) spelled by a
    character read so (zhuo: སྒྲོལ through 卓; ren: རིང, རིན through 仁), in table order."""
    pinyin_tables.load()  # its phrase table held compactly
    from pypinyin import Style, lazy_pinyin  # loaded only when a Latin query needs it

    ranked: dict[str, list[tuple[int, str]]] = {}
    for row_index, row in enumerate(syllable_table()):
        key = _letters(row.wylie)
        for ch in row.chinese:
            for reading in lazy_pinyin(ch, style=Style.NORMAL):
                sound = _letters(reading)
                if sound:
                    ranked.setdefault(sound, []).append((row_index, key))
    return _in_table_order(ranked)


def _segmentations(letters: str, sounds: dict[str, tuple[str, ...]]) -> list[list[str]]:
    """Ways of cutting ``letters`` into pinyin syllables of names, fewest pieces first."""
    longest = max((len(s) for s in sounds), default=0)
    ways: dict[int, list[list[str]]] = {0: [[]]}
    for end in range(1, len(letters) + 1):
        here: list[list[str]] = []
        for start in range(max(0, end - longest), end):
            piece = letters[start:end]
            if piece in sounds:
                here += [[*way, piece] for way in ways.get(start, [])]
        if here:
            ways[end] = sorted(here, key=len)[:_MAX_SEGMENTATIONS]
    return ways.get(len(letters), [])


def tibetan_readings_of_pinyin(letters: str, limit: int = MAX_SPELLINGS) -> list[list[str]]:
    """The name syllables typed pinyin can stand for (``ciren`` and ``zeren`` →
    ``tshe ring``), likeliest first; empty unless the letters are two or more
    pinyin syllables that each spell a name syllable."""
    sounds = _readings_of_pinyin()
    out: list[list[str]] = []
    for pieces in _segmentations(letters, sounds):
        if len(pieces) < 2:
            continue
        choices = [sounds[p] for p in pieces]
        for pick in _likeliest(choices, limit):
            reading = [choices[i][j] for i, j in enumerate(pick)]
            if reading not in out:
                out.append(reading)
    return out[:limit]
