"""Which bed is free when: stays never overlap on a bed, so no room is ever
over its bed count, including stays already in the database."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import UTC, datetime

from station_app.domain.enums import Sex

FOREVER = datetime.max.replace(tzinfo=UTC)  # a stay still open


@dataclass
class _Bed:
    room_id: int
    number: int
    starts: list[datetime] = field(default_factory=list)
    ends: list[datetime] = field(default_factory=list)  # ends[i] belongs to starts[i]

    def is_free(self, start: datetime, end: datetime) -> bool:
        i = bisect_right(self.starts, start)
        if i > 0 and self.ends[i - 1] > start:
            return False
        return not (i < len(self.starts) and self.starts[i] < end)

    def book(self, start: datetime, end: datetime) -> None:
        i = bisect_right(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)

    def forget_before(self, moment: datetime) -> None:
        """Drop stays that ended before ``moment`` (no new stay starts earlier)."""
        keep = [(s, e) for s, e in zip(self.starts, self.ends, strict=True) if e >= moment]
        self.starts = [s for s, _ in keep]
        self.ends = [e for _, e in keep]


class BedBoard:
    """Beds by room; ``allocate`` finds a bed free for a whole stay."""

    def __init__(self) -> None:
        self._beds: dict[tuple[int, int], _Bed] = {}
        self._by_group: dict[tuple[Sex, bool], list[_Bed]] = {}
        self._turn = 0

    def add_room(self, room_id: int, sex: Sex, beds: int, family: bool) -> None:
        group = self._by_group.setdefault((sex, family), [])
        for number in range(1, beds + 1):
            bed = _Bed(room_id, number)
            self._beds[(room_id, number)] = bed
            group.append(bed)

    def occupy(self, room_id: int, bed_number: int, start: datetime, end: datetime | None) -> None:
        """A stay already on record (its bed may be outside the room's count)."""
        key = (room_id, bed_number)
        bed = self._beds.get(key)
        if bed is None:
            bed = self._beds[key] = _Bed(room_id, bed_number)
        bed.book(start, end or FOREVER)

    def allocate(
        self, sex: Sex, start: datetime, end: datetime | None, *, family_first: bool = False
    ) -> tuple[int, int] | None:
        """Book a bed for [start, end) in a room of ``sex``; None if all are taken."""
        stop = end or FOREVER
        groups = [(sex, True), (sex, False)] if family_first else [(sex, False), (sex, True)]
        for group in groups:
            beds = self._by_group.get(group, [])
            if not beds:
                continue
            # Start at a turning offset so beds wear evenly and searches stay short.
            self._turn += 1
            offset = self._turn % len(beds)
            for i in range(len(beds)):
                bed = beds[(offset + i) % len(beds)]
                if bed.is_free(start, stop):
                    bed.book(start, stop)
                    return bed.room_id, bed.number
        return None

    def release(self, room_id: int, bed_number: int, start: datetime) -> None:
        """Undo the booking starting at ``start`` (a planned stay that will not happen)."""
        bed = self._beds[(room_id, bed_number)]
        i = bed.starts.index(start)
        del bed.starts[i]
        del bed.ends[i]

    def forget_before(self, moment: datetime) -> None:
        for bed in self._beds.values():
            if bed.ends and bed.ends[0] < moment:
                bed.forget_before(moment)
