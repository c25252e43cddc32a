"""outreach services and mediation (issue 6)

Revision ID: e1b0outreach01
Revises: c58f37d4625d
Create Date: 2026-11-26 13:30:00

One of three branches from the initial schema (one per area), joined again by a9merge000001.
"""
from alembic import op
import sqlalchemy as sa
import desk.crypto  # noqa: F401  (encrypted column type)


revision = 'e1b0outreach01'
down_revision = 'c58f37d4625d'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mediation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('mediator_id', sa.Integer(), nullable=True),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('ongoing', 'agreement', 'no_agreement', 'terminated', name='mediationstatus', native_enum=False, length=32), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=True),
    sa.Column('routes_told', sa.Text(), nullable=True),
    sa.Column('number', sa.String(length=32), nullable=True),
    sa.Column('facts', sa.Text(), nullable=True),
    sa.Column('disputes', sa.Text(), nullable=True),
    sa.Column('responsibilities', sa.Text(), nullable=True),
    sa.Column('terms', sa.Text(), nullable=True),
    sa.Column('performance_method', sa.Text(), nullable=True),
    sa.Column('performance_deadline', sa.Date(), nullable=True),
    sa.Column('copies', sa.Integer(), nullable=False),
    sa.Column('agreed_on', sa.Date(), nullable=True),
    sa.Column('judicial_confirmation_due', sa.Date(), nullable=True),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=True),
    sa.Column('county_id', sa.Integer(), nullable=True),
    sa.Column('town_id', sa.Integer(), nullable=True),
    sa.Column('village_id', sa.Integer(), nullable=True),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_mediation_case_id_case')),
    sa.ForeignKeyConstraint(['city_id'], ['org_unit.id'], name=op.f('fk_mediation_city_id_org_unit')),
    sa.ForeignKeyConstraint(['county_id'], ['org_unit.id'], name=op.f('fk_mediation_county_id_org_unit')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_mediation_created_by_id_user')),
    sa.ForeignKeyConstraint(['grid_id'], ['org_unit.id'], name=op.f('fk_mediation_grid_id_org_unit')),
    sa.ForeignKeyConstraint(['mediator_id'], ['talent.id'], name=op.f('fk_mediation_mediator_id_talent')),
    sa.ForeignKeyConstraint(['town_id'], ['org_unit.id'], name=op.f('fk_mediation_town_id_org_unit')),
    sa.ForeignKeyConstraint(['village_id'], ['org_unit.id'], name=op.f('fk_mediation_village_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation')),
    sa.UniqueConstraint('number', name=op.f('uq_mediation_number'))
    )
    with op.batch_alter_table('mediation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mediation_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mediation_city_id'), ['city_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mediation_county_id'), ['county_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mediation_judicial_confirmation_due'), ['judicial_confirmation_due'], unique=False)
        batch_op.create_index(batch_op.f('ix_mediation_mediator_id'), ['mediator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mediation_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_mediation_town_id'), ['town_id'], unique=False)

    op.create_table('outreach_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('legal', 'psychological', 'social_work', 'mediation', 'policy', name='servicekind', native_enum=False, length=32), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('start_time', sa.Time(), nullable=False),
    sa.Column('end_time', sa.Time(), nullable=False),
    sa.Column('expected_people', sa.Integer(), nullable=False),
    sa.Column('languages', sa.String(length=120), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('open', 'assigned', 'done', 'cancelled', name='requeststatus', native_enum=False, length=32), nullable=False),
    sa.Column('talent_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=True),
    sa.Column('county_id', sa.Integer(), nullable=True),
    sa.Column('town_id', sa.Integer(), nullable=True),
    sa.Column('village_id', sa.Integer(), nullable=True),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['city_id'], ['org_unit.id'], name=op.f('fk_outreach_request_city_id_org_unit')),
    sa.ForeignKeyConstraint(['county_id'], ['org_unit.id'], name=op.f('fk_outreach_request_county_id_org_unit')),
    sa.ForeignKeyConstraint(['grid_id'], ['org_unit.id'], name=op.f('fk_outreach_request_grid_id_org_unit')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user.id'], name=op.f('fk_outreach_request_requested_by_id_user')),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_outreach_request_site_id_site')),
    sa.ForeignKeyConstraint(['talent_id'], ['talent.id'], name=op.f('fk_outreach_request_talent_id_talent')),
    sa.ForeignKeyConstraint(['town_id'], ['org_unit.id'], name=op.f('fk_outreach_request_town_id_org_unit')),
    sa.ForeignKeyConstraint(['village_id'], ['org_unit.id'], name=op.f('fk_outreach_request_village_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outreach_request'))
    )
    with op.batch_alter_table('outreach_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outreach_request_city_id'), ['city_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outreach_request_county_id'), ['county_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outreach_request_on_date'), ['on_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_outreach_request_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_outreach_request_talent_id'), ['talent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outreach_request_town_id'), ['town_id'], unique=False)

    op.create_table('mediation_party',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mediation_id', sa.Integer(), nullable=False),
    sa.Column('side', sa.String(length=1), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('details', sa.String(length=300), nullable=False),
    sa.ForeignKeyConstraint(['mediation_id'], ['mediation.id'], name=op.f('fk_mediation_party_mediation_id_mediation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_mediation_party_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_party'))
    )
    with op.batch_alter_table('mediation_party', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mediation_party_mediation_id'), ['mediation_id'], unique=False)

    op.create_table('mediation_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mediation_id', sa.Integer(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('place', sa.String(length=200), nullable=False),
    sa.Column('parties_present', sa.Text(), nullable=False),
    sa.Column('positions', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['mediation_id'], ['mediation.id'], name=op.f('fk_mediation_session_mediation_id_mediation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_mediation_session_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_session'))
    )
    with op.batch_alter_table('mediation_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mediation_session_mediation_id'), ['mediation_id'], unique=False)

    op.create_table('outreach_assignment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('talent_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('offered', 'accepted', 'declined', 'expired', 'cancelled', 'in_progress', 'done', name='assignmentstatus', native_enum=False, length=32), nullable=False),
    sa.Column('score', sa.Double(), nullable=True),
    sa.Column('offered_at', sa.DateTime(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('decline_reason', sa.Text(), nullable=True),
    sa.Column('checked_in_at', sa.DateTime(), nullable=True),
    sa.Column('checked_out_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['request_id'], ['outreach_request.id'], name=op.f('fk_outreach_assignment_request_id_outreach_request')),
    sa.ForeignKeyConstraint(['talent_id'], ['talent.id'], name=op.f('fk_outreach_assignment_talent_id_talent')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outreach_assignment')),
    sa.UniqueConstraint('request_id', 'talent_id', name=op.f('uq_outreach_assignment_request_id'))
    )
    with op.batch_alter_table('outreach_assignment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outreach_assignment_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outreach_assignment_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_outreach_assignment_talent_id'), ['talent_id'], unique=False)

    op.create_table('outreach_followup_case',
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['outreach_assignment.id'], name=op.f('fk_outreach_followup_case_assignment_id_outreach_assignment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_outreach_followup_case_case_id_case')),
    sa.PrimaryKeyConstraint('assignment_id', 'case_id', name=op.f('pk_outreach_followup_case'))
    )
    with op.batch_alter_table('outreach_followup_case', schema=None) as batch_op:
        batch_op.create_index('ix_outreach_followup_case_case', ['case_id'], unique=False)

    op.create_table('outreach_service_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('talent_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('legal', 'psychological', 'social_work', 'mediation', 'policy', name='servicekind', native_enum=False, length=32), nullable=False),
    sa.Column('served_on', sa.Date(), nullable=False),
    sa.Column('people_served', sa.Integer(), nullable=False),
    sa.Column('topics', sa.Text(), nullable=False),
    sa.Column('outcome', sa.Text(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=True),
    sa.Column('county_id', sa.Integer(), nullable=True),
    sa.Column('town_id', sa.Integer(), nullable=True),
    sa.Column('village_id', sa.Integer(), nullable=True),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['assignment_id'], ['outreach_assignment.id'], name=op.f('fk_outreach_service_record_assignment_id_outreach_assignment')),
    sa.ForeignKeyConstraint(['city_id'], ['org_unit.id'], name=op.f('fk_outreach_service_record_city_id_org_unit')),
    sa.ForeignKeyConstraint(['county_id'], ['org_unit.id'], name=op.f('fk_outreach_service_record_county_id_org_unit')),
    sa.ForeignKeyConstraint(['grid_id'], ['org_unit.id'], name=op.f('fk_outreach_service_record_grid_id_org_unit')),
    sa.ForeignKeyConstraint(['request_id'], ['outreach_request.id'], name=op.f('fk_outreach_service_record_request_id_outreach_request')),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_outreach_service_record_site_id_site')),
    sa.ForeignKeyConstraint(['talent_id'], ['talent.id'], name=op.f('fk_outreach_service_record_talent_id_talent')),
    sa.ForeignKeyConstraint(['town_id'], ['org_unit.id'], name=op.f('fk_outreach_service_record_town_id_org_unit')),
    sa.ForeignKeyConstraint(['village_id'], ['org_unit.id'], name=op.f('fk_outreach_service_record_village_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outreach_service_record')),
    sa.UniqueConstraint('assignment_id', name=op.f('uq_outreach_service_record_assignment_id'))
    )
    with op.batch_alter_table('outreach_service_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outreach_service_record_city_id'), ['city_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outreach_service_record_county_id'), ['county_id'], unique=False)
        batch_op.create_index('ix_outreach_service_record_county_served', ['county_id', 'served_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_outreach_service_record_request_id'), ['request_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outreach_service_record_talent_id'), ['talent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outreach_service_record_town_id'), ['town_id'], unique=False)


def downgrade():
    with op.batch_alter_table('outreach_service_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outreach_service_record_town_id'))
        batch_op.drop_index(batch_op.f('ix_outreach_service_record_talent_id'))
        batch_op.drop_index(batch_op.f('ix_outreach_service_record_request_id'))
        batch_op.drop_index('ix_outreach_service_record_county_served')
        batch_op.drop_index(batch_op.f('ix_outreach_service_record_county_id'))
        batch_op.drop_index(batch_op.f('ix_outreach_service_record_city_id'))

    op.drop_table('outreach_service_record')
    with op.batch_alter_table('outreach_followup_case', schema=None) as batch_op:
        batch_op.drop_index('ix_outreach_followup_case_case')

    op.drop_table('outreach_followup_case')
    with op.batch_alter_table('outreach_assignment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outreach_assignment_talent_id'))
        batch_op.drop_index(batch_op.f('ix_outreach_assignment_status'))
        batch_op.drop_index(batch_op.f('ix_outreach_assignment_request_id'))

    op.drop_table('outreach_assignment')
    with op.batch_alter_table('mediation_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mediation_session_mediation_id'))

    op.drop_table('mediation_session')
    with op.batch_alter_table('mediation_party', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mediation_party_mediation_id'))

    op.drop_table('mediation_party')
    with op.batch_alter_table('outreach_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outreach_request_town_id'))
        batch_op.drop_index(batch_op.f('ix_outreach_request_talent_id'))
        batch_op.drop_index(batch_op.f('ix_outreach_request_status'))
        batch_op.drop_index(batch_op.f('ix_outreach_request_on_date'))
        batch_op.drop_index(batch_op.f('ix_outreach_request_county_id'))
        batch_op.drop_index(batch_op.f('ix_outreach_request_city_id'))

    op.drop_table('outreach_request')
    with op.batch_alter_table('mediation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mediation_town_id'))
        batch_op.drop_index(batch_op.f('ix_mediation_status'))
        batch_op.drop_index(batch_op.f('ix_mediation_mediator_id'))
        batch_op.drop_index(batch_op.f('ix_mediation_judicial_confirmation_due'))
        batch_op.drop_index(batch_op.f('ix_mediation_county_id'))
        batch_op.drop_index(batch_op.f('ix_mediation_city_id'))
        batch_op.drop_index(batch_op.f('ix_mediation_case_id'))

    op.drop_table('mediation')
