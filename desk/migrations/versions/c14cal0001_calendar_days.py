"""calendar days entered by administrators (issue 14: official holidays for a new year)

Revision ID: c14cal0001
Revises: b2auth0001
Create Date: 2026-12-03 12:30:00

The version stamp the calendars of every process compare lives in the existing counter table
(key "workcalendar:stamp"), so only the days need a table.
"""
from alembic import op
import sqlalchemy as sa


revision = 'c14cal0001'
down_revision = 'b2auth0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_day',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('day_off', 'working', name='daykind', native_enum=False, length=32),
              nullable=False),
    sa.Column('name', sa.String(length=40), nullable=True),
    sa.Column('entered_by_id', sa.Integer(), nullable=True),
    sa.Column('entered_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['entered_by_id'], ['user.id'], name=op.f('fk_calendar_day_entered_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_day')),
    sa.UniqueConstraint('day', name=op.f('uq_calendar_day_day'))
    )
    with op.batch_alter_table('calendar_day', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_day_year'), ['year'], unique=False)


def downgrade():
    with op.batch_alter_table('calendar_day', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_day_year'))
    op.drop_table('calendar_day')
