"""mediation agreement per 人民调解法 art. 29: party details, committee, recorded consents, due date (issue 14)

Revision ID: c14med0001
Revises: b2auth0001
Create Date: 2026-12-03 12:30:00

Each party gets the details the agreement states (sex, birth date or age, ethnicity, occupation or unit,
address; an organization's representative; ID number and phone encrypted). A mediation names its committee
and keeps its usual completion date, moved only by an extension; mediation_consent records each side's
consent to mediate and to each extension. Existing mediations are named the committee of their county
and town (e.g. 台山市台城街道人民调解委员会); their due date stays empty and is computed from the start.
"""
from alembic import op
import sqlalchemy as sa


revision = 'c14med0001'
down_revision = 'b2auth0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mediation_consent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mediation_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=10), nullable=False),
    sa.Column('side', sa.String(length=1), nullable=False),
    sa.Column('given_by', sa.String(length=200), nullable=False),
    sa.Column('given_on', sa.Date(), nullable=False),
    sa.Column('method', sa.Enum('application', 'written', 'oral', name='consentmethod', native_enum=False, length=32), nullable=False),
    sa.Column('extends_to', sa.Date(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['mediation_id'], ['mediation.id'], name=op.f('fk_mediation_consent_mediation_id_mediation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_mediation_consent_recorded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mediation_consent'))
    )
    with op.batch_alter_table('mediation_consent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mediation_consent_mediation_id'), ['mediation_id'], unique=False)

    with op.batch_alter_table('mediation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('committee', sa.String(length=200), server_default='', nullable=False))
    op.execute("UPDATE mediation SET committee = "
               "COALESCE((SELECT name FROM org_unit WHERE org_unit.id = mediation.county_id), '') || "
               "COALESCE((SELECT name FROM org_unit WHERE org_unit.id = mediation.town_id), '') || "
               "'人民调解委员会' WHERE committee = ''")

    with op.batch_alter_table('mediation_party', schema=None) as batch_op:
        batch_op.add_column(sa.Column('is_organization', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('sex', sa.String(length=1), nullable=True))
        batch_op.add_column(sa.Column('birth_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('age', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('ethnicity', sa.String(length=40), server_default='', nullable=False))
        batch_op.add_column(sa.Column('occupation', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('address', sa.String(length=300), server_default='', nullable=False))
        batch_op.add_column(sa.Column('representative', sa.String(length=100), server_default='', nullable=False))
        batch_op.add_column(sa.Column('id_number', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('phone', sa.String(length=255), nullable=True))


def downgrade():
    with op.batch_alter_table('mediation_party', schema=None) as batch_op:
        for column in ('phone', 'id_number', 'representative', 'address', 'occupation', 'ethnicity', 'age',
                       'birth_date', 'sex', 'is_organization'):
            batch_op.drop_column(column)

    with op.batch_alter_table('mediation', schema=None) as batch_op:
        batch_op.drop_column('committee')
        batch_op.drop_column('due_on')

    with op.batch_alter_table('mediation_consent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mediation_consent_mediation_id'))

    op.drop_table('mediation_consent')
