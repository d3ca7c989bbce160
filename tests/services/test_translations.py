"""Tibetan that Tibetan readers have approved: the review workbook out, the
reviewed workbook in (checked row by row), the station's catalog laid over
the shipped one and kept through an update of the program."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from station_app import paths
from station_app.db.models import ReviewedText, WordingSuggestion
from station_app.domain.enums import Role
from station_app.domain.errors import PermissionDenied, UserError
from station_app.i18n import catalogs, translator
from station_app.services import translations
from station_app.services.context import Actor, Context
from tests.support.review import review, review_terms

# Ten texts the reviewer changes: eight good ones, one that loses its
# placeholder, one in Latin letters where Tibetan is expected.
GOOD = {
    "Name": "མིང་ཚིག",
    "Alias": "མིང་གཞན་པ།",
    "Agency": "ལས་ཁུངས་སམ་སྡེ་ཚན།",
    "Save": "ཉར་ཚགས་གནང་།",
    "Cancel": "ཕྱིར་འཐེན་གནང་།",
    "Sex": "ཕོ་མོའི་རིགས།",
    "Phone": "ཁ་པར་ཨང་གྲངས།",
    "person {id}": "མི་སྣ་ཨང་{id}",
}
BROKEN_PLACEHOLDER = ("{start} to {end} written to {path}", "{start}ནས་{end}བར་བྲིས་ཟིན།")
LATIN = ("Address", "dizhi")

KEY = [k for k, _h, _w in translations.COLUMNS].index("msgid")  # the English key's column


@pytest.fixture
def exported(admin_ctx: Context, tmp_path: Path) -> Path:
    out = tmp_path / "review.xlsx"
    assert translations.export_review(admin_ctx, "bo", out) > 1000
    return out


def test_the_workbook_holds_every_text_with_its_sources_and_the_glossary(exported: Path) -> None:
    wb = load_workbook(exported)
    assert wb.sheetnames[:2] == [translations.TEXTS_SHEET, translations.GLOSSARY_SHEET]
    ws = wb[translations.TEXTS_SHEET]
    keys = [k for k, _h, _w in translations.COLUMNS]
    rows = {str(r[KEY].value): r for r in ws.iter_rows(min_row=2)}
    assert len(rows) == len(translations.catalog_texts("bo"))
    name = rows["Name"]
    assert name[keys.index("zh")].value == "姓名"
    assert name[keys.index("current")].value == translator("bo").shipped("Name")
    assert name[keys.index("reviewed")].value is None
    # where it appears: the form and its field
    where = str(rows["&Add a person met"][keys.index("where")].value)
    assert "ui/" in where
    assert "addRowButton: text" in where
    assert "巡查班次（ui/patrol_shift_form.ui）" in where  # the screen, in Chinese
    assert "(A)" in str(name[keys.index("terms")].value)  # 姓名 མིང་། is attested
    # Tibetan cells in a Tibetan font, wrapped; the header repeated on paper
    cell = name[keys.index("current")]
    assert cell.font.name == translations.TIBETAN_FONT[0]
    assert cell.alignment.wrap_text
    assert ws.print_title_rows == "$1:$1"
    assert ws.page_setup.orientation == "landscape"
    assert ws.column_dimensions["C"].width >= 36  # the current Tibetan, wide enough to read
    assert ws.print_area == f"'Texts'!$A$1:$F${ws.max_row}"  # on paper: the six columns to review
    # each row as tall as its text wraps to: on paper, lines never run into each other
    longest = max(rows.values(), key=lambda r: len(str(r[keys.index("current")].value or "")))
    assert ws.row_dimensions[longest[0].row].height >= 3 * translations.LINE_PT_BO
    assert ws.row_dimensions[name[0].row].height < 2 * translations.LINE_PT_BO
    glossary = wb[translations.GLOSSARY_SHEET]
    heads = {str(r[0].value): r for r in glossary.iter_rows(min_row=2)}
    assert heads["姓名"][3].value.startswith("A ")
    assert exported.stat().st_mode & 0o077 == 0  # owner-only, as every file we write


def test_the_round_trip_takes_the_good_rows_and_says_why_the_others_are_refused(
    admin_ctx: Context, exported: Path
) -> None:
    before = {t.msgid: translator("bo").gettext(t.msgid) for t in translations.catalog_texts("bo")}
    rows = review(
        exported, {**GOOD, BROKEN_PLACEHOLDER[0]: BROKEN_PLACEHOLDER[1], LATIN[0]: LATIN[1]}
    )

    report = translations.import_review(admin_ctx, exported, "བསོད་ནམས་ (甘孜州编译局)")

    assert {msgid for _row, msgid, _old, _new in report.changed} == set(GOOD)
    assert [(r.row, r.msgid, r.reason) for r in report.refused] == sorted(
        [
            (rows[BROKEN_PLACEHOLDER[0]], BROKEN_PLACEHOLDER[0], translations.PLACEHOLDERS),
            (rows[LATIN[0]], LATIN[0], translations.NOT_TIBETAN),
        ]
    )
    bo = translator("bo")
    for msgid, text in GOOD.items():
        assert bo.gettext(msgid) == text  # laid over the shipped catalog at once
    for msgid, text in before.items():  # nothing else changed
        if msgid not in GOOD:
            assert bo.gettext(msgid) == text, msgid
    with admin_ctx.db.sessions() as s:
        stored = list(s.scalars(select(ReviewedText)))
    assert {r.msgid for r in stored} == set(GOOD)
    assert {r.reviewer for r in stored} == {"བསོད་ནམས་ (甘孜州编译局)"}
    state = translations.review_state(admin_ctx, "bo")
    assert state.verified == len(GOOD)
    assert state.reviewers == ("བསོད་ནམས་ (甘孜州编译局)",)
    assert state.last_review is not None


def test_a_text_copied_unchanged_is_approved_as_it_was(admin_ctx: Context, exported: Path) -> None:
    shipped = translator("bo").shipped("Name")
    review(exported, {"Name": shipped})
    report = translations.import_review(admin_ctx, exported, "Tenzin")
    assert report.changed == []
    assert [msgid for _row, msgid in report.approved] == ["Name"]
    assert translations.review_state(admin_ctx).verified == 1


def test_the_next_export_shows_the_reviewed_wording_and_who_approved_it(
    admin_ctx: Context, exported: Path, tmp_path: Path
) -> None:
    review(exported, {"Name": GOOD["Name"]})
    translations.import_review(admin_ctx, exported, "Tenzin")
    again = tmp_path / "again.xlsx"
    translations.export_review(admin_ctx, "bo", again)
    ws = load_workbook(again)[translations.TEXTS_SHEET]
    keys = [k for k, _h, _w in translations.COLUMNS]
    row = next(r for r in ws.iter_rows(min_row=2) if r[KEY].value == "Name")
    assert row[keys.index("current")].value == GOOD["Name"]
    assert "Tenzin" in row[keys.index("status")].value


def test_the_stations_wording_survives_an_update_of_the_shipped_catalogs(
    admin_ctx: Context, exported: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    review(exported, {"Name": GOOD["Name"]})
    translations.import_review(admin_ctx, exported, "Tenzin")
    # the next release ships other catalogs (here: the .mo of Tibetan removed,
    # its .po rewritten with another wording of "Name" and of "Alias")
    shipped = tmp_path / "release" / "i18n"
    shutil.copytree(paths.i18n_dir(), shipped)
    po = shipped / "bo" / "LC_MESSAGES" / "messages.po"
    (shipped / "bo" / "LC_MESSAGES" / "messages.mo").unlink(missing_ok=True)
    text = po.read_text(encoding="utf-8")
    for msgid in ("Name", "Alias"):
        old = translator("bo").shipped(msgid)
        text = text.replace(f'msgid "{msgid}"\nmsgstr "{old}"', f'msgid "{msgid}"\nmsgstr "ཉེ་ཆར།"')
    po.write_text(text, encoding="utf-8")
    monkeypatch.setattr(paths, "i18n_dir", lambda: shipped)
    catalogs.translator.cache_clear()
    try:
        assert translator("bo").gettext("Alias") == "ཉེ་ཆར།"  # the new release's wording
        translations.apply_reviewed(admin_ctx.db)  # as every start does
        assert translator("bo").gettext("Name") == GOOD["Name"]  # the station's, kept
        assert translator("bo").gettext("Alias") == "ཉེ་ཆར།"
    finally:
        catalogs.translator.cache_clear()


def test_only_a_manager_or_the_administrator_sends_texts_out_and_takes_them_in(
    admin_ctx: Context, exported: Path, tmp_path: Path
) -> None:
    desk = Context(admin_ctx.db, Actor.command_line(admin_ctx.station_id, Role.DESK))
    with pytest.raises(PermissionDenied):
        translations.export_review(desk, "bo", tmp_path / "desk.xlsx")
    review(exported, {"Name": GOOD["Name"]})
    with pytest.raises(PermissionDenied):
        translations.import_review(desk, exported, "Tenzin")
    assert translations.review_state(admin_ctx).verified == 0


@pytest.mark.parametrize("reviewer", ["", "   ", "x" * 101, "Ten\u202ezin"])
def test_the_reviewer_is_named(admin_ctx: Context, exported: Path, reviewer: str) -> None:
    review(exported, {"Name": GOOD["Name"]})
    with pytest.raises(UserError, match="reviewer"):
        translations.import_review(admin_ctx, exported, reviewer)


def test_a_file_that_is_not_a_review_workbook_is_refused_and_nothing_changes(
    admin_ctx: Context, tmp_path: Path
) -> None:
    not_xlsx = tmp_path / "notes.xlsx"
    not_xlsx.write_text("审定意见", encoding="utf-8")
    with pytest.raises(UserError, match="could not be read as an Excel workbook"):
        translations.import_review(admin_ctx, not_xlsx, "Tenzin")
    other = tmp_path / "other.xlsx"
    wb = Workbook()
    wb.active.append(["姓名", "མིང་།"])  # type: ignore[union-attr]
    wb.save(other)
    with pytest.raises(UserError, match="not a review workbook"):
        translations.import_review(admin_ctx, other, "Tenzin")
    with admin_ctx.db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(ReviewedText)) == 0


@pytest.mark.parametrize(
    ("msgid", "text", "reason"),
    [
        ("person {id}", "མི་སྣ།", translations.PLACEHOLDERS),
        ("person {id}", "མི་སྣ་{id}{x}", translations.PLACEHOLDERS),
        ("Name", "མིང་\u200f།", translations.CONTROL),
        ("Name", "མིང་\x07།", translations.CONTROL),
        ("Name", "Name", translations.NOT_TIBETAN),
        ("Name", "姓名", translations.NOT_TIBETAN),
        ("Name", "མིང་ name", translations.LATIN),
        ("Name", "མིང་{", translations.STRAY_BRACE),
    ],
)
def test_what_a_reviewed_text_may_not_be(msgid: str, text: str, reason: str) -> None:
    shipped = translator("bo").shipped(msgid)
    problem = translations.text_problem("bo", msgid, text, shipped)
    assert problem is not None
    assert problem[0] == reason


def test_latin_words_of_the_shipped_translation_stay_allowed() -> None:
    # "{size} MB" keeps MB in Tibetan as shipped
    assert translations.text_problem("bo", "{size} MB", "{size} MB ཙམ།", "{size} MB") is None


def test_a_suggestion_from_a_screen_waits_for_the_review_and_goes_into_the_workbook(
    admin_ctx: Context, tmp_path: Path
) -> None:
    desk = Context(admin_ctx.db, Actor.command_line(admin_ctx.station_id, Role.DESK))
    translations.suggest_wording(desk, "bo", "Name", "མིང་ཚིག", "PersonForm: nameLabel")
    with pytest.raises(UserError):
        translations.suggest_wording(desk, "bo", "Name", "name", "PersonForm: nameLabel")
    with pytest.raises(PermissionDenied):
        translations.suggestions(desk)  # the list is the administrator's
    (waiting,) = translations.suggestions(admin_ctx, "bo")
    assert (waiting.msgid, waiting.text, waiting.screen) == (
        "Name",
        "མིང་ཚིག",
        "PersonForm: nameLabel",
    )
    out = tmp_path / "review.xlsx"
    translations.export_review(admin_ctx, "bo", out)
    keys = [k for k, _h, _w in translations.COLUMNS]
    ws = load_workbook(out)[translations.TEXTS_SHEET]
    row = next(r for r in ws.iter_rows(min_row=2) if r[KEY].value == "Name")
    assert "མིང་ཚིག" in row[keys.index("suggested")].value
    assert "PersonForm: nameLabel" in row[keys.index("suggested")].value
    # the review answers it: the suggestion is no longer waiting
    review(out, {"Name": "མིང་ཚིག"})
    translations.import_review(admin_ctx, out, "Tenzin")
    assert translations.suggestions(admin_ctx, "bo") == []
    with admin_ctx.db.sessions() as s:
        assert s.scalar(select(WordingSuggestion.reviewed_at)) is not None


def test_a_reviewed_term_is_proposed_in_every_text_that_uses_it(
    admin_ctx: Context, exported: Path, tmp_path: Path
) -> None:
    rows = review_terms(exported, {"姓名": "མིང་ཚིག", "性别": "xingbie"})
    report = translations.import_review(admin_ctx, exported, "Tenzin")
    assert [(r, h) for r, h, _o, _n in report.terms_changed] == [(rows["姓名"], "姓名")]
    assert [(r.row, r.msgid, r.reason) for r in report.terms_refused] == [
        (rows["性别"], "性别", translations.NOT_TIBETAN)
    ]
    assert report.changed == []  # the texts themselves wait for the reviewer
    assert translator("bo").gettext("Name") == translator("bo").shipped("Name")

    again = tmp_path / "again.xlsx"
    translations.export_review(admin_ctx, "bo", again)
    wb = load_workbook(again)
    keys = [k for k, _h, _w in translations.COLUMNS]
    texts = {str(r[KEY].value): r for r in wb[translations.TEXTS_SHEET].iter_rows(min_row=2)}
    assert texts["Name"][keys.index("proposed")].value == "མིང་ཚིག།"
    using = [
        r
        for msgid, r in texts.items()
        if msgid != "Name" and "姓名" in str(r[keys.index("terms")].value or "")
    ]
    assert using  # other texts use the term too: each gets the proposal
    for r in using:
        assert "མིང་ཚིག" in str(r[keys.index("proposed")].value)
        assert "已审定 reviewed" in str(r[keys.index("terms")].value)
    glossary = {str(r[0].value): r for r in wb[translations.GLOSSARY_SHEET].iter_rows(min_row=2)}
    assert glossary["姓名"][1].value == "མིང་ཚིག"
    assert "Tenzin" in glossary["姓名"][3].value


def test_a_proposal_replaces_whole_syllables_only() -> None:
    from station_app.i18n.glossary import Term

    name = Term("姓名", ("མིང་།",), "A")
    assert translations.propose("མིང་གཞན།", [name], {"姓名": "མིང་ཚིག"}) == "མིང་ཚིག་གཞན།"
    assert translations.propose("མི་སྣའི་མིང་།", [name], {"姓名": "མིང་ཚིག"}) == "མི་སྣའི་མིང་ཚིག།"
    assert translations.propose("སྨིང་།", [name], {"姓名": "མིང་ཚིག"}) is None
    assert translations.propose("མིང་།", [name], {}) is None
