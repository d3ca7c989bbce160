"""Babel's Python extractor, limited to the keywords that ``i18n/babel.cfg`` names.

babel always adds its default keywords (``gettext``, ``pgettext``, ...) to the
ones of the mapping file. In this code ``gettext`` is also the usual name of a
translate-function parameter (``UserError.render(gettext)``), and babel 2.18
crashes on ``gettext(N_("..."))`` when translator comments are collected
(``TypeError: '<' not supported between instances of 'int' and 'NoneType'``).
With only ``_``, ``N_`` and ``ngettext`` as keywords that call is plain code
around an ``N_`` mark, as intended.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Collection, Iterator, Mapping
from typing import IO, Any, cast

from babel.messages import extract

log = logging.getLogger(__name__)

# (line, keyword, message or (singular, plural, ...), comments), as babel's own
# extractors yield them (its type annotation says otherwise).
Message = tuple[int, str, Any, list[str]]
_babel_extract_python = cast("Callable[..., Iterator[Message]]", extract.extract_python)


def extract_python(
    fileobj: IO[bytes],
    keywords: Collection[str],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[Message]:
    """Extract like babel's ``python`` method, with only the configured keywords."""
    configured = options.get("keywords")
    names = [k for k in keywords if k in configured] if configured else list(keywords)
    source = fileobj.read()
    try:
        found = list(_babel_extract_python(io.BytesIO(source), names, comment_tags, options))
    except TypeError:
        # The same babel bug with a nested call of two configured keywords: keep
        # the messages, lose this file's translator comments.
        log.warning("%s: translator comments dropped (babel bug with nested calls)", fileobj)
        found = list(_babel_extract_python(io.BytesIO(source), names, (), options))
    yield from found
