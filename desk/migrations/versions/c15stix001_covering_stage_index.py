"""the stages' date index covers the case id: "open at a date" reads the index alone (issue 15)

Revision ID: c15stix001
Revises: c14merge001
Create Date: 2026-12-03 16:40:00

The backlog and overdue list at a past date select the cases whose stage ran at that date (ended_on NULL or
after it, started_on before it); with case_id in the index PostgreSQL answers with an index-only scan.
"""
from alembic import op


revision = 'c15stix001'
down_revision = 'c14merge001'
branch_labels = None
depends_on = None


def upgrade():
    op.drop_index('ix_case_stage_ended_started', table_name='case_stage')
    op.create_index('ix_case_stage_ended_started_case', 'case_stage', ['ended_on', 'started_on', 'case_id'])


def downgrade():
    op.drop_index('ix_case_stage_ended_started_case', table_name='case_stage')
    op.create_index('ix_case_stage_ended_started', 'case_stage', ['ended_on', 'started_on'])
