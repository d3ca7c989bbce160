"""Wheel build hook: compile the gettext catalogs of i18n/ into the wheel.

The .mo files are build products and are not kept in git; `make` compiles them
in the source tree, and this hook does the same for `pip install .`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CatalogBuildHook(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        root = Path(self.root)
        out = Path(tempfile.mkdtemp(prefix="station-app-mo-"))
        for po_path in sorted((root / "i18n").glob("*/LC_MESSAGES/*.po")):
            lang = po_path.parent.parent.name
            with po_path.open("rb") as fh:
                catalog = read_po(fh, locale=lang.replace("-", "_"))
            mo_path = out / lang / po_path.with_suffix(".mo").name
            mo_path.parent.mkdir(parents=True, exist_ok=True)
            with mo_path.open("wb") as fh:
                write_mo(fh, catalog)
            target = f"station_app/_data/i18n/{lang}/LC_MESSAGES/{mo_path.name}"
            build_data["force_include"][str(mo_path)] = target
