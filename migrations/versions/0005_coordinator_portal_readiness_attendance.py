"""coordinator portal: readiness checklist, coordinator confirmation, check-in, substitutes

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 02:16:50.913361

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attendees', schema=None) as batch_op:
        batch_op.add_column(sa.Column('site_confirmation', sa.String(length=20), nullable=False,
                                      server_default='pending'))
        batch_op.add_column(sa.Column('site_confirmed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('attendance', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('attendance_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('substitute_for_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_attendees_substitute_for_id_attendees'), 'attendees', ['substitute_for_id'], ['id'], ondelete='SET NULL')
        batch_op.create_index('ix_attendees_substitute_for_id', ['substitute_for_id'], unique=False)
        batch_op.create_check_constraint(
            'site_confirmation_known', "site_confirmation IN ('pending', 'confirmed', 'not_coming')")
        batch_op.create_check_constraint(
            'attendance_known', "attendance IS NULL OR attendance IN ('present', 'late', 'absent')")

    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.add_column(sa.Column('room_ready', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('endpoint_tested', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('av_checked', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('backup_contact', sa.String(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('readiness_remark', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('replied_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('coordinator_seen_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.drop_column('coordinator_seen_at')
        batch_op.drop_column('replied_at')
        batch_op.drop_column('readiness_remark')
        batch_op.drop_column('backup_contact')
        batch_op.drop_column('av_checked')
        batch_op.drop_column('endpoint_tested')
        batch_op.drop_column('room_ready')

    with op.batch_alter_table('attendees', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_attendees_attendance_known'), type_='check')
        batch_op.drop_constraint(op.f('ck_attendees_site_confirmation_known'), type_='check')
        batch_op.drop_index('ix_attendees_substitute_for_id')
        batch_op.drop_constraint(batch_op.f('fk_attendees_substitute_for_id_attendees'), type_='foreignkey')
        batch_op.drop_column('substitute_for_id')
        batch_op.drop_column('attendance_at')
        batch_op.drop_column('attendance')
        batch_op.drop_column('site_confirmed_at')
        batch_op.drop_column('site_confirmation')
