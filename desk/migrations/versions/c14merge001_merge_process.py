"""join the branches of issue 4 of 9: the staged process, entered official holidays, routing and ownership, the mediation agreement, outreach ratings

Revision ID: c14merge001
Revises: c14stage01, c14cal0001, c14route01, c14med0001, c14meas001
Create Date: 2026-12-03 13:20:00

"""

revision = 'c14merge001'
down_revision = ('c14stage01', 'c14cal0001', 'c14route01', 'c14med0001', 'c14meas001')
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
