"""the case list filtered by status reads its page from an index (issue 19)

Revision ID: c19list001
Revises: c18risk002
Create Date: 2026-12-04 19:30:00

At city scale a county holds hundreds of thousands of matters: the list filtered by a rare status walked the
county's (county, created) index backwards over all of them to find fifty; (county, status, created) and
(town, status, created) give the page at once.
"""
from alembic import op


revision = 'c19list001'
down_revision = 'c18risk002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_case_county_status_created', 'case', ['county_id', 'status', 'created_at'])
    op.create_index('ix_case_town_status_created', 'case', ['town_id', 'status', 'created_at'])


def downgrade():
    op.drop_index('ix_case_town_status_created', table_name='case')
    op.drop_index('ix_case_county_status_created', table_name='case')
