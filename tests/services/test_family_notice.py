"""The family-search notice (寻亲公告) as the desk prints and posts it: an A4
page in Chinese and Tibetan with the person's photo, what is known of them,
where and when they were found, the station's hotline and address and a
number kept on every reprint; the same page as a PNG image for posting
online. Checked through poppler's text extraction, the PDF's images and the
PNG's size; on SQLite and PostgreSQL."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date
from pathlib import Path

import pypdf
import pytest
from PIL import Image

from station_app.domain.enums import Sex
from station_app.domain.errors import Conflict
from station_app.i18n import bilingual
from station_app.services import desk, photos, printouts
from station_app.services.context import Context, Database
from station_app.services.stations import create_station
from tests.support.desk import ARRIVED, arrive, in_bed, pdf_text
from tests.support.stations import kangding_setup

ADDRESS_ZH = "康定市炉城镇榆林新区救助路8号"
ADDRESS_BO = "དར་མདོ་གྲོང་ཁྱེར།"
UNKNOWN = {
    "name_zh": None,
    "code_name": "无名氏-2026-001",
    "description": "男，约50岁，身高约170厘米，左脸有疤",
    "sex": Sex.MALE,
    "estimated_age": 50,
}
HOW_FOUND = printouts.FamilyNoticeText(
    clothing="蓝色棉衣，黑色裤子",
    found_place="康定南门大桥下",
    found_on=date(2026, 1, 9),
)


@pytest.fixture
def ctx(database: Database) -> Context:
    setup = replace(kangding_setup(), address_zh=ADDRESS_ZH, address_bo=ADDRESS_BO)
    return create_station(database, setup)


def _photo() -> bytes:
    picture = Image.new("RGB", (300, 400), (180, 40, 40))
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def _unknown_in_bed(ctx: Context, bed: int = 1) -> int:
    request_id = in_bed(ctx, bed=bed, **UNKNOWN)
    record = desk.request_record(ctx, request_id)
    photos.set_photo(ctx, record.person.id, _photo())
    return request_id


def test_the_notice_is_printed_bilingual_with_photo_number_and_station(
    ctx: Context, tmp_path: Path
) -> None:
    request_id = _unknown_in_bed(ctx)
    out = tmp_path / "notice.pdf"
    notice = printouts.print_family_notice(ctx, request_id, out, HOW_FOUND)
    assert notice.number == "寻亲〔2026〕001号"
    text = pdf_text(out)
    for printed in (
        *bilingual("Family-search notice"),  # the title in both scripts
        "寻亲〔2026〕001号",
        "男，约50岁，身高约170厘米，左脸有疤",
        "蓝色棉衣，黑色裤子",
        "康定南门大桥下",
        "2026-01-09",
        "0836-2812345",
        ADDRESS_ZH,
        "".join(ADDRESS_BO.split()),
        "".join(bilingual("Place found")[1].split()),  # Tibetan labels
        "".join(bilingual("Sex")[1].split()),
        "".join(bilingual("about {age} (estimated)")[0].format(age=50).split()),
    ):
        assert printed in text, printed
    reader = pypdf.PdfReader(out)
    assert len(reader.pages) == 1
    assert [round(float(x)) for x in reader.pages[0].mediabox[2:]] == [595, 842]  # A4
    assert len(reader.pages[0].images) == 1  # the photo

    again = printouts.print_family_notice(ctx, request_id, tmp_path / "again.pdf")
    assert again.number == notice.number  # a reprint keeps the number
    assert again.issued_at == notice.issued_at
    # what the desk did not retype comes from the search record or the patrol
    assert "康定南门大桥下" not in pdf_text(tmp_path / "again.pdf")
    other = _unknown_in_bed(ctx, bed=2)
    assert printouts.family_notice(ctx, other).number == "寻亲〔2026〕002号"


def test_the_notice_as_an_image_for_posting_online(ctx: Context, tmp_path: Path) -> None:
    request_id = _unknown_in_bed(ctx)
    out = tmp_path / "notice.png"
    notice = printouts.export_family_notice_image(ctx, request_id, out, HOW_FOUND)
    with Image.open(out) as picture:
        assert picture.format == "PNG"
        assert picture.width == printouts.NOTICE_IMAGE_WIDTH == 1080
        assert picture.height == round(1080 * 842 / 595) - 1 or picture.height == round(
            1080 * 842 / 595
        )
        # the page is drawn, not blank: dark ink and the photo's red are there
        colours = {c for _n, c in picture.convert("RGB").getcolors(1 << 20) or []}
        assert any(sum(c) < 150 for c in colours)
        assert any(r > 150 and g < 80 and b < 80 for r, g, b in colours)
    assert notice.number == "寻亲〔2026〕001号"


def test_a_person_of_known_identity_has_no_notice(ctx: Context) -> None:
    known = arrive(ctx, name_zh="卓玛", at=ARRIVED)
    with pytest.raises(Conflict) as err:
        printouts.family_notice(ctx, known.request.id)
    assert "family search" in str(err.value)
