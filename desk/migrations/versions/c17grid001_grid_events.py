"""grid events (issue 17): grid_event, its photos, and grid_membership (which grids a grid member serves)

Revision ID: c17grid001
Revises: c17rate001
Create Date: 2026-12-03 18:35:46.179507

"""
from alembic import op
import sqlalchemy as sa
import desk.crypto  # noqa: F401  (encrypted column type)


# revision identifiers, used by Alembic.
revision = 'c17grid001'
down_revision = 'c17rate001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('grid_membership',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['grid_id'], ['org_unit.id'], name=op.f('fk_grid_membership_grid_id_org_unit')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_grid_membership_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'grid_id', name=op.f('pk_grid_membership'))
    )
    with op.batch_alter_table('grid_membership', schema=None) as batch_op:
        batch_op.create_index('ix_grid_membership_grid', ['grid_id'], unique=False)

    op.create_table('grid_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.Enum('dispute', 'safety', 'sanitation', 'livelihood', 'petition_sign', 'other', name='eventkind', native_enum=False, length=32), nullable=False),
    sa.Column('status', sa.Enum('reported', 'dispatched', 'handled', 'closed', 'rated', 'converted', name='eventstatus', native_enum=False, length=32), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('reporter_id', sa.Integer(), nullable=False),
    sa.Column('reported_at', sa.DateTime(), nullable=False),
    sa.Column('target', sa.Enum('department', 'mediator', 'station', name='dispatchtarget', native_enum=False, length=32), nullable=True),
    sa.Column('dispatched_by_id', sa.Integer(), nullable=True),
    sa.Column('dispatched_at', sa.DateTime(), nullable=True),
    sa.Column('handle_due_at', sa.DateTime(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('order_id', sa.Integer(), nullable=True),
    sa.Column('instructions', sa.Text(), nullable=True),
    sa.Column('result', sa.Text(), nullable=True),
    sa.Column('handled_by_id', sa.Integer(), nullable=True),
    sa.Column('handled_at', sa.DateTime(), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('rating', sa.Enum('satisfied', 'basic', 'dissatisfied', name='eventrating', native_enum=False, length=32), nullable=True),
    sa.Column('rated_at', sa.DateTime(), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('converted_at', sa.DateTime(), nullable=True),
    sa.Column('city_id', sa.Integer(), nullable=True),
    sa.Column('county_id', sa.Integer(), nullable=True),
    sa.Column('town_id', sa.Integer(), nullable=True),
    sa.Column('village_id', sa.Integer(), nullable=True),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['assignee_id'], ['user.id'], name=op.f('fk_grid_event_assignee_id_user')),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_grid_event_case_id_case')),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_grid_event_category_id_category')),
    sa.ForeignKeyConstraint(['city_id'], ['org_unit.id'], name=op.f('fk_grid_event_city_id_org_unit')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['user.id'], name=op.f('fk_grid_event_closed_by_id_user')),
    sa.ForeignKeyConstraint(['county_id'], ['org_unit.id'], name=op.f('fk_grid_event_county_id_org_unit')),
    sa.ForeignKeyConstraint(['department_id'], ['department.id'], name=op.f('fk_grid_event_department_id_department')),
    sa.ForeignKeyConstraint(['dispatched_by_id'], ['user.id'], name=op.f('fk_grid_event_dispatched_by_id_user')),
    sa.ForeignKeyConstraint(['grid_id'], ['org_unit.id'], name=op.f('fk_grid_event_grid_id_org_unit')),
    sa.ForeignKeyConstraint(['handled_by_id'], ['user.id'], name=op.f('fk_grid_event_handled_by_id_user')),
    sa.ForeignKeyConstraint(['order_id'], ['dispatch_order.id'], name=op.f('fk_grid_event_order_id_dispatch_order')),
    sa.ForeignKeyConstraint(['reporter_id'], ['user.id'], name=op.f('fk_grid_event_reporter_id_user')),
    sa.ForeignKeyConstraint(['town_id'], ['org_unit.id'], name=op.f('fk_grid_event_town_id_org_unit')),
    sa.ForeignKeyConstraint(['village_id'], ['org_unit.id'], name=op.f('fk_grid_event_village_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grid_event')),
    sa.UniqueConstraint('number', name=op.f('uq_grid_event_number'))
    )
    with op.batch_alter_table('grid_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grid_event_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grid_event_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grid_event_city_id'), ['city_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grid_event_county_id'), ['county_id'], unique=False)
        batch_op.create_index('ix_grid_event_county_reported', ['county_id', 'reported_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_grid_event_department_id'), ['department_id'], unique=False)
        batch_op.create_index('ix_grid_event_grid_reported', ['grid_id', 'reported_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_grid_event_reporter_id'), ['reporter_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grid_event_town_id'), ['town_id'], unique=False)
        batch_op.create_index('ix_grid_event_town_reported', ['town_id', 'reported_at'], unique=False)

    op.create_table('grid_event_photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=16), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('mime', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('path', sa.String(length=300), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['grid_event.id'], name=op.f('fk_grid_event_photo_event_id_grid_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_grid_event_photo_uploaded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grid_event_photo'))
    )
    with op.batch_alter_table('grid_event_photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grid_event_photo_event_id'), ['event_id'], unique=False)



def downgrade():
    with op.batch_alter_table('grid_event_photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grid_event_photo_event_id'))

    op.drop_table('grid_event_photo')
    with op.batch_alter_table('grid_event', schema=None) as batch_op:
        batch_op.drop_index('ix_grid_event_town_reported')
        batch_op.drop_index(batch_op.f('ix_grid_event_town_id'))
        batch_op.drop_index(batch_op.f('ix_grid_event_reporter_id'))
        batch_op.drop_index('ix_grid_event_grid_reported')
        batch_op.drop_index(batch_op.f('ix_grid_event_department_id'))
        batch_op.drop_index('ix_grid_event_county_reported')
        batch_op.drop_index(batch_op.f('ix_grid_event_county_id'))
        batch_op.drop_index(batch_op.f('ix_grid_event_city_id'))
        batch_op.drop_index(batch_op.f('ix_grid_event_case_id'))
        batch_op.drop_index(batch_op.f('ix_grid_event_assignee_id'))

    op.drop_table('grid_event')
    with op.batch_alter_table('grid_membership', schema=None) as batch_op:
        batch_op.drop_index('ix_grid_membership_grid')

    op.drop_table('grid_membership')
