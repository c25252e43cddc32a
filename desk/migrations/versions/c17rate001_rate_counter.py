"""rate_counter: fixed-window limits for the public online form and the Open311 API (issue 17)

Revision ID: c17rate001
Revises: c15stix001
Create Date: 2026-12-03 18:50:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'c17rate001'
down_revision = 'c15stix001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rate_counter',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('window_start', sa.DateTime(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_rate_counter'))
    )
    op.create_index(op.f('ix_rate_counter_window_start'), 'rate_counter', ['window_start'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_rate_counter_window_start'), table_name='rate_counter')
    op.drop_table('rate_counter')
