"""session epochs (issue 2 of 9)

Revision ID: b2auth0001
Revises: a9merge000001
Create Date: 2026-11-27 10:00:00

user.session_epoch is part of the id a session stores; moving it on ends every session saved before.
"""
from alembic import op
import sqlalchemy as sa


revision = 'b2auth0001'
down_revision = 'a9merge000001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_epoch', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('session_epoch')
