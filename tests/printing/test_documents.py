"""The printed documents: what they say is what poppler, pypdf and pdfplumber read back.

Each document is built from content with Tibetan names of complex stacks and
rare Chinese name characters (CJK Extension A, which the bundled Chinese font
has); the names, numbers and labels in both scripts must come back exactly
from all three extractors, with no private-use character.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pdfplumber
import pypdf
import pytest

from station_app.domain.enums import (
    ArrivalChannel,
    DepartureOutcome,
    DocumentKind,
    Sex,
    SupportStatus,
)
from station_app.printing import MissingGlyphs, configure_fonts, font_chain
from station_app.printing import content as c
from station_app.printing.documents import (
    build_contact_cards,
    build_intake_form,
    build_notice,
    build_test_page,
    qr_matrix,
    tel_uri,
)
from station_app.printing.documents.cards import CARD_WIDTH, QR_SIZE
from tests.support.computer_fonts import only_test_fonts  # noqa: F401 - a fixture

from .pdfcheck import PRIVATE_USE, extract_all, squash

MM = 72 / 25.4
A4_POINTS = (595.28, 841.89)

NAME_ZH = "卓玛㐂"  # 㐂 U+3402, CJK Extension A
NAME_BO = "བསྒྲུབས་སྒྲོལ་མ།"
OTHER_BO = "རྒྱ་མཚོ་བཀྲ་ཤིས"
STATION = c.StationHeading(
    "德格县救助管理站",
    "སྡེ་དགེ་རྫོང་སྐྱབས་སྐྱོར་དོ་དམ་ས་ཚིགས།",
    "四川省甘孜州德格县更庆镇㑇街7号",
    None,
    "0836-8222110",
)
ARRIVED = datetime(2026, 3, 4, 2, 30, tzinfo=UTC)  # 10:30 in Dêgê


def _filled_form(**changes: object) -> c.IntakeForm:
    values: dict[str, object] = {
        "station": STATION,
        "number": "求登〔2026〕042号",
        "arrived_at": ARRIVED,
        "channel": ArrivalChannel.PATROL,
        "brought_by": "巡查二组 泽仁㛃",
        "name_zh": NAME_ZH,
        "name_bo": NAME_BO,
        "other_names": (OTHER_BO, "阿佳"),
        "sex": Sex.FEMALE,
        "birth_date": date(1988, 5, 17),
        "age": 37,
        "ethnicity_zh": "藏族",
        "ethnicity_bo": "བོད་རིགས།",
        "id_document": "居民身份证",
        "id_number": "51333019880517002X",
        "hukou": "德格县马尼干戈镇",
        "residence": None,
        "phone": None,
        "languages": ("bo", "zh"),
        "support_status": SupportStatus.DIBAO,
        "reason": "随丈夫外出务工，丈夫病故后身无分文",
        "without_means_since": "2026年2月",
        "belongings": "藏袍一件、手机一部",
        "relatives": (c.RelativeLine("洛绒", "父亲", "德格县马尼干戈镇", "13990010001"),),
        "photo_taken": True,
        "fingerprint_taken": True,
        "registered_by": "格勒",
        "unknown": frozenset({"residence"}),
        "refused": frozenset({"phone"}),
    }
    values.update(changes)
    return c.IntakeForm(**values)  # type: ignore[arg-type]


def _notice(kind: DocumentKind, number: str, **changes: object) -> c.Notice:
    values: dict[str, object] = {
        "kind": kind,
        "station": STATION,
        "number": number,
        "issued_on": date(2026, 3, 9),
        "person_name_zh": NAME_ZH,
        "person_name_bo": NAME_BO,
        "sex": Sex.FEMALE,
        "age": 37,
        "id_number": "51333019880517002X",
        "arrived_at": ARRIVED,
        "staff": "格勒",
    }
    values.update(changes)
    return c.Notice(**values)  # type: ignore[arg-type]


def _assert_read_back(pdf: Path, expected: Sequence[str], *, wrapped: Sequence[str] = ()) -> None:
    """Every ``expected`` string appears as printed in each extractor's text;
    ``wrapped`` ones (sentences that may break across lines) without whitespace."""
    for tool, text in extract_all(pdf).items():
        assert not PRIVATE_USE.search(text), tool
        for value in expected:
            assert value in text, f"{tool} lost {value!r}"
        for value in wrapped:
            assert squash(value) in squash(text), f"{tool} lost {value!r}"


def _page_sizes(pdf: Path) -> list[tuple[float, float]]:
    return [
        (round(float(p.mediabox.width), 2), round(float(p.mediabox.height), 2))
        for p in pypdf.PdfReader(pdf).pages
    ]


# ---------------------------------------------------------------- 求助登记表


def test_filled_intake_form_reads_back_in_both_scripts(tmp_path: Path) -> None:
    pdf = tmp_path / "intake.pdf"
    build_intake_form(_filled_form(), pdf)
    assert _page_sizes(pdf) == [A4_POINTS]
    _assert_read_back(
        pdf,
        [
            "求助登记表",
            "རོགས་རམ་ཞུ་བའི་ཐོ་འགོད་རེའུ་མིག",
            "求登〔2026〕042号",
            "德格县救助管理站",
            "སྡེ་དགེ་རྫོང་སྐྱབས་སྐྱོར་དོ་དམ་ས་ཚིགས།",
            NAME_ZH,
            NAME_BO,
            OTHER_BO,
            "51333019880517002X",
            "1988-05-17",
            "2026-03-04 10:30",  # arrival in China time
            "巡查二组 泽仁㛃",
            "洛绒",
            "13990010001",
            "姓名",
            "མིང་།",
            "户口所在地",
            "ཐེམ་ཐོ་ཡོད་ས།",
            "女 མོ།",
            "藏族 བོད་རིགས།",
            "不详",  # residence unknown
            "拒绝提供",  # phone refused
            "བཤད་རྒྱུ་ཁས་མ་བླངས།",
        ],
        wrapped=["随丈夫外出务工，丈夫病故后身无分文"],
    )


def test_filled_intake_form_is_small(tmp_path: Path) -> None:
    pdf = tmp_path / "intake.pdf"
    build_intake_form(_filled_form(), pdf)
    assert pdf.stat().st_size <= 80 * 1024
    assert len(pypdf.PdfReader(pdf).pages) == 1


def test_pdf_streams_are_compressed_binary_without_an_ascii85_layer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ASCII85 over Flate makes every stream a quarter larger for nothing:
    the files are saved and sent to printers as binary."""
    pdf = tmp_path / "intake.pdf"
    build_intake_form(_filled_form(), pdf)
    data = pdf.read_bytes()
    assert b"/ASCII85Decode" not in data
    assert b"/FlateDecode" in data
    # the same form with reportlab's default text-safe streams: larger
    from reportlab import rl_config

    monkeypatch.setattr(rl_config, "useA85", 1)
    encoded = tmp_path / "ascii85.pdf"
    build_intake_form(_filled_form(), encoded)
    assert b"/ASCII85Decode" in encoded.read_bytes()
    assert len(data) < encoded.stat().st_size


