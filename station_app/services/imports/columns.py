"""The columns of the ledger layout, the headers they are known by, and the header row.

Headers are matched leniently (synonyms, spaces, a required-field star, a
(选填)-style suffix) because every station has named its columns its own way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from station_app.domain.errors import N_, UserError
from station_app.domain.text import to_halfwidth

from .reading import Table
from .values import cell_text, is_empty


@dataclass(frozen=True)
class ImportColumn:
    """One column of the ledger layout.

    ``fields`` are the ``field`` names of :func:`station_app.services.persons.apply_input`
    errors that point at this column; ``quality`` is the key of
    :data:`station_app.services.persons.QUALITY_FIELDS` that 拒绝提供 in this column marks refused.
    """

    key: str
    header: str
    synonyms: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    quality: str | None = None
    markers: bool = True  # whether 不详 / 拒绝提供 are read as markers, not text


COLUMNS: tuple[ImportColumn, ...] = (
    ImportColumn("seq", "序号", ("编号", "No", "No.")),
    ImportColumn("name_zh", "姓名", ("中文姓名", "汉文姓名", "汉语姓名"), ("name_zh",), "name"),
    ImportColumn(
        "name_bo", "藏文姓名", ("藏文名", "藏文名字", "藏名", "藏语姓名"), ("name_bo",), "name"
    ),
    ImportColumn(
        "aliases",
        "别名",
        ("曾用名", "其他名字", "其他姓名", "别名/曾用名", "其他名字/别名"),
        ("other_names",),
    ),
    ImportColumn("sex", "性别", (), ("sex",), "sex"),
    ImportColumn("ethnicity", "民族", (), ("ethnicity",), "ethnicity"),
    ImportColumn(
        "birth_date", "出生日期", ("出生年月日", "出生年月", "生日"), ("birth_date",), "birth"
    ),
    ImportColumn(
        "age", "年龄", ("目测年龄", "估计年龄"), ("estimated_age", "age_estimated_on"), "birth"
    ),
    ImportColumn("id_doc_type", "证件类型", ("证件种类",), ("id_doc_type",)),
    ImportColumn(
        "id_number",
        "身份证号",
        ("身份证号码", "证件号码", "证件号", "身份证", "公民身份号码"),
        ("id_number",),
        "id_number",
    ),
    ImportColumn(
        "hukou",
        "户籍地",
        ("户口所在地", "户籍所在地", "户籍", "户籍地址", "籍贯"),
        ("hukou_text", "hukou_code"),
        "hukou",
    ),
    ImportColumn(
        "residence",
        "现住址",
        ("居住地", "现居住地", "现住地址", "住址"),
        ("residence",),
        "residence",
    ),
    ImportColumn(
        "phone",
        "联系电话",
        ("电话", "电话号码", "手机", "手机号", "手机号码", "联系方式"),
        ("phone",),
        "phone",
    ),
    ImportColumn("languages", "语言", ("使用语言", "语种"), ("languages",)),
    ImportColumn("relative_name", "亲属姓名", ("家属姓名",), ("relative_name",)),
    ImportColumn("relative_relation", "亲属关系", ("与本人关系",), ("relative_relation",)),
    ImportColumn("relative_phone", "亲属电话", ("亲属联系电话", "家属电话"), ("relative_phone",)),
    ImportColumn("notes", "备注", (), ("notes",), markers=False),
    ImportColumn(
        "description",
        "身份不明描述",
        ("体貌特征", "外貌特征", "特征描述", "身份不明人员描述"),
        ("description",),
        markers=False,
    ),
)
BY_KEY = {c.key: c for c in COLUMNS}
NAME_COLUMNS = ("name_zh", "name_bo", "description")
FIELD_TO_KEY = {f: c.key for c in COLUMNS for f in c.fields}


def _header_key(text: str) -> str:
    """Header as compared: no spaces, no required-field star, no (选填)-style suffix."""
    text = re.sub(r"\s+", "", to_halfwidth(text)).replace("\ufeff", "")
    text = text.lstrip("*")
    return re.sub(r"\((?:必填|选填|可选|可不填|必须)\)$", "", text).casefold()


_HEADER_INDEX: dict[str, ImportColumn] = {
    _header_key(name): c for c in COLUMNS for name in (c.header, *c.synonyms)
}


@dataclass
class Layout:
    """Where the header row of a file is and which of its columns the import reads."""

    header_row: int
    columns: dict[str, tuple[int, str]]  # key -> (index, header as written)
    unknown: list[str]

    def header(self, key: str) -> str:
        found = self.columns.get(key)
        return found[1] if found else BY_KEY[key].header


def find_layout(path: Path, table: Table) -> tuple[Layout, list[tuple[int, list[Any]]]]:
    """The layout from the first filled row (the headers), and the rows below it."""
    start = next(
        (i for i, (_, cells) in enumerate(table.rows) if not all(map(is_empty, cells))), None
    )
    if start is None:
        raise UserError(
            N_(
                "{file} is empty: no row with column headers was found. Start from the import "
                "template."
            ),
            file=path.name,
        )
    header_row, header_cells = table.rows[start]
    columns: dict[str, tuple[int, str]] = {}
    unknown: list[str] = []
    for index, cell in enumerate(header_cells):
        if is_empty(cell):
            continue
        written = cell_text(cell).strip()
        column = _HEADER_INDEX.get(_header_key(written))
        if column is None:
            unknown.append(written)
            continue
        if column.key in columns:
            raise UserError(
                N_(
                    "The columns {first} and {second} of {file} hold the same information "
                    "({header}); delete or rename one of them and import again."
                ),
                file=path.name,
                first=columns[column.key][1],
                second=written,
                header=column.header,
            )
        columns[column.key] = (index, written)
    if not any(key in columns for key in NAME_COLUMNS):
        raise UserError(
            N_(
                "The first filled row of {file} (row {row}) should hold the column headers, and "
                "at least one of them must be {expected}. Headers found: {found}. Start from "
                "the import template."
            ),
            file=path.name,
            row=header_row,
            expected=" / ".join(BY_KEY[k].header for k in NAME_COLUMNS),
            found="、".join(cell_text(c).strip() for c in header_cells if not is_empty(c)) or "-",
        )
    return Layout(header_row, columns, unknown), table.rows[start + 1 :]
