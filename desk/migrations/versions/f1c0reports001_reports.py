"""callbacks and monthly summaries (issue 7)

Revision ID: f1c0reports001
Revises: c58f37d4625d
Create Date: 2026-11-26 13:30:00

One of three branches from the initial schema (one per area), joined again by a9merge000001.
"""
from alembic import op
import sqlalchemy as sa
import desk.crypto  # noqa: F401  (encrypted column type)


revision = 'f1c0reports001'
down_revision = 'c58f37d4625d'
branch_labels = None
depends_on = None


def upgrade():
    # --- tables: callbacks and the monthly-summary archive (issue 7, callbacks/summary) ---
    op.create_table('callback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('concluded_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('rating', sa.Enum('satisfied', 'basic', 'dissatisfied', name='rating', native_enum=False, length=32), nullable=True),
    sa.Column('channel', sa.Enum('phone', 'sms', 'visit', 'online', 'tracking_code', name='callbackchannel', native_enum=False, length=32), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('rated_at', sa.DateTime(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('pending', 'rated', 'not_rated_in_time', name='callbackstatus', native_enum=False, length=32), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=True),
    sa.Column('county_id', sa.Integer(), nullable=True),
    sa.Column('town_id', sa.Integer(), nullable=True),
    sa.Column('village_id', sa.Integer(), nullable=True),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_callback_case_id_case')),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_callback_category_id_category')),
    sa.ForeignKeyConstraint(['city_id'], ['org_unit.id'], name=op.f('fk_callback_city_id_org_unit')),
    sa.ForeignKeyConstraint(['county_id'], ['org_unit.id'], name=op.f('fk_callback_county_id_org_unit')),
    sa.ForeignKeyConstraint(['grid_id'], ['org_unit.id'], name=op.f('fk_callback_grid_id_org_unit')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_callback_recorded_by_id_user')),
    sa.ForeignKeyConstraint(['town_id'], ['org_unit.id'], name=op.f('fk_callback_town_id_org_unit')),
    sa.ForeignKeyConstraint(['village_id'], ['org_unit.id'], name=op.f('fk_callback_village_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_callback')),
    sa.UniqueConstraint('case_id', 'round', name=op.f('uq_callback_case_id'))
    )
    with op.batch_alter_table('callback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_callback_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_callback_city_id'), ['city_id'], unique=False)
        batch_op.create_index('ix_callback_county_concluded', ['county_id', 'concluded_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_callback_county_id'), ['county_id'], unique=False)
        batch_op.create_index('ix_callback_status_due', ['status', 'due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_callback_town_id'), ['town_id'], unique=False)

    op.create_table('monthly_summary',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('locale', sa.String(length=16), nullable=False),
    sa.Column('generated_at', sa.DateTime(), nullable=True),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=True),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_monthly_summary_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_monthly_summary')),
    sa.UniqueConstraint('unit_id', 'year', 'month', 'locale', name=op.f('uq_monthly_summary_unit_id'))
    )
    with op.batch_alter_table('monthly_summary', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_monthly_summary_unit_id'), ['unit_id'], unique=False)

    # --- indexes for the measures (issue 7, measures): append below this line ---
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.create_index('ix_case_county_received', ['county_id', 'received_on'], unique=False)
        batch_op.create_index('ix_case_county_decided', ['county_id', 'decided_on', 'accepted_on'], unique=False)
        batch_op.create_index('ix_case_county_concluded', ['county_id', 'concluded_on', 'received_on'], unique=False)
        batch_op.create_index('ix_case_county_register_due', ['county_id', 'register_due', 'decided_on'], unique=False)
        batch_op.create_index('ix_case_county_conclude_due', ['county_id', 'conclude_due', 'concluded_on'], unique=False)
        batch_op.create_index('ix_case_county_status_received', ['county_id', 'status', 'received_on'], unique=False)
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.create_index('ix_visit_county_visited_repeat', ['county_id', 'visited_at', 'is_repeat', 'repeat_after_conclusion'], unique=False)
    with op.batch_alter_table('callback', schema=None) as batch_op:
        batch_op.create_index('ix_callback_county_concluded_rating', ['county_id', 'concluded_on', 'status', 'rating', 'case_id'], unique=False)


def downgrade():
    # --- indexes for the measures (issue 7, measures): drop them below this line, before the tables ---
    with op.batch_alter_table('callback', schema=None) as batch_op:
        batch_op.drop_index('ix_callback_county_concluded_rating')
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.drop_index('ix_visit_county_visited_repeat')
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_index('ix_case_county_status_received')
        batch_op.drop_index('ix_case_county_conclude_due')
        batch_op.drop_index('ix_case_county_register_due')
        batch_op.drop_index('ix_case_county_concluded')
        batch_op.drop_index('ix_case_county_decided')
        batch_op.drop_index('ix_case_county_received')


    # --- tables (issue 7, callbacks/summary) ---
    with op.batch_alter_table('monthly_summary', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_monthly_summary_unit_id'))

    op.drop_table('monthly_summary')
    with op.batch_alter_table('callback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_callback_town_id'))
        batch_op.drop_index('ix_callback_status_due')
        batch_op.drop_index(batch_op.f('ix_callback_county_id'))
        batch_op.drop_index('ix_callback_county_concluded')
        batch_op.drop_index(batch_op.f('ix_callback_city_id'))
        batch_op.drop_index(batch_op.f('ix_callback_case_id'))

    op.drop_table('callback')
