"""The template i18n/messages.pot holds every message id of the code and the
forms: a text added without `make extract` would never be translated and would
show in English on a Chinese or Tibetan screen."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
BABEL_CFG = ROOT / "i18n" / "babel.cfg"
POT = ROOT / "i18n" / "messages.pot"


def _source_ids() -> set[str]:
    with BABEL_CFG.open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh, str(BABEL_CFG))
    # The patterns (station_app/**.py, ui/**.ui) are relative to the root, as for make.
    return {
        message if isinstance(message, str) else message[0]
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map
        )
    }


def test_the_template_holds_every_message_of_the_code_and_forms() -> None:
    with POT.open("rb") as fh:
        template = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    missing = sorted(_source_ids() - template)
    assert not missing, (
        f"{len(missing)} message ids are not in i18n/messages.pot; run `make extract` and "
        "translate them:\n" + "\n".join(missing)
    )
