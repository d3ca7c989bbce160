"""pypinyin, loaded with compact copies of its phrase and character tables.

pypinyin reads its phrase table (47,000 phrases, the readings that make 长青
``chang qing`` and not ``zhang qing``) from JSON: every syllable of every
phrase becomes a string and a list of its own, about 40 MB of memory on the
office PC for data that repeats a few hundred syllables. :func:`load` reads
the same file into the same table, sharing the repeated syllables and
readings (about 15 MB, no larger peak on the way), and gives it to pypinyin
before pypinyin reads it itself; pypinyin copies a phrase's readings before
handing them out, so the sharing is never seen. The table is the library's
own, only held more compactly: every reading is unchanged (a test compares
the two tables). Its character table (42,000 characters) is read likewise,
keyed by code point as pypinyin keys it, each distinct readings string held
once. Should a file ever not have the layout read here, the library's own
loading is used for it instead.

Call :func:`load` before importing from ``pypinyin``.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
import threading
import types
from pathlib import Path

_lock = threading.Lock()

# One phrase of pypinyin's phrases_dict.json: a key line, then one bracketed
# list of readings per character, the outer list closed before the next key
# (or the end of the object).
_ENTRY = re.compile(r'"([^"\n]+)": \[(.*?)\n\](?=,\n"|\n\})', re.S)
_CHARACTER = re.compile(r'\[\n((?:"[^"\n]*",?\n)+)\]')
_WORD = re.compile(r'"([^"\n]*)"')
# One character of pinyin_dict.json: its code point, its readings.
_CHARACTER_READINGS = re.compile(r'"(\d+)": "([^"\n]*)"')


def phrases_file() -> Path | None:
    """pypinyin's phrase table; None when pypinyin is not installed."""
    spec = importlib.util.find_spec("pypinyin")
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin).parent / "phrases_dict.json"


def compact_phrases(text: str) -> dict[str, list[list[str]]] | None:
    """The phrase table of ``text`` (pypinyin's JSON), its repeated syllables and
    readings shared; None when the text is not laid out as expected."""
    syllables: dict[str, str] = {}
    readings: dict[str, list[str]] = {}
    table: dict[str, list[list[str]]] = {}
    expected_start = 2  # after "{\n"
    for entry in _ENTRY.finditer(text):
        if entry.start() != expected_start:
            return None  # something between two entries this reading does not know
        phrase, body = entry.group(1), entry.group(2)
        if '",' not in body:  # one reading per character, as almost always
            words = _WORD.findall(body)
            characters = [readings.get(w) or readings.setdefault(w, [w]) for w in words]
            if len(characters) != body.count("["):
                return None
            table[phrase] = characters
            expected_start = entry.end() + 2
            continue
        characters = []
        for character in _CHARACTER.finditer(body):
            lines = character.group(1)
            shared = readings.get(lines)
            if shared is None:
                words = _WORD.findall(lines)
                shared = readings[lines] = [syllables.setdefault(w, w) for w in words]
            characters.append(shared)
        if not characters:
            return None
        table[phrase] = characters
        expected_start = entry.end() + 2  # after ",\n"
    if not text.startswith("{\n") or expected_start != len(text.rstrip()):
        return None  # the last entry must end the object
    return table


def compact_characters(text: str) -> dict[int, str] | None:
    """The character table of ``text`` (pypinyin's pinyin_dict.json) keyed by
    code point as pypinyin keys it, each distinct readings string held once;
    None when the text is not laid out as expected."""
    shared: dict[str, str] = {}
    table: dict[int, str] = {}
    expected_start = 2  # after "{\n"
    for entry in _CHARACTER_READINGS.finditer(text):
        if entry.start() != expected_start:
            return None
        readings = entry.group(2)
        table[int(entry.group(1))] = shared.setdefault(readings, readings)
        expected_start = entry.end() + 2  # after ",\n"
    if not text.startswith("{\n") or expected_start != len(text.rstrip()) or not table:
        return None
    return table


def load() -> None:
    """Make ``import pypinyin`` use the compact phrase table (once per process;
    nothing when pypinyin is already imported)."""
    if "pypinyin" in sys.modules:
        return
    with _lock:
        if "pypinyin" in sys.modules:
            return
        path = phrases_file()
        if path is None or not path.is_file():
            return  # the import itself will say what is missing
        phrases = compact_phrases(path.read_text(encoding="utf-8"))
        if phrases is not None:  # else not the layout read here: pypinyin loads its own
            module = types.ModuleType("pypinyin.phrases_dict")
            module.phrases_dict = phrases  # type: ignore[attr-defined]
            sys.modules["pypinyin.phrases_dict"] = module
        characters_file = path.with_name("pinyin_dict.json")
        characters = (
            compact_characters(characters_file.read_text(encoding="utf-8"))
            if characters_file.is_file()
            else None
        )
        if characters is not None:
            module = types.ModuleType("pypinyin.pinyin_dict")
            module.pinyin_dict = characters  # type: ignore[attr-defined]
            sys.modules["pypinyin.pinyin_dict"] = module
        # No second copy of the tables: the application adds no phrases of its own.
        os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "1")
        import pypinyin  # noqa: F401 - takes the table while the lock is held
