"""files prepared in the background: a large case export, a monthly PDF summary (issue 19)

Revision ID: c19files001
Revises: c19list002
Create Date: 2026-12-05 12:10:00

A county's or the city's case export (hundreds of thousands to a million rows) and a monthly PDF take
seconds to a minute: longer than a page should, and the city's export longer than a web worker's timeout.
They are made in the background, with the progress on a page and the content kept (gzip, in parts) for the
user who asked, for two days.
"""
from alembic import op
import sqlalchemy as sa


revision = 'c19files001'
down_revision = 'c19list002'
branch_labels = None
depends_on = None


STATUSES = ('queued', 'preparing', 'ready', 'failed')


def upgrade():
    op.create_table(
        'prepared_file',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('params', sa.JSON(), nullable=False),
        sa.Column('status', sa.Enum(*STATUSES, name='filestatus', native_enum=False, length=32), nullable=False),
        sa.Column('unit_label', sa.String(length=20), nullable=False),
        sa.Column('done', sa.Integer(), nullable=False),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.Column('file_name', sa.String(length=200), nullable=False),
        sa.Column('mimetype', sa.String(length=100), nullable=False),
        sa.Column('size', sa.BigInteger(), nullable=False),
        sa.Column('stored', sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_prepared_file_user_id', 'prepared_file', ['user_id'])
    op.create_index('ix_prepared_file_created_at', 'prepared_file', ['created_at'])
    op.create_table(
        'prepared_file_part',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('file_id', sa.Integer(), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['file_id'], ['prepared_file.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('file_id', 'seq'),
    )


def downgrade():
    op.drop_table('prepared_file_part')
    op.drop_index('ix_prepared_file_created_at', table_name='prepared_file')
    op.drop_index('ix_prepared_file_user_id', table_name='prepared_file')
    op.drop_table('prepared_file')
