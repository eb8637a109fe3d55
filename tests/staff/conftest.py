"""Fixtures for the unit staff's tests: a staff-confirmed matter, its staff member logged in
(the interface in English), and visits made directly in the database."""

import pytest

from app.matters.models import Confirmation
from tests.support import warsaw

# The clock stands on Tuesday 1 December 2026, 9:00 in Warsaw.
TODAY_TEN = warsaw(2026, 12, 1, 10, 0)
TOMORROW_TEN = warsaw(2026, 12, 2, 10, 0)


@pytest.fixture
def matter(make_matter):
    """A matter whose requests a staff member decides, with two desks at one place."""
    return make_matter(confirmation=Confirmation.STAFF, desks=2, location_slug="basztowa")


@pytest.fixture
def staff(make_user, matter):
    return make_user("staff", units=[matter.unit], email="ewa.staff@urzad.example", name="Ewa")


@pytest.fixture
def office(clock, staff, log_in):
    """The test client logged in as the matter's unit staff member."""
    return log_in(staff)
