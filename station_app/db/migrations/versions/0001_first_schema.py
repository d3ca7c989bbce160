"""First schema of the station database.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-29 10:00:19.247796
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "station",
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name_zh", sa.String(length=100), nullable=False),
        sa.Column("name_bo", sa.String(length=200), nullable=True),
        sa.Column("name_en", sa.String(length=200), nullable=True),
        sa.Column("region_code", sa.String(length=6), nullable=True),
        sa.Column("address_zh", sa.String(length=200), nullable=True),
        sa.Column("address_bo", sa.String(length=300), nullable=True),
        sa.Column("hotline", sa.String(length=40), nullable=True),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_station")),
        sa.UniqueConstraint("code", name=op.f("uq_station_code")),
    )
    op.create_table(
        "document_sequence",
        sa.Column(
            "kind",
            sa.Enum(
                "intake_form",
                "refusal",
                "termination",
                "self_departure",
                "departure_record",
                name="documentkind",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_document_sequence_station_id_station"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_sequence")),
        sa.UniqueConstraint(
            "station_id", "kind", "year", name=op.f("uq_document_sequence_station_id_kind_year")
        ),
    )
    with op.batch_alter_table("document_sequence", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_document_sequence_station_id"), ["station_id"], unique=False
        )

    op.create_table(
        "publicity_event",
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("leaflets", sa.Integer(), nullable=False),
        sa.Column("people_consulted", sa.Integer(), nullable=False),
        sa.Column("staff_count", sa.Integer(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_publicity_event_station_id_station"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publicity_event")),
    )
    with op.batch_alter_table("publicity_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_publicity_event_station_id"), ["station_id"], unique=False
        )

    op.create_table(
        "room",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column(
            "sex",
            sa.Enum("male", "female", name="sex", native_enum=False, length=8),
            nullable=False,
        ),
        sa.Column("beds", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_room_station_id_station"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_room")),
        sa.UniqueConstraint("station_id", "name", name=op.f("uq_room_station_id_name")),
    )
    with op.batch_alter_table("room", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_room_station_id"), ["station_id"], unique=False)

    op.create_table(
        "setting",
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_setting_station_id_station"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_setting")),
        sa.UniqueConstraint("station_id", "key", name=op.f("uq_setting_station_id_key")),
    )
    with op.batch_alter_table("setting", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_setting_station_id"), ["station_id"], unique=False)

    op.create_table(
        "supply_item",
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("name_zh", sa.String(length=100), nullable=False),
        sa.Column("name_bo", sa.String(length=200), nullable=True),
        sa.Column("name_en", sa.String(length=100), nullable=True),
        sa.Column("unit_zh", sa.String(length=20), nullable=False),
        sa.Column("unit_bo", sa.String(length=40), nullable=True),
        sa.Column("whole_units", sa.Boolean(), nullable=False),
        sa.Column("low_stock_threshold", sa.BigInteger(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_supply_item_station_id_station"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supply_item")),
        sa.UniqueConstraint("station_id", "code", name=op.f("uq_supply_item_station_id_code")),
    )
    with op.batch_alter_table("supply_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_supply_item_station_id"), ["station_id"], unique=False)

    op.create_table(
        "user_account",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "desk", "patrol", "manager", "admin", name="role", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("preferred_language", sa.String(length=10), nullable=True),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_user_account_station_id_station"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_account")),
        sa.UniqueConstraint(
            "station_id", "username", name=op.f("uq_user_account_station_id_username")
        ),
    )
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_user_account_station_id"), ["station_id"], unique=False
        )

    op.create_table(
        "audit_entry",
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(length=64), nullable=True),
        sa.Column(
            "action",
            sa.Enum(
                "create",
                "update",
                "delete",
                "login",
                "login_failed",
                "bulk",
                name="auditaction",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_audit_entry_station_id_station"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_audit_entry_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entry")),
    )
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.create_index("ix_audit_entry_entity", ["entity", "entity_id"], unique=False)
        batch_op.create_index("ix_audit_entry_station_at", ["station_id", "at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_entry_station_id"), ["station_id"], unique=False)

    op.create_table(
        "patrol_shift",
        sa.Column("shift_date", sa.Date(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("staff_count", sa.Integer(), nullable=False),
        sa.Column("vehicle_count", sa.Integer(), nullable=False),
        sa.Column("partner_agencies", sa.JSON(), nullable=False),
        sa.Column("areas", sa.JSON(), nullable=False),
        sa.Column("area_notes", sa.Text(), nullable=True),
        sa.Column("weather", sa.String(length=60), nullable=True),
        sa.Column("temperature_c", sa.BigInteger(), nullable=True),
        sa.Column(
            "status",
            sa.Enum("draft", "submitted", name="shiftstatus", native_enum=False, length=12),
            nullable=False,
        ),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_patrol_shift_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_patrol_shift_station_id_station"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patrol_shift")),
    )
    with op.batch_alter_table("patrol_shift", schema=None) as batch_op:
        batch_op.create_index(
            "ix_patrol_shift_station_date", ["station_id", "shift_date"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_patrol_shift_station_id"), ["station_id"], unique=False
        )

    op.create_table(
        "person",
        sa.Column("name_zh", sa.String(length=100), nullable=True),
        sa.Column("name_bo", sa.String(length=200), nullable=True),
        sa.Column(
            "name_quality",
            sa.Enum("known", "unknown", "refused", name="dataquality", native_enum=False, length=8),
            nullable=False,
        ),
        sa.Column("code_name", sa.String(length=60), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "sex", sa.Enum("male", "female", name="sex", native_enum=False, length=8), nullable=True
        ),
        sa.Column(
            "sex_quality",
            sa.Enum("known", "unknown", "refused", name="dataquality", native_enum=False, length=8),
            nullable=False,
        ),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("estimated_age", sa.Integer(), nullable=True),
        sa.Column("age_estimated_on", sa.Date(), nullable=True),
        sa.Column(
            "birth_quality",
            sa.Enum("known", "unknown", "refused", name="dataquality", native_enum=False, length=8),
            nullable=False,
        ),
        sa.Column("ethnicity", sa.String(length=2), nullable=True),
        sa.Column(
            "ethnicity_quality",
            sa.Enum("known", "unknown", "refused", name="dataquality", native_enum=False, length=8),
            nullable=False,
        ),
        sa.Column(
            "id_doc_type",
            sa.Enum(
                "resident_id",
                "temporary_id",
                "household_register",
                "passport",
                "military_id",
                "hk_macao_permit",
                "taiwan_permit",
                "other",
                name="iddocumenttype",
                native_enum=False,
                length=24,
            ),
            nullable=True,
        ),
        sa.Column("id_number", sa.String(length=40), nullable=True),
        sa.Column(
            "id_quality",
            sa.Enum("known", "unknown", "refused", name="dataquality", native_enum=False, length=8),
            nullable=False,
        ),
        sa.Column("hukou_code", sa.String(length=6), nullable=True),
        sa.Column("hukou_text", sa.String(length=200), nullable=True),
        sa.Column(
            "hukou_quality",
            sa.Enum("known", "unknown", "refused", name="dataquality", native_enum=False, length=8),
            nullable=False,
        ),
        sa.Column("residence", sa.String(length=200), nullable=True),
        sa.Column(
            "residence_quality",
            sa.Enum("known", "unknown", "refused", name="dataquality", native_enum=False, length=8),
            nullable=False,
        ),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column(
            "phone_quality",
            sa.Enum("known", "unknown", "refused", name="dataquality", native_enum=False, length=8),
            nullable=False,
        ),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("photo_file", sa.String(length=300), nullable=True),
        sa.Column("fingerprint_taken", sa.Boolean(), nullable=False),
        sa.Column("disability", sa.String(length=40), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "estimated_age IS NULL OR (estimated_age >= 0 AND estimated_age <= 120)",
            name=op.f("ck_person_estimated_age_range"),
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_person_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_person_station_id_station"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index("ix_person_id_number", ["id_number"], unique=False)
        batch_op.create_index("ix_person_phone", ["phone"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_station_id"), ["station_id"], unique=False)
        batch_op.create_index("ix_person_station_name_bo", ["station_id", "name_bo"], unique=False)
        batch_op.create_index("ix_person_station_name_zh", ["station_id", "name_zh"], unique=False)

    op.create_table(
        "safety_check",
        sa.Column(
            "kind",
            sa.Enum(
                "fire_daily",
                "fire_monthly",
                "night_round",
                "heating_co",
                "electrical_gas",
                "kitchen_food_sample",
                "cctv",
                "vehicle",
                "other",
                name="safetycheckkind",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("checked_by", sa.String(length=200), nullable=False),
        sa.Column("passed", sa.Boolean(), nullable=False),
        sa.Column("checklist", sa.JSON(), nullable=False),
        sa.Column("findings", sa.Text(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_account.id"],
            name=op.f("fk_safety_check_recorded_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_safety_check_station_id_station"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety_check")),
    )
    with op.batch_alter_table("safety_check", schema=None) as batch_op:
        batch_op.create_index(
            "ix_safety_check_station_at", ["station_id", "checked_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_safety_check_station_id"), ["station_id"], unique=False
        )

    op.create_table(
        "safety_log_signoff",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("signed_by_id", sa.Integer(), nullable=False),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["signed_by_id"],
            ["user_account.id"],
            name=op.f("fk_safety_log_signoff_signed_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_safety_log_signoff_station_id_station"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safety_log_signoff")),
        sa.UniqueConstraint(
            "station_id", "year", "month", name=op.f("uq_safety_log_signoff_station_id_year_month")
        ),
    )
    with op.batch_alter_table("safety_log_signoff", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_safety_log_signoff_station_id"), ["station_id"], unique=False
        )

    op.create_table(
        "stocktake",
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("taken_by_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_stocktake_station_id_station"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["taken_by_id"], ["user_account.id"], name=op.f("fk_stocktake_taken_by_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stocktake")),
    )
    with op.batch_alter_table("stocktake", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stocktake_station_id"), ["station_id"], unique=False)

    op.create_table(
        "hazard",
        sa.Column("found_on", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("owner", sa.String(length=100), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("closing_note", sa.Text(), nullable=True),
        sa.Column("safety_check_id", sa.Integer(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["safety_check_id"],
            ["safety_check.id"],
            name=op.f("fk_hazard_safety_check_id_safety_check"),
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_hazard_station_id_station"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hazard")),
    )
    with op.batch_alter_table("hazard", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hazard_station_id"), ["station_id"], unique=False)

    op.create_table(
        "hotline_call",
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "source",
            sa.Enum(
                "public",
                "police",
                "city_management",
                "other_agency",
                "self",
                name="leadsource",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("caller_name", sa.String(length=100), nullable=True),
        sa.Column("caller_phone", sa.String(length=32), nullable=True),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("dispatched_to", sa.String(length=200), nullable=True),
        sa.Column("dispatched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("shift_id", sa.Integer(), nullable=True),
        sa.Column("arrived_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                "brought_to_station",
                "helped_on_site",
                "refused_help",
                "not_found",
                "referred",
                "other",
                name="leadoutcome",
                native_enum=False,
                length=20,
            ),
            nullable=True,
        ),
        sa.Column("taken_by_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["shift_id"], ["patrol_shift.id"], name=op.f("fk_hotline_call_shift_id_patrol_shift")
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_hotline_call_station_id_station"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["taken_by_id"],
            ["user_account.id"],
            name=op.f("fk_hotline_call_taken_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hotline_call")),
    )
    with op.batch_alter_table("hotline_call", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_hotline_call_station_id"), ["station_id"], unique=False
        )
        batch_op.create_index(
            "ix_hotline_call_station_received", ["station_id", "received_at"], unique=False
        )

    op.create_table(
        "patrol_member",
        sa.Column("shift_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("agency", sa.String(length=100), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["shift_id"],
            ["patrol_shift.id"],
            name=op.f("fk_patrol_member_shift_id_patrol_shift"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_patrol_member_station_id_station"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_patrol_member_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patrol_member")),
    )
    with op.batch_alter_table("patrol_member", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_patrol_member_shift_id"), ["shift_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_patrol_member_station_id"), ["station_id"], unique=False
        )

    op.create_table(
        "person_link",
        sa.Column("person_a_id", sa.Integer(), nullable=False),
        sa.Column("person_b_id", sa.Integer(), nullable=False),
        sa.Column("same_person", sa.Boolean(), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("undone_by_id", sa.Integer(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.CheckConstraint("person_a_id < person_b_id", name=op.f("ck_person_link_ordered_pair")),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user_account.id"],
            name=op.f("fk_person_link_decided_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["person_a_id"],
            ["person.id"],
            name=op.f("fk_person_link_person_a_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_b_id"],
            ["person.id"],
            name=op.f("fk_person_link_person_b_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_person_link_station_id_station"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["undone_by_id"],
            ["user_account.id"],
            name=op.f("fk_person_link_undone_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_link")),
    )
    with op.batch_alter_table("person_link", schema=None) as batch_op:
        batch_op.create_index("ix_person_link_pair", ["person_a_id", "person_b_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_person_link_person_b_id"), ["person_b_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_person_link_station_id"), ["station_id"], unique=False)

    op.create_table(
        "person_name",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "alias",
                "spelling",
                "house_name",
                "wylie",
                "code_name",
                name="namekind",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("text", sa.String(length=200), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_person_name_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_person_name_station_id_station"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_name")),
    )
    with op.batch_alter_table("person_name", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_name_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_name_station_id"), ["station_id"], unique=False)
        batch_op.create_index("ix_person_name_text", ["station_id", "text"], unique=False)

    op.create_table(
        "relative",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("relation", sa.String(length=40), nullable=True),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_relative_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_relative_station_id_station"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relative")),
    )
    with op.batch_alter_table("relative", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_relative_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_relative_station_id"), ["station_id"], unique=False)

    op.create_table(
        "visitor",
        sa.Column("arrived_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("left_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("id_number", sa.String(length=40), nullable=True),
        sa.Column("unit", sa.String(length=200), nullable=True),
        sa.Column("purpose", sa.String(length=200), nullable=True),
        sa.Column("visited_person_id", sa.Integer(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_visitor_station_id_station"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["visited_person_id"], ["person.id"], name=op.f("fk_visitor_visited_person_id_person")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visitor")),
    )
    with op.batch_alter_table("visitor", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visitor_station_id"), ["station_id"], unique=False)

    op.create_table(
        "encounter",
        sa.Column("shift_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("code_name", sa.String(length=60), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("met_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("condition", sa.Text(), nullable=True),
        sa.Column("needs", sa.Text(), nullable=True),
        sa.Column(
            "action",
            sa.Enum(
                "brought_to_station",
                "escorted_to_station",
                "sent_to_hospital",
                "handed_to_police",
                "handed_to_minors_protection",
                "refused_help",
                "contact_card_left",
                "other",
                name="encounteraction",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("refusal_reason", sa.Text(), nullable=True),
        sa.Column("follow_up_needed", sa.Boolean(), nullable=False),
        sa.Column("follow_up_note", sa.Text(), nullable=True),
        sa.Column("lead_id", sa.Integer(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["hotline_call.id"], name=op.f("fk_encounter_lead_id_hotline_call")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_encounter_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["shift_id"],
            ["patrol_shift.id"],
            name=op.f("fk_encounter_shift_id_patrol_shift"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_encounter_station_id_station"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_encounter")),
    )
    with op.batch_alter_table("encounter", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_encounter_person_id"), ["person_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_encounter_shift_id"), ["shift_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_encounter_station_id"), ["station_id"], unique=False)
        batch_op.create_index("ix_encounter_station_met", ["station_id", "met_at"], unique=False)

    op.create_table(
        "help_request",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("arrived_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "channel",
            sa.Enum(
                "walk_in",
                "police",
                "city_management",
                "patrol",
                "public",
                "hotline",
                "other_agency",
                name="arrivalchannel",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("brought_by", sa.String(length=200), nullable=True),
        sa.Column("encounter_id", sa.Integer(), nullable=True),
        sa.Column("lead_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "registered",
                "accepted",
                "refused",
                "handed_over",
                "closed",
                name="requeststatus",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("quick_intake", sa.Boolean(), nullable=False),
        sa.Column(
            "support_status",
            sa.Enum(
                "none",
                "dibao",
                "tekun",
                "unknown",
                name="supportstatus",
                native_enum=False,
                length=12,
            ),
            nullable=False,
        ),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("without_means_since", sa.String(length=100), nullable=True),
        sa.Column("belongings_carried", sa.Text(), nullable=True),
        sa.Column("photo_taken", sa.Boolean(), nullable=False),
        sa.Column("fingerprint_taken", sa.Boolean(), nullable=False),
        sa.Column("signature", sa.String(length=20), nullable=True),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("registered_by_id", sa.Integer(), nullable=True),
        sa.Column("form_number", sa.String(length=30), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["encounter_id"], ["encounter.id"], name=op.f("fk_help_request_encounter_id_encounter")
        ),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["hotline_call.id"], name=op.f("fk_help_request_lead_id_hotline_call")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_help_request_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["registered_by_id"],
            ["user_account.id"],
            name=op.f("fk_help_request_registered_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_help_request_station_id_station"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_help_request")),
    )
    with op.batch_alter_table("help_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_help_request_person_id"), ["person_id"], unique=False)
        batch_op.create_index(
            "ix_help_request_station_arrived", ["station_id", "arrived_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_help_request_station_id"), ["station_id"], unique=False
        )
        batch_op.create_index(
            "ix_help_request_station_status", ["station_id", "status"], unique=False
        )

    op.create_table(
        "custody_item",
        sa.Column("help_request_id", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(length=100), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("condition", sa.String(length=100), nullable=True),
        sa.Column("cash_amount", sa.BigInteger(), nullable=True),
        sa.Column("received_by", sa.String(length=100), nullable=True),
        sa.Column("witness", sa.String(length=100), nullable=True),
        sa.Column("returned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("returned_by", sa.String(length=100), nullable=True),
        sa.Column("return_signed", sa.Boolean(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["help_request_id"],
            ["help_request.id"],
            name=op.f("fk_custody_item_help_request_id_help_request"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_custody_item_station_id_station"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_custody_item")),
    )
    with op.batch_alter_table("custody_item", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_custody_item_help_request_id"), ["help_request_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_custody_item_station_id"), ["station_id"], unique=False
        )

    op.create_table(
        "document",
        sa.Column(
            "kind",
            sa.Enum(
                "intake_form",
                "refusal",
                "termination",
                "self_departure",
                "departure_record",
                name="documentkind",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("number_text", sa.String(length=40), nullable=False),
        sa.Column("help_request_id", sa.Integer(), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_by_id", sa.Integer(), nullable=True),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["help_request_id"],
            ["help_request.id"],
            name=op.f("fk_document_help_request_id_help_request"),
        ),
        sa.ForeignKeyConstraint(
            ["issued_by_id"],
            ["user_account.id"],
            name=op.f("fk_document_issued_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_document_station_id_station"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document")),
        sa.UniqueConstraint(
            "station_id",
            "kind",
            "year",
            "number",
            name=op.f("uq_document_station_id_kind_year_number"),
        ),
    )
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_document_help_request_id"), ["help_request_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_document_station_id"), ["station_id"], unique=False)

    op.create_table(
        "family_search",
        sa.Column("help_request_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("notice_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("notice_published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("notice_channel", sa.String(length=200), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("clothing", sa.Text(), nullable=True),
        sa.Column("found_place", sa.String(length=200), nullable=True),
        sa.Column("found_on", sa.Date(), nullable=True),
        sa.Column("photo_file", sa.String(length=300), nullable=True),
        sa.Column("dna_sampled_on", sa.Date(), nullable=True),
        sa.Column("notice_updated_on", sa.Date(), nullable=True),
        sa.Column("placement_started_on", sa.Date(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["help_request_id"],
            ["help_request.id"],
            name=op.f("fk_family_search_help_request_id_help_request"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_family_search_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_family_search_station_id_station"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_family_search")),
    )
    with op.batch_alter_table("family_search", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_family_search_help_request_id"), ["help_request_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_family_search_person_id"), ["person_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_family_search_station_id"), ["station_id"], unique=False
        )

    op.create_table(
        "incident",
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "fall",
                "fight",
                "absconding",
                "illness",
                "death",
                "other",
                name="incidentkind",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("help_request_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("action_taken", sa.Text(), nullable=True),
        sa.Column("reported_to", sa.String(length=200), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["help_request_id"],
            ["help_request.id"],
            name=op.f("fk_incident_help_request_id_help_request"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_incident_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_incident_station_id_station"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident")),
    )
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_incident_station_id"), ["station_id"], unique=False)

    op.create_table(
        "screening",
        sa.Column("help_request_id", sa.Integer(), nullable=False),
        sa.Column("screened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("screened_by_id", sa.Integer(), nullable=True),
        sa.Column("physical_state", sa.Text(), nullable=True),
        sa.Column("mental_state", sa.Text(), nullable=True),
        sa.Column("intellectual_state", sa.Text(), nullable=True),
        sa.Column("visible_injuries", sa.Text(), nullable=True),
        sa.Column("is_minor", sa.Boolean(), nullable=False),
        sa.Column("suspected_mental_illness", sa.Boolean(), nullable=False),
        sa.Column("intellectual_disability", sa.Boolean(), nullable=False),
        sa.Column("infectious_disease", sa.Boolean(), nullable=False),
        sa.Column("critical_illness", sa.Boolean(), nullable=False),
        sa.Column("injured", sa.Boolean(), nullable=False),
        sa.Column("drunk_or_threatening", sa.Boolean(), nullable=False),
        sa.Column("suspected_drug_use", sa.Boolean(), nullable=False),
        sa.Column("trafficking_victim", sa.Boolean(), nullable=False),
        sa.Column("domestic_violence_victim", sa.Boolean(), nullable=False),
        sa.Column("left_behind_child", sa.Boolean(), nullable=False),
        sa.Column(
            "route",
            sa.Enum(
                "hospital",
                "police",
                "minors_centre",
                "other",
                name="handoverroute",
                native_enum=False,
                length=16,
            ),
            nullable=True,
        ),
        sa.Column("rule_explanation", sa.Text(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["help_request_id"],
            ["help_request.id"],
            name=op.f("fk_screening_help_request_id_help_request"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["screened_by_id"],
            ["user_account.id"],
            name=op.f("fk_screening_screened_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_screening_station_id_station"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening")),
    )
    with op.batch_alter_table("screening", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_screening_help_request_id"), ["help_request_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_screening_station_id"), ["station_id"], unique=False)

    op.create_table(
        "security_check",
        sa.Column("help_request_id", sa.Integer(), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("checked_by", sa.String(length=100), nullable=False),
        sa.Column("second_staff", sa.String(length=100), nullable=False),
        sa.Column("dangerous_items", sa.Text(), nullable=True),
        sa.Column("handed_to_police", sa.Boolean(), nullable=False),
        sa.Column("police_receiver", sa.String(length=200), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["help_request_id"],
            ["help_request.id"],
            name=op.f("fk_security_check_help_request_id_help_request"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_security_check_station_id_station"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_security_check")),
    )
    with op.batch_alter_table("security_check", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_security_check_help_request_id"), ["help_request_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_security_check_station_id"), ["station_id"], unique=False
        )

    op.create_table(
        "stay",
        sa.Column("help_request_id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("bed_number", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("limit_exempt", sa.Boolean(), nullable=False),
        sa.Column("extension_reason", sa.Text(), nullable=True),
        sa.Column("extension_reported_on", sa.Date(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["help_request_id"],
            ["help_request.id"],
            name=op.f("fk_stay_help_request_id_help_request"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["room_id"], ["room.id"], name=op.f("fk_stay_room_id_room")),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_stay_station_id_station"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stay")),
    )
    with op.batch_alter_table("stay", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stay_help_request_id"), ["help_request_id"], unique=False
        )
        batch_op.create_index("ix_stay_room_open", ["room_id", "ended_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_stay_station_id"), ["station_id"], unique=False)

    op.create_table(
        "stay_service",
        sa.Column("help_request_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "meal",
                "medical",
                "family_contact",
                "money_from_family",
                "other",
                name="stayservicekind",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("contact_name", sa.String(length=100), nullable=True),
        sa.Column("contact_phone", sa.String(length=32), nullable=True),
        sa.Column("reached", sa.Boolean(), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=True),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["help_request_id"],
            ["help_request.id"],
            name=op.f("fk_stay_service_help_request_id_help_request"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["user_account.id"], name=op.f("fk_stay_service_staff_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_stay_service_station_id_station"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stay_service")),
    )
    with op.batch_alter_table("stay_service", schema=None) as batch_op:
        batch_op.create_index("ix_stay_service_request_at", ["help_request_id", "at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_stay_service_station_id"), ["station_id"], unique=False
        )

    op.create_table(
        "stock_movement",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "receipt_purchase",
                "receipt_allocation",
                "receipt_donation",
                "issue_person",
                "issue_anonymous",
                "issue_patrol",
                "issue_desk",
                "transfer_out",
                "transfer_in",
                "stocktake",
                name="movementkind",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("moved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("encounter_id", sa.Integer(), nullable=True),
        sa.Column("shift_id", sa.Integer(), nullable=True),
        sa.Column("help_request_id", sa.Integer(), nullable=True),
        sa.Column("stocktake_id", sa.Integer(), nullable=True),
        sa.Column("donor", sa.String(length=200), nullable=True),
        sa.Column("counterpart", sa.String(length=200), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["encounter_id"],
            ["encounter.id"],
            name=op.f("fk_stock_movement_encounter_id_encounter"),
        ),
        sa.ForeignKeyConstraint(
            ["help_request_id"],
            ["help_request.id"],
            name=op.f("fk_stock_movement_help_request_id_help_request"),
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["supply_item.id"], name=op.f("fk_stock_movement_item_id_supply_item")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_stock_movement_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_account.id"],
            name=op.f("fk_stock_movement_recorded_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["shift_id"], ["patrol_shift.id"], name=op.f("fk_stock_movement_shift_id_patrol_shift")
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_stock_movement_station_id_station"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["stocktake_id"],
            ["stocktake.id"],
            name=op.f("fk_stock_movement_stocktake_id_stocktake"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_movement")),
    )
    with op.batch_alter_table("stock_movement", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stock_movement_encounter_id"), ["encounter_id"], unique=False
        )
        batch_op.create_index("ix_stock_movement_item_at", ["item_id", "moved_at"], unique=False)
        batch_op.create_index(
            "ix_stock_movement_person_item", ["person_id", "item_id"], unique=False
        )
        batch_op.create_index(
            "ix_stock_movement_station_at", ["station_id", "moved_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_stock_movement_station_id"), ["station_id"], unique=False
        )

    op.create_table(
        "decision",
        sa.Column("help_request_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "accept",
                "refuse",
                "terminate",
                "give_up",
                name="decisionkind",
                native_enum=False,
                length=12,
            ),
            nullable=False,
        ),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decided_by_id"],
            ["user_account.id"],
            name=op.f("fk_decision_decided_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_decision_document_id_document")
        ),
        sa.ForeignKeyConstraint(
            ["help_request_id"],
            ["help_request.id"],
            name=op.f("fk_decision_help_request_id_help_request"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_decision_station_id_station"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision")),
    )
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_decision_help_request_id"), ["help_request_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_decision_station_id"), ["station_id"], unique=False)

    op.create_table(
        "departure",
        sa.Column("help_request_id", sa.Integer(), nullable=False),
        sa.Column("departed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(
                "returned_home_voucher",
                "escorted_home",
                "collected_by_family",
                "self_departure",
                "left_without_notice",
                "transferred",
                "terminated",
                "died",
                "other",
                name="departureoutcome",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("destination", sa.String(length=200), nullable=True),
        sa.Column(
            "transfer_to",
            sa.Enum(
                "hospital",
                "welfare_home",
                "minors_centre",
                "other_station",
                "other",
                name="transferdestination",
                native_enum=False,
                length=16,
            ),
            nullable=True,
        ),
        sa.Column("voucher_route", sa.String(length=200), nullable=True),
        sa.Column("voucher_cost", sa.BigInteger(), nullable=True),
        sa.Column("transfer_city_station", sa.String(length=200), nullable=True),
        sa.Column("escort_staff", sa.String(length=200), nullable=True),
        sa.Column("collector_name", sa.String(length=100), nullable=True),
        sa.Column("collector_id_number", sa.String(length=40), nullable=True),
        sa.Column("collector_relation", sa.String(length=40), nullable=True),
        sa.Column("cash_given", sa.BigInteger(), nullable=True),
        sa.Column("cash_receipt_signed", sa.Boolean(), nullable=False),
        sa.Column("belongings_returned", sa.Boolean(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_departure_document_id_document")
        ),
        sa.ForeignKeyConstraint(
            ["help_request_id"],
            ["help_request.id"],
            name=op.f("fk_departure_help_request_id_help_request"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_account.id"],
            name=op.f("fk_departure_recorded_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_departure_station_id_station"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_departure")),
        sa.UniqueConstraint("help_request_id", name=op.f("uq_departure_help_request_id")),
    )
    with op.batch_alter_table("departure", schema=None) as batch_op:
        batch_op.create_index(
            "ix_departure_station_at", ["station_id", "departed_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_departure_station_id"), ["station_id"], unique=False)

    op.create_table(
        "face_check",
        sa.Column("family_search_id", sa.Integer(), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("system", sa.String(length=100), nullable=False),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("checked_by", sa.String(length=100), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["family_search_id"],
            ["family_search.id"],
            name=op.f("fk_face_check_family_search_id_family_search"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_face_check_station_id_station"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_face_check")),
    )
    with op.batch_alter_table("face_check", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_face_check_family_search_id"), ["family_search_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_face_check_station_id"), ["station_id"], unique=False)

    op.create_table(
        "handover",
        sa.Column("help_request_id", sa.Integer(), nullable=True),
        sa.Column("encounter_id", sa.Integer(), nullable=True),
        sa.Column("screening_id", sa.Integer(), nullable=True),
        sa.Column(
            "route",
            sa.Enum(
                "hospital",
                "police",
                "minors_centre",
                "other",
                name="handoverroute",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("receiving_unit", sa.String(length=200), nullable=False),
        sa.Column("receiving_person", sa.String(length=100), nullable=True),
        sa.Column("handed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("came_back_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("station_id", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["encounter_id"], ["encounter.id"], name=op.f("fk_handover_encounter_id_encounter")
        ),
        sa.ForeignKeyConstraint(
            ["help_request_id"],
            ["help_request.id"],
            name=op.f("fk_handover_help_request_id_help_request"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["screening_id"], ["screening.id"], name=op.f("fk_handover_screening_id_screening")
        ),
        sa.ForeignKeyConstraint(
            ["station_id"],
            ["station.id"],
            name=op.f("fk_handover_station_id_station"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handover")),
    )
    with op.batch_alter_table("handover", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_handover_encounter_id"), ["encounter_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_handover_help_request_id"), ["help_request_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_handover_station_id"), ["station_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("handover", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handover_station_id"))
        batch_op.drop_index(batch_op.f("ix_handover_help_request_id"))
        batch_op.drop_index(batch_op.f("ix_handover_encounter_id"))

    op.drop_table("handover")
    with op.batch_alter_table("face_check", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_face_check_station_id"))
        batch_op.drop_index(batch_op.f("ix_face_check_family_search_id"))

    op.drop_table("face_check")
    with op.batch_alter_table("departure", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_departure_station_id"))
        batch_op.drop_index("ix_departure_station_at")

    op.drop_table("departure")
    with op.batch_alter_table("decision", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_decision_station_id"))
        batch_op.drop_index(batch_op.f("ix_decision_help_request_id"))

    op.drop_table("decision")
    with op.batch_alter_table("stock_movement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stock_movement_station_id"))
        batch_op.drop_index("ix_stock_movement_station_at")
        batch_op.drop_index("ix_stock_movement_person_item")
        batch_op.drop_index("ix_stock_movement_item_at")
        batch_op.drop_index(batch_op.f("ix_stock_movement_encounter_id"))

    op.drop_table("stock_movement")
    with op.batch_alter_table("stay_service", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stay_service_station_id"))
        batch_op.drop_index("ix_stay_service_request_at")

    op.drop_table("stay_service")
    with op.batch_alter_table("stay", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stay_station_id"))
        batch_op.drop_index("ix_stay_room_open")
        batch_op.drop_index(batch_op.f("ix_stay_help_request_id"))

    op.drop_table("stay")
    with op.batch_alter_table("security_check", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_security_check_station_id"))
        batch_op.drop_index(batch_op.f("ix_security_check_help_request_id"))

    op.drop_table("security_check")
    with op.batch_alter_table("screening", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_screening_station_id"))
        batch_op.drop_index(batch_op.f("ix_screening_help_request_id"))

    op.drop_table("screening")
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_station_id"))

    op.drop_table("incident")
    with op.batch_alter_table("family_search", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_family_search_station_id"))
        batch_op.drop_index(batch_op.f("ix_family_search_person_id"))
        batch_op.drop_index(batch_op.f("ix_family_search_help_request_id"))

    op.drop_table("family_search")
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_station_id"))
        batch_op.drop_index(batch_op.f("ix_document_help_request_id"))

    op.drop_table("document")
    with op.batch_alter_table("custody_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_custody_item_station_id"))
        batch_op.drop_index(batch_op.f("ix_custody_item_help_request_id"))

    op.drop_table("custody_item")
    with op.batch_alter_table("help_request", schema=None) as batch_op:
        batch_op.drop_index("ix_help_request_station_status")
        batch_op.drop_index(batch_op.f("ix_help_request_station_id"))
        batch_op.drop_index("ix_help_request_station_arrived")
        batch_op.drop_index(batch_op.f("ix_help_request_person_id"))

    op.drop_table("help_request")
    with op.batch_alter_table("encounter", schema=None) as batch_op:
        batch_op.drop_index("ix_encounter_station_met")
        batch_op.drop_index(batch_op.f("ix_encounter_station_id"))
        batch_op.drop_index(batch_op.f("ix_encounter_shift_id"))
        batch_op.drop_index(batch_op.f("ix_encounter_person_id"))

    op.drop_table("encounter")
    with op.batch_alter_table("visitor", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visitor_station_id"))

    op.drop_table("visitor")
    with op.batch_alter_table("relative", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_relative_station_id"))
        batch_op.drop_index(batch_op.f("ix_relative_person_id"))

    op.drop_table("relative")
    with op.batch_alter_table("person_name", schema=None) as batch_op:
        batch_op.drop_index("ix_person_name_text")
        batch_op.drop_index(batch_op.f("ix_person_name_station_id"))
        batch_op.drop_index(batch_op.f("ix_person_name_person_id"))

    op.drop_table("person_name")
    with op.batch_alter_table("person_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_link_station_id"))
        batch_op.drop_index(batch_op.f("ix_person_link_person_b_id"))
        batch_op.drop_index("ix_person_link_pair")

    op.drop_table("person_link")
    with op.batch_alter_table("patrol_member", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_patrol_member_station_id"))
        batch_op.drop_index(batch_op.f("ix_patrol_member_shift_id"))

    op.drop_table("patrol_member")
    with op.batch_alter_table("hotline_call", schema=None) as batch_op:
        batch_op.drop_index("ix_hotline_call_station_received")
        batch_op.drop_index(batch_op.f("ix_hotline_call_station_id"))

    op.drop_table("hotline_call")
    with op.batch_alter_table("hazard", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hazard_station_id"))

    op.drop_table("hazard")
    with op.batch_alter_table("stocktake", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stocktake_station_id"))

    op.drop_table("stocktake")
    with op.batch_alter_table("safety_log_signoff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_safety_log_signoff_station_id"))

    op.drop_table("safety_log_signoff")
    with op.batch_alter_table("safety_check", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_safety_check_station_id"))
        batch_op.drop_index("ix_safety_check_station_at")

    op.drop_table("safety_check")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index("ix_person_station_name_zh")
        batch_op.drop_index("ix_person_station_name_bo")
        batch_op.drop_index(batch_op.f("ix_person_station_id"))
        batch_op.drop_index("ix_person_phone")
        batch_op.drop_index("ix_person_id_number")

    op.drop_table("person")
    with op.batch_alter_table("patrol_shift", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_patrol_shift_station_id"))
        batch_op.drop_index("ix_patrol_shift_station_date")

    op.drop_table("patrol_shift")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_entry_station_id"))
        batch_op.drop_index("ix_audit_entry_station_at")
        batch_op.drop_index("ix_audit_entry_entity")

    op.drop_table("audit_entry")
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_account_station_id"))

    op.drop_table("user_account")
    with op.batch_alter_table("supply_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_supply_item_station_id"))

    op.drop_table("supply_item")
    with op.batch_alter_table("setting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_setting_station_id"))

    op.drop_table("setting")
    with op.batch_alter_table("room", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_room_station_id"))

    op.drop_table("room")
    with op.batch_alter_table("publicity_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_publicity_event_station_id"))

    op.drop_table("publicity_event")
    with op.batch_alter_table("document_sequence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_sequence_station_id"))

    op.drop_table("document_sequence")
    op.drop_table("station")
