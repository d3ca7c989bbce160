"""A person met as the team types it (one row of the grid), and reading the
typed text into the service's :class:`~station_app.services.patrol.EncounterInput`.

The grid holds text as typed: a time ``21:30``, the person as a name picked
from the records or a code name and description (``桥洞老人，约六十岁``), the
items as ``棉衣×1, 食品×2``. Reading it can only fail on text it cannot read
(a time, an item name); every rule of the shift is the service's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from station_app.domain.enums import EncounterAction
from station_app.domain.errors import N_, ValidationError
from station_app.domain.names import pinyin_readings
from station_app.domain.typed_dates import UnreadableDate, Want, read_typed
from station_app.gui.formatting import CHINA
from station_app.services import patrol
from station_app.services.supplies import ItemView

BAD_TIME = N_("Write the time in row {row} as hours and minutes, e.g. 21:30, not “{value}”.")
NO_ACTION = N_("Choose the action taken in row {row}.")
UNKNOWN_ITEM = N_(
    "Row {row}: “{item}” is not in the supplies catalogue; choose an item from the list, "
    "e.g. 棉衣×1."
)
AMBIGUOUS_ITEM = N_("Row {row}: “{item}” fits several items ({items}); type more of the name.")
BAD_ITEM_QUANTITY = N_("Row {row}: write the quantity of {item} as a number, e.g. 棉衣×2.")

_QUANTITY_SIGN = re.compile(r"(.*?)\s*[×*＊]\s*(\S+)")
_QUANTITY_DIGITS = re.compile(r"(.*?)\s*(\d+(?:\.\d+)?)")
_QUANTITY_X = re.compile(r"(.*?)\s*[xX]\s*(\d\S*)")
ITEM_SEPARATORS = re.compile(r"[,，、;；]+")
_PERSON_SEPARATORS = re.compile(r"[,，;；]")
CODE_NAME_LENGTH = 60
# A time before the start by more than this is on the next day (a night shift).
NEXT_DAY_MARGIN = timedelta(hours=1)


# a service error's field about an encounter -> the grid column (a field of EncounterRow)
CELL_FIELDS = {
    "met_at": "time",
    "arrived_at": "time",
    "place": "place",
    "code_name": "person",
    "description": "person",
    "person_id": "person",
    "condition": "condition",
    "needs": "needs",
    "action": "action",
    "refusal_reason": "refusal_reason",
    "items": "items",
    "item_id": "items",
    "quantity": "items",
    "follow_up_note": "follow_up",
}


class CellError(ValidationError):
    """Text in the grid that cannot be read; ``row`` and ``column`` point at it."""

    def __init__(self, message: str, *, row: int, column: int, field: str, **params: Any) -> None:
        super().__init__(message, field=field, row=row + 1, **params)
        self.row = row
        self.column = column


@dataclass
class EncounterRow:
    """One person met, as typed."""

    time: str = ""
    place: str = ""
    person: str = ""  # a name from the records, or code name and description
    person_id: int | None = None  # picked from the records
    condition: str = ""
    needs: str = ""
    action: EncounterAction | None = None
    refusal_reason: str = ""
    items: str = ""
    follow_up: str = ""
    id: int | None = None  # an encounter of the shift being corrected
    help_request_id: int | None = None  # its arrival at the desk

    def is_blank(self) -> bool:
        return not any(
            (self.place, self.person, self.condition, self.needs, self.refusal_reason)
        ) and not (self.items or self.follow_up or self.id)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["action"] = self.action.value if self.action is not None else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EncounterRow:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        action = values.get("action")
        values["action"] = EncounterAction(action) if action else None
        return cls(**values)

    @classmethod
    def of(cls, e: patrol.EncounterView) -> EncounterRow:
        person = e.person_name or ""
        if e.person_id is None:
            person = "，".join(x for x in (e.code_name, e.description) if x)
        items = ", ".join(f"{i.item_name}×{i.quantity.normalize():f}" for i in e.items)
        return cls(
            time=e.met_at.astimezone(CHINA).strftime("%H:%M"),
            place=e.place,
            person=person,
            person_id=e.person_id,
            condition=e.condition or "",
            needs=e.needs or "",
            action=e.action,
            refusal_reason=e.refusal_reason or "",
            items=items,
            follow_up=e.follow_up_note or "",
            id=e.id,
            help_request_id=e.help_request_id,
        )


def parse_time(text: str, row: int, column: int) -> time:
    """The time typed in a row, read as every time field reads it (``2130``,
    ``21:30``, ``21``; full-width and Tibetan digits too)."""
    try:
        clock = read_typed(text, date.min, Want.CLOCK).clock
    except UnreadableDate:
        clock = None
    if clock is None:
        raise CellError(BAD_TIME, row=row, column=column, field="met_at", value=text)
    return clock


def normal_time(text: str) -> str:
    """``2130`` as ``21:30``; text that is not a time stays as typed (refused on submit)."""
    try:
        return parse_time(text, 0, 0).strftime("%H:%M")
    except CellError:
        return text


def met_at(shift_date: date, started_at: datetime, clock: time) -> datetime:
    """The moment of a time of day in a shift: after midnight in a night shift
    it is the next day."""
    moment = datetime.combine(shift_date, clock, CHINA)
    if moment < started_at - NEXT_DAY_MARGIN:
        moment += timedelta(days=1)
    return moment


@lru_cache(maxsize=1024)
def item_keys(item: ItemView) -> tuple[str, ...]:
    """What an item is found by, casefolded: its names and code, the pinyin of
    its Chinese name whole and as initials (棉衣: ``mianyi``, ``my``)."""
    keys = [n.casefold() for n in (item.name_zh, item.code, item.name_bo, item.name_en) if n]
    for reading in pinyin_readings(item.name_zh):
        keys += ["".join(reading), "".join(s[:1] for s in reading)]
    return tuple(dict.fromkeys(keys))


def with_item_keys(sheet: patrol.ShiftSheet) -> patrol.ShiftSheet:
    """The sheet read for the shift form, its items' keys worked out (pypinyin
    loads its dictionaries at first use): called off the GUI thread, so the
    items cell opens at once."""
    for item in sheet.catalogue:
        item_keys(item)
    return sheet


def matching_items(catalogue: Sequence[ItemView], typed: str) -> list[ItemView]:
    """The items ``typed`` names: a whole name, code or pinyin (initials) if one
    is; else every item with it in a name (联系, 卡 → 救助联系卡) or starting
    its pinyin or initials."""
    wanted = typed.strip().casefold()
    if not wanted:
        return []
    keyed = [(item, item_keys(item)) for item in catalogue]
    exact = [item for item, keys in keyed if wanted in keys]
    if exact:
        return exact
    return [
        item
        for item, keys in keyed
        if any(wanted in n.casefold() for n in (item.name_zh, item.name_bo, item.name_en) if n)
        or any(k.startswith(wanted) for k in keys)
    ]


def quantity_splits(part: str) -> list[tuple[str, str]]:
    """Ways to read ``棉衣×2``, ``棉衣2``, ``mb*2``, ``棉衣x2`` as (name, quantity),
    the likelier first; without a quantity it is 1."""
    out = [(m.group(1), m.group(2)) for m in (_QUANTITY_SIGN.fullmatch(part),) if m]
    out += [(m.group(1), m.group(2)) for m in (_QUANTITY_DIGITS.fullmatch(part),) if m]
    out += [(m.group(1), m.group(2)) for m in (_QUANTITY_X.fullmatch(part),) if m]
    return [(name.strip(), quantity) for name, quantity in out if name.strip()] + [(part, "1")]


def read_item(catalogue: Sequence[ItemView], part: str) -> tuple[list[ItemView], str, str]:
    """The items one part of the items cell names, with the name and quantity read."""
    splits = quantity_splits(part.strip())
    for name, quantity in splits:
        found = matching_items(catalogue, name)
        if found:
            return found, name, quantity
    return [], *splits[0]


def normal_items(text: str, catalogue: Sequence[ItemView]) -> str:
    """The items cell as the catalogue names them: ``my2, 联系`` → ``棉衣×2, 救助联系卡×1``;
    a part naming no single item stays as typed (refused on submit)."""
    out: list[str] = []
    for part in ITEM_SEPARATORS.split(text):
        if not part.strip():
            continue
        found, _name, quantity = read_item(catalogue, part)
        if len(found) == 1 and quantity.isascii():
            out.append(f"{found[0].name_zh}×{quantity}")
        else:
            out.append(part.strip())
    return ", ".join(out)


def parse_items(
    text: str, catalogue: Sequence[ItemView], row: int, column: int
) -> list[patrol.ItemGiven]:
    """``棉衣×1, 食品×2`` (a missing quantity is 1; ``棉衣2``, ``my*2`` too) as
    items of the catalogue."""
    out: list[patrol.ItemGiven] = []
    for part in ITEM_SEPARATORS.split(text):
        if not part.strip():
            continue
        found, name, quantity = read_item(catalogue, part)
        if not found:
            raise CellError(UNKNOWN_ITEM, row=row, column=column, field="items", item=name)
        if len(found) > 1:
            names = "、".join(i.name_zh for i in found)
            raise CellError(
                AMBIGUOUS_ITEM, row=row, column=column, field="items", item=name, items=names
            )
        item = found[0]
        if not quantity.isascii():
            raise CellError(
                BAD_ITEM_QUANTITY, row=row, column=column, field="quantity", item=item.name_zh
            )
        out.append(patrol.ItemGiven(item_id=item.id, quantity=quantity))
    return out


def person_fields(text: str) -> tuple[str | None, str | None]:
    """Code name and description from ``桥洞老人，约六十岁，灰棉衣``: the first
    part names the person, the rest describes them."""
    value = text.strip()
    if not value:
        return None, None
    parts = _PERSON_SEPARATORS.split(value, maxsplit=1)
    head = parts[0].strip()
    rest = parts[1].strip() if len(parts) > 1 else ""
    if len(head) > CODE_NAME_LENGTH:
        return None, value
    return head or None, rest or None


def to_input(
    r: EncounterRow,
    index: int,
    *,
    shift_date: date,
    started_at: datetime,
    catalogue: Sequence[ItemView],
    columns: dict[str, int],
) -> patrol.EncounterInput:
    """The row ``index`` for the service."""
    if r.action is None:
        raise CellError(NO_ACTION, row=index, column=columns["action"], field="action")
    clock = parse_time(r.time, index, columns["time"])
    code_name, description = (None, None) if r.person_id else person_fields(r.person)
    return patrol.EncounterInput(
        met_at=met_at(shift_date, started_at, clock),
        place=r.place,
        action=r.action,
        person_id=r.person_id,
        code_name=code_name,
        description=description,
        condition=r.condition.strip() or None,
        needs=r.needs.strip() or None,
        refusal_reason=r.refusal_reason.strip() or None,
        follow_up_needed=bool(r.follow_up.strip()),
        follow_up_note=r.follow_up.strip() or None,
        items=parse_items(r.items, catalogue, index, columns["items"]),
        id=r.id,
    )
