"""The current screen language and the callbacks that follow its changes."""

from __future__ import annotations

import inspect
import logging
import weakref
from collections.abc import Callable

from station_app.i18n.catalogs import translator
from station_app.i18n.languages import DEFAULT_LANGUAGE, LANGUAGES, check_language

log = logging.getLogger(__name__)

Callback = Callable[[], object]
_Ref = Callable[[], Callback | None]

_language = DEFAULT_LANGUAGE
_callbacks: list[_Ref] = []


def current_language() -> str:
    return _language


def set_language(language: str) -> None:
    """Switch the screen language, then call every live language callback.

    Raises ``ValueError`` for a language the application does not have.
    Nothing is called when the language does not change.
    """
    global _language
    check_language(language)
    if language == _language:
        return
    _language = language
    redisplay()


def redisplay() -> None:
    """Call every live language callback, as after a switch: a display setting
    of the language (e.g. its digits) changed."""
    for callback in _live_callbacks():
        try:
            callback()
        except Exception:
            # One broken window must not keep the others in the old language.
            log.exception("language callback %r failed", callback)


def set_reviewed_texts(texts: dict[str, dict[str, str]], *, notify: bool = True) -> bool:
    """Lay each language's reviewed wording (``{language: {msgid: text}}``) over
    its shipped catalog, replacing what was laid before (a language missing
    from ``texts`` gets none); whether anything changed. Then, if ``notify``,
    redisplay: open windows show it at once (call it on the GUI thread)."""
    changed = False
    for language in LANGUAGES:
        wanted = texts.get(language, {})
        t = translator(language)
        if t.reviewed != wanted:
            t.set_reviewed(wanted)
            changed = True
    if changed and notify:
        redisplay()
    return changed


def _(msgid: str) -> str:
    """``msgid`` in the current screen language."""
    return translator(_language).gettext(msgid)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The plural form for ``n`` in the current screen language."""
    return translator(_language).ngettext(singular, plural, n)


def on_language_changed(callback: Callback) -> None:
    """Call ``callback()`` after every language switch, while its owner lives.

    Only a weak reference is kept: a bound method stops being called when its
    object is garbage-collected. A lambda or closure held by nobody else is
    collected at once, so register a method (e.g. ``window.retranslate``).
    """
    if any(ref() == callback for ref in _callbacks):
        return
    ref: _Ref = (
        weakref.WeakMethod(callback) if inspect.ismethod(callback) else weakref.ref(callback)
    )
    _callbacks.append(ref)


def remove_language_callback(callback: Callback) -> None:
    """Stop calling ``callback`` (e.g. a window closed but still referenced)."""
    _callbacks[:] = [ref for ref in _callbacks if ref() not in (None, callback)]


def _live_callbacks() -> list[Callback]:
    live = [(ref, ref()) for ref in _callbacks]
    _callbacks[:] = [ref for ref, callback in live if callback is not None]
    return [callback for _ref, callback in live if callback is not None]
