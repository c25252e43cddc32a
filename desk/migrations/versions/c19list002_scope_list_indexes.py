"""the case list of a city, a village or a grid reads its page from an index (issue 19)

Revision ID: c19list002
Revises: c19list001
Create Date: 2026-12-05 07:45:00

The case list and the case export go newest first inside the user's scope. A county's and a town's scope had
(county | town, created) indexes; a city official's list sorted all of the city's matters for every page
(1,000,000 at city scale), and a village's or a grid's walked every matter of the database. (city, created),
(city, status, created), (village, created) and (grid, created) give each page from an index.

The table is analyzed afterwards: SQLite plans from the statistics ANALYZE leaves, and a new index without
them was passed over for the case list filtered by category at the city (0.3 s instead of 0.01 s at 1M
matters; ANALYZE of the table takes about 2 s there). PostgreSQL's autovacuum would get there on its own.
"""
from alembic import op


revision = 'c19list002'
down_revision = 'c19list001'
branch_labels = None
depends_on = None


INDEXES = {'ix_case_city_created': ['city_id', 'created_at'],
           'ix_case_city_status_created': ['city_id', 'status', 'created_at'],
           'ix_case_village_created': ['village_id', 'created_at'],
           'ix_case_grid_created': ['grid_id', 'created_at']}


def upgrade():
    for name, columns in INDEXES.items():
        op.create_index(name, 'case', columns)
    op.execute('ANALYZE "case"')


def downgrade():
    for name in INDEXES:
        op.drop_index(name, table_name='case')
