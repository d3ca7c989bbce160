"""Babel extractor for Qt Designer ``.ui`` forms (XML; no Qt needed).

Registered in ``i18n/babel.cfg`` as ``ui = station_app.i18n.ui_extract:extract_ui``.
The GUI's form loader translates the same properties, so both use the sets below.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any
from xml.parsers import expat

# <property name="..."> whose <string> is shown to the user.
TRANSLATABLE_PROPERTIES = frozenset(
    {"text", "title", "windowTitle", "toolTip", "statusTip", "whatsThis", "placeholderText"}
)
# <attribute name="..."> of a page inside a QTabWidget / QToolBox.
TRANSLATABLE_ATTRIBUTES = frozenset({"title", "toolTip", "whatsThis", "label"})

# Elements whose ``name`` attribute is the objectName the controllers look up.
_NAMED = frozenset({"widget", "action", "layout", "actiongroup"})

Message = tuple[int, str, str, list[str]]


def _parse_with_lines(fileobj: IO[bytes]) -> tuple[ET.Element, dict[ET.Element, int]]:
    """Parse the XML, remembering the line on which each element starts."""
    builder = ET.TreeBuilder()
    lines: dict[ET.Element, int] = {}
    parser = expat.ParserCreate()

    def start(tag: str, attrs: dict[str, str]) -> None:
        lines[builder.start(tag, attrs)] = parser.CurrentLineNumber

    def end(tag: str) -> None:
        builder.end(tag)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = builder.data
    parser.ParseFile(fileobj)
    return builder.close(), lines


def _walk(
    element: ET.Element, owner: str, item: bool, lines: dict[ET.Element, int]
) -> Iterator[Message]:
    for child in element:
        if child.tag in _NAMED:
            yield from _walk(child, child.get("name", owner), False, lines)
        elif child.tag in ("item", "column", "row"):
            yield from _walk(child, owner, child.tag == "item", lines)
        elif child.tag in ("property", "attribute"):
            names = TRANSLATABLE_PROPERTIES if child.tag == "property" else TRANSLATABLE_ATTRIBUTES
            name = child.get("name", "")
            string = child.find("string")
            if name not in names or string is None or string.get("notr") == "true":
                continue
            text = string.text or ""
            if not text.strip():
                continue
            where = f"{owner} item" if item else owner
            comments = [f"{where}: {name}"]
            comments += [string.get(a, "") for a in ("extracomment", "comment") if string.get(a)]
            yield lines[string], "", text, comments
        else:
            yield from _walk(child, owner, item, lines)


def extract_ui(
    fileobj: IO[bytes],
    keywords: Collection[str],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[Message]:
    """Yield ``(line, funcname, message, comments)`` for each text of a ``.ui`` form.

    The comment names the widget (its objectName) and the property, e.g.
    ``nameLabel: text``. Strings marked ``notr="true"`` and empty strings are
    skipped. ``keywords``, ``comment_tags`` and ``options`` are unused.
    """
    root, lines = _parse_with_lines(fileobj)
    yield from _walk(root, root.findtext("class", ""), False, lines)
