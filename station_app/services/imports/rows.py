"""One ledger row turned into the input of the registration form.

Problems are collected per cell, so a row reports all of its faults at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from station_app.domain import regions
from station_app.domain.enums import NameKind
from station_app.domain.errors import N_, UserError, Warning_
from station_app.domain.text import remove_invisible, to_halfwidth
from station_app.services.persons import PersonInput, RelativeInput

from .columns import BY_KEY, FIELD_TO_KEY, NAME_COLUMNS, Layout
from .report import RowProblem, RowWarning
from .values import (
    DOC_TYPES,
    HUKOU_CODE,
    LANGUAGE_SEPARATORS,
    LANGUAGES,
    LIST_SEPARATORS,
    REFUSED_MARKERS,
    SEX,
    SEX_UNKNOWN_CODES,
    UNKNOWN_MARKERS,
    PlaceMatcher,
    cell_text,
    choice,
    excel_serial,
    id_text,
    is_empty,
    parse_age,
    parse_date,
    serial_birth_date,
)


@dataclass
class _Row:
    number: int
    data: PersonInput
    problems: list[RowProblem]
    warnings: list[UserError]


def with_header(error: UserError, header: str) -> UserError:
    """The error with the column header in place of an internal field name."""
    if "field_name" not in error.params:
        return error
    params = {**error.params, "field_name": header}
    renamed = type(error)(error.message, field=error.field, **params)
    renamed.row = error.row
    return renamed


class RowReader:
    """Reads the rows of one file with its layout; ``places`` is shared by all its rows."""

    def __init__(self, layout: Layout, places: PlaceMatcher, today: date) -> None:
        self.layout = layout
        self.places = places
        self.today = today

    def column_of(self, error_field: str | None) -> str | None:
        """The header an error of :func:`apply_input` points at."""
        key = FIELD_TO_KEY.get(error_field or "")
        if key == "name_zh" and key not in self.layout.columns:
            # "enter a name or a description": point at the name column the file has
            key = next(k for k in NAME_COLUMNS if k in self.layout.columns)
        return self.layout.header(key) if key else None

    def read(self, number: int, cells: Sequence[Any]) -> _Row:
        data = PersonInput()
        problems: list[RowProblem] = []
        warnings: list[UserError] = []
        values: dict[str, Any] = {}
        for key, (index, _) in self.layout.columns.items():
            value = cells[index] if index < len(cells) else None
            if isinstance(value, str):
                value = remove_invisible(value)
            if is_empty(value):
                continue
            column = BY_KEY[key]
            if column.markers and isinstance(value, str):
                marker = to_halfwidth(value).strip()
                if marker in REFUSED_MARKERS:
                    if column.quality:
                        data.refused.add(column.quality)
                    continue
                if marker in UNKNOWN_MARKERS:
                    continue
            values[key] = value
        for key, value in values.items():
            try:
                self._convert(key, value, data, number, warnings)
            except UserError as exc:
                header = self.layout.header(key)
                problems.append(RowProblem(number, header, with_header(exc, header)))
        # a value typed in one name column outweighs 拒绝提供 in the other
        if data.name_zh or data.name_bo:
            data.refused.discard("name")
        if data.birth_date is not None or data.estimated_age is not None:
            data.refused.discard("birth")
        return _Row(number, data, problems, warnings)

    def _convert(
        self, key: str, value: Any, data: PersonInput, number: int, warnings: list[UserError]
    ) -> None:
        if key == "seq":
            return
        if key in ("name_zh", "name_bo", "residence", "notes", "description", "ethnicity"):
            setattr(data, key, cell_text(value))
        elif key == "aliases":
            data.other_names = [
                (NameKind.ALIAS, part)
                for part in LIST_SEPARATORS.split(cell_text(value))
                if part.strip()
            ]
        elif key == "sex":
            if to_halfwidth(cell_text(value)).strip() in SEX_UNKNOWN_CODES:
                return  # GB/T 2261.1: 0 unknown, 9 not stated
            data.sex = choice(
                value,
                SEX,
                N_(
                    "{value} is not a sex the import knows; write 男 or 女 (or the national "
                    "codes 1 for male and 2 for female)."
                ),
                "sex",
            )
        elif key == "birth_date":
            serial = excel_serial(value)
            if serial is None:
                data.birth_date = parse_date(value)
                return
            data.birth_date = serial_birth_date(serial, self.today)
            warnings.append(
                RowWarning(
                    number,
                    self.layout.header("birth_date"),
                    Warning_(
                        N_(
                            "{value} is a date that Excel stores as a number (an Excel date "
                            "number); it was read as {date}. Check it, and in Excel set the "
                            "column's format to Date (日期) so that the dates show as dates."
                        ),
                        field="birth_date",
                        value=str(serial),
                        date=data.birth_date.isoformat(),
                    ),
                )
            )
        elif key == "age":
            data.estimated_age = parse_age(value)
        elif key == "id_doc_type":
            data.id_doc_type = choice(
                value,
                DOC_TYPES,
                N_(
                    "{value} is not a document type the import knows; write 身份证, 户口簿, "
                    "护照 or 其他."
                ),
                "id_doc_type",
            )
        elif key == "id_number":
            data.id_number = id_text(value)
        elif key == "hukou":
            self._hukou(cell_text(value), data, number, warnings)
        elif key == "phone":
            data.phone = cell_text(value)
        elif key == "languages":
            data.languages = list(
                dict.fromkeys(
                    choice(
                        part,
                        LANGUAGES,
                        N_(
                            "{value} is not a language the import knows; write 藏语, 汉语 "
                            "or 彝语 (several separated by 、)."
                        ),
                        "languages",
                    )
                    for part in LANGUAGE_SEPARATORS.split(to_halfwidth(cell_text(value)))
                    if part
                )
            )
        elif key.startswith("relative_"):
            if not data.relatives:
                data.relatives.append(RelativeInput(name=""))
            relative = data.relatives[0]
            text = cell_text(value)
            if key == "relative_name":
                relative.name = text
            elif key == "relative_relation":
                relative.relation = text
            else:
                relative.phone = text
        else:  # pragma: no cover - every column key is handled above
            raise AssertionError(key)

    def _hukou(self, text: str, data: PersonInput, number: int, warnings: list[UserError]) -> None:
        compact = to_halfwidth(text).strip()
        match = HUKOU_CODE.fullmatch(compact)
        if match is not None and regions.region(match[1]) is not None:
            data.hukou_code = match[1]
            data.hukou_text = match[2].strip() or None
            return
        data.hukou_text = text
        if match is not None:
            warnings.append(
                RowWarning(
                    number,
                    self.layout.header("hukou"),
                    Warning_(
                        N_(
                            "{code} at the start of the place of household registration is "
                            "not a known region code; the place was kept as text. Check the "
                            "code."
                        ),
                        field="hukou_code",
                        code=match[1],
                    ),
                )
            )
            compact = match[2]
        data.hukou_code = self.places.match(compact)