def test_blank_intake_form_has_the_labels_and_room_to_write(tmp_path: Path) -> None:
    pdf = tmp_path / "blank.pdf"
    build_intake_form(c.IntakeForm(station=STATION, blank=True), pdf)
    assert _page_sizes(pdf) == [A4_POINTS]
    _assert_read_back(
        pdf,
        [
            "求助登记表",
            "编号",
            "姓名",
            "藏文名",
            "བོད་ཡིག་གི་མིང་།",
            "照片",
            "指纹",
            "མཛུབ་རིས།",
            "受助人员签名或按手印",
            "□男 ཕོ།",  # tick boxes for the options
            "□公安护送",
        ],
    )
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        # a ruled grid: many cell borders, all inside the page margins
        assert len(page.lines) + len(page.rects) > 60
        assert all(ch["x0"] > 10 * MM and ch["x1"] < 200 * MM for ch in page.chars)


def test_unknown_identity_prints_unknown_in_both_scripts(tmp_path: Path) -> None:
    form = _filled_form(
        name_zh="无名氏-2026-007",
        name_bo=None,
        sex=None,
        birth_date=None,
        age=50,
        age_is_estimate=True,
        id_document=None,
        id_number=None,
        unknown=frozenset({"name", "sex", "id_number", "hukou", "residence", "phone"}),
        refused=frozenset(),
        hukou=None,
        description="身高约170厘米，左手有旧伤疤，穿深蓝色藏袍",
    )
    pdf = tmp_path / "unknown.pdf"
    build_intake_form(form, pdf)
    _assert_read_back(
        pdf,
        ["无名氏-2026-007", "不详", "མི་ཤེས།", "约50岁（目测）", "50ཙམ།"],
        wrapped=["身高约170厘米，左手有旧伤疤，穿深蓝色藏袍"],
    )


