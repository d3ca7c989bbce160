"""Installed fonts that have a character the bundled and configured fonts lack.

Word processors fall back to any installed font that has a character; the
font chain does the same after its bundled and configured fonts, and asks
only for the characters those lack, so an ordinary print never looks here.

Where fonts are looked for:

- Linux, Kylin, UOS (and any system with fontconfig): ``fc-list
  :charset=<hex>`` lists the faces that have the character, from
  fontconfig's own cache, in milliseconds;
- Windows: the Fonts folder (``%WINDIR%\\Fonts``) and the per-user one
  (``%LOCALAPPDATA%\\Microsoft\\Windows\\Fonts``);
- macOS: ``/System/Library/Fonts``, ``/Library/Fonts``, ``~/Library/Fonts``;
- without fontconfig elsewhere: the usual font folders of Linux.

In folders each file's cmap is read (HarfBuzz) only until a font with the
character is found, most wanted fonts first, and kept for the process.

Only TrueType-outline fonts (``glyf``) are used: the PDF embedding of this
package (``embedding.py``) writes CIDFontType2 fonts from ``glyf`` outlines,
and reportlab cannot embed CFF either, so OpenType-CFF fonts such as Noto
Sans CJK are skipped (fontconfig's ``fontformat`` is ``CFF`` for them; in
folders they are recognised by their missing ``glyf`` table).

The order is deterministic: :data:`KNOWN_GOOD` files first (in that order),
then every other font sorted by path, faces of a collection by index.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

import uharfbuzz as hb

from station_app.printing.fonts import FontFile

#: File names (lower case) of fonts known to print rare name characters
#: well, most wanted first: AR PL UMing (Debian fonts-arphic-uming, mainland
#: forms in face 0), SimSun-ExtB and SimSun-ExtG (on every Windows PC; ExtG
#: from Windows 11), HanaMinB (Debian fonts-hanazono, all of Extension B),
#: then the Taiwanese-form and script fonts.
KNOWN_GOOD: tuple[str, ...] = (
    "uming.ttc",
    "simsunb.ttf",
    "simsunextg.ttf",
    "simsun-extg.ttf",
    "hanaminb.ttf",
    "hanamina.ttf",
    "ukai.ttc",
    "mingliub.ttc",
)

FONT_SUFFIXES = (".ttf", ".ttc", ".otf")
FC_LIST_TIMEOUT = 10.0  # seconds; fontconfig answers from its cache


def preference(file: FontFile) -> tuple[int, str, int]:
    """Sort key: known good fonts first, then by path and face index."""
    name = file.path.name.lower()
    rank = KNOWN_GOOD.index(name) if name in KNOWN_GOOD else len(KNOWN_GOOD)
    return (rank, str(file.path), file.index)


def fc_list(code_point: int) -> list[FontFile] | None:
    """Faces with ``code_point`` as fontconfig lists them (TrueType outlines
    only); ``None`` if fontconfig cannot be asked."""
    executable = shutil.which("fc-list")
    if executable is None:
        return None
    try:
        result = subprocess.run(
            [
                executable,
                "--format",
                "%{file}|%{index}|%{fontformat}\n",
                f":charset={code_point:x}",
            ],
            capture_output=True,
            text=True,
            timeout=FC_LIST_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:
        return None
    found = []
    for line in result.stdout.splitlines():
        path, _, rest = line.partition("|")
        index, _, font_format = rest.partition("|")
        # fontformat "CFF" (OpenType-PS outlines) cannot be embedded: skipped.
        if font_format != "TrueType" or not path.lower().endswith(FONT_SUFFIXES):
            continue
        try:
            found.append(FontFile(Path(path), int(index or 0)))
        except ValueError:
            continue
    return found


def font_folders() -> list[Path]:
    """The folders scanned where fontconfig is not available."""
    home = Path.home()
    if sys.platform == "win32":
        windir = os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT") or r"C:\Windows"
        folders = [Path(windir) / "Fonts"]
        local = os.environ.get("LOCALAPPDATA")
        if local:
            folders.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
        return folders
    if sys.platform == "darwin":
        return [Path("/System/Library/Fonts"), Path("/Library/Fonts"), home / "Library" / "Fonts"]
    return [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        home / ".local" / "share" / "fonts",
        home / ".fonts",
    ]


def _files_in(folders: Iterable[Path]) -> list[Path]:
    files: set[Path] = set()
    for folder in folders:
        try:
            for path in folder.rglob("*"):
                if path.suffix.lower() in FONT_SUFFIXES and path.is_file():
                    files.add(path)
        except OSError:
            continue
    return sorted(files, key=lambda p: preference(FontFile(p)))


class FolderFonts:
    """Fonts of font folders, their coverage read on first need and kept."""

    def __init__(self, folders: Iterable[Path]) -> None:
        self._folders = list(folders)
        self._files: list[Path] | None = None
        self._faces: list[tuple[FontFile, frozenset[int]]] = []
        self._read = 0  # files of self._files whose faces are in self._faces

    def _faces_of(self, path: Path) -> Iterator[tuple[FontFile, frozenset[int]]]:
        try:
            blob = hb.Blob.from_file_path(str(path))
            count = max(hb.Face(blob, 0).count, 1)
            for index in range(count):
                face = hb.Face(blob, index)
                if "glyf" in set(face.table_tags):  # CFF fonts cannot be embedded
                    yield FontFile(path, index), frozenset(face.unicodes)
        except Exception:  # a damaged font file is just not used
            return

    def with_char(self, code_point: int) -> list[FontFile]:
        """The faces having ``code_point``: those already read, and files read
        in preference order until one has it."""
        if self._files is None:
            self._files = _files_in(self._folders)
        found = [file for file, codes in self._faces if code_point in codes]
        while not found and self._read < len(self._files):
            path = self._files[self._read]
            self._read += 1
            faces = list(self._faces_of(path))
            self._faces.extend(faces)
            found = [file for file, codes in faces if code_point in codes]
        return found


class FontDiscovery:
    """Which installed faces have a character; each character asked once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._answers: dict[int, tuple[FontFile, ...]] = {}
        self._folders: FolderFonts | None = None

    def fonts_with(self, code_point: int) -> tuple[FontFile, ...]:
        """Installed faces that have ``code_point``, most wanted first."""
        with self._lock:
            answer = self._answers.get(code_point)
            if answer is None:
                found = None if sys.platform in ("win32", "darwin") else fc_list(code_point)
                if found is None:
                    if self._folders is None:
                        self._folders = FolderFonts(font_folders())
                    found = self._folders.with_char(code_point)
                answer = self._answers[code_point] = tuple(sorted(set(found), key=preference))
            return answer


_discovery = FontDiscovery()


def installed_fonts_with(code_point: int) -> tuple[FontFile, ...]:
    """Installed faces with ``code_point`` (TrueType outlines), most wanted
    first; found once per process."""
    return _discovery.fonts_with(code_point)


def forget_installed_fonts() -> None:
    """Look again on the next question (e.g. after a font was installed)."""
    global _discovery
    _discovery = FontDiscovery()
