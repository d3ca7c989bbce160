"""Merged cells below the headers of a workbook.

Excel keeps the value of merged cells in the first one only; openpyxl reads
the others as empty. A value merged down over several rows (民族 藏族 over the
rows of a family) belongs to each of them, so it is copied into every row, and
the import says so once per merged range.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .reading import Merge
from .values import is_empty


class MergedCells:
    """Fills the cells of vertical merges that start below the header rows."""

    def __init__(self, merges: Sequence[Merge], first_data_row: int) -> None:
        self._starting: dict[int, list[Merge]] = {}
        for merge in merges:
            if merge.max_row > merge.min_row and merge.min_row >= first_data_row:
                self._starting.setdefault(merge.min_row, []).append(merge)
        self._active: list[tuple[Merge, Any]] = []
        self._reported: set[Merge] = set()

    def fill(self, number: int, cells: list[Any]) -> list[Merge]:
        """Copy merged values into the row ``number`` (in place; rows come in order);
        return the merges whose value was copied for the first time."""
        if not self._starting and not self._active:
            return []
        self._active = [(m, v) for m, v in self._active if m.max_row >= number]
        for merge in self._starting.pop(number, ()):
            index = merge.min_col - 1
            value = cells[index] if index < len(cells) else None
            if not is_empty(value):
                self._active.append((merge, value))
        first_fills: list[Merge] = []
        for merge, value in self._active:
            if merge.min_row == number:
                continue
            index = merge.min_col - 1
            if index >= len(cells):
                cells.extend([None] * (index + 1 - len(cells)))
            if is_empty(cells[index]):
                cells[index] = value
                if merge not in self._reported:
                    self._reported.add(merge)
                    first_fills.append(merge)
        return first_fills
