"""outreach services and mediation (issue 6)

Revision ID: e1b0outreach01
Revises: c58f37d4625d
Create Date: 2026-11-26 13:30:00

One of three branches from the initial schema (one per area), joined again by a9merge000001.
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401
import desk.crypto  # noqa: F401  (encrypted column type)


revision = 'e1b0outreach01'
down_revision = 'c58f37d4625d'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
