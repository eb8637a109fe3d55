"""With CSRF protection on, as in production: the admin forms carry a token and need it."""

import re
from datetime import time

from app.extensions import db
from app.matters.models import Closure
from tests.support import fresh

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def token_of(page: str) -> str:
    return TOKEN.search(page)[1]


def test_an_administrator_logs_in_and_changes_hours_and_closures_with_real_tokens(
    app, client, make_user, matter
):
    app.config["WTF_CSRF_ENABLED"] = True
    admin = make_user("admin")
    login_page = client.get("/login").get_data(as_text=True)
    data = {"email": admin.email, "password": "correct horse battery"}
    assert (
        client.post("/login", data=data | {"csrf_token": token_of(login_page)}).status_code == 302
    )

    location = matter.locations[0]
    form = client.get(f"/admin/locations/{location.id}/hours").get_data(as_text=True)
    hours = {"mon": "10:00-12:00, 12:00-14:00"}
    assert client.post(f"/admin/locations/{location.id}/hours", data=hours).status_code == 400
    assert len(fresh(location).hours) == 5  # refused without the token: nothing changed

    response = client.post(
        f"/admin/locations/{location.id}/hours", data=hours | {"csrf_token": token_of(form)}
    )
    assert response.status_code == 303
    monday = [(w.opens, w.closes) for w in fresh(location).hours if w.weekday == 0]
    assert monday == [(time(10), time(12)), (time(12), time(14))]

    form = client.get("/admin/closures/new").get_data(as_text=True)
    closure = {"location": "", "first_day": "2026-12-24", "csrf_token": token_of(form)}
    assert client.post("/admin/closures/new", data=closure).status_code == 303
    [added] = db.session.scalars(db.select(Closure)).all()

    listing = client.get("/admin/closures").get_data(as_text=True)
    remove = f"/admin/closures/{added.id}/remove"
    assert client.post(remove).status_code == 400
    assert client.post(remove, data={"csrf_token": token_of(listing)}).status_code == 303
    db.session.expire_all()
    assert db.session.scalars(db.select(Closure)).all() == []


def test_the_audit_filter_is_a_get_form_without_a_token(app, client, make_user, login):
    login(make_user("admin"))
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get("/admin/audit?action=login").get_data(as_text=True)
    assert 'method="get"' in page and "login" in page