def test_extension_b_name_prints_with_the_system_fallback_font(tmp_path: Path) -> None:
    ext_b = "\U000282e2"  # 𨋢, in AR PL UMing
    chain = configure_fonts()  # the default chain: bundled fonts + installed fallbacks
    assert any(f.path.name == "uming.ttc" for f in chain.extra), (
        "needs AR PL UMing: install the Debian package fonts-arphic-uming "
        "(`bash .ci/run` installs everything the tests need)"
    )
    pdf = tmp_path / "extb.pdf"
    build_intake_form(_filled_form(name_zh=f"扎西{ext_b}"), pdf)
    _assert_read_back(pdf, [f"扎西{ext_b}"])


@pytest.mark.usefixtures("only_test_fonts")
def test_a_character_no_font_has_is_reported_before_anything_is_written(
    tmp_path: Path,
) -> None:
    out = io.BytesIO()
    with pytest.raises(MissingGlyphs) as info:
        build_intake_form(_filled_form(name_zh="卓玛\U00013000", belongings="\U0001f9ff"), out)
    assert info.value.characters == ["\U00013000", "\U0001f9ff"]  # all of them, at once
    assert out.getvalue() == b""
    path = tmp_path / "never.pdf"
    with pytest.raises(MissingGlyphs):
        build_notice(_notice(DocumentKind.REFUSAL, "不救〔2026〕001号", reason="\U00013000"), path)
    assert not path.exists()


# ---------------------------------------------------------------- notices


def test_refusal_notice(tmp_path: Path) -> None:
    pdf = tmp_path / "refusal.pdf"
    reason = "有固定住所和生活来源，不属于救助对象"
    build_notice(_notice(DocumentKind.REFUSAL, "不救〔2026〕003号", reason=reason), pdf)
    assert _page_sizes(pdf) == [A4_POINTS]
    _assert_read_back(
        pdf,
        [
            "不予救助通知书",
            "སྐྱབས་སྐྱོར་མི་བྱེད་པའི་བརྡ་ཐོ།",
            "不救〔2026〕003号",
            NAME_ZH,
            NAME_BO,
            "51333019880517002X",
            "理由",
            "རྒྱུ་མཚན།",
            "救助管理站（盖章）",
            "本人签收（签名或按手印）",
            "2026-03-09",
        ],
        wrapped=[reason, "经甄别，你不符合救助条件。"],
    )


def test_termination_notice(tmp_path: Path) -> None:
    pdf = tmp_path / "termination.pdf"
    reason = "在站期间多次违反站内管理规定"
    build_notice(_notice(DocumentKind.TERMINATION, "终救〔2026〕001号", reason=reason), pdf)
    _assert_read_back(
        pdf,
        [
            "终止救助通知书",
            "སྐྱབས་སྐྱོར་མཚམས་གཅོད་པའི་བརྡ་ཐོ།",
            "终救〔2026〕001号",
            NAME_ZH,
            NAME_BO,
        ],
        wrapped=[reason, "本站决定自2026-03-09起终止对你的救助"],
    )


