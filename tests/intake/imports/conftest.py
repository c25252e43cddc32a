import pytest

from desk.demo import catalog
from desk.extensions import db
from desk.models import Category


@pytest.fixture
def catalog_world(world, clock):
    """The test world with the whole category taxonomy (the sources' kinds map onto it) on 2026-11-20."""
    clock("2026-11-20 10:00")
    known = {c.code: c for c in db.session.scalars(db.select(Category))}
    for spec in catalog.CATEGORIES:
        if spec.code not in known:
            known[spec.code] = Category(code=spec.code, name_zh=spec.name_zh, name_en=spec.name_en,
                                        roles=",".join(spec.roles), department_code=spec.department_code,
                                        parent=known.get(spec.parent_code))
            db.session.add(known[spec.code])
    db.session.commit()
    return world
