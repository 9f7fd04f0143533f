"""ceremony organizers: who plans (and may see) each ceremony

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 05:10:00

Until now every signed-in account saw every ceremony. From here an organizer
sees the ceremonies they are listed on; each existing ceremony lists its
creator. A ceremony whose creator account is gone lists nobody: the admins
still see it and can list organizers on it.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('ceremony_organizers',
    sa.Column('ceremony_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['ceremony_id'], ['ceremonies.id'], name=op.f('fk_ceremony_organizers_ceremony_id_ceremonies'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_ceremony_organizers_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('ceremony_id', 'user_id', name=op.f('pk_ceremony_organizers'))
    )
    with op.batch_alter_table('ceremony_organizers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ceremony_organizers_user_id'), ['user_id'], unique=False)
    op.execute("INSERT INTO ceremony_organizers (ceremony_id, user_id, added_at) "
               "SELECT id, created_by_id, created_at FROM ceremonies WHERE created_by_id IS NOT NULL")


def downgrade():
    with op.batch_alter_table('ceremony_organizers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ceremony_organizers_user_id'))
    op.drop_table('ceremony_organizers')
