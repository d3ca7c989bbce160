"""The import template staff start from, as .xlsx or as CSV, with three example rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from station_app.domain.errors import N_, UserError
from station_app.domain.idcard import check_character
from station_app.paths import resources_dir
from station_app.services import report_files

from .reading import PREFERRED_SHEETS, unsupported
from .values import parse_date


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
    return report_files.csv_text([TEMPLATE_HEADER, *TEMPLATE_ROWS])


def write_template(path: Path) -> None:
    """Write the import template as .xlsx or .csv (UTF-8 with BOM), chosen by the suffix."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise unsupported(path)
    try:
        if suffix == ".csv":
            report_files.save_csv([TEMPLATE_HEADER, *TEMPLATE_ROWS], path)
        else:
            report_files.save_workbook(_template_workbook(), path)
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
                row.append(parse_date(value))
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
