"""dispatch orders (issue 5)

Revision ID: d1a0dispatch01
Revises: c58f37d4625d
Create Date: 2026-11-26 13:30:00

One of three branches from the initial schema (one per area), joined again by a9merge000001.
"""
from alembic import op
import sqlalchemy as sa
import desk.crypto  # noqa: F401  (encrypted column type)


revision = 'd1a0dispatch01'
down_revision = 'c58f37d4625d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('dispatch_order',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('issued', 'signed', 'in_progress', 'reported', 'verified', name='orderstatus', native_enum=False, length=32), nullable=False),
    sa.Column('priority', sa.Enum('normal', 'urgent', 'critical', name='orderpriority', native_enum=False, length=32), nullable=False),
    sa.Column('instructions', sa.Text(), nullable=False),
    sa.Column('deadline_days', sa.Integer(), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('sign_due_at', sa.DateTime(), nullable=False),
    sa.Column('signed_at', sa.DateTime(), nullable=True),
    sa.Column('feedback_due_at', sa.DateTime(), nullable=False),
    sa.Column('reported_at', sa.DateTime(), nullable=True),
    sa.Column('verified_at', sa.DateTime(), nullable=True),
    sa.Column('returned_count', sa.Integer(), nullable=False),
    sa.Column('staff_visits', sa.Integer(), nullable=False),
    sa.Column('sign_reminded_at', sa.DateTime(), nullable=True),
    sa.Column('feedback_reminded_at', sa.DateTime(), nullable=True),
    sa.Column('overdue_at', sa.DateTime(), nullable=True),
    sa.Column('escalated_head_at', sa.DateTime(), nullable=True),
    sa.Column('escalated_county_at', sa.DateTime(), nullable=True),
    sa.Column('rating_speed', sa.Integer(), nullable=True),
    sa.Column('rating_handling', sa.Integer(), nullable=True),
    sa.Column('rating_result', sa.Integer(), nullable=True),
    sa.Column('rated_at', sa.DateTime(), nullable=True),
    sa.Column('city_id', sa.Integer(), nullable=True),
    sa.Column('county_id', sa.Integer(), nullable=True),
    sa.Column('town_id', sa.Integer(), nullable=True),
    sa.Column('village_id', sa.Integer(), nullable=True),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_dispatch_order_case_id_case')),
    sa.ForeignKeyConstraint(['city_id'], ['org_unit.id'], name=op.f('fk_dispatch_order_city_id_org_unit')),
    sa.ForeignKeyConstraint(['county_id'], ['org_unit.id'], name=op.f('fk_dispatch_order_county_id_org_unit')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_dispatch_order_department_id_department')),
    sa.ForeignKeyConstraint(['grid_id'], ['org_unit.id'], name=op.f('fk_dispatch_order_grid_id_org_unit')),
    sa.ForeignKeyConstraint(['issued_by_id'], ['user.id'], name=op.f('fk_dispatch_order_issued_by_id_user')),
    sa.ForeignKeyConstraint(['town_id'], ['org_unit.id'], name=op.f('fk_dispatch_order_town_id_org_unit')),
    sa.ForeignKeyConstraint(['village_id'], ['org_unit.id'], name=op.f('fk_dispatch_order_village_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dispatch_order')),
    sa.UniqueConstraint('number', name=op.f('uq_dispatch_order_number'))
    )
    with op.batch_alter_table('dispatch_order', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dispatch_order_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dispatch_order_city_id'), ['city_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dispatch_order_county_id'), ['county_id'], unique=False)
        batch_op.create_index('ix_dispatch_order_county_issued', ['county_id', 'issued_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_dispatch_order_department_id'), ['department_id'], unique=False)
        batch_op.create_index('ix_dispatch_order_department_status', ['department_id', 'status'], unique=False)
        batch_op.create_index('ix_dispatch_order_status_feedback_due', ['status', 'feedback_due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_dispatch_order_town_id'), ['town_id'], unique=False)

    op.create_table('dispatch_order_department',
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_dispatch_order_department_department_id_department')),
    sa.ForeignKeyConstraint(['order_id'], ['dispatch_order.id'], name=op.f('fk_dispatch_order_department_order_id_dispatch_order'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('order_id', 'department_id', name=op.f('pk_dispatch_order_department'))
    )
    with op.batch_alter_table('dispatch_order_department', schema=None) as batch_op:
        batch_op.create_index('ix_dispatch_order_department_department', ['department_id'], unique=False)

    op.create_table('order_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('staff_visits', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_order_report_author_id_user')),
    sa.ForeignKeyConstraint(['order_id'], ['dispatch_order.id'], name=op.f('fk_order_report_order_id_dispatch_order'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_report'))
    )
    with op.batch_alter_table('order_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_report_order_id'), ['order_id'], unique=False)

    op.create_table('order_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('mime', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('path', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['order_report.id'], name=op.f('fk_order_evidence_report_id_order_report'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_order_evidence'))
    )
    with op.batch_alter_table('order_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_order_evidence_report_id'), ['report_id'], unique=False)


def downgrade():
    with op.batch_alter_table('order_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_evidence_report_id'))

    op.drop_table('order_evidence')
    with op.batch_alter_table('order_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_order_report_order_id'))

    op.drop_table('order_report')
    with op.batch_alter_table('dispatch_order_department', schema=None) as batch_op:
        batch_op.drop_index('ix_dispatch_order_department_department')

    op.drop_table('dispatch_order_department')
    with op.batch_alter_table('dispatch_order', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dispatch_order_town_id'))
        batch_op.drop_index('ix_dispatch_order_status_feedback_due')
        batch_op.drop_index('ix_dispatch_order_department_status')
        batch_op.drop_index(batch_op.f('ix_dispatch_order_department_id'))
        batch_op.drop_index('ix_dispatch_order_county_issued')
        batch_op.drop_index(batch_op.f('ix_dispatch_order_county_id'))
        batch_op.drop_index(batch_op.f('ix_dispatch_order_city_id'))
        batch_op.drop_index(batch_op.f('ix_dispatch_order_case_id'))

    op.drop_table('dispatch_order')
