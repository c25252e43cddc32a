"""api_client: Open311 API keys per outside system, stored hashed (issue 17)

Revision ID: c17api001
Revises: c17rate001
Create Date: 2026-12-03 19:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'c17api001'
down_revision = 'c17rate001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('api_client',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.Enum('walk_in', 'phone', 'letter', 'online', 'grid', 'hotline', 'outreach', name='channel', native_enum=False, length=32), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('key_prefix', sa.String(length=8), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('last_used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_api_client_created_by_id_user')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_api_client_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_client')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_api_client_key_hash'))
    )
    op.create_index(op.f('ix_api_client_unit_id'), 'api_client', ['unit_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_api_client_unit_id'), table_name='api_client')
    op.drop_table('api_client')
