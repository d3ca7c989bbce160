"""`station-app print ...` as staff would run it: a PDF with the record's values, or a
translated error, exit 2 and no file."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pypdf
import pytest
from sqlalchemy import select

from station_app.cli.main import EXIT_OK, EXIT_USER_ERROR, main
from station_app.db.models import Decision, Departure, HelpRequest, Person
from station_app.domain.enums import ArrivalChannel, DecisionKind, DepartureOutcome, Sex
from station_app.domain.permissions import Permission
from station_app.i18n import bilingual
from station_app.services import demo
from station_app.services.context import Context, Database
from tests.printing.pdfcheck import PRIVATE_USE, extract_all
from tests.support import records
from tests.support.computer_fonts import only_test_fonts  # noqa: F401 - a fixture
from tests.support.idnumbers import make_id

ARRIVED = datetime(2026, 2, 2, 4, 0, tzinfo=UTC)  # 12:00 in Kangding


def _text(pdf: Path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)


def _run(url: str, *args: str) -> int:
    return main(["--lang", "en", "--db", url, *args])


def _files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _assert_read_back(pdf: Path, values: Sequence[str]) -> None:
    for tool, text in extract_all(pdf).items():
        assert not PRIVATE_USE.search(text), tool
        for value in values:
            assert value in text, f"{tool} lost {value!r}"


# ---------------------------------------------------------------- a demo station


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    with Database.open(f"sqlite:///{path}") as db:
        demo.generate(db, persons=60, years=1, seed=7, today=date(2026, 1, 15))
    return path


@pytest.fixture
def demo_url(demo_file: Path, tmp_path: Path) -> str:
    """A copy of the demo station for one test (printing takes document numbers)."""
    copy = tmp_path / "db" / "demo.sqlite3"
    copy.parent.mkdir()
    shutil.copy(demo_file, copy)
    return f"sqlite:///{copy}"


def _demo_request(url: str, **where: object) -> tuple[int, str]:
    """(id, Chinese name or code name) of a demo help request matching ``where``."""
    with Database.open(url) as db, db.sessions() as s:
        q = select(HelpRequest.id, Person.name_zh, Person.code_name).join(
            Person, Person.id == HelpRequest.person_id
        )
        if "decision" in where:
            q = q.join(Decision, Decision.help_request_id == HelpRequest.id).where(
                Decision.kind == where["decision"]
            )
        if "outcome" in where:
            q = q.join(Departure, Departure.help_request_id == HelpRequest.id).where(
                Departure.outcome == where["outcome"]
            )
        row = s.execute(q.order_by(HelpRequest.id).limit(1)).one()
        return row[0], row[1] or row[2]


def test_print_intake_of_a_demo_request(demo_url: str, tmp_path: Path) -> None:
    rid, name = _demo_request(demo_url)
    out = tmp_path / "intake.pdf"
    assert _run(demo_url, "print", "intake", "--request", str(rid), "--out", str(out)) == EXIT_OK
    text = _text(out)
    assert "求助登记表" in text
    assert "རོགས་རམ་ཞུ་བའི་ཐོ་འགོད་རེའུ་མིག" in text
    assert name in text
    assert "求登〔" in text
    assert "康定市救助管理站" in text


def test_print_blank_intake_and_cards_of_the_demo_station(demo_url: str, tmp_path: Path) -> None:
    blank = tmp_path / "blank.pdf"
    assert _run(demo_url, "print", "intake", "--blank", "--out", str(blank)) == EXIT_OK
    assert "姓名" in _text(blank)
    cards = tmp_path / "cards.pdf"
    assert _run(demo_url, "print", "cards", "--sheets", "3", "--out", str(cards)) == EXIT_OK
    reader = pypdf.PdfReader(cards)
    assert len(reader.pages) == 3
    assert reader.pages[2].extract_text().count("0836-2812345") == 10


def test_print_departure_record_of_a_demo_request(demo_url: str, tmp_path: Path) -> None:
    rid, name = _demo_request(demo_url, outcome=DepartureOutcome.ESCORTED_HOME)
    out = tmp_path / "departure.pdf"
    code = _run(
        demo_url, "print", "notice", "--kind", "departure-record", "--request", str(rid),
        "--out", str(out),
    )  # fmt: skip
    assert code == EXIT_OK
    text = _text(out)
    assert "在站服务及离站登记表" in text
    assert "离站〔" in text
    assert name in text
    zh, _bo = bilingual("Escorted home")
    assert zh in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["intake", "--request", "99999"], "Help request 99999 does not exist."),
        (["intake", "--person", "99999"], "Person 99999 does not exist."),
        (["notice", "--kind", "refusal", "--request", "99999"], "does not exist"),
    ],
)
def test_a_missing_record_is_a_user_error_and_leaves_no_file(
    demo_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    out = tmp_path / "out" / "x.pdf"
    out.parent.mkdir()
    assert _run(demo_url, "print", *args, "--out", str(out)) == EXIT_USER_ERROR
    assert message in capsys.readouterr().err
    assert _files(out.parent) == []


def test_refusal_notice_needs_a_refusal_decision(
    demo_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    accepted, _ = _demo_request(demo_url, decision=DecisionKind.ACCEPT)
    with Database.open(demo_url) as db, db.sessions() as s:
        kinds = s.scalars(select(Decision.kind).where(Decision.help_request_id == accepted)).all()
    assert DecisionKind.REFUSE not in kinds
    out = tmp_path / "refusal.pdf"
    code = _run(
        demo_url, "print", "notice", "--kind", "refusal", "--request", str(accepted),
        "--out", str(out),
    )  # fmt: skip
    assert code == EXIT_USER_ERROR
    err = capsys.readouterr().err
    assert "no decision to refuse help" in err
    assert "Traceback" not in err
    assert not out.exists()
    assert not list(tmp_path.glob(".refusal.pdf*"))


def test_errors_are_shown_in_the_users_language(
    demo_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.pdf"
    args = ["print", "intake", "--request", "99999", "--out", str(out)]
    assert main(["--lang", "zh_CN", "--db", demo_url, *args]) == EXIT_USER_ERROR
    assert "求助记录99999不存在。" in capsys.readouterr().err
    assert main(["--lang", "bo", "--db", demo_url, *args]) == EXIT_USER_ERROR
    assert "རོགས་རམ་ཞུ་བའི་ཟིན་ཐོ་99999མེད།" in capsys.readouterr().err
    assert not out.exists()


def test_an_output_folder_that_does_not_exist_is_a_user_error(
    demo_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "no-such-folder" / "x.pdf"
    assert _run(demo_url, "print", "intake", "--blank", "--out", str(out)) == EXIT_USER_ERROR
    assert "does not exist" in capsys.readouterr().err


# ---------------------------------------------------------------- a station built via services


def _help_request(ctx: Context, **person: object) -> int:
    return records.help_request(
        ctx,
        arrived_at=ARRIVED,
        channel=ArrivalChannel.PUBLIC,
        brought_by="群众 王师傅",
        reason="来康定寻找亲戚未果",
        **person,
    )


def _decide(ctx: Context, request_id: int, kind: DecisionKind, reason: str) -> None:
    records.decide(ctx, request_id, kind, at=ARRIVED + timedelta(hours=2), reason=reason)


def test_notices_of_a_station_built_through_the_services(
    admin_ctx: Context, db_url: str, tmp_path: Path
) -> None:
    rid = _help_request(
        admin_ctx,
        name_zh="格桑㐂",
        name_bo="སྐལ་བཟང་སྒྲོལ་མ།",
        sex=Sex.FEMALE,
        id_number=make_id("513328", "19900312", "022"),
    )
    _decide(admin_ctx, rid, DecisionKind.REFUSE, "有稳定收入和固定住所")
    refusal = tmp_path / "refusal.pdf"
    args = ["print", "notice", "--kind", "refusal", "--request", str(rid), "--out", str(refusal)]
    assert _run(db_url, *args) == EXIT_OK
    _assert_read_back(
        refusal,
        ["不予救助通知书", "不救〔2026〕001号", "格桑㐂", "སྐལ་བཟང་སྒྲོལ་མ།", "有稳定收入和固定住所"],
    )
    assert "cli:" not in _text(refusal)  # the command line's operator is no staff name
    # printed again: the same number
    assert _run(db_url, *args) == EXIT_OK
    assert "不救〔2026〕001号" in _text(refusal)

    _decide(admin_ctx, rid, DecisionKind.TERMINATE, "本人要求回家")
    termination = tmp_path / "termination.pdf"
    assert (
        _run(db_url, "print", "notice", "--kind", "termination", "--request", str(rid),
             "--out", str(termination))
        == EXIT_OK
    )  # fmt: skip
    _assert_read_back(termination, ["终止救助通知书", "终救〔2026〕001号", "本人要求回家"])

    declaration = tmp_path / "self.pdf"
    assert (
        _run(db_url, "print", "notice", "--kind", "self-departure", "--request", str(rid),
             "--out", str(declaration))
        == EXIT_OK
    )  # fmt: skip
    _assert_read_back(declaration, ["自行离站声明书", "自离〔2026〕001号", "སྐལ་བཟང་སྒྲོལ་མ།"])

    intake = tmp_path / "intake.pdf"
    assert _run(db_url, "print", "intake", "--request", str(rid), "--out", str(intake)) == EXIT_OK
    _assert_read_back(intake, ["求登〔2026〕001号", "格桑㐂", "来康定寻找亲戚未果", "群众 王师傅"])


def test_self_departure_of_a_minor_is_refused(
    admin_ctx: Context, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rid = _help_request(admin_ctx, name_zh="小达瓦", birth_date=date(2015, 6, 1))
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "self.pdf"
    args = ["print", "notice", "--kind", "self-departure", "--request", str(rid)]
    assert _run(db_url, *args, "--out", str(out)) == EXIT_USER_ERROR
    assert "A minor may not leave the station on their own" in capsys.readouterr().err
    assert _files(folder) == []


@pytest.mark.usefixtures("only_test_fonts")
def test_a_name_no_font_can_print_is_reported_and_no_file_is_left(
    admin_ctx: Context, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rid = _help_request(admin_ctx, name_zh="扎西\U00013000")  # an Egyptian hieroglyph
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "intake.pdf"
    out.write_bytes(b"an older print")  # an earlier file stays as it was
    code = _run(db_url, "print", "intake", "--request", str(rid), "--out", str(out))
    assert code == EXIT_USER_ERROR
    err = capsys.readouterr().err
    assert "No font can print these characters: U+13000" in err
    assert out.read_bytes() == b"an older print"
    assert _files(folder) == ["intake.pdf"]


def test_cards_need_a_hotline(
    admin_ctx: Context, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from station_app.db.models import Station

    with admin_ctx.write(Permission.MANAGE_SETTINGS) as s:
        station = s.get(Station, admin_ctx.station_id)
        assert station is not None
        station.hotline = None
    out = tmp_path / "cards.pdf"
    assert _run(db_url, "print", "cards", "--out", str(out)) == EXIT_USER_ERROR
    assert "no hotline number" in capsys.readouterr().err
    assert not out.exists()


# ---------------------------------------------------------------- an imported ledger


def test_a_person_imported_from_a_ledger_prints_exactly(
    admin_ctx: Context, db_url: str, tmp_path: Path
) -> None:
    ledger = tmp_path / "ledger.csv"
    number = make_id("513330", "19790704", "024")
    ledger.write_text(
        "姓名,藏文姓名,别名,性别,民族,出生日期,身份证号,户籍地,现住址,联系电话,语言\n"
        f"泽仁㐂,བསྟན་འཛིན་སྒྲོལ་མ,ཚེ་རིང་ལྷ་མོ,女,藏族,1979-07-04,{number},"
        "德格县阿须镇,不详,拒绝提供,藏语、汉语\n",
        encoding="utf-8",
    )
    assert _run(db_url, "import", "persons", str(ledger)) == EXIT_OK
    with admin_ctx.db.sessions() as s:
        pid = s.scalar(select(Person.id).where(Person.name_zh == "泽仁㐂"))
    assert pid is not None
    out = tmp_path / "person.pdf"
    assert _run(db_url, "print", "intake", "--person", str(pid), "--out", str(out)) == EXIT_OK
    _assert_read_back(
        out,
        [
            "泽仁㐂",
            "བསྟན་འཛིན་སྒྲོལ་མ",
            "ཚེ་རིང་ལྷ་མོ",
            number,
            "1979-07-04",
            "德格县阿须镇",
            "藏族 བོད་རིགས།",
            "不详 མི་ཤེས།",  # residence
            "拒绝提供 བཤད་རྒྱུ་ཁས་མ་བླངས།",  # phone
            "藏语 བོད་སྐད།",
        ],
    )


# ---------------------------------------------------------------- the test page


def test_test_page_prints_the_given_lines(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'none.sqlite3'}"  # no database needed
    out = tmp_path / "test.pdf"
    lines = ["ཨ་མྱེས་རྨ་ཆེན།", "雅砻江 㔾 0836"]
    args = ["print", "test-page", "--text", lines[0], "--text", lines[1], "--out", str(out)]
    assert _run(url, *args) == EXIT_OK
    assert not (tmp_path / "none.sqlite3").exists()
    _assert_read_back(out, ["打印机测试页", "DDC_Uchen.ttf", *lines])


def test_test_page_names_the_station_when_there_is_one(demo_url: str, tmp_path: Path) -> None:
    out = tmp_path / "test.pdf"
    assert _run(demo_url, "print", "test-page", "--out", str(out)) == EXIT_OK
    assert "康定市救助管理站" in _text(out)