def test_self_departure_declaration(tmp_path: Path) -> None:
    pdf = tmp_path / "self.pdf"
    notice = _notice(
        DocumentKind.SELF_DEPARTURE,
        "自离〔2026〕002号",
        departed_at=datetime(2026, 3, 9, 1, 15, tzinfo=UTC),
    )
    build_notice(notice, pdf)
    _assert_read_back(
        pdf,
        [
            "自行离站声明书",
            "རང་མོས་ཀྱིས་ས་ཚིགས་ནས་ཐོན་པའི་གསལ་བསྒྲགས་ཡི་གེ།",
            "自离〔2026〕002号",
            NAME_ZH,
            NAME_BO,
            "2026-03-09 09:15",
            "声明人",
            "见证工作人员",
            "指纹",
        ],
        wrapped=["本人自愿放弃救助，自行离开救助管理站"],
    )


def test_departure_record(tmp_path: Path) -> None:
    pdf = tmp_path / "departure.pdf"
    services = tuple(
        c.ServiceLine(datetime(2026, 3, 5, h, 0, tzinfo=UTC), kind, text)
        for h, kind, text in [
            (1, "medical", "测量血压，发放感冒药"),
            (2, "family_contact", "电话联系其父洛绒，已接通"),
            (3, "other", "洗澡、理发"),
        ]
    )
    notice = _notice(
        DocumentKind.DEPARTURE_RECORD,
        "离站〔2026〕011号",
        room="女2",
        bed=3,
        stay_started=ARRIVED,
        departed_at=datetime(2026, 3, 9, 1, 0, tzinfo=UTC),
        outcome=DepartureOutcome.RETURNED_HOME_VOUCHER,
        destination="德格县",
        voucher_route="康定—德格（客车）",
        voucher_cost=Decimal("186.50"),
        collector=None,
        cash_given=Decimal("20"),
        cash_limit=Decimal("20"),
        belongings_returned=True,
        meals=14,
        services=services,
    )
    build_notice(notice, pdf)
    assert _page_sizes(pdf) == [A4_POINTS]
    _assert_read_back(
        pdf,
        [
            "在站服务及离站登记表",
            "离站〔2026〕011号",
            NAME_ZH,
            NAME_BO,
            "发放乘车凭证返乡",  # outcome label in Chinese ...
            "ཐེག་ཆས་ཞོན་པའི་ར་སྤྲོད་ཤོག་བྱང་སྤྲད་ནས་ཕ་ཡུལ་དུ་ཕྱིར་ལོག་པ།",  # ... and Tibetan
            "康定—德格（客车）",
            "186.50",
            "20.00",
            "14",
            "女2",
            "医疗救治",
            "སྨན་བཅོས།",
            "测量血压，发放感冒药",
            "2026-03-05 09:00",
            "零星交通费",  # the label wraps in its cell
        ],
    )


def test_a_long_services_list_continues_on_a_second_page(tmp_path: Path) -> None:
    services = tuple(
        c.ServiceLine(datetime(2026, 3, 5, 1, n, tzinfo=UTC), "other", f"第{n + 1}次服务")
        for n in range(40)
    )
    notice = _notice(DocumentKind.DEPARTURE_RECORD, "离站〔2026〕012号", services=services)
    pdf = tmp_path / "long.pdf"
    build_notice(notice, pdf)
    sizes = _page_sizes(pdf)
    assert len(sizes) >= 2
    assert set(sizes) == {A4_POINTS}
    pages = [p.extract_text() for p in pypdf.PdfReader(pdf).pages]
    assert all(f"第{n + 1}次服务" in "".join(pages) for n in range(40))
    for number, text in enumerate(pages, start=1):
        assert f"第{number}页，共{len(pages)}页" in text
        assert "离站〔2026〕012号" in text  # every page carries the number
        if "次服务" in text:
            assert "内容" in text  # a continued table repeats its header


# ---------------------------------------------------------------- contact cards


CARD = c.ContactCard(
    STATION,
    "如需食物、住宿或返乡帮助，请拨打24小时求助电话",
    "ཁ་ཟས་དང་ཞག་སྡོད་ས། ཡང་ན་ཕ་ཡུལ་དུ་ཕྱིར་ལོག་པའི་རོགས་རམ་དགོས་ན། ཁ་པར་རྒྱག་རོགས།",
    "0836-8222110",
)


