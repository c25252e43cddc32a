from datetime import datetime

import pytest

from desk.models import Role
from desk.timeutil import freeze
from tests.factories import make_user


@pytest.fixture
def clock():
    """08:00 on 2026-11-25 in China (00:00 UTC)."""
    freeze(datetime(2026, 11, 25, 0, 0))
    yield
    freeze(None)


@pytest.fixture
def staff(world):
    return make_user(world, Role.receptionist, unit=world.county)
