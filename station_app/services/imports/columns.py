"""The columns of the ledger layout, the headers they are known by, and the header rows.

Headers are matched leniently (synonyms, spaces, a required-field star, a
(选填)-style suffix) because every station has named its columns its own way.
Two header rows are read too: a title merged over several columns above their
own headers (姓名 over 汉文 | 藏文, 亲属 over 姓名 | 电话, 基本信息 over ...),
the other headers merged down over both rows.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from station_app.domain.errors import N_, UserError
from station_app.domain.text import remove_invisible, to_halfwidth

from .reading import Merge
from .values import cell_text, is_empty

Rows = Iterator[tuple[int, list[Any]]]


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
    text = re.sub(r"\s+", "", remove_invisible(to_halfwidth(text)))
    text = text.lstrip("*")
    return re.sub(r"\((?:必填|选填|可选|可不填|必须)\)$", "", text).casefold()


_HEADER_INDEX: dict[str, ImportColumn] = {
    _header_key(name): c for c in COLUMNS for name in (c.header, *c.synonyms)
}
# Second-row headers under a name title (姓名 over 汉文 | 藏文) that the
# synonyms above do not already give as 汉文姓名 / 藏文姓名.
_NAME_SCRIPTS = {
    _header_key(k): v
    for k, v in {
        "汉文": "name_zh",
        "中文": "name_zh",
        "汉语": "name_zh",
        "汉字": "name_zh",
        "汉": "name_zh",
        "藏文": "name_bo",
        "藏语": "name_bo",
        "藏": "name_bo",
    }.items()
}


def _column(text: str) -> ImportColumn | None:
    return _HEADER_INDEX.get(_header_key(text)) if text else None


def _column_of_pair(title: str, sub: str) -> ImportColumn | None:
    """The column a header under a title names: 姓名/汉文, 亲属/电话, 基本信息/姓名."""
    if not sub:
        return _column(title)
    if not title or _header_key(title) == _header_key(sub):
        return _column(sub)
    for text in (title + sub, sub + title):
        found = _column(text)
        if found is not None:
            return found
    above = _column(title)
    script = _NAME_SCRIPTS.get(_header_key(sub))
    if above is not None and above.key in ("name_zh", "name_bo") and script:
        return BY_KEY[script]
    return _column(sub)


def _is_header_word(text: str) -> bool:
    return _column(text) is not None or _header_key(text) in _NAME_SCRIPTS


@dataclass
class Layout:
    """Where the header rows of a file are and which of its columns the import reads."""

    header_row: int  # the last header row
    columns: dict[str, tuple[int, str]]  # key -> (index, header as written)
    unknown: list[str]
    header_rows: int = 1  # filled rows that are headers: 1, or 2 for a two-level header

    def header(self, key: str) -> str:
        found = self.columns.get(key)
        return found[1] if found else BY_KEY[key].header


def _texts(cells: Sequence[Any], width: int) -> list[str]:
    out = [cell_text(c).strip() if not is_empty(c) else "" for c in cells[:width]]
    return out + [""] * (width - len(out))


def _titles(row: int, top: list[str], sub: list[str], merges: Sequence[Merge]) -> list[str]:
    """The title above each column: its own top cell, the cell a merge across the top
    row starts with, or (as Excel writes merged cells to CSV: first cell filled, the
    others empty) the nearest title to the left when the cell below has a header."""
    titles: list[str] = []
    current = ""
    for index, text in enumerate(top):
        if text:
            current = text
        else:
            merge = next((m for m in merges if m.min_row == row and m.covers(row, index + 1)), None)
            if merge is not None:
                current = top[merge.min_col - 1] if merge.min_col - 1 < len(top) else ""
            elif not sub[index]:
                current = ""
        titles.append(current)
    return titles


def _two_level(
    top_row: int, top: list[str], sub: list[str], merges: Sequence[Merge]
) -> list[tuple[str, ImportColumn | None]] | None:
    """(header as written, column) of each column when the two rows are one header."""
    if not any(sub):
        return None
    titles = _titles(top_row, top, sub, merges)
    pairs: list[tuple[str, ImportColumn | None]] = []
    for title, below in zip(titles, sub, strict=True):
        column = _column_of_pair(title, below)
        if below and (not title or title == below or (column and _column(below) is column)):
            written = below  # the title adds nothing (基本信息, a sheet title)
        else:
            written = f"{title}/{below}" if below else title
        pairs.append((written, column))
    found = [column for (_, column), below in zip(pairs, sub, strict=True) if below]
    merged_title = any(
        m.min_row == top_row and (m.max_col > m.min_col or m.max_row > m.min_row) for m in merges
    )
    if all(found) or (merged_title and any(found)):
        return pairs
    return None


def _header_like(layout: Layout, cells: Sequence[Any]) -> str | None:
    """The header words of a data row that is really one more header row, else None."""
    texts = [cell_text(c).strip() for c in cells if not is_empty(c)]
    headers = [t for t in texts if _column(t) is not None]
    names = [
        cell_text(cells[index]).strip()
        for key in NAME_COLUMNS
        if key in layout.columns
        for index in [layout.columns[key][0]]
        if index < len(cells) and not is_empty(cells[index])
    ]
    if any(_is_header_word(n) for n in names) or (
        len(headers) >= 2 and 2 * len(headers) > len(texts)
    ):
        return "、".join(texts)
    return None


def _next_filled(rows: Rows, skipped: list[tuple[int, list[Any]]]) -> tuple[int, list[Any]] | None:
    for number, cells in rows:
        if not all(map(is_empty, cells)):
            return number, cells
        skipped.append((number, cells))
    return None


def find_layout(path: Path, rows: Rows, merges: Sequence[Merge] = ()) -> tuple[Layout, Rows]:
    """The layout from the first filled row (the headers, or two rows of them), and
    the rows below it, still streamed."""
    first = _next_filled(rows, [])
    if first is None:
        raise UserError(
            N_(
                "{file} is empty: no row with column headers was found. Start from the import "
                "template."
            ),
            file=path.name,
        )
    header_row, header_cells = first
    below = next(rows, None)
    width = max(len(header_cells), len(below[1]) if below else 0)
    top = _texts(header_cells, width)
    pairs: list[tuple[str, ImportColumn | None]] | None = None
    if below is not None and below[0] == header_row + 1:
        pairs = _two_level(header_row, top, _texts(below[1], width), merges)
    if pairs is not None and below is not None:
        header_row, header_rows, rest = below[0], 2, rows
    else:
        pairs = [(text, _column(text)) for text in top]
        header_rows = 1
        rest = itertools.chain([below], rows) if below is not None else rows

    columns: dict[str, tuple[int, str]] = {}
    unknown: list[str] = []
    for index, (written, column) in enumerate(pairs):
        if not written:
            continue
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
            row=first[0],
            expected=" / ".join(BY_KEY[k].header for k in NAME_COLUMNS),
            found="、".join(cell_text(c).strip() for c in header_cells if not is_empty(c)) or "-",
        )
    layout = Layout(header_row, columns, unknown, header_rows)

    # Never import a header row as a person: a second header row the import could
    # not read stops the import, with the layout it expects.
    skipped: list[tuple[int, list[Any]]] = []
    data = _next_filled(rest, skipped)
    if data is None:
        return layout, iter(skipped)
    found = _header_like(layout, data[1])
    if found is not None:
        raise UserError(
            N_(
                "Row {row} of {file} looks like one more row of column headers ({found}), and "
                "the import cannot tell which column each of its cells belongs to. Make one "
                "header row with one header per column, for example 姓名 and 藏文姓名 instead "
                "of 姓名 above 汉文 | 藏文 (or start from the import template), and import "
                "again."
            ),
            file=path.name,
            row=data[0],
            found=found,
        )
    return layout, itertools.chain(skipped, [data], rest)
