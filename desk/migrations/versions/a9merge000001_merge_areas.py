"""join the dispatch-order, outreach and reports branches

Revision ID: a9merge000001
Revises: d1a0dispatch01, e1b0outreach01, f1c0reports001
Create Date: 2026-11-26 13:30:00

"""

revision = 'a9merge000001'
down_revision = ('d1a0dispatch01', 'e1b0outreach01', 'f1c0reports001')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
