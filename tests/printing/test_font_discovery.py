"""Rare name characters are printed with any installed font that has them.

fontconfig is pointed at a private font folder through FONTCONFIG_FILE, so
these tests see only the fonts they put there, whatever the PC has.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from station_app.printing import FontFile, MissingGlyphs, font_chain, font_discovery
from station_app.printing import fonts as fonts_module
from station_app.services import printouts, settings
from station_app.services.context import Context

from .samples import EXT_B_CHAR, EXT_B_FONT

pytestmark = pytest.mark.skipif(
    shutil.which("fc-list") is None, reason="needs fontconfig's fc-list (Debian package fontconfig)"
)

FontFolder = Callable[..., Path]


@pytest.fixture
def font_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FontFolder]:
    """``font_folder(*files)``: fontconfig sees only a folder holding copies of
    ``files``; the process chain starts without configured system fonts."""

    def make(*files: Path) -> Path:
        folder = tmp_path / "fonts"
        folder.mkdir()
        for file in files:
            shutil.copy(file, folder / file.name)
        conf = tmp_path / "fonts.conf"
        conf.write_text(
            '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
            f"<fontconfig><dir>{folder}</dir><cachedir>{tmp_path / 'cache'}</cachedir>"
            "</fontconfig>\n",
            encoding="utf-8",
        )
        monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
        monkeypatch.delenv("FONTCONFIG_PATH", raising=False)
        return folder

    # Not the hard-coded Debian paths: what is found must be found by looking.
    monkeypatch.setattr(fonts_module, "SYSTEM_FALLBACKS", ())
    monkeypatch.setattr(fonts_module, "_chain", None)
    font_discovery.forget_installed_fonts()
    yield make
    font_discovery.forget_installed_fonts()


@pytest.fixture
def fc_queries(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The code points fontconfig is asked about."""
    asked: list[int] = []
    real = font_discovery.fc_list

    def counting(code_point: int) -> list[FontFile] | None:
        asked.append(code_point)
        return real(code_point)

    monkeypatch.setattr(font_discovery, "fc_list", counting)
    return asked


def _text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_ext_b_name_prints_with_a_font_found_on_the_computer(
    font_folder: FontFolder, fc_queries: list[int], tmp_path: Path
) -> None:
    if not EXT_B_FONT.path.is_file():
        pytest.fail(f"needs {EXT_B_FONT.path}: `bash .ci/run` installs fonts-arphic-uming")
    folder = font_folder(EXT_B_FONT.path)
    name = f"王{EXT_B_CHAR}"
    assert font_chain().extra == ()  # nothing configured

    pdf = tmp_path / "test-page.pdf"
    printouts.print_test_page(None, [name], pdf)

    text = _text(pdf)
    assert name in text
    # The font is listed on the test page, from the folder it was found in.
    assert "uming.ttc" in text
    assert str(folder) in text.replace("\n", "")
    assert font_chain().discovered == (FontFile(folder / "uming.ttc", 0),)
    # fontconfig is asked only about the character the bundled fonts lack.
    assert fc_queries == [ord(EXT_B_CHAR)]


def test_known_good_fonts_are_preferred_then_the_others_by_path() -> None:
    files = [
        FontFile(Path("/a/zz.ttf")),
        FontFile(Path("/b/uming.ttc"), 1),
        FontFile(Path("/fonts/HanaMinB.ttf")),
        FontFile(Path("/a/aa.ttf")),
        FontFile(Path(r"C:/Windows/Fonts/simsunb.ttf")),
        FontFile(Path("/b/uming.ttc"), 0),
    ]
    assert [str(f) for f in sorted(files, key=font_discovery.preference)] == [
        "/b/uming.ttc",
        "/b/uming.ttc#1",
        "C:/Windows/Fonts/simsunb.ttf",
        "/fonts/HanaMinB.ttf",
        "/a/aa.ttf",
        "/a/zz.ttf",
    ]


def test_nothing_is_printed_when_no_installed_font_has_the_character(
    font_folder: FontFolder, tmp_path: Path
) -> None:
    font_folder()  # fontconfig sees no font at all
    pdf = tmp_path / "test-page.pdf"
    with pytest.raises(MissingGlyphs) as raised:
        printouts.print_test_page(None, [f"王{EXT_B_CHAR}"], pdf)
    assert raised.value.characters == [EXT_B_CHAR]
    assert not pdf.exists()
    assert list(tmp_path.glob("*.part")) == []


def test_a_character_no_font_has_is_refused_before_drawing(font_folder: FontFolder) -> None:
    if not EXT_B_FONT.path.is_file():
        pytest.fail(f"needs {EXT_B_FONT.path}: `bash .ci/run` installs fonts-arphic-uming")
    font_folder(EXT_B_FONT.path)
    out = io.BytesIO()
    private_use = "\U000f0001"  # no font has a private-use character of ours
    with pytest.raises(MissingGlyphs) as raised:
        printouts.print_test_page(None, [f"王{EXT_B_CHAR}{private_use}"], out)
    assert raised.value.characters == [private_use]
    assert out.getvalue() == b""


def test_folder_discovery_reads_fonts_in_preference_order(tmp_path: Path) -> None:
    """Windows and macOS: no fontconfig, the font folders are read."""
    if not EXT_B_FONT.path.is_file():
        pytest.fail(f"needs {EXT_B_FONT.path}: `bash .ci/run` installs fonts-arphic-uming")
    (tmp_path / "sub").mkdir()
    shutil.copy(EXT_B_FONT.path, tmp_path / "sub" / "uming.ttc")
    (tmp_path / "broken.ttf").write_bytes(b"not a font")
    fonts = font_discovery.FolderFonts([tmp_path])
    found = fonts.with_char(ord(EXT_B_CHAR))
    assert found[0] == FontFile(tmp_path / "sub" / "uming.ttc", 0)
    assert fonts.with_char(0xF0001) == []


def test_the_stations_print_fonts_come_before_the_system_fallbacks(
    admin_ctx: Context, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A font the station chose in the settings wins over the built-in
    fallback list: here the Taiwanese face of UMing over the mainland one."""
    if not EXT_B_FONT.path.is_file():
        pytest.fail(f"needs {EXT_B_FONT.path}: `bash .ci/run` installs fonts-arphic-uming")
    monkeypatch.setattr(fonts_module, "_chain", None)
    settings.set_value(admin_ctx, "printing.extra_fonts", f"{EXT_B_FONT.path}#2")
    printouts.print_test_page(admin_ctx, [f"王{EXT_B_CHAR}"], tmp_path / "test-page.pdf")
    assert font_chain().extra[0] == FontFile(EXT_B_FONT.path, 2)
    found = font_chain().font_for(ord(EXT_B_CHAR))
    assert found is not None
    assert found.ps_name == "UMingTW"
