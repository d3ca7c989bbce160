"""Safety checklists a manager edits and amendments to signed months; decisions
proposed by the desk and confirmed by a manager; dementia in the screening.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05 12:38:57.690685
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import station_app.db.models.base

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('safety_template',
    sa.Column('kind', sa.Enum('fire_daily', 'fire_monthly', 'night_round', 'heating_co', 'electrical_gas', 'kitchen_food_sample', 'cctv', 'vehicle', 'other', name='safetycheckkind', native_enum=False, length=24), nullable=False),
    sa.Column('frequency', sa.Enum('daily', 'nightly', 'weekly', 'monthly', name='safetyfrequency', native_enum=False, length=16), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.Column('checkers_needed', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('created_at', station_app.db.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', station_app.db.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['station_id'], ['station.id'], name=op.f('fk_safety_template_station_id_station'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_safety_template')),
    sa.UniqueConstraint('station_id', 'kind', name=op.f('uq_safety_template_station_id_kind'))
    )
    with op.batch_alter_table('safety_template', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_safety_template_station_id'), ['station_id'], unique=False)

    op.create_table('safety_amendment',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', station_app.db.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('old', sa.JSON(), nullable=False),
    sa.Column('new', sa.JSON(), nullable=False),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['user_account.id'], name=op.f('fk_safety_amendment_changed_by_id_user_account')),
    sa.ForeignKeyConstraint(['station_id'], ['station.id'], name=op.f('fk_safety_amendment_station_id_station'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_safety_amendment'))
    )
    with op.batch_alter_table('safety_amendment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_safety_amendment_station_id'), ['station_id'], unique=False)
        batch_op.create_index('ix_safety_amendment_station_month', ['station_id', 'year', 'month'], unique=False)

    op.create_table('decision_proposal',
    sa.Column('help_request_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('accept', 'refuse', 'terminate', 'give_up', name='decisionkind', native_enum=False, length=12), nullable=False),
    sa.Column('decided_at', station_app.db.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('proposed_at', station_app.db.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('state', sa.Enum('pending', 'confirmed', 'returned', name='proposalstate', native_enum=False, length=12), nullable=False),
    sa.Column('reviewed_at', station_app.db.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('review_note', sa.Text(), nullable=True),
    sa.Column('decision_id', sa.Integer(), nullable=True),
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], name=op.f('fk_decision_proposal_decision_id_decision')),
    sa.ForeignKeyConstraint(['help_request_id'], ['help_request.id'], name=op.f('fk_decision_proposal_help_request_id_help_request'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['user_account.id'], name=op.f('fk_decision_proposal_proposed_by_id_user_account')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['user_account.id'], name=op.f('fk_decision_proposal_reviewed_by_id_user_account')),
    sa.ForeignKeyConstraint(['station_id'], ['station.id'], name=op.f('fk_decision_proposal_station_id_station'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_decision_proposal'))
    )
    with op.batch_alter_table('decision_proposal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_proposal_help_request_id'), ['help_request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_decision_proposal_station_id'), ['station_id'], unique=False)
        batch_op.create_index('ix_decision_proposal_station_state', ['station_id', 'state'], unique=False)

    # A plain ADD COLUMN: SQLite's batch mode would rebuild the table, which
    # other tables point at.
    op.add_column(
        "screening",
        sa.Column("dementia", sa.Boolean(), nullable=False, server_default=sa.false()),
    )



def downgrade() -> None:
    with op.batch_alter_table("screening", schema=None) as batch_op:
        batch_op.drop_column("dementia")

    with op.batch_alter_table('decision_proposal', schema=None) as batch_op:
        batch_op.drop_index('ix_decision_proposal_station_state')
        batch_op.drop_index(batch_op.f('ix_decision_proposal_station_id'))
        batch_op.drop_index(batch_op.f('ix_decision_proposal_help_request_id'))

    op.drop_table('decision_proposal')
    with op.batch_alter_table('safety_amendment', schema=None) as batch_op:
        batch_op.drop_index('ix_safety_amendment_station_month')
        batch_op.drop_index(batch_op.f('ix_safety_amendment_station_id'))

    op.drop_table('safety_amendment')
    with op.batch_alter_table('safety_template', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_safety_template_station_id'))

    op.drop_table('safety_template')
