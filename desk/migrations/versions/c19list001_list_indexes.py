"""the case list filtered by status and the callback lists read their page from an index (issue 19)

Revision ID: c19list001
Revises: c18risk002
Create Date: 2026-12-04 19:30:00

At city scale a county holds hundreds of thousands of matters: the list filtered by a rare status walked the
county's (county, created) index backwards over all of them to find fifty; (county, status, created) and
(town, status, created) give the page at once. Likewise the callback desk: its "recently recorded" list sorted
all of a county's rated callbacks (164,087 at 1M cases: 689 ms), and its work list read every county's pending
ones; (county or town, status, rated_at / due_on) answer both from an index (0.1 ms).
"""
from alembic import op


revision = 'c19list001'
down_revision = 'c18risk002'
branch_labels = None
depends_on = None


CALLBACK_INDEXES = {'ix_callback_county_status_due': ['county_id', 'status', 'due_on'],
                    'ix_callback_town_status_due': ['town_id', 'status', 'due_on'],
                    'ix_callback_county_status_rated': ['county_id', 'status', 'rated_at'],
                    'ix_callback_town_status_rated': ['town_id', 'status', 'rated_at']}


def upgrade():
    op.create_index('ix_case_county_status_created', 'case', ['county_id', 'status', 'created_at'])
    op.create_index('ix_case_town_status_created', 'case', ['town_id', 'status', 'created_at'])
    for name, columns in CALLBACK_INDEXES.items():
        op.create_index(name, 'callback', columns)


def downgrade():
    for name in CALLBACK_INDEXES:
        op.drop_index(name, table_name='callback')
    op.drop_index('ix_case_town_status_created', table_name='case')
    op.drop_index('ix_case_county_status_created', table_name='case')
