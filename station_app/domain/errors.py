"""Errors a user can fix, carrying a translatable message.

The message is an English gettext id with ``{name}`` placeholders; the layer
that shows it (GUI dialog, CLI) translates it into the user's language with
:meth:`UserError.render`. Domain code marks ids with :func:`N_` so that babel
extracts them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from typing import Any, Self


def N_(message: str) -> str:
    """Mark a message id for extraction without translating it here."""
    return message


class UserError(Exception):
    """Something the user did or typed that they can fix.

    ``field`` names the input at fault (e.g. ``"id_number"``) so a form can
    point at it. ``row`` is set when the input at fault is an entry of a list
    (an encounter of a patrol shift, a room of a station, a relative of a
    person): its index in the list the service was given, so a table can
    point at the line. It is no constructor argument: subclasses and message
    ids already use ``row`` as a placeholder (``"Row {row}: …"``).
    """

    def __init__(self, message: str, *, field: str | None = None, **params: Any) -> None:
        super().__init__(message.format(**params) if params else message)
        self.message = message
        self.field = field
        self.params = params
        self.row: int | None = None

    def at_row(self, row: int) -> Self:
        """This error, about entry ``row`` of the list given (``raise X(...).at_row(i)``)."""
        self.row = row
        return self

    def render(self, gettext: Callable[[str], str]) -> str:
        """The message in the language of ``gettext``.

        Parameters that name a field (``field_name``) or hold a code-list value
        are shown by their translated labels, not their internal keys.
        """
        from .labels import enum_label, field_label  # labels import this module

        params: dict[str, Any] = {}
        for key, value in self.params.items():
            if isinstance(value, Enum):
                value = gettext(enum_label(value))
            elif key == "field_name" and isinstance(value, str):
                value = gettext(field_label(value))
            params[key] = value
        text = gettext(self.message)
        return text.format(**params) if params else text


@contextmanager
def checking_row(row: int) -> Iterator[None]:
    """Errors raised inside are about entry ``row`` of the list being checked.

    The outermost list wins: an item of an encounter is reported at the
    encounter, the entry of the list the service was given."""
    try:
        yield
    except UserError as exc:
        exc.row = row
        raise


class ValidationError(UserError):
    """Input that breaks a rule of the domain."""


class PermissionDenied(UserError):
    """The acting user's role may not do this."""


class SessionEnded(PermissionDenied):
    """The acting user's account was deactivated (or removed) since logging in:
    the session ends; a window reacts by logging out."""


class NotFound(UserError):
    """A record the user asked for does not exist (or is not of this station)."""


class Conflict(UserError):
    """The action clashes with what is already recorded."""


class Warning_(UserError):  # noqa: N801 - trailing underscore avoids the builtin
    """Not an error: something staff should look at (e.g. unknown region code)."""
