"""Make station_app/domain/data/unihan_readings.tsv.gz: pinyin readings, from the
Unicode Han database (Unihan), of the Han characters pypinyin has no reading for.

Run by hand when Unihan or pypinyin changes (not at build time), in the venv:

    python tools/unihan_readings.py /usr/share/unicode/Unihan_Readings.txt.bz2 \
        --variants /usr/share/unicode/Unihan_Variants.txt.bz2

The Unihan files (.txt, or .txt.bz2) are in Unihan.zip of the Unicode release
(https://www.unicode.org/Public/UCD/latest/ucd/Unihan.zip) and in Debian's
unicode-data package (/usr/share/unicode/). The file shipped was made from
Unicode 15.0.0 (unicode-data 15.0.0-1) with pypinyin 0.55.0.

For every code point: its kMandarin readings (the most common first); when it has
none, its kTGHZ2013, kXHC1983 and kHanyuPinyin readings (in that order, without
repeats). Readings are keyed the way the app keys pinyin (``latin_key``: lower
case, tone marks dropped, ü → v), and only the characters for which pypinyin
gives no reading are kept.

pypinyin's own data is made from Unihan's readings, so Unihan_Readings alone
adds nothing to pypinyin 0.55 (which is newer than Unicode 15). The characters
both lack are mostly simplified or traditional forms, encoded in the extension
blocks, of characters pypinyin knows (𫠈 U+2B808, simplified 䫾 bì). With
``--variants``, a character without any reading takes the readings of its
kTraditionalVariant, kSimplifiedVariant and kZVariant characters (each one's most
common reading from pypinyin): a character and its simplified, traditional or
shape-variant form are read alike. kSemanticVariant (same meaning, not always
the same sound) and kSpoofingVariant (look-alikes) are not used.

One line a character: the character, a tab, its readings separated by spaces;
``#`` lines are comments. Gzipped reproducibly (no file name, no time stamp).

Unihan is under the Unicode licence (station_app/domain/data/LICENSE-Unicode.txt);
the file written says that it is derived and modified data.
"""

from __future__ import annotations

import argparse
import bz2
import gzip
import io
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from pypinyin import Style, pinyin

from station_app.domain.names import latin_key

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "station_app" / "domain" / "data" / "unihan_readings.tsv.gz"

# Fields with pinyin readings, the fallbacks in order of preference.
MANDARIN = "kMandarin"
FALLBACKS = ("kTGHZ2013", "kXHC1983", "kHanyuPinyin")


def read_lines(path: Path) -> Iterator[str]:
    opener = bz2.open if path.suffix == ".bz2" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        yield from fh


def field_readings(field: str, value: str) -> list[str]:
    """Readings with tone marks, as written in the field.

    kMandarin: ``zhé`` or ``hàn hán`` (space separated). The dictionary fields
    are ``location(s):reading(s)`` entries separated by spaces, readings
    separated by commas: ``10449.060:è,yà``.
    """
    if field == MANDARIN:
        return value.split()
    out: list[str] = []
    for entry in value.split():
        _, _, readings = entry.rpartition(":")
        out.extend(r for r in readings.split(",") if r)
    return out


def parse_unihan(lines: Iterable[str]) -> dict[int, dict[str, list[str]]]:
    """Code point → field → readings, for the reading fields used here."""
    wanted = {MANDARIN, *FALLBACKS}
    data: dict[int, dict[str, list[str]]] = {}
    for line in lines:
        if not line.startswith("U+"):
            continue
        code, field, value = line.rstrip("\n").split("\t", 2)
        if field in wanted:
            data.setdefault(int(code[2:], 16), {})[field] = field_readings(field, value)
    return data


def keyed_readings(fields: dict[str, list[str]]) -> list[str]:
    """kMandarin's readings, else the fallbacks', as keys; in order, no repeats."""
    raw = fields.get(MANDARIN) or [r for f in FALLBACKS for r in fields.get(f, [])]
    out: list[str] = []
    for reading in raw:
        key = latin_key(reading)
        if key and key not in out:
            out.append(key)
    return out


