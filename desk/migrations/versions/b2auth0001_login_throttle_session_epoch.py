"""login throttling per name and address; session epochs (issue 2 of 9)

Revision ID: b2auth0001
Revises: a9merge000001
Create Date: 2026-11-27 10:00:00

Login failures are counted in login_throttle (keyed hashes only) instead of on the user, whose
failed_logins and locked_until stay in the schema unused (cleared here, so no account shows as locked)
until the admin user list stops reading locked_until. user.session_epoch is part of the id a session
stores; moving it on ends every session saved before.
"""
from alembic import op
import sqlalchemy as sa


revision = 'b2auth0001'
down_revision = 'a9merge000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_throttle',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failure_at', sa.DateTime(), nullable=True),
    sa.Column('blocked_until', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_login_throttle'))
    )
    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_throttle_last_failure_at'), ['last_failure_at'], unique=False)

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_epoch', sa.Integer(), server_default='0', nullable=False))

    user = sa.table('user', sa.column('failed_logins', sa.Integer()), sa.column('locked_until', sa.DateTime()))
    op.execute(user.update().values(failed_logins=0, locked_until=None))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('session_epoch')

    with op.batch_alter_table('login_throttle', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_throttle_last_failure_at'))

    op.drop_table('login_throttle')
