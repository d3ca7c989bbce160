"""Services core: audit trail, permissions, login, persons, settings, numbering.

Each test runs on SQLite and on the real PostgreSQL server.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from station_app.db.models import AuditEntry, Person, Station, User
from station_app.domain.enums import (
    AuditAction,
    DataQuality,
    DocumentKind,
    IdDocumentType,
    NameKind,
    Role,
    Sex,
)
from station_app.domain.errors import PermissionDenied, ValidationError
from station_app.services import numbering, persons, settings, users
from station_app.services.audit import WriteWithoutActor
from station_app.services.context import Context, Database
from station_app.services.stations import RoomSpec, create_station, find_station
from tests.conftest import ADMIN_PASSWORD
from tests.support.idnumbers import make_id, with_wrong_check
from tests.support.stations import kangding_setup


def _audit(ctx: Context, entity: str, action: AuditAction | None = None) -> list[AuditEntry]:
    with ctx.db.sessions() as s:
        q = select(AuditEntry).where(AuditEntry.entity == entity)
        if action is not None:
            q = q.where(AuditEntry.action == action)
        return list(s.scalars(q.order_by(AuditEntry.id)))


def _user_ctx(admin_ctx: Context, role: Role, name: str) -> Context:
    users.create_user(admin_ctx, name, name.title(), role, "password-" + name)
    return users.login(admin_ctx.db, admin_ctx.station_id, name, "password-" + name)


def test_station_setup_is_audited_without_leaking_password(admin_ctx: Context) -> None:
    station_rows = _audit(admin_ctx, "station", AuditAction.CREATE)
    assert len(station_rows) == 1
    assert station_rows[0].changes["new"]["name_zh"] == "康定市救助管理站"
    user_rows = _audit(admin_ctx, "user_account", AuditAction.CREATE)
    assert user_rows[0].changes["new"]["password_hash"] == "***"
    assert len(_audit(admin_ctx, "room", AuditAction.CREATE)) == 2


def test_login_checks_password_and_audits_failures(admin_ctx: Context) -> None:
    with pytest.raises(users.LoginFailed):
        users.login(admin_ctx.db, admin_ctx.station_id, "admin", "wrong-password")
    failed = _audit(admin_ctx, "user_account", AuditAction.LOGIN_FAILED)
    assert len(failed) == 1
    assert failed[0].username == "admin"
    ctx = users.login(admin_ctx.db, admin_ctx.station_id, "ADMIN ", ADMIN_PASSWORD)
    assert ctx.actor.role is Role.ADMIN
    assert len(_audit(admin_ctx, "user_account", AuditAction.LOGIN)) == 1
    with admin_ctx.db.sessions() as s:
        stored = s.scalar(select(User.password_hash).where(User.username == "admin"))
    assert stored is not None
    assert stored.startswith("$argon2")


def test_deactivated_user_cannot_log_in(admin_ctx: Context) -> None:
    desk = _user_ctx(admin_ctx, Role.DESK, "dawa")
    users.set_active(admin_ctx, desk.actor.user_id or 0, False)
    with pytest.raises(users.LoginFailed):
        users.login(admin_ctx.db, admin_ctx.station_id, "dawa", "password-dawa")


def test_person_create_update_delete_are_audited_with_old_and_new(admin_ctx: Context) -> None:
    desk = _user_ctx(admin_ctx, Role.DESK, "yangzom")
    saved = persons.create_person(
        desk,
        persons.PersonInput(
            name_zh="扎西卓玛",
            name_bo="བཀྲ་ཤིས་སྒྲོལ་མ",
            sex=Sex.FEMALE,
            estimated_age=40,
            other_names=[(NameKind.SPELLING, "扎喜卓嘛"), (NameKind.WYLIE, "bkra shis sgrol ma")],
        ),
    )
    pid = saved.person.id
    created = [e for e in _audit(desk, "person", AuditAction.CREATE) if e.entity_id == pid]
    assert created
    assert created[0].username == "yangzom"
    assert created[0].changes["new"]["name_bo"] == "བཀྲ་ཤིས་སྒྲོལ་མ"
    assert len(_audit(desk, "person_name", AuditAction.CREATE)) == 2

    persons.update_person(
        desk,
        pid,
        persons.PersonInput(
            name_zh="扎西卓玛",
            name_bo="བཀྲ་ཤིས་སྒྲོལ་མ",
            sex=Sex.FEMALE,
            estimated_age=42,
            phone="13912345678",
        ),
    )
    updates = _audit(desk, "person", AuditAction.UPDATE)
    assert updates[-1].changes["estimated_age"] == {"old": 40, "new": 42}
    assert updates[-1].changes["phone_quality"] == {"old": "unknown", "new": "known"}

    with pytest.raises(PermissionDenied):
        persons.delete_person(desk, pid)  # desk staff may not delete
    persons.delete_person(admin_ctx, pid)
    deleted = _audit(admin_ctx, "person", AuditAction.DELETE)
    assert deleted[-1].entity_id == pid
    assert deleted[-1].changes["old"]["name_zh"] == "扎西卓玛"


def test_id_number_fills_birth_and_sex_and_bad_ids_save_nothing(admin_ctx: Context) -> None:
    good = make_id("513301", "19850302", "124")  # even sequence digit: female
    view = persons.create_person(
        admin_ctx, persons.PersonInput(name_zh="拉姆", id_number=good)
    ).person
    assert view.birth_date == date(1985, 3, 2)
    assert view.sex is Sex.FEMALE
    assert view.quality["id_number"] is DataQuality.KNOWN

    with admin_ctx.db.sessions() as s:
        before = s.scalar(select(func.count()).select_from(Person))
    for bad, field in [
        (with_wrong_check(good), "id_number"),
        ("513301199902301234", "id_number"),
        ("51330119850302124\u0f28", "id_number"),  # Tibetan digit eight
    ]:
        with pytest.raises(ValidationError) as info:
            persons.create_person(admin_ctx, persons.PersonInput(name_zh="拉姆", id_number=bad))
        assert info.value.field == field
    with pytest.raises(ValidationError) as info:
        persons.create_person(
            admin_ctx,
            persons.PersonInput(name_zh="拉姆", id_number=good, birth_date=date(1985, 3, 3)),
        )
    assert info.value.field == "birth_date"
    with admin_ctx.db.sessions() as s:
        assert s.scalar(select(func.count()).select_from(Person)) == before


def test_no_document_with_a_document_number_is_refused(admin_ctx: Context) -> None:
    """ "No document" and a number typed beside it contradict each other: the
    clerk is asked which is right, nothing is saved."""
    number = make_id("513301", "19850302", "124")
    with pytest.raises(ValidationError) as info:
        persons.create_person(
            admin_ctx,
            persons.PersonInput(name_zh="拉姆", id_number=number, id_doc_type=IdDocumentType.NONE),
        )
    assert info.value.field == "id_number"
    view = persons.create_person(
        admin_ctx, persons.PersonInput(name_zh="拉姆", id_doc_type=IdDocumentType.NONE)
    ).person
    assert view.id_number is None
    assert view.id_doc_type is IdDocumentType.NONE


def test_quick_intake_records_unknown_and_refused(admin_ctx: Context) -> None:
    view = persons.create_person(
        admin_ctx,
        persons.PersonInput(
            code_name="无名氏-2026-001", description="男，约60岁，穿藏袍", refused={"phone"}
        ),
    ).person
    assert view.quality["name"] is DataQuality.UNKNOWN
    assert view.quality["phone"] is DataQuality.REFUSED
    assert "name" in view.missing
    assert "sex" in view.missing
    with pytest.raises(ValidationError):
        persons.create_person(admin_ctx, persons.PersonInput())


def test_unknown_region_in_id_is_a_warning(admin_ctx: Context) -> None:
    saved = persons.create_person(
        admin_ctx, persons.PersonInput(name_zh="次仁", id_number=make_id("519999", "19700101"))
    )
    assert saved.person.id_number is not None
    assert saved.warnings, "an unknown region code must be reported"


def test_control_and_bidi_characters_are_refused(admin_ctx: Context) -> None:
    for bad in ("扎西\u202e", "扎西\x07"):
        with pytest.raises(ValidationError) as info:
            persons.create_person(admin_ctx, persons.PersonInput(name_zh=bad))
        assert info.value.field == "name_zh"
    with pytest.raises(ValidationError):
        persons.create_person(admin_ctx, persons.PersonInput(name_zh="长" * 101))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"other_names": [(NameKind.ALIAS, "阿扎"), (NameKind.ALIAS, "扎\u202e")]}, "other_names"),
        (
            {"relatives": [persons.RelativeInput("卓玛"), persons.RelativeInput(" ")]},
            "relative_name",
        ),
        (
            {
                "relatives": [
                    persons.RelativeInput("卓玛"),
                    persons.RelativeInput("多吉", phone="12"),
                ]
            },
            "relative_phone",
        ),
        ({"languages": ["bo", "fr"]}, "languages"),
    ],
    ids=["other-name", "relative-name", "relative-phone", "language"],
)
def test_a_refused_entry_of_a_persons_list_carries_its_row(
    admin_ctx: Context, change: dict[str, object], field: str
) -> None:
    data = persons.PersonInput(name_zh="扎西", **change)  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as info:
        persons.create_person(admin_ctx, data)
    assert (info.value.field, info.value.row) == (field, 1)
    with pytest.raises(ValidationError) as info:
        persons.create_person(admin_ctx, persons.PersonInput(name_zh="扎西\x07", **change))  # type: ignore[arg-type]
    assert (info.value.field, info.value.row) == ("name_zh", None)


@pytest.mark.parametrize(
    ("rooms", "field", "row"),
    [
        ([RoomSpec("男1", Sex.MALE, 4), RoomSpec("男2", Sex.MALE, 0)], "beds", 1),
        ([RoomSpec("男1", Sex.MALE, 4), RoomSpec(" ", Sex.MALE, 2)], "room", 1),
        (
            [
                RoomSpec("男1", Sex.MALE, 4),
                RoomSpec("女1", Sex.FEMALE, 3),
                RoomSpec("男1", Sex.MALE, 2),
            ],
            "room",
            2,
        ),
    ],
    ids=["no-beds", "no-name", "twice"],
)
def test_a_refused_room_of_the_station_setup_carries_its_row(
    database: Database, rooms: list[RoomSpec], field: str, row: int
) -> None:
    with pytest.raises(ValidationError) as info:
        create_station(database, kangding_setup(rooms=rooms))
    assert (info.value.field, info.value.row) == (field, row)
    assert find_station(database) is None


def test_writes_outside_a_service_are_refused(admin_ctx: Context) -> None:
    with admin_ctx.db.sessions() as s:
        s.add(Person(station_id=admin_ctx.station_id, name_zh="偷偷"))
        with pytest.raises(WriteWithoutActor):
            s.flush()


def test_settings_defaults_editing_and_permissions(admin_ctx: Context) -> None:
    assert settings.get(admin_ctx, "rules.stay_limit_days") == 10
    assert settings.get(admin_ctx, "standards.dibao_urban_yuan") == "740"
    settings.set_value(admin_ctx, "standards.dibao_urban_yuan", "760.5")
    assert settings.get(admin_ctx, "standards.dibao_urban_yuan") == "760.5"
    with pytest.raises(ValidationError):
        settings.set_value(admin_ctx, "rules.stay_limit_days", "十天")
    desk = _user_ctx(admin_ctx, Role.DESK, "pema")
    with pytest.raises(PermissionDenied):
        settings.set_value(desk, "rules.stay_limit_days", 12)
    rows = _audit(admin_ctx, "setting")
    # the row written, and the change with its old (default) and new value
    assert [r.action for r in rows] == [AuditAction.CREATE, AuditAction.UPDATE]
    assert rows[1].changes == {"key": "standards.dibao_urban_yuan", "old": "740", "new": "760.5"}


def test_document_numbers_run_per_kind_and_year(admin_ctx: Context) -> None:
    with admin_ctx.write(users.Permission.DESK_WORK) as s:
        a = numbering.next_number(s, admin_ctx.station_id, DocumentKind.REFUSAL, 2026)
        b = numbering.next_number(s, admin_ctx.station_id, DocumentKind.REFUSAL, 2026)
        c = numbering.next_number(s, admin_ctx.station_id, DocumentKind.TERMINATION, 2026)
        d = numbering.next_number(s, admin_ctx.station_id, DocumentKind.REFUSAL, 2027)
    assert (a[0], b[0], c[0], d[0]) == (1, 2, 1, 1)
    assert b[1] == "不救〔2026〕002号"
    with admin_ctx.write(users.Permission.DESK_WORK) as s:
        e = numbering.next_number(s, admin_ctx.station_id, DocumentKind.REFUSAL, 2026)
    assert e[0] == 3


def test_station_rows_belong_to_their_station(admin_ctx: Context) -> None:
    persons.create_person(admin_ctx, persons.PersonInput(name_zh="尼玛"))
    with admin_ctx.db.sessions() as s:
        station_ids = set(s.scalars(select(Person.station_id)))
        assert station_ids == {s.scalar(select(Station.id))}