VARIANT_FIELDS = ("kTraditionalVariant", "kSimplifiedVariant", "kZVariant")


def parse_variants(lines: Iterable[str]) -> dict[int, list[int]]:
    """Code point → its variants in VARIANT_FIELDS, in field then file order.

    Values are ``U+9836`` or ``U+5409<kSource`` entries separated by spaces."""
    data: dict[int, dict[str, list[int]]] = {}
    for line in lines:
        if not line.startswith("U+"):
            continue
        code, field, value = line.rstrip("\n").split("\t", 2)
        if field in VARIANT_FIELDS:
            targets = [int(v.split("<")[0][2:], 16) for v in value.split()]
            data.setdefault(int(code[2:], 16), {})[field] = targets
    out: dict[int, list[int]] = {}
    for code_point, by_field in data.items():
        seen: list[int] = []
        for name in VARIANT_FIELDS:
            seen += [t for t in by_field.get(name, []) if t != code_point and t not in seen]
        out[code_point] = seen
    return out


def pypinyin_reading(ch: str) -> str:
    """pypinyin's most common reading of ``ch`` as a key, or ''."""
    got = pinyin(ch, style=Style.NORMAL, errors="ignore")
    return latin_key(got[0][0]) if got and got[0] else ""


def pypinyin_has_reading(ch: str) -> bool:
    # pypinyin 0.55 drops a character without reading under errors="ignore"
    # (errors=lambda ...: [None] fails inside its style conversion).
    got = pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore")
    return any(r for readings in got for r in readings)


def build(lines: Iterable[str], variant_lines: Iterable[str] = ()) -> list[tuple[str, list[str]]]:
    readings = {code: keyed_readings(fields) for code, fields in parse_unihan(lines).items()}
    for code, targets in parse_variants(variant_lines).items():
        if readings.get(code):
            continue
        found: list[str] = []
        for target in targets:
            reading = pypinyin_reading(chr(target))
            if reading and reading not in found:
                found.append(reading)
        readings[code] = found
    rows: list[tuple[str, list[str]]] = []
    for code, keys in sorted(readings.items()):
        ch = chr(code)
        if keys and not pypinyin_has_reading(ch):
            rows.append((ch, keys))
    return rows


def header(source: Path, variants: Path | None) -> str:
    import pypinyin

    used = source.name + (f" and {variants.name}" if variants else "")
    return (
        "# Pinyin readings (toneless, ü as v) of Han characters pypinyin "
        f"{pypinyin.__version__} has no reading for.\n"
        f"# Derived and modified by tools/unihan_readings.py from {used} of the\n"
        "# Unicode Han database (Unihan): kMandarin, else kTGHZ2013/kXHC1983/kHanyuPinyin,\n"
        "# else the pypinyin reading of the kTraditionalVariant/kSimplifiedVariant/kZVariant.\n"
        "# Unihan: Copyright © 1991-2022 Unicode, Inc. Distributed under the Terms of Use\n"
        "# in https://www.unicode.org/copyright.html; see LICENSE-Unicode.txt beside this file.\n"
    )


def write(
    rows: list[tuple[str, list[str]]], source: Path, variants: Path | None, out: Path
) -> None:
    text = io.StringIO()
    text.write(header(source, variants))
    for ch, readings in rows:
        text.write(f"{ch}\t{' '.join(readings)}\n")
    out.parent.mkdir(parents=True, exist_ok=True)
    with (
        out.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as fh,
    ):
        fh.write(text.getvalue().encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("unihan_readings", type=Path, help="Unihan_Readings.txt or .txt.bz2")
    parser.add_argument("--variants", type=Path, help="Unihan_Variants.txt or .txt.bz2")
    parser.add_argument("-o", "--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    variant_lines = read_lines(args.variants) if args.variants else iter(())
    rows = build(read_lines(args.unihan_readings), variant_lines)
    write(rows, args.unihan_readings, args.variants, args.out)
    print(f"{len(rows)} characters, {args.out.stat().st_size} bytes: {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
