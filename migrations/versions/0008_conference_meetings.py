"""conference meetings: one row per ceremony for the video-conference provider

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('conference_meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ceremony_id', sa.Integer(), nullable=True),
    sa.Column('ceremony_uid', sa.String(length=100), nullable=False),
    sa.Column('provider', sa.String(length=20), nullable=False),
    sa.Column('room_secret', sa.String(length=64), nullable=False),
    sa.Column('external_id', sa.String(length=200), nullable=True),
    sa.Column('join_url', sa.Text(), nullable=False),
    sa.Column('dial_in', sa.Text(), nullable=False),
    sa.Column('host_url', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('wanted_version', sa.Integer(), nullable=False),
    sa.Column('synced_version', sa.Integer(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('claim_token', sa.String(length=32), nullable=True),
    sa.Column('lease_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('pending', 'ready', 'failed', 'deleting', 'deleted')", name=op.f('ck_conference_meetings_status_known')),
    sa.CheckConstraint('synced_version <= wanted_version', name=op.f('ck_conference_meetings_synced_not_ahead')),
    sa.ForeignKeyConstraint(['ceremony_id'], ['ceremonies.id'], name=op.f('fk_conference_meetings_ceremony_id_ceremonies'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conference_meetings')),
    sa.UniqueConstraint('ceremony_id', name=op.f('uq_conference_meetings_ceremony_id'))
    )
    with op.batch_alter_table('conference_meetings', schema=None) as batch_op:
        batch_op.create_index('ix_conference_meetings_status_next_attempt_at', ['status', 'next_attempt_at'], unique=False)


def downgrade():
    with op.batch_alter_table('conference_meetings', schema=None) as batch_op:
        batch_op.drop_index('ix_conference_meetings_status_next_attempt_at')

    op.drop_table('conference_meetings')
