"""The authorization matrix: every staff, operator and admin route × every kind of visitor.

Anonymous visitors are sent to the login page (302), logged-in users without the role get 403,
staff of another unit get 404 on that unit's visits (as for a reference that does not exist)
and 403 on its closures, and the right role gets the
page (200). Forbidden POSTs change nothing. New routes are picked up from the URL map, so a
route added without its check fails here.
"""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.booking.models import Visit
from app.booking.operations import Visitor
from app.database import utcnow
from app.extensions import db
from app.kiosk.models import Kiosk
from app.mail.models import OutboxMessage
from app.matters.models import Closure, Location, Matter, Unit
from tests.support import book_by_phone, warsaw

AREAS = {"/staff": {"staff", "admin"}, "/operator": {"operator", "admin"}, "/admin": {"admin"}}
# Arguments that name one unit's things: staff of another unit may not reach them.
UNIT_BOUND = {"reference", "closure_id"}
# … and those that are not found for them, as if they did not exist.
NOT_FOUND_ELSEWHERE = {"reference"}
ACTORS = ["anonymous", "admin", "staff", "staff of another unit", "operator"]


@pytest.fixture
def world(catalog, clock, make_user):
    """FAMI staff, staff of another unit, an operator, an admin; a FAMI visit and closure."""
    fami = db.session.scalar(select(Unit).where(Unit.slug == "integracja-cudzoziemcow"))
    other = db.session.scalar(select(Unit).where(Unit.slug == "koordynacja"))
    users = {
        "admin": make_user("admin"),
        "staff": make_user("staff", units=[fami]),
        "staff of another unit": make_user("staff", units=[other]),
        "operator": make_user("operator"),
    }
    matter = db.session.scalar(select(Matter).where(Matter.slug == "fami"))
    location = db.session.scalar(select(Location).where(Location.slug == "fami-krakow"))
    visit = book_by_phone(
        matter,
        location.slug,
        warsaw(2026, 12, 3, 10, 0),
        Visitor("Jan Kowalski", "jan@example.pl", "+48600100200"),
        users["operator"],
        now=utcnow(),
    )
    start = warsaw(2026, 12, 10)
    closure = Closure(location=location, starts_at=start, ends_at=start + timedelta(days=1))
    db.session.add(closure)
    kiosk = Kiosk(location=location, name="Wejście")
    db.session.add(kiosk)
    db.session.commit()
    arguments = {
        "kiosk_id": kiosk.id,
        "reference": visit.reference,
        "closure_id": closure.id,
        "location_id": location.id,
        "matter_id": matter.id,
        "unit_id": fami.id,
        "user_id": users["staff"].id,
        "slug": matter.slug,
        "change": "disable",
        "message_id": db.session.scalar(select(OutboxMessage.id)),  # the visit's confirmation
    }
    return users, arguments


def office_routes(app):
    for rule in app.url_map.iter_rules():
        area = next((prefix for prefix in AREAS if rule.rule.startswith(prefix)), None)
        if area:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield area, rule, method


def expected(actor: str, area: str, rule, method: str) -> int | None:
    """The status an actor must get, or None where only the role matters (an allowed POST is
    an action, tested with its own data elsewhere)."""
    if actor == "anonymous":
        return 302
    role = "staff" if actor.startswith("staff") else actor
    if role not in AREAS[area]:
        return 403
    if actor == "staff of another unit" and UNIT_BOUND & set(rule.arguments):
        return 404 if NOT_FOUND_ELSEWHERE & set(rule.arguments) else 403
    if rule.rule in ASKS_ONLY_WHEN_IT_APPLIES:
        return 303  # the world's visit is still ahead: back to its page
    if rule.rule in SHOWN_ONCE and method == "GET":
        return 303  # back to the kiosks
    return 200 if method == "GET" else None


# Confirmation pages that lead back to the visit when their change does not apply to it.
ASKS_ONLY_WHEN_IT_APPLIES = {"/staff/visits/<reference>/no-show"}
# A kiosk's set-up link is shown once, after it was issued: none waits here.
SHOWN_ONCE = {"/admin/kiosks/<int:kiosk_id>/link"}


def snapshot_of_everything() -> list:
    db.session.expire_all()
    visits = [
        (v.reference, v.status, v.starts_at, v.desk) for v in db.session.scalars(select(Visit))
    ]
    closures = [(c.id, c.starts_at, c.ends_at) for c in db.session.scalars(select(Closure))]
    return [visits, closures]


@pytest.mark.parametrize("actor", ACTORS)
def test_every_office_route_answers_each_actor_as_it_should(app, client, login, world, actor):
    users, arguments = world
    if actor != "anonymous":
        login(users[actor])
    before = snapshot_of_everything()
    wrong = []
    for area, rule, method in office_routes(app):
        want = expected(actor, area, rule, method)
        if want is None:
            continue
        url = rule.build({name: arguments[name] for name in rule.arguments})[1]
        response = client.open(url, method=method)
        got = response.status_code
        if got != want or (want == 302 and "/login" not in response.headers["Location"]):
            wrong.append(f"{method} {url}: {got}, expected {want}")
    assert wrong == []
    if actor in ("anonymous", "operator", "staff of another unit"):
        assert snapshot_of_everything() == before  # forbidden POSTs changed nothing


def test_the_matrix_covers_every_office_area_and_page(app):
    routes = list(office_routes(app))
    assert {area for area, _, _ in routes} == set(AREAS)
    assert sum(1 for *_, method in routes if method == "GET") >= 25