def test_card_sheet_has_ten_credit_card_boxes_per_a4_page(tmp_path: Path) -> None:
    pdf = tmp_path / "cards.pdf"
    build_contact_cards(CARD, pdf, sheets=2)
    assert _page_sizes(pdf) == [A4_POINTS, A4_POINTS]
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            boxes = [
                r
                for r in page.rects
                if abs(r["width"] - 85.6 * MM) <= 0.5 * MM
                and abs(r["height"] - 54 * MM) <= 0.5 * MM
            ]
            assert len(boxes) == 10
            assert all(b["x0"] >= 0 and b["x1"] <= A4_POINTS[0] for b in boxes)
            assert all(b["top"] >= 0 and b["bottom"] <= A4_POINTS[1] for b in boxes)
            # cut marks: short lines in the margins outside the grid
            marks = [ln for ln in page.lines if ln["x1"] < min(b["x0"] for b in boxes)]
            assert len(marks) == 6


def test_card_text_reads_back(tmp_path: Path) -> None:
    pdf = tmp_path / "cards.pdf"
    build_contact_cards(CARD, pdf)
    for tool, text in extract_all(pdf).items():
        assert not PRIVATE_USE.search(text), tool
        for value in ["德格县救助管理站", "སྡེ་དགེ་རྫོང་སྐྱབས་སྐྱོར་དོ་དམ་ས་ཚིགས།", "0836-8222110"]:
            assert text.count(value) == 10, (tool, value)
        for value in [
            "24小时求助电话",
            "ཉིན་མཚན་ཆུ་ཚོད་24",
            "扫码拨打",
            "四川省甘孜州德格县更庆镇㑇街7号",
        ]:
            assert value in text, (tool, value)
        assert squash(CARD.message_zh) in squash(text), tool
        assert squash(CARD.message_bo) in squash(text), tool


def test_qr_code_dials_the_hotline(tmp_path: Path) -> None:
    assert tel_uri("0836-8222110") == "tel:08368222110"
    assert tel_uri("(0836) 822 2110") == "tel:08368222110"
    matrix = qr_matrix(tel_uri(CARD.hotline))
    pdf = tmp_path / "cards.pdf"
    build_contact_cards(CARD, pdf)
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        card = min(
            (r for r in page.rects if abs(r["width"] - CARD_WIDTH) < 1),
            key=lambda r: (r["top"], r["x0"]),
        )
        dark = [
            r
            for r in page.rects
            if r["fill"]
            and not r["stroke"]
            and r["non_stroking_color"] in ((0,), (0, 0, 0), [0], [0, 0, 0], 0)
            and card["x0"] < r["x0"] < card["x1"]
            and card["top"] < r["top"] < card["bottom"]
        ]
    module = QR_SIZE / len(matrix)
    left = min(r["x0"] for r in dark)
    top = min(r["top"] for r in dark)
    drawn = [[False] * len(matrix) for _ in matrix]
    for r in dark:
        row = round((r["top"] - top) / module)
        first = round((r["x0"] - left) / module)
        for col in range(first, first + round(r["width"] / module)):
            drawn[row][col] = True
    assert drawn == matrix
    assert sum(map(sum, drawn)) == sum(map(sum, matrix))  # no stray dark module


# ---------------------------------------------------------------- printer test page


def test_test_page_lists_the_fonts_and_prints_the_extra_lines(tmp_path: Path) -> None:
    pdf = tmp_path / "test.pdf"
    extra = ("ཀློང་ཆེན་རབ་འབྱམས།", "旸谷 䶮")
    build_test_page(c.TestPage(lines=extra, station=STATION), pdf)
    assert set(_page_sizes(pdf)) == {A4_POINTS}
    chain = font_chain()
    _assert_read_back(
        pdf,
        [
            "打印机测试页",
            "སྒྲོལ་མ རྒྱ་མཚོ བསྒྲུབས བཀྲ་ཤིས",
            "㐂",
            "0123456789",
            chain.tibetan.path.name,
            chain.chinese.path.name,
            "SIL Open Font License 1.1",
            "Apache License 2.0",
            *extra,
        ],
    )
