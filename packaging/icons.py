"""The icon files the installers need, drawn from ``resources/icons/station-app.svg``:
PNGs of the usual sizes (Linux desktops) and a multi-size ``.ico`` (Windows),
written to the folder given (``build/icons`` by ``make package``).

    python packaging/icons.py build/icons
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

SIZES = (16, 24, 32, 48, 64, 128, 256)
SOURCE = Path(__file__).resolve().parent.parent / "resources" / "icons" / "station-app.svg"


def main(out: Path) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication, QIcon, QImageWriter

    app = QGuiApplication(sys.argv[:1])  # noqa: F841 - Qt draws the SVG only with one
    icon = QIcon(str(SOURCE))
    if icon.isNull():
        print(f"cannot read {SOURCE}", file=sys.stderr)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        png = out / f"station-app-{size}.png"
        if not icon.pixmap(size, size).save(str(png), "PNG"):
            print(f"cannot write {png}", file=sys.stderr)
            return 1
    # the .ico: the largest size, Qt's ico writer keeps one image; Windows
    # scales it for the smaller places (taskbar, title bar, shortcuts)
    writer = QImageWriter(str(out / "station-app.ico"), b"ico")
    if not writer.write(icon.pixmap(256, 256).toImage()):
        print(f"cannot write the .ico: {writer.errorString()}", file=sys.stderr)
        return 1
    print(f"icons written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("build/icons")))
