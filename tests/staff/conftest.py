"""Fixtures for the unit staff's tests: a staff-confirmed matter, its staff member logged in
(the interface in English), and visits made directly in the database."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from app.booking.desks import claim_desk
from app.booking.lifecycle import record_start
from app.booking.models import Visit, VisitStatus
from app.booking.references import new_reference
from app.extensions import db
from app.matters.models import Confirmation

WARSAW = ZoneInfo("Europe/Warsaw")


def warsaw(*args) -> datetime:
    return datetime(*args, tzinfo=WARSAW)


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
def log_in(client, login):
    """``log_in(user)``: the test client logged in as ``user``, the interface in English."""

    def log_in(user):
        login(user)
        with client.session_transaction() as session:
            session["lang"] = "en"
        return client

    return log_in


@pytest.fixture
def office(clock, staff, log_in):
    """The test client logged in as the matter's unit staff member."""
    return log_in(staff)


@pytest.fixture
def make_visit(app_context):
    """``make_visit(matter, start, status=..., **overrides)``: a visit on a free desk, committed."""
    counter = iter(range(1, 1000))

    def make(matter, start, status=VisitStatus.CONFIRMED, location=None, **overrides) -> Visit:
        n = next(counter)
        location = location or matter.locations[0]
        values = {
            "reference": new_reference(),
            "matter_id": matter.id,
            "location_id": location.id,
            "starts_at": start,
            "ends_at": start + matter.slot_length,
            "status": status,
            "name": f"Zofia Wójcik {n}",
            "email": f"zofia{n}@example.pl",
            "phone": f"+4860000000{n % 10}",
            "language": "pl",
            "created_at": warsaw(2026, 11, 30, 8, 0 + n),
        } | overrides
        visit = Visit(**values)
        claim_desk(visit, matter.desks)
        record_start(visit, actor="citizen")
        db.session.commit()
        return visit

    return make
