"""How a room is named: on screen in the screen language, on paper in both."""

from __future__ import annotations


def room_label(name: str, name_bo: str | None, language: str) -> str:
    """The room's name in ``language``: the Tibetan name on a Tibetan screen
    where the room has one, else the Chinese name (the name on the door)."""
    if language == "bo" and name_bo:
        return name_bo
    return name


def bilingual_room(name: str, name_bo: str | None) -> str:
    """The Chinese name, then the Tibetan name where the room has one (printed forms)."""
    return f"{name} {name_bo}" if name_bo else name
