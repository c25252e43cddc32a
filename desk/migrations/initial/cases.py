"""The first release's tables: people, cases and their parties and attachments, visits and queue tickets."""
from alembic import op
import sqlalchemy as sa
import desk.crypto  # noqa: F401  (encrypted column type)


def create():
    op.create_table('person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('sex', sa.String(length=1), nullable=True),
    sa.Column('id_number', desk.crypto.EncryptedString(length=255), nullable=True),
    sa.Column('id_hash', sa.String(length=64), nullable=True),
    sa.Column('phone', desk.crypto.EncryptedString(length=255), nullable=True),
    sa.Column('phone_hash', sa.String(length=64), nullable=True),
    sa.Column('language', sa.String(length=16), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('city_id', sa.Integer(), nullable=True),
    sa.Column('county_id', sa.Integer(), nullable=True),
    sa.Column('town_id', sa.Integer(), nullable=True),
    sa.Column('village_id', sa.Integer(), nullable=True),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['city_id'], ['org_unit.id'], name=op.f('fk_person_city_id_org_unit')),
    sa.ForeignKeyConstraint(['county_id'], ['org_unit.id'], name=op.f('fk_person_county_id_org_unit')),
    sa.ForeignKeyConstraint(['grid_id'], ['org_unit.id'], name=op.f('fk_person_grid_id_org_unit')),
    sa.ForeignKeyConstraint(['town_id'], ['org_unit.id'], name=op.f('fk_person_town_id_org_unit')),
    sa.ForeignKeyConstraint(['village_id'], ['org_unit.id'], name=op.f('fk_person_village_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person'))
    )
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_city_id'), ['city_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_county_id'), ['county_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_id_hash'), ['id_hash'], unique=False)
        batch_op.create_index('ix_person_name_town', ['name', 'town_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_phone_hash'), ['phone_hash'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_town_id'), ['town_id'], unique=False)

    op.create_table('case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=24), nullable=False),
    sa.Column('tracking_code', sa.String(length=16), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('petition_type', sa.Enum('suggestion', 'accusation', 'demand', name='petitiontype', native_enum=False, length=32), nullable=False),
    sa.Column('demand_branch', sa.Enum('litigation', 'arbitration', 'party_member', 'administrative', 'violation', 'other', name='demandbranch', native_enum=False, length=32), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('facts', sa.Text(), nullable=False),
    sa.Column('demand', sa.Text(), nullable=False),
    sa.Column('other_party', sa.String(length=200), nullable=False),
    sa.Column('channel', sa.Enum('walk_in', 'phone', 'letter', 'online', 'grid', 'hotline', 'outreach', name='channel', native_enum=False, length=32), nullable=False),
    sa.Column('status', sa.Enum('registered', 'accepted', 'not_accepted', 'in_progress', 'concluded', 'closed', name='casestatus', native_enum=False, length=32), nullable=False),
    sa.Column('is_group', sa.Boolean(), nullable=False),
    sa.Column('head_count', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('register_due', sa.Date(), nullable=False),
    sa.Column('notify_due', sa.Date(), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('accepted_on', sa.Date(), nullable=True),
    sa.Column('conclude_due', sa.Date(), nullable=True),
    sa.Column('extended_on', sa.Date(), nullable=True),
    sa.Column('extension_reason', sa.Text(), nullable=True),
    sa.Column('not_accepted_reason', sa.Text(), nullable=True),
    sa.Column('directed_to', sa.String(length=200), nullable=True),
    sa.Column('litigation_track', sa.Boolean(), nullable=False),
    sa.Column('concluded_on', sa.Date(), nullable=True),
    sa.Column('outcome', sa.Enum('support', 'explanation', 'no_support', name='outcome', native_enum=False, length=32), nullable=True),
    sa.Column('outcome_text', sa.Text(), nullable=True),
    sa.Column('legal_basis', sa.Text(), nullable=True),
    sa.Column('review_due', sa.Date(), nullable=True),
    sa.Column('review_requested_on', sa.Date(), nullable=True),
    sa.Column('review_reply_due', sa.Date(), nullable=True),
    sa.Column('review_replied_on', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('next_due', sa.Date(), nullable=True),
    sa.Column('city_id', sa.Integer(), nullable=True),
    sa.Column('county_id', sa.Integer(), nullable=True),
    sa.Column('town_id', sa.Integer(), nullable=True),
    sa.Column('village_id', sa.Integer(), nullable=True),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['category_id'], ['category.id'], name=op.f('fk_case_category_id_category')),
    sa.ForeignKeyConstraint(['city_id'], ['org_unit.id'], name=op.f('fk_case_city_id_org_unit')),
    sa.ForeignKeyConstraint(['county_id'], ['org_unit.id'], name=op.f('fk_case_county_id_org_unit')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_case_created_by_id_user')),
    sa.ForeignKeyConstraint(['grid_id'], ['org_unit.id'], name=op.f('fk_case_grid_id_org_unit')),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_case_site_id_site')),
    sa.ForeignKeyConstraint(['town_id'], ['org_unit.id'], name=op.f('fk_case_town_id_org_unit')),
    sa.ForeignKeyConstraint(['village_id'], ['org_unit.id'], name=op.f('fk_case_village_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case')),
    sa.UniqueConstraint('reference', name=op.f('uq_case_reference')),
    sa.UniqueConstraint('tracking_code', name=op.f('uq_case_tracking_code'))
    )
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.create_index('ix_case_category_created', ['category_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_city_id'), ['city_id'], unique=False)
        batch_op.create_index('ix_case_county_created', ['county_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_county_id'), ['county_id'], unique=False)
        batch_op.create_index('ix_case_status_next_due', ['status', 'next_due'], unique=False)
        batch_op.create_index('ix_case_town_created', ['town_id', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_town_id'), ['town_id'], unique=False)

    op.create_table('attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('mime', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('path', sa.String(length=300), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_attachment_case_id_case')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['user.id'], name=op.f('fk_attachment_uploaded_by_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment'))
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachment_case_id'), ['case_id'], unique=False)

    op.create_table('case_party',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_case_party_case_id_case'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_case_party_person_id_person')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_party')),
    sa.UniqueConstraint('case_id', 'person_id', name=op.f('uq_case_party_case_id'))
    )
    with op.batch_alter_table('case_party', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_party_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_case_party_person_id'), ['person_id'], unique=False)

    op.create_table('visit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.Enum('walk_in', 'phone', 'letter', 'online', 'grid', 'hotline', 'outreach', name='channel', native_enum=False, length=32), nullable=False),
    sa.Column('received_by_id', sa.Integer(), nullable=True),
    sa.Column('visited_at', sa.DateTime(), nullable=False),
    sa.Column('is_group', sa.Boolean(), nullable=False),
    sa.Column('head_count', sa.Integer(), nullable=False),
    sa.Column('is_repeat', sa.Boolean(), nullable=False),
    sa.Column('repeat_after_conclusion', sa.Boolean(), nullable=False),
    sa.Column('similarity', sa.Double(), nullable=True),
    sa.Column('submission_key', sa.String(length=64), nullable=True),
    sa.Column('city_id', sa.Integer(), nullable=True),
    sa.Column('county_id', sa.Integer(), nullable=True),
    sa.Column('town_id', sa.Integer(), nullable=True),
    sa.Column('village_id', sa.Integer(), nullable=True),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['case.id'], name=op.f('fk_visit_case_id_case')),
    sa.ForeignKeyConstraint(['city_id'], ['org_unit.id'], name=op.f('fk_visit_city_id_org_unit')),
    sa.ForeignKeyConstraint(['county_id'], ['org_unit.id'], name=op.f('fk_visit_county_id_org_unit')),
    sa.ForeignKeyConstraint(['grid_id'], ['org_unit.id'], name=op.f('fk_visit_grid_id_org_unit')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_visit_person_id_person')),
    sa.ForeignKeyConstraint(['received_by_id'], ['user.id'], name=op.f('fk_visit_received_by_id_user')),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_visit_site_id_site')),
    sa.ForeignKeyConstraint(['town_id'], ['org_unit.id'], name=op.f('fk_visit_town_id_org_unit')),
    sa.ForeignKeyConstraint(['village_id'], ['org_unit.id'], name=op.f('fk_visit_village_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit')),
    sa.UniqueConstraint('submission_key', name=op.f('uq_visit_submission_key'))
    )
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_case_id'), ['case_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_city_id'), ['city_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_county_id'), ['county_id'], unique=False)
        batch_op.create_index('ix_visit_county_visited', ['county_id', 'visited_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_visit_town_id'), ['town_id'], unique=False)
        batch_op.create_index('ix_visit_town_visited', ['town_id', 'visited_at'], unique=False)

    op.create_table('ticket',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=True),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=12), nullable=False),
    sa.Column('status', sa.Enum('waiting', 'called', 'serving', 'done', 'no_show', name='ticketstatus', native_enum=False, length=32), nullable=False),
    sa.Column('priority', sa.Boolean(), nullable=False),
    sa.Column('arrived_at', sa.DateTime(), nullable=False),
    sa.Column('called_at', sa.DateTime(), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['room_id'], ['room.id'], name=op.f('fk_ticket_room_id_room')),
    sa.ForeignKeyConstraint(['site_id'], ['site.id'], name=op.f('fk_ticket_site_id_site')),
    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], name=op.f('fk_ticket_visit_id_visit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ticket')),
    sa.UniqueConstraint('site_id', 'day', 'label', name=op.f('uq_ticket_site_id')),
    sa.UniqueConstraint('visit_id', name=op.f('uq_ticket_visit_id'))
    )
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ticket_room_id'), ['room_id'], unique=False)
        batch_op.create_index('ix_ticket_site_day_status', ['site_id', 'day', 'status'], unique=False)


def drop():
    with op.batch_alter_table('ticket', schema=None) as batch_op:
        batch_op.drop_index('ix_ticket_site_day_status')
        batch_op.drop_index(batch_op.f('ix_ticket_room_id'))

    op.drop_table('ticket')
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.drop_index('ix_visit_town_visited')
        batch_op.drop_index(batch_op.f('ix_visit_town_id'))
        batch_op.drop_index(batch_op.f('ix_visit_person_id'))
        batch_op.drop_index('ix_visit_county_visited')
        batch_op.drop_index(batch_op.f('ix_visit_county_id'))
        batch_op.drop_index(batch_op.f('ix_visit_city_id'))
        batch_op.drop_index(batch_op.f('ix_visit_case_id'))

    op.drop_table('visit')
    with op.batch_alter_table('case_party', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_party_person_id'))
        batch_op.drop_index(batch_op.f('ix_case_party_case_id'))

    op.drop_table('case_party')
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_case_id'))

    op.drop_table('attachment')
    with op.batch_alter_table('case', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_town_id'))
        batch_op.drop_index('ix_case_town_created')
        batch_op.drop_index('ix_case_status_next_due')
        batch_op.drop_index(batch_op.f('ix_case_county_id'))
        batch_op.drop_index('ix_case_county_created')
        batch_op.drop_index(batch_op.f('ix_case_city_id'))
        batch_op.drop_index('ix_case_category_created')

    op.drop_table('case')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_town_id'))
        batch_op.drop_index(batch_op.f('ix_person_phone_hash'))
        batch_op.drop_index('ix_person_name_town')
        batch_op.drop_index(batch_op.f('ix_person_id_hash'))
        batch_op.drop_index(batch_op.f('ix_person_county_id'))
        batch_op.drop_index(batch_op.f('ix_person_city_id'))

    op.drop_table('person')
