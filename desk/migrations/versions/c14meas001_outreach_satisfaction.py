"""outreach satisfaction: the ratings of the people served, counted on the service record (issue 14)

Revision ID: c14meas001
Revises: b2auth0001
Create Date: 2026-12-03 12:40:00

Three counts on outreach_service_record (satisfied, basically satisfied, dissatisfied); existing records
get 0, i.e. "nobody was asked", which the outreach satisfaction measure leaves out.
"""
from alembic import op
import sqlalchemy as sa


revision = 'c14meas001'
down_revision = 'b2auth0001'
branch_labels = None
depends_on = None

COLUMNS = ('rated_satisfied', 'rated_basic', 'rated_dissatisfied')


def upgrade():
    with op.batch_alter_table('outreach_service_record', schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('outreach_service_record', schema=None) as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
