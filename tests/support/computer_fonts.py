"""The fonts a test computer has installed, fixed: what the refusal tests
expect ("no font can print U+13000") must not depend on whether the machine
running them happens to have a hieroglyph or emoji font.

``only_test_fonts`` points fontconfig (read by ``fc-list``, which font
discovery runs for each missing character) at the folders of the Debian
packages ``.ci/run`` installs, and starts the process font chain afresh.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from station_app.printing import font_discovery
from station_app.printing import fonts as fonts_module

# what .ci/run installs: fonts-arphic-uming (CJK Extension B) and DejaVu
TEST_FONT_FOLDERS = (
    Path("/usr/share/fonts/truetype/arphic"),
    Path("/usr/share/fonts/truetype/dejavu"),
)


@pytest.fixture
def only_test_fonts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    conf = tmp_path / "only-test-fonts.conf"
    dirs = "".join(f"<dir>{folder}</dir>" for folder in TEST_FONT_FOLDERS)
    conf.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n'
        f"<fontconfig>{dirs}<cachedir>{tmp_path / 'fc-cache'}</cachedir></fontconfig>\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("FONTCONFIG_FILE", str(conf))
    monkeypatch.delenv("FONTCONFIG_PATH", raising=False)
    # other operating systems' font folders are not looked at either
    monkeypatch.setattr(font_discovery, "font_folders", list)
    monkeypatch.setattr(fonts_module, "_chain", None)
    font_discovery.forget_installed_fonts()
    yield
    font_discovery.forget_installed_fonts()
