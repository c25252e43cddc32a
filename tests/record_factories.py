"""For the access test: URL argument name -> a record in 台山市 (the out-of-scope user sits in 开平市).

Every view argument that names a record needs an entry here; the access test fails until it has one.
"""
from desk.extensions import db
from desk.models import Role
from tests.factories import make_case, make_user


def _user(world):
    user = make_user(world, Role.receptionist, unit=world.town)
    db.session.commit()
    return user.id


def _case(world):
    case = make_case(world)
    db.session.commit()
    return case.id


def _site(world):
    return world.county_site.id


def _room(world):
    return world.county_site.rooms[0].id


def _unit(world):
    return world.town.id


FACTORIES = {
    "user_id": _user,
    "case_id": _case,
    "site_id": _site,
    "room_id": _room,
    "unit_id": _unit,
}
