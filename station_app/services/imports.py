"""Import of persons from the Excel (.xlsx) and CSV ledgers stations keep today.

The file is read whole, every row is checked with the same rules as the
registration form (:func:`persons.apply_input`), and the rows are written in
one audited transaction. By default a single bad row stops the whole import;
``skip_bad=True`` imports the good rows and lists the bad ones. See
``docs/import-persons.md`` for the column layout staff use.
"""

from __future__ import annotations

import csv
import io
import re
import warnings as py_warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import select

from station_app.db.models import Person
from station_app.domain import regions
from station_app.domain.enums import AuditAction, IdDocumentType, NameKind, Sex
from station_app.domain.errors import N_, Conflict, UserError, ValidationError, Warning_
from station_app.domain.idcard import check_character
from station_app.domain.permissions import Permission
from station_app.domain.text import to_halfwidth
from station_app.paths import resources_dir

from . import audit
from .context import Context
from .persons import PersonInput, RelativeInput, apply_input

ACCEPTED_SUFFIXES = (".xlsx", ".csv")
PREFERRED_SHEETS = ("人员", "人员台账")

# ====================================================================== columns


@dataclass(frozen=True)
class ImportColumn:
    """One column of the ledger layout.

    ``fields`` are the ``field`` names of :func:`persons.apply_input` errors
    that point at this column; ``quality`` is the key of
    :data:`persons.QUALITY_FIELDS` that 拒绝提供 in this column marks refused.
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
_BY_KEY = {c.key: c for c in COLUMNS}
NAME_COLUMNS = ("name_zh", "name_bo", "description")
_FIELD_TO_KEY = {f: c.key for c in COLUMNS for f in c.fields}


def _header_key(text: str) -> str:
    """Header as compared: no spaces, no required-field star, no (选填)-style suffix."""
    text = re.sub(r"\s+", "", to_halfwidth(text)).replace("\ufeff", "")
    text = text.lstrip("*")
    return re.sub(r"\((?:必填|选填|可选|可不填|必须)\)$", "", text).casefold()


_HEADER_INDEX: dict[str, ImportColumn] = {
    _header_key(name): c for c in COLUMNS for name in (c.header, *c.synonyms)
}

# Values that mean "not known" or "refused" in any column that has markers.
UNKNOWN_MARKERS = frozenset({"不详", "未知", "不知道", "不清楚", "无", "/", "-", "—", "--"})
REFUSED_MARKERS = frozenset({"拒绝提供", "拒答", "拒绝", "拒绝回答", "不愿提供"})

_SEX = {
    "男": Sex.MALE,
    "男性": Sex.MALE,
    "m": Sex.MALE,
    "male": Sex.MALE,
    "女": Sex.FEMALE,
    "女性": Sex.FEMALE,
    "f": Sex.FEMALE,
    "female": Sex.FEMALE,
}
_DOC_TYPES = {
    "身份证": IdDocumentType.RESIDENT_ID,
    "居民身份证": IdDocumentType.RESIDENT_ID,
    "二代身份证": IdDocumentType.RESIDENT_ID,
    "临时身份证": IdDocumentType.TEMPORARY_ID,
    "户口簿": IdDocumentType.HOUSEHOLD_REGISTER,
    "户口本": IdDocumentType.HOUSEHOLD_REGISTER,
    "护照": IdDocumentType.PASSPORT,
    "军官证": IdDocumentType.MILITARY_ID,
    "士兵证": IdDocumentType.MILITARY_ID,
    "港澳通行证": IdDocumentType.HK_MACAO_PERMIT,
    "台胞证": IdDocumentType.TAIWAN_PERMIT,
    "其他": IdDocumentType.OTHER,
    "其它": IdDocumentType.OTHER,
}
_LANGUAGES = {
    "藏语": "bo",
    "藏文": "bo",
    "藏": "bo",
    "bo": "bo",
    "汉语": "zh",
    "普通话": "zh",
    "汉": "zh",
    "中文": "zh",
    "四川话": "zh",
    "zh": "zh",
    "彝语": "ii",
    "彝": "ii",
    "ii": "ii",
    "英语": "en",
    "en": "en",
    "其他": "other",
    "其它": "other",
    "other": "other",
}
_LIST_SEPARATORS = re.compile(r"[、,，;；]")
_LANGUAGE_SEPARATORS = re.compile(r"[、,，;；/／\s]+")

# ====================================================================== report


@dataclass(frozen=True)
class RowProblem:
    """Why a row cannot be imported: ``row`` as numbered in Excel, ``column`` header."""

    row: int
    column: str | None
    error: UserError

    def render(self, gettext: Callable[[str], str]) -> str:
        return _row_line(gettext, self.row, self.column, self.error)


def _row_line(gettext: Callable[[str], str], row: int, column: str | None, error: UserError) -> str:
    reason = error.render(gettext)
    if column:
        # TRANSLATORS: one line of an import report, e.g. 第 5 行 身份证号：…
        return gettext(N_("Row {row}, {column}: {reason}")).format(
            row=row, column=column, reason=reason
        )
    # TRANSLATORS: one line of an import report for a row as a whole, e.g. 第 5 行：…
    return gettext(N_("Row {row}: {reason}")).format(row=row, reason=reason)


class RowWarning(Warning_):
    """A warning about one row (e.g. an unknown region code), rendered with its row."""

    def __init__(self, row: int, column: str | None, error: UserError) -> None:
        super().__init__(
            N_("Row {row}, {column}: {reason}") if column else N_("Row {row}: {reason}"),
            field=error.field,
            row=row,
            column=column or "",
            reason=str(error),
        )
        self.row = row
        self.column = column
        self.error = error

    def render(self, gettext: Callable[[str], str]) -> str:
        return _row_line(gettext, self.row, self.column, self.error)


@dataclass
class ImportReport:
    file: Path
    rows_read: int = 0
    imported: int = 0
    imported_ids: list[int] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[UserError] = field(default_factory=list)
    committed: bool = False

    @property
    def bad_rows(self) -> list[int]:
        """Numbers of the rows with at least one problem, in order."""
        return sorted({p.row for p in self.problems})

    def render(self, gettext: Callable[[str], str]) -> list[str]:
        """The report as lines of text: a summary, the warnings, then every problem."""
        params = {"file": self.file.name, "rows": self.rows_read, "bad": len(self.bad_rows)}
        if self.committed:
            head = gettext(
                N_(
                    "Imported from {file}: {imported} persons. Rows read: {rows}; rows with "
                    "problems (not imported): {bad}."
                )
            ).format(imported=self.imported, **params)
        elif self.rows_read == 0:
            head = gettext(
                N_("{file} has no rows below the headers; nothing was imported.")
            ).format(**params)
        elif len(self.bad_rows) >= self.rows_read:
            head = gettext(
                N_(
                    "Nothing was imported from {file}: every row read ({rows}) has a problem. "
                    "Correct the rows listed below and import the file again."
                )
            ).format(**params)
        else:
            head = gettext(
                N_(
                    "Nothing was imported from {file}. Rows read: {rows}; rows with problems: "
                    "{bad}. Correct the rows listed below and import the file again, or choose "
                    "to import only the rows without problems."
                )
            ).format(**params)
        lines = [head]
        lines += [w.render(gettext) for w in self.warnings]
        lines += [p.render(gettext) for p in self.problems]
        return lines


# ====================================================================== reading files


@dataclass
class _Table:
    """Rows of a file as read: 1-based row numbers as Excel shows them, raw cell values."""

    rows: list[tuple[int, list[Any]]]


def _unsupported(path: Path) -> UserError:
    return UserError(
        N_(
            "{file} cannot be imported: only Excel workbooks (.xlsx) and CSV files (.csv) are "
            "accepted. Open the file in Excel or WPS, save it as an Excel workbook (.xlsx) or "
            "as CSV, and import that file. The import template shows the columns."
        ),
        file=path.name,
    )


def _damaged_workbook(path: Path) -> UserError:
    return UserError(
        N_(
            "{file} is not a readable Excel workbook: it is damaged, incomplete (for example "
            "copied before saving had finished) or another kind of file renamed to .xlsx. "
            "Open it in Excel or WPS and save it again as .xlsx or as CSV, then import that "
            "file. Only .xlsx and .csv files are accepted."
        ),
        file=path.name,
    )


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise UserError(N_("The file {file} does not exist."), file=str(path)) from None
    except OSError as exc:
        raise UserError(
            N_(
                "The file {file} cannot be read ({reason}); close it in other programs or copy it "
                "to this computer, then try again."
            ),
            file=str(path),
            reason=exc.strerror or type(exc).__name__,
        ) from None


def _decode_csv(path: Path, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")  # Excel's "Unicode text" format
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in data and not data.startswith(b"PK\x03\x04"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
        raise UserError(
            N_(
                "The characters of {file} cannot be read: it is neither UTF-8 nor GBK/GB18030 "
                'text. In Excel or WPS use Save As and choose "CSV UTF-8" (or save the '
                "workbook as .xlsx), then import that file."
            ),
            file=path.name,
        )
    raise UserError(
        N_(
            "{file} is not a text CSV file: it contains binary data. If it is an Excel "
            "workbook, save it as .xlsx (or as CSV) from Excel or WPS and import that file. "
            "Only .xlsx and .csv files are accepted."
        ),
        file=path.name,
    )


def _read_csv(path: Path) -> _Table:
    text = _decode_csv(path, _read_bytes(path))
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise UserError(
            N_(
                "{file} is not a well-formed CSV file ({reason}); save it again from Excel or "
                "WPS as CSV or as .xlsx and import that file."
            ),
            file=path.name,
            reason=str(exc),
        ) from None
    return _Table([(number, list(cells)) for number, cells in enumerate(records, start=1)])


def _read_xlsx(path: Path) -> _Table:
    data = _read_bytes(path)  # read once: no file handle stays open, e.g. on Windows
    import openpyxl

    try:
        with py_warnings.catch_warnings():
            # openpyxl warns about styles and extensions it ignores; they do not matter here.
            py_warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                names = [str(n) for n in workbook.sheetnames]
                chosen = next((n for n in names if n.strip() in PREFERRED_SHEETS), names[0])
                sheet = workbook[chosen]
                sheet.reset_dimensions()  # a wrong stored size would cut rows or columns off
                rows = [
                    (number, list(values))
                    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
                ]
            finally:
                workbook.close()
    except UserError:
        raise
    except Exception:  # any failure to read the workbook means a damaged file
        raise _damaged_workbook(path) from None
    return _Table(rows)


def read_table(path: Path) -> _Table:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    raise _unsupported(path)


# ====================================================================== layout


@dataclass
class _Layout:
    header_row: int
    columns: dict[str, tuple[int, str]]  # key -> (index, header as written)
    unknown: list[str]

    def header(self, key: str) -> str:
        found = self.columns.get(key)
        return found[1] if found else _BY_KEY[key].header


def _is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _layout(path: Path, table: _Table) -> tuple[_Layout, list[tuple[int, list[Any]]]]:
    start = next(
        (i for i, (_, cells) in enumerate(table.rows) if not all(map(_is_empty, cells))), None
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
        if _is_empty(cell):
            continue
        written = _cell_text(cell).strip()
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
            expected=" / ".join(_BY_KEY[k].header for k in NAME_COLUMNS),
            found="、".join(_cell_text(c).strip() for c in header_cells if not _is_empty(c)) or "-",
        )
    return _Layout(header_row, columns, unknown), table.rows[start + 1 :]


# ====================================================================== cell values


def _cell_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


_DATE_TEXT = re.compile(
    r"([0-9]{4})\s*[-/.年]\s*([0-9]{1,2})\s*[-/.月]\s*([0-9]{1,2})\s*日?"
    r"(?:\s+0{1,2}:00(?::00)?)?"
)
_DATE_COMPACT = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")
_AGE_TEXT = re.compile(r"(?:约|大约|目测|估计)?\s*([0-9]{1,3})\s*(?:周岁|岁)?\s*(?:左右|上下)?")
_SCIENTIFIC = re.compile(r"[0-9]+(?:\.[0-9]+)?[eE]\+?[0-9]+")
_DECIMAL_ID = re.compile(r"[0-9]{15,18}\.[0-9]+")
_HUKOU_CODE = re.compile(r"([0-9]{6})(?![0-9])\s*[:：\-—]?\s*(.*)", re.DOTALL)


def _parse_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = to_halfwidth(_cell_text(value)).strip()
    match = _DATE_TEXT.fullmatch(text) or _DATE_COMPACT.fullmatch(text)
    if match is None:
        raise ValidationError(
            N_(
                "{value} is not a date the import can read; write the birth date as 1985-03-02 "
                "(also accepted: 1985/3/2, 1985.3.2, 19850302, 1985年3月2日). If only the "
                "age is known, put it in the age column instead."
            ),
            field="birth_date",
            value=text[:40],
        )
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise ValidationError(
            N_("The date {value} does not exist; check the year, month and day."),
            field="birth_date",
            value=text[:40],
        ) from None


def _parse_age(value: Any) -> int:
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        return int(value)
    text = to_halfwidth(_cell_text(value)).strip()
    match = _AGE_TEXT.fullmatch(text)
    if match is None:
        raise ValidationError(
            N_("The age {value} is not a whole number of years; write it as a number, e.g. 45."),
            field="estimated_age",
            value=text[:40],
        )
    return int(match[1])


def _damaged_id(shown: str) -> ValidationError:
    return ValidationError(
        N_(
            "The ID number was stored as a number ({value}), so Excel has already changed its "
            "digits after the 15th (and dropped any X). Set the column's format to Text (文本), "
            "type the number again from the card, and import again."
        ),
        field="id_number",
        value=shown[:40],
    )


def _id_text(value: Any) -> str:
    """The ID number as written; refuse one Excel has turned into a number."""
    if isinstance(value, bool):
        return _cell_text(value)
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        digits = str(int(value))
        if len(digits) == 15:  # old 15-digit numbers survive Excel's 15 significant digits
            return digits
        raise _damaged_id(digits if isinstance(value, int) else f"{value:.14E}")
    if isinstance(value, float):
        raise _damaged_id(repr(value))
    text = _cell_text(value)
    compact = to_halfwidth(text).strip()
    if _SCIENTIFIC.fullmatch(compact) or _DECIMAL_ID.fullmatch(compact):
        raise _damaged_id(compact)
    return text


def _choice(value: Any, table: dict[str, Any], message: str, field: str) -> Any:
    text = to_halfwidth(_cell_text(value)).strip()
    found = table.get(text.casefold())
    if found is None:
        raise ValidationError(message, field=field, value=text[:40])
    return found


_PREFECTURE_SUFFIXES = ("藏族羌族自治州", "藏族自治州", "彝族自治州", "自治州", "地区", "市")


def _short_prefecture(name: str) -> str:
    for suffix in _PREFECTURE_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


class _PlaceMatcher:
    """Household registration text → code of the one Sichuan county it names.

    A short text is looked up with :func:`regions.search_regions` ("理塘" →
    理塘县); a longer address is searched for the county names it contains,
    using the prefecture named in it to tell apart counties of the same name
    (乐山市市中区). Results are memoised for the import.
    """

    def __init__(self) -> None:
        self._memo: dict[str, str | None] = {}
        self._counties = [
            r for r in regions.current_counties(regions.SICHUAN) if len(r.name_zh) > 1
        ]

    def match(self, text: str) -> str | None:
        compact = re.sub(r"\s+", "", text)
        if compact not in self._memo:
            self._memo[compact] = self._match(compact)
        return self._memo[compact]

    def _match(self, text: str) -> str | None:
        if not text:
            return None
        found = regions.search_regions(text)
        if len(found) == 1:
            return found[0].code if found[0].level == "county" else None
        named = [r for r in self._counties if r.name_zh in text]
        # 甘孜县 inside a longer matched name does not count twice
        named = [
            r
            for r in named
            if not any(r.name_zh != o.name_zh and r.name_zh in o.name_zh for o in named)
        ]
        if len(named) > 1:
            in_prefecture = [r for r in named if self._prefecture_named(r, text)]
            named = in_prefecture or named
        codes = {r.code for r in named}
        return codes.pop() if len(codes) == 1 else None

    @staticmethod
    def _prefecture_named(county: regions.Region, text: str) -> bool:
        parent = regions.region(county.parent_code) if county.parent_code else None
        return parent is not None and _short_prefecture(parent.name_zh) in text


# ====================================================================== rows


@dataclass
class _Row:
    number: int
    data: PersonInput
    problems: list[RowProblem]
    warnings: list[UserError]


def _with_header(error: UserError, header: str) -> UserError:
    """The error with the column header in place of an internal field name."""
    if "field_name" not in error.params:
        return error
    params = {**error.params, "field_name": header}
    return type(error)(error.message, field=error.field, **params)


class _RowReader:
    def __init__(self, layout: _Layout, places: _PlaceMatcher) -> None:
        self.layout = layout
        self.places = places

    def column_of(self, error_field: str | None) -> str | None:
        """The header an error of :func:`apply_input` points at."""
        key = _FIELD_TO_KEY.get(error_field or "")
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
            if _is_empty(value):
                continue
            column = _BY_KEY[key]
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
                problems.append(RowProblem(number, header, _with_header(exc, header)))
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
            setattr(data, key, _cell_text(value))
        elif key == "aliases":
            data.other_names = [
                (NameKind.ALIAS, part)
                for part in _LIST_SEPARATORS.split(_cell_text(value))
                if part.strip()
            ]
        elif key == "sex":
            data.sex = _choice(
                value, _SEX, N_("{value} is not a sex the import knows; write 男 or 女."), "sex"
            )
        elif key == "birth_date":
            data.birth_date = _parse_date(value)
        elif key == "age":
            data.estimated_age = _parse_age(value)
        elif key == "id_doc_type":
            data.id_doc_type = _choice(
                value,
                _DOC_TYPES,
                N_(
                    "{value} is not a document type the import knows; write 身份证, 户口簿, "
                    "护照 or 其他."
                ),
                "id_doc_type",
            )
        elif key == "id_number":
            data.id_number = _id_text(value)
        elif key == "hukou":
            self._hukou(_cell_text(value), data, number, warnings)
        elif key == "phone":
            data.phone = _cell_text(value)
        elif key == "languages":
            data.languages = list(
                dict.fromkeys(
                    _choice(
                        part,
                        _LANGUAGES,
                        N_(
                            "{value} is not a language the import knows; write 藏语, 汉语 "
                            "or 彝语 (several separated by 、)."
                        ),
                        "languages",
                    )
                    for part in _LANGUAGE_SEPARATORS.split(to_halfwidth(_cell_text(value)))
                    if part
                )
            )
        elif key.startswith("relative_"):
            if not data.relatives:
                data.relatives.append(RelativeInput(name=""))
            relative = data.relatives[0]
            text = _cell_text(value)
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
        match = _HUKOU_CODE.fullmatch(compact)
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


# ====================================================================== import


def _duplicate_in_file(number: str, rows: list[int]) -> Conflict:
    return Conflict(
        N_(
            "The ID number {number} appears more than once in this file (rows {rows}); keep "
            "one row per person."
        ),
        field="id_number",
        number=number,
        rows=", ".join(map(str, rows)),
    )


def _already_registered(number: str, person_id: int) -> Conflict:
    return Conflict(
        N_(
            "The ID number {number} is already registered at this station as person "
            "{person_id}; update that record instead of importing the row again."
        ),
        field="id_number",
        number=number,
        person_id=person_id,
    )


def _non_empty_rows(rows: Iterable[tuple[int, list[Any]]]) -> list[tuple[int, list[Any]]]:
    return [(n, cells) for n, cells in rows if not all(map(_is_empty, cells))]


def import_persons(
    ctx: Context, path: Path, *, skip_bad: bool = False, today: date | None = None
) -> ImportReport:
    """Import the persons of a .xlsx or .csv ledger; see the module docstring.

    File-level faults (wrong type, damaged file, no name column) raise
    :class:`UserError`; faults of single rows are listed in the report.
    """
    ctx.require(Permission.IMPORT_DATA)
    today = today or date.today()
    path = Path(path)
    layout, data_rows = _layout(path, read_table(path))
    rows = _non_empty_rows(data_rows)
    report = ImportReport(file=path, rows_read=len(rows))
    if layout.unknown:
        report.warnings.append(
            Warning_(
                N_(
                    "These columns are not part of the import and were left out: {columns}. "
                    "The import template shows the accepted headers."
                ),
                columns="、".join(layout.unknown),
            )
        )
    reader = _RowReader(layout, _PlaceMatcher())
    id_header = layout.header("id_number")

    with ctx.write(Permission.IMPORT_DATA) as session:
        # One query for the whole file: ID number -> the first person holding it.
        existing: dict[str, int] = {}
        for id_number, person_id in session.execute(
            select(Person.id_number, Person.id)
            .where(Person.station_id == ctx.station_id, Person.id_number.is_not(None))
            .order_by(Person.id)
        ):
            if id_number is not None:
                existing.setdefault(id_number, person_id)
        checked: list[tuple[int, Person]] = []
        row_problems: dict[int, list[RowProblem]] = {}
        by_number: dict[str, list[int]] = {}
        for number, cells in rows:
            row = reader.read(number, cells)
            report.warnings.extend(row.warnings)
            if row.problems:
                row_problems[number] = row.problems
                continue
            person = Person(station_id=ctx.station_id, created_by_id=ctx.actor.user_id)
            try:
                found = apply_input(person, row.data, today=today)
            except UserError as exc:
                column = reader.column_of(exc.field)
                error = _with_header(exc, column) if column else exc
                row_problems[number] = [RowProblem(number, column, error)]
                continue
            report.warnings.extend(RowWarning(number, reader.column_of(w.field), w) for w in found)
            if person.id_number:
                by_number.setdefault(person.id_number, []).append(number)
                if person.id_number in existing:
                    row_problems.setdefault(number, []).append(
                        RowProblem(
                            number,
                            id_header,
                            _already_registered(person.id_number, existing[person.id_number]),
                        )
                    )
            checked.append((number, person))
        for id_number, numbers in by_number.items():
            if len(numbers) > 1:
                for number in numbers:
                    row_problems.setdefault(number, []).append(
                        RowProblem(number, id_header, _duplicate_in_file(id_number, numbers))
                    )
        report.problems = [p for n in sorted(row_problems) for p in row_problems[n]]
        good = [person for number, person in checked if number not in row_problems]
        if not good or (row_problems and not skip_bad):
            return report

        session.add_all(good)
        session.flush()
        report.imported_ids = [p.id for p in good]
        report.imported = len(good)
        audit.record(
            session,
            AuditAction.BULK,
            "person",
            None,
            f"imported {len(good)} persons from {path.name} "
            f"({len(rows)} rows read, {len(report.bad_rows)} rows with problems not imported)",
            {
                "file": path.name,
                "rows_read": len(rows),
                "imported": len(good),
                "skipped_rows": report.bad_rows,
                "skip_bad": skip_bad,
            },
        )
    report.committed = True
    return report


# ====================================================================== template


def _example_id(region: str, birth: str, sequence: str) -> str:
    body = region + birth + sequence
    return body + check_character(body)


TEMPLATE_HEADER: tuple[str, ...] = (
    "序号",
    "姓名",
    "藏文姓名",
    "别名",
    "性别",
    "民族",
    "出生日期",
    "年龄",
    "证件类型",
    "身份证号",
    "户籍地",
    "现住址",
    "联系电话",
    "语言",
    "亲属姓名",
    "亲属关系",
    "亲属电话",
    "备注",
    "身份不明描述",
)
_EXAMPLE_NOTE = "示例行，导入前请删除"
# Three realistic rows: a registered Tibetan woman, a person who cannot say who
# he is, and one who refuses his ID number and phone.
_TEMPLATE_EXAMPLES: tuple[dict[str, str], ...] = (
    {
        "序号": "1",
        "姓名": "扎西卓玛",
        "藏文姓名": "བཀྲ་ཤིས་སྒྲོལ་མ",
        "别名": "扎西卓嘎、卓玛",
        "性别": "女",
        "民族": "藏族",
        "出生日期": "1985-03-02",
        "证件类型": "身份证",
        "身份证号": _example_id("513301", "19850302", "002"),
        "户籍地": "甘孜州康定市炉城镇",
        "现住址": "康定市炉城镇向阳街",
        "联系电话": "138 0000 0001",
        "语言": "藏语、汉语",
        "亲属姓名": "次仁多吉",
        "亲属关系": "兄",
        "亲属电话": "138 0000 0002",
        "备注": _EXAMPLE_NOTE,
    },
    {
        "序号": "2",
        "性别": "男",
        "民族": "不详",
        "年龄": "50",
        "身份证号": "不详",
        "户籍地": "不详",
        "语言": "藏语",
        "备注": _EXAMPLE_NOTE,
        "身份不明描述": (
            "在康定汽车站候车厅发现；身高约170厘米，偏瘦，左手缺小指，穿深蓝色藏袍，不能说出姓名"
        ),
    },
    {
        "序号": "3",
        "姓名": "罗布",
        "藏文姓名": "ནོར་བུ",
        "性别": "男",
        "民族": "藏",
        "出生日期": "1972/8/15",
        "身份证号": "拒绝提供",
        "户籍地": "甘孜县",
        "现住址": "不详",
        "联系电话": "拒绝提供",
        "语言": "藏语",
        "备注": _EXAMPLE_NOTE,
    },
)
TEMPLATE_ROWS: tuple[tuple[str, ...], ...] = tuple(
    tuple(example.get(header, "") for header in TEMPLATE_HEADER) for example in _TEMPLATE_EXAMPLES
)
TEMPLATE_RESOURCE = Path("templates") / "persons_import_template.csv"


def template_resource() -> Path:
    """The CSV template shipped with the application."""
    return resources_dir() / TEMPLATE_RESOURCE


def template_csv_text() -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TEMPLATE_HEADER)
    writer.writerows(TEMPLATE_ROWS)
    return out.getvalue()


def write_template(path: Path) -> None:
    """Write the import template as .xlsx or .csv (UTF-8 with BOM), chosen by the suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise _unsupported(path)
    try:
        if suffix == ".csv":
            path.write_bytes(template_csv_text().encode("utf-8-sig"))
        else:
            _template_workbook().save(path)
    except OSError as exc:
        raise UserError(
            N_("The template cannot be saved as {file} ({reason}); choose another folder."),
            file=str(path),
            reason=exc.strerror or type(exc).__name__,
        ) from None


def _template_workbook() -> Any:
    import openpyxl
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = PREFERRED_SHEETS[0]
    sheet.append(list(TEMPLATE_HEADER))
    text_columns = {"身份证号", "联系电话", "亲属电话", "户籍地"}
    for values in TEMPLATE_ROWS:
        row: list[Any] = []
        for header, value in zip(TEMPLATE_HEADER, values, strict=True):
            if header == "出生日期" and value:
                row.append(_parse_date(value))
            elif header in ("序号", "年龄") and value.isdigit():
                row.append(int(value))
            else:
                row.append(value or None)
        sheet.append(row)
    for index, header in enumerate(TEMPLATE_HEADER, start=1):
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index).font = Font(bold=True)
        width = 40 if header in ("备注", "身份不明描述") else 22 if header == "身份证号" else 14
        sheet.column_dimensions[letter].width = width
        if header in text_columns:
            # typed ID and phone numbers stay text instead of becoming 5.13301E+17
            sheet.column_dimensions[letter].number_format = "@"
            for cell in sheet[letter]:
                cell.number_format = "@"
        elif header == "出生日期":
            for cell in sheet[letter][1:]:
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    return workbook
