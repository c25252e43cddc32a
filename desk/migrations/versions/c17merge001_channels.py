"""merge the channel heads: grid events, imports, the Open311 API clients (issue 17)

Revision ID: c17merge001
Revises: c17grid001, c17imp001, c17api001
Create Date: 2026-12-03 19:50:00
"""


revision = 'c17merge001'
down_revision = ('c17grid001', 'c17imp001', 'c17api001')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
