"""risk early warning (issue 18): warnings, their evidence, sensitive dates, words of extreme intent; indexes for
the frequent-visit and same-matter checks

Revision ID: c18risk001
Revises: c17merge001
Create Date: 2026-12-03 22:30:00

"""
from alembic import op
import sqlalchemy as sa
import desk.crypto  # noqa: F401  (encrypted column type)


# revision identifiers, used by Alembic.
revision = 'c18risk001'
down_revision = 'c17merge001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('risk_sensitive_date',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_risk_sensitive_date_created_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_sensitive_date'))
    )
    with op.batch_alter_table('risk_sensitive_date', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_risk_sensitive_date_starts_on'), ['starts_on'], unique=False)

    op.create_table('risk_term',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('term', sa.String(length=40), nullable=False),
    sa.Column('level', sa.Enum('yellow', 'orange', 'red', name='risklevel', native_enum=False, length=32), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_risk_term_created_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_term')),
    sa.UniqueConstraint('term', name=op.f('uq_risk_term_term'))
    )
    op.create_table('risk_warning',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.Enum('group_visit', 'same_matter', 'frequent', 'after_rereview', 'spike', 'extreme_words', name='riskkind', native_enum=False, length=32), nullable=False),
    sa.Column('subject', sa.String(length=80), nullable=False),
    sa.Column('level', sa.Enum('yellow', 'orange', 'red', name='risklevel', native_enum=False, length=32), nullable=False),
    sa.Column('status', sa.Enum('open', 'acknowledged', 'closed', name='riskstatus', native_enum=False, length=32), nullable=False),
    sa.Column('measure', sa.Integer(), nullable=False),
    sa.Column('threshold', sa.Integer(), nullable=False),
    sa.Column('sensitive_date_id', sa.Integer(), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('window_start', sa.Date(), nullable=False),
    sa.Column('window_end', sa.Date(), nullable=False),
    sa.Column('raised_at', sa.DateTime(), nullable=False),
    sa.Column('leader_id', sa.Integer(), nullable=True),
    sa.Column('notified_at', sa.DateTime(), nullable=True),
    sa.Column('acknowledged_at', sa.DateTime(), nullable=True),
    sa.Column('acknowledged_by_id', sa.Integer(), nullable=True),
    sa.Column('acknowledge_note', sa.Text(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.Enum('defused', 'handled_as_case', 'no_risk', name='riskoutcome', native_enum=False, length=32), nullable=True),
    sa.Column('outcome_note', sa.Text(), nullable=True),
    sa.Column('city_id', sa.Integer(), nullable=True),
    sa.Column('county_id', sa.Integer(), nullable=True),
    sa.Column('town_id', sa.Integer(), nullable=True),
    sa.Column('village_id', sa.Integer(), nullable=True),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['acknowledged_by_id'], ['user.id'], name=op.f('fk_risk_warning_acknowledged_by_id_user')),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_risk_warning_case_id_case')),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_risk_warning_category_id_category')),
    sa.ForeignKeyConstraint(['city_id'], ['org_unit.id'], name=op.f('fk_risk_warning_city_id_org_unit')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['user.id'], name=op.f('fk_risk_warning_closed_by_id_user')),
    sa.ForeignKeyConstraint(['county_id'], ['org_unit.id'], name=op.f('fk_risk_warning_county_id_org_unit')),
    sa.ForeignKeyConstraint(['grid_id'], ['org_unit.id'], name=op.f('fk_risk_warning_grid_id_org_unit')),
    sa.ForeignKeyConstraint(['leader_id'], ['user.id'], name=op.f('fk_risk_warning_leader_id_user')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_risk_warning_person_id_person')),
    sa.ForeignKeyConstraint(['sensitive_date_id'], ['risk_sensitive_date.id'], name=op.f('fk_risk_warning_sensitive_date_id_risk_sensitive_date'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['town_id'], ['org_unit.id'], name=op.f('fk_risk_warning_town_id_org_unit')),
    sa.ForeignKeyConstraint(['village_id'], ['org_unit.id'], name=op.f('fk_risk_warning_village_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_warning')),
    sa.UniqueConstraint('key', name=op.f('uq_risk_warning_key'))
    )
    with op.batch_alter_table('risk_warning', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_risk_warning_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_risk_warning_city_id'), ['city_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_risk_warning_county_id'), ['county_id'], unique=False)
        batch_op.create_index('ix_risk_warning_county_raised', ['county_id', 'raised_at'], unique=False)
        batch_op.create_index('ix_risk_warning_kind_subject', ['kind', 'subject'], unique=False)
        batch_op.create_index('ix_risk_warning_status_leader', ['status', 'leader_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_risk_warning_town_id'), ['town_id'], unique=False)
        batch_op.create_index('ix_risk_warning_town_raised', ['town_id', 'raised_at'], unique=False)

    op.create_table('risk_evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('warning_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=24), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=True),
    sa.Column('added_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_risk_evidence_case_id_case')),
    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], name=op.f('fk_risk_evidence_visit_id_visit')),
    sa.ForeignKeyConstraint(['warning_id'], ['risk_warning.id'], name=op.f('fk_risk_evidence_warning_id_risk_warning'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_risk_evidence')),
    sa.UniqueConstraint('warning_id', 'item', name='uq_risk_evidence_warning_item')
    )
    with op.batch_alter_table('risk_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_risk_evidence_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_risk_evidence_visit_id'), ['visit_id'], unique=False)

    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.create_index('ix_case_town_category_received', ['town_id', 'category_id', 'received_on'], unique=False)

    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.create_index('ix_visit_person_visited', ['person_id', 'visited_at'], unique=False)



def downgrade():
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.drop_index('ix_visit_person_visited')

    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_index('ix_case_town_category_received')

    with op.batch_alter_table('risk_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risk_evidence_visit_id'))
        batch_op.drop_index(batch_op.f('ix_risk_evidence_case_id'))

    op.drop_table('risk_evidence')
    with op.batch_alter_table('risk_warning', schema=None) as batch_op:
        batch_op.drop_index('ix_risk_warning_town_raised')
        batch_op.drop_index(batch_op.f('ix_risk_warning_town_id'))
        batch_op.drop_index('ix_risk_warning_status_leader')
        batch_op.drop_index('ix_risk_warning_kind_subject')
        batch_op.drop_index('ix_risk_warning_county_raised')
        batch_op.drop_index(batch_op.f('ix_risk_warning_county_id'))
        batch_op.drop_index(batch_op.f('ix_risk_warning_city_id'))
        batch_op.drop_index(batch_op.f('ix_risk_warning_case_id'))

    op.drop_table('risk_warning')
    op.drop_table('risk_term')
    with op.batch_alter_table('risk_sensitive_date', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risk_sensitive_date_starts_on'))

    op.drop_table('risk_sensitive_date')
