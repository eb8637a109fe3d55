"""Only administrators open the admin area: anonymous users are sent to log in, others get 403."""

from datetime import UTC, datetime

import pytest

from app.extensions import db
from app.mail.outbox import enqueue
from app.matters.models import Closure


@pytest.fixture
def routes(matter, make_user):
    """Every admin route, with ids of real records, as (method, path)."""
    closure = Closure(
        location=matter.locations[0],
        starts_at=datetime(2026, 12, 24, tzinfo=UTC),
        ends_at=datetime(2026, 12, 25, tzinfo=UTC),
    )
    db.session.add(closure)
    message = enqueue("test", "person@example.org", "Subject", "Text", "<p>Text</p>")
    db.session.commit()
    other = make_user("staff", units=[matter.unit])
    location = matter.locations[0]
    gets = [
        "/admin/",
        "/admin/units",
        f"/admin/units/{matter.unit.id}",
        "/admin/locations",
        f"/admin/locations/{location.id}",
        f"/admin/locations/{location.id}/hours",
        "/admin/matters",
        f"/admin/matters/{matter.id}",
        "/admin/closures",
        "/admin/closures/new",
        "/admin/users",
        "/admin/users/new",
        f"/admin/users/{other.id}",
        f"/admin/users/{other.id}/password",
        "/admin/outbox",
        "/admin/audit",
    ]
    posts = [
        f"/admin/units/{matter.unit.id}",
        f"/admin/locations/{location.id}",
        f"/admin/locations/{location.id}/hours",
        f"/admin/matters/{matter.id}",
        "/admin/closures/new",
        f"/admin/closures/{closure.id}/remove",
        "/admin/users/new",
        f"/admin/users/{other.id}",
        f"/admin/users/{other.id}/disable",
        f"/admin/users/{other.id}/enable",
        f"/admin/users/{other.id}/password",
        f"/admin/outbox/{message.id}/send-again",
    ]
    return [("GET", path) for path in gets] + [("POST", path) for path in posts]


def test_every_admin_route_sends_anonymous_users_to_the_login_page(client, routes):
    for method, path in routes:
        response = client.open(path, method=method)
        assert response.status_code == 302, (method, path)
        assert response.location.startswith("/login"), (method, path)


@pytest.mark.parametrize("role", ["staff", "operator"])
def test_every_admin_route_is_forbidden_to_staff_and_operators(
    client, routes, make_user, login, matter, role
):
    login(make_user(role, units=[matter.unit] if role == "staff" else []))
    for method, path in routes:
        assert client.open(path, method=method).status_code == 403, (method, path)
    assert db.session.get(Closure, 1) is not None  # the forbidden remove removed nothing


def test_every_admin_page_opens_for_an_administrator(client, routes, admin):
    for method, path in routes:
        if method == "GET":
            response = client.get(path)
            assert response.status_code == 200, path
            assert "<h1>" in response.get_data(as_text=True), path


def test_the_header_links_administrators_to_the_admin_area(client, admin):
    page = client.get("/admin/").get_data(as_text=True)
    assert 'href="/admin/"' in page
    for path in ("/admin/units", "/admin/locations", "/admin/matters", "/admin/closures"):
        assert f'href="{path}"' in page
    assert 'href="/admin/users"' in page and 'href="/admin/audit"' in page
