"""pypinyin's phrase table held compactly: the same readings, shared objects."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from station_app.domain.pinyin_tables import compact_characters, compact_phrases, phrases_file

REPO = Path(__file__).resolve().parents[2]


def library_text() -> str:
    path = phrases_file()
    assert path is not None
    return path.read_text(encoding="utf-8")


def test_the_compact_table_holds_every_phrase_with_the_librarys_readings() -> None:
    text = library_text()
    table = compact_phrases(text)
    assert table is not None
    assert table == json.loads(text)
    assert table["长青"] == [["cháng"], ["qīng"]]  # not zhǎng: the phrase decides


def test_the_character_table_is_the_librarys_keyed_by_code_point() -> None:
    path = phrases_file()
    assert path is not None
    text = path.with_name("pinyin_dict.json").read_text(encoding="utf-8")
    table = compact_characters(text)
    assert table is not None
    assert table == {int(k): v for k, v in json.loads(text).items()}
    assert table[ord("长")] == "zhǎng,cháng"  # alone, 长 reads zhǎng first
    assert len({id(v) for v in table.values()}) < len(table) / 4  # readings shared
    assert compact_characters(text.replace("\n", "")) is None  # one line: the library's way


def test_the_compact_table_shares_its_repeated_readings() -> None:
    table = compact_phrases(library_text())
    assert table is not None
    readings = [reading for phrase in table.values() for reading in phrase]
    assert len(readings) > 100_000
    assert len({id(r) for r in readings}) < 3_000  # a few thousand distinct readings


def test_a_table_laid_out_otherwise_is_left_to_the_library() -> None:
    table = json.loads(library_text())
    small = dict(list(table.items())[:50])
    assert compact_phrases(json.dumps(small, ensure_ascii=False, indent=0)) == small
    assert compact_phrases(json.dumps(small, ensure_ascii=False, indent=2)) is None
    assert compact_phrases(json.dumps(small, ensure_ascii=False)) is None  # one line
    cut = json.dumps(small, ensure_ascii=False, indent=0)
    assert compact_phrases(cut[: len(cut) // 2]) is None  # a truncated file


SCRIPT = """
import json, sys
from station_app.domain import names
readings = names.pinyin_readings("何长青")
ours = not any(
    hasattr(sys.modules[m], "__file__") for m in ("pypinyin.phrases_dict", "pypinyin.pinyin_dict")
)
print(json.dumps({"readings": readings, "ours": ours}))
"""


def test_names_read_through_pypinyin_use_the_compact_table() -> None:
    """In a fresh process, as the application loads it: the first name read
    loads pypinyin with the compact table, and phrases still decide readings."""
    env = dict(os.environ)
    env.pop("PYPINYIN_NO_PHRASES", None)
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, cwd=REPO, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    seen = json.loads(proc.stdout.strip().splitlines()[-1])
    assert seen["ours"]
    assert seen["readings"][0] == ["he", "chang", "qing"]
