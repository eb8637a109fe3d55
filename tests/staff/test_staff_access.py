"""Who may open which staff page: every route × anonymous, operator, staff of another unit,
the unit's staff and an administrator. Refused requests change nothing."""

import pytest

from app.booking.models import VisitStatus
from app.extensions import db
from app.matters.models import Closure
from tests.staff.conftest import TOMORROW_TEN
from tests.support import audit_entries, visit_by, warsaw

PAGES = ["/staff/", "/staff/?view=week", "/staff/requests", "/staff/closures"]
DAY_PAGES = ["/staff/day.csv?day=2026-12-02", "/staff/print?day=2026-12-02"]


@pytest.fixture
def setting(clock, matter, make_matter, make_visit, make_user):
    """A visit and a closure of the matter's unit, and one account of every kind."""
    visit = make_visit(matter, TOMORROW_TEN, status=VisitStatus.REQUESTED)
    closure = Closure(
        location=matter.locations[0],
        starts_at=warsaw(2026, 12, 10, 0, 0),
        ends_at=warsaw(2026, 12, 11, 0, 0),
        reason="szkolenie",
    )
    db.session.add(closure)
    db.session.commit()
    other = make_matter()
    return {
        "visit": visit.reference,
        "closure": closure.id,
        "location": matter.locations[0].id,
        "operator": make_user("operator"),
        "other_staff": make_user("staff", units=[other.unit]),
        "admin": make_user("admin"),
        "unit": matter.unit.slug,
    }


def own_routes(setting) -> list[tuple[str, str, dict]]:
    """The routes that show or change the unit's visit or closure: (method, path, form)."""
    ref, closure = setting["visit"], setting["closure"]
    return [
        ("GET", f"/staff/visits/{ref}", {}),
        ("GET", f"/staff/visits/{ref}/move", {}),
        ("POST", f"/staff/visits/{ref}/confirm", {}),
        ("POST", f"/staff/visits/{ref}/decline", {"reason": "nie"}),
        ("POST", f"/staff/visits/{ref}/cancel", {"reason": "nie"}),
        ("POST", f"/staff/visits/{ref}/mark", {"mark": "arrived"}),
        ("POST", f"/staff/visits/{ref}/move", {"slot": "basztowa|2026-12-03T10:00:00+01:00"}),
        ("POST", f"/staff/closures/{closure}/remove", {}),
        (
            "POST",
            "/staff/closures",
            {"location": setting["location"], "first_day": "2026-12-14", "reason": "awaria"},
        ),
        ("GET", f"/staff/?unit={setting['unit']}", {}),
        ("GET", f"/staff/day.csv?unit={setting['unit']}", {}),
    ]


def call(client, method, path, data):
    return client.open(path, method=method, data=data)


def assert_nothing_changed(setting):
    assert visit_by(setting["visit"]).status is VisitStatus.REQUESTED
    assert db.session.get(Closure, setting["closure"]) is not None
    assert db.session.query(Closure).count() == 1
    assert audit_entries() == []


def test_anonymous_users_are_sent_to_the_login_page(client, setting):
    for method, path, data in [("GET", p, {}) for p in PAGES + DAY_PAGES] + own_routes(setting):
        response = call(client, method, path, data)
        assert response.status_code == 302, (method, path)
        assert response.headers["Location"].startswith("/login"), path
    assert_nothing_changed(setting)


def test_operators_are_refused_everywhere(setting, log_in):
    client = log_in(setting["operator"])
    for method, path, data in [("GET", p, {}) for p in PAGES + DAY_PAGES] + own_routes(setting):
        assert call(client, method, path, data).status_code == 403, (method, path)
    assert_nothing_changed(setting)


def test_staff_of_another_unit_see_their_own_pages_but_not_this_units_things(setting, log_in):
    client = log_in(setting["other_staff"])
    for path in PAGES + DAY_PAGES:
        assert client.get(path).status_code == 200, path
    for method, path, data in own_routes(setting):
        # Another unit's visit is not found, as if its reference did not exist.
        refused = 404 if "/visits/" in path else 403
        assert call(client, method, path, data).status_code == refused, (method, path)
    assert_nothing_changed(setting)
    agenda = client.get("/staff/?day=2026-12-02").get_data(as_text=True)
    requests = client.get("/staff/requests").get_data(as_text=True)
    assert setting["visit"] not in agenda and setting["visit"] not in requests


@pytest.mark.parametrize("who", ["staff", "admin"])
def test_the_units_staff_and_administrators_open_every_page(setting, staff, log_in, who):
    client = log_in(staff if who == "staff" else setting["admin"])
    for path in PAGES + DAY_PAGES + [f"/staff/visits/{setting['visit']}"]:
        assert client.get(path).status_code == 200, path
    assert setting["visit"] in client.get("/staff/requests").get_data(as_text=True)


def test_an_unknown_visit_or_closure_is_not_found(office):
    assert office.get("/staff/visits/WP-ZZZZZZ").status_code == 404
    assert office.post("/staff/visits/WP-ZZZZZZ/confirm").status_code == 404
    assert office.post("/staff/closures/999/remove").status_code == 404


def test_staff_cannot_remove_a_closure_of_the_whole_office(clock, office, setting):
    closure = Closure(
        starts_at=warsaw(2026, 12, 24, 0, 0), ends_at=warsaw(2026, 12, 25, 0, 0), reason="Wigilia"
    )
    db.session.add(closure)
    db.session.commit()
    page = office.get("/staff/closures").get_data(as_text=True)
    assert "Wigilia" in page and f"/staff/closures/{closure.id}/remove" not in page
    assert office.post(f"/staff/closures/{closure.id}/remove").status_code == 403
