"""The first release's tables: the talent pool (skills, conflicts, figures by category) and referrals with their notes."""
from alembic import op
import sqlalchemy as sa
import desk.crypto  # noqa: F401  (encrypted column type)


def create():
    op.create_table('talent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('sex', sa.String(length=1), nullable=True),
    sa.Column('role', sa.Enum('mediator', 'lawyer', 'counselor', 'social_worker', 'grid_worker', 'deputy', 'judge', 'prosecutor', 'volunteer', name='talentrole', native_enum=False, length=32), nullable=False),
    sa.Column('languages', sa.String(length=120), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('room_id', sa.Integer(), nullable=True),
    sa.Column('stationing', sa.Enum('resident', 'rotating', 'on_call', name='stationing', native_enum=False, length=32), nullable=False),
    sa.Column('weekdays', sa.String(length=20), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('open_load', sa.Integer(), nullable=False),
    sa.Column('licence_no', sa.String(length=40), nullable=True),
    sa.Column('phone', desk.crypto.EncryptedString(length=255), nullable=True),
    sa.Column('phone_hash', sa.String(length=64), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=True),
    sa.Column('county_id', sa.Integer(), nullable=True),
    sa.Column('town_id', sa.Integer(), nullable=True),
    sa.Column('village_id', sa.Integer(), nullable=True),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['city_id'], ['org_unit.id'], name=op.f('fk_talent_city_id_org_unit')),
    sa.ForeignKeyConstraint(['county_id'], ['org_unit.id'], name=op.f('fk_talent_county_id_org_unit')),
    sa.ForeignKeyConstraint(['grid_id'], ['org_unit.id'], name=op.f('fk_talent_grid_id_org_unit')),
    sa.ForeignKeyConstraint(['room_id'], ['room.id'], name=op.f('fk_talent_room_id_room')),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_talent_site_id_site')),
    sa.ForeignKeyConstraint(['town_id'], ['org_unit.id'], name=op.f('fk_talent_town_id_org_unit')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_talent_user_id_user')),
    sa.ForeignKeyConstraint(['village_id'], ['org_unit.id'], name=op.f('fk_talent_village_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_talent')),
    sa.UniqueConstraint('user_id', name=op.f('uq_talent_user_id'))
    )
    with op.batch_alter_table('talent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_talent_city_id'), ['city_id'], unique=False)
        batch_op.create_index('ix_talent_county_active', ['county_id', 'active', 'role'], unique=False)
        batch_op.create_index(batch_op.f('ix_talent_county_id'), ['county_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_talent_phone_hash'), ['phone_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_talent_role'), ['role'], unique=False)
        batch_op.create_index(batch_op.f('ix_talent_room_id'), ['room_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_talent_site_id'), ['site_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_talent_town_id'), ['town_id'], unique=False)

    op.create_table('talent_category_stat',
    sa.Column('talent_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('rated', sa.Integer(), nullable=False),
    sa.Column('satisfied', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_talent_category_stat_category_id_category')),
    sa.ForeignKeyConstraint(['talent_id'], ['talent.id'], name=op.f('fk_talent_category_stat_talent_id_talent'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('talent_id', 'category_id', name=op.f('pk_talent_category_stat'))
    )
    op.create_table('talent_conflict',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('talent_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_talent_conflict_person_id_person')),
    sa.ForeignKeyConstraint(['talent_id'], ['talent.id'], name=op.f('fk_talent_conflict_talent_id_talent'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_talent_conflict'))
    )
    with op.batch_alter_table('talent_conflict', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_talent_conflict_talent_id'), ['talent_id'], unique=False)

    op.create_table('talent_skill',
    sa.Column('talent_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_talent_skill_category_id_category'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['talent_id'], ['talent.id'], name=op.f('fk_talent_skill_talent_id_talent'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('talent_id', 'category_id', name=op.f('pk_talent_skill'))
    )
    with op.batch_alter_table('talent_skill', schema=None) as batch_op:
        batch_op.create_index('ix_talent_skill_category', ['category_id'], unique=False)

    op.create_table('referral',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=True),
    sa.Column('offered_to_id', sa.Integer(), nullable=True),
    sa.Column('talent_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('offered', 'accepted', 'declined', 'expired', 'in_progress', 'done', name='referralstatus', native_enum=False, length=32), nullable=False),
    sa.Column('score', sa.Double(), nullable=True),
    sa.Column('offered_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('checked_in_at', sa.DateTime(), nullable=True),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.Column('decline_reason', sa.Text(), nullable=True),
    sa.Column('outcome', sa.Enum('agreement', 'no_agreement', 'advice', 'transferred', name='referraloutcome', native_enum=False, length=32), nullable=True),
    sa.Column('outcome_note', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('city_id', sa.Integer(), nullable=True),
    sa.Column('county_id', sa.Integer(), nullable=True),
    sa.Column('town_id', sa.Integer(), nullable=True),
    sa.Column('village_id', sa.Integer(), nullable=True),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_referral_case_id_case')),
    sa.ForeignKeyConstraint(['city_id'], ['org_unit.id'], name=op.f('fk_referral_city_id_org_unit')),
    sa.ForeignKeyConstraint(['county_id'], ['org_unit.id'], name=op.f('fk_referral_county_id_org_unit')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_referral_created_by_id_user')),
    sa.ForeignKeyConstraint(['grid_id'], ['org_unit.id'], name=op.f('fk_referral_grid_id_org_unit')),
    sa.ForeignKeyConstraint(['offered_to_id'], ['talent.id'], name=op.f('fk_referral_offered_to_id_talent')),
    sa.ForeignKeyConstraint(['room_id'], ['room.id'], name=op.f('fk_referral_room_id_room')),
    sa.ForeignKeyConstraint(['talent_id'], ['talent.id'], name=op.f('fk_referral_talent_id_talent')),
    sa.ForeignKeyConstraint(['town_id'], ['org_unit.id'], name=op.f('fk_referral_town_id_org_unit')),
    sa.ForeignKeyConstraint(['village_id'], ['org_unit.id'], name=op.f('fk_referral_village_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral'))
    )
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_city_id'), ['city_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_county_id'), ['county_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_offered_to_id'), ['offered_to_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_room_id'), ['room_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_talent_id'), ['talent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_referral_town_id'), ['town_id'], unique=False)

    op.create_table('referral_note',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('referral_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_referral_note_author_id_user')),
    sa.ForeignKeyConstraint(['referral_id'], ['referral.id'], name=op.f('fk_referral_note_referral_id_referral'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_referral_note'))
    )
    with op.batch_alter_table('referral_note', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_referral_note_referral_id'), ['referral_id'], unique=False)



def drop():
    with op.batch_alter_table('referral_note', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_note_referral_id'))

    op.drop_table('referral_note')
    with op.batch_alter_table('referral', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_referral_town_id'))
        batch_op.drop_index(batch_op.f('ix_referral_talent_id'))
        batch_op.drop_index(batch_op.f('ix_referral_status'))
        batch_op.drop_index(batch_op.f('ix_referral_room_id'))
        batch_op.drop_index(batch_op.f('ix_referral_offered_to_id'))
        batch_op.drop_index(batch_op.f('ix_referral_expires_at'))
        batch_op.drop_index(batch_op.f('ix_referral_county_id'))
        batch_op.drop_index(batch_op.f('ix_referral_city_id'))
        batch_op.drop_index(batch_op.f('ix_referral_case_id'))

    op.drop_table('referral')
    with op.batch_alter_table('talent_skill', schema=None) as batch_op:
        batch_op.drop_index('ix_talent_skill_category')

    op.drop_table('talent_skill')
    with op.batch_alter_table('talent_conflict', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_talent_conflict_talent_id'))

    op.drop_table('talent_conflict')
    op.drop_table('talent_category_stat')
    with op.batch_alter_table('talent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_talent_town_id'))
        batch_op.drop_index(batch_op.f('ix_talent_site_id'))
        batch_op.drop_index(batch_op.f('ix_talent_room_id'))
        batch_op.drop_index(batch_op.f('ix_talent_role'))
        batch_op.drop_index(batch_op.f('ix_talent_phone_hash'))
        batch_op.drop_index(batch_op.f('ix_talent_county_id'))
        batch_op.drop_index('ix_talent_county_active')
        batch_op.drop_index(batch_op.f('ix_talent_city_id'))

    op.drop_table('talent')
