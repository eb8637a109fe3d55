"""Secure headers, characters no one types, rate limits on public booking, login lock-out."""

from datetime import timedelta

import pytest

from app import create_app
from app.extensions import db
from app.matters.loader import load_catalog
from tests.support import shipped_catalog

VISIT = {
    "matter": "fami",
    "location": "fami-krakow",
    "start": "2026-12-02T10:00:00+01:00",
    "name": "Jan Kowalski",
    "language": "pl",
}


def test_every_page_has_the_security_headers(client, catalog):
    response = client.get("/")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("where", ["query", "form", "path"])
def test_a_nul_character_is_a_clear_400(client, catalog, clock, where):
    if where == "query":
        response = client.get("/matters/fami?location=fami-krakow%00")
    elif where == "path":
        response = client.get("/matters/fa%00mi")
    else:
        response = client.post(
            "/matters/fami/book",
            data={"location": "fami-krakow", "start": VISIT["start"], "name": "Jan\x00"},
        )
    assert response.status_code == 400
    assert "niedozwolone" in response.get_data(as_text=True)


def test_public_booking_is_rate_limited_per_address(tmp_path, clock):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'limits.sqlite'}",
            "BOOKING_RATE_LIMIT": "2 per minute",
        }
    )
    with app.app_context():
        db.create_all()
        load_catalog(shipped_catalog())
        db.session.commit()
    client = app.test_client()
    answers = [
        client.post("/api/v1/visits", json=VISIT | {"email": f"osoba{n}@example.pl"}).status_code
        for n in range(3)
    ]
    assert answers[2] == 429
    assert client.get("/api/v1/matters").status_code == 200  # reading is not limited
    clock.shift(timedelta(minutes=1, seconds=1))
    assert client.post("/api/v1/visits", json=VISIT | {"email": "x@example.pl"}).status_code != 429


def test_repeated_wrong_passwords_lock_the_account_for_a_while(client, make_user, clock):
    user = make_user("operator")
    for _ in range(5):
        assert client.post("/login", data={"email": user.email, "password": "nope"}).status_code
    locked = client.post("/login", data={"email": user.email, "password": "correct horse battery"})
    assert locked.status_code == 401
    clock.shift(timedelta(minutes=16))
    unlocked = client.post(
        "/login", data={"email": user.email, "password": "correct horse battery"}
    )
    assert unlocked.status_code == 302


def test_the_answer_does_not_tell_whether_an_account_exists(client, make_user):
    user = make_user("operator")
    unknown = client.post("/login", data={"email": "nobody@example.pl", "password": "x" * 12})
    wrong = client.post("/login", data={"email": user.email, "password": "x" * 12})
    assert unknown.status_code == wrong.status_code == 401
    # The same page but for the address typed back into the form.
    assert unknown.get_data(as_text=True).replace("nobody@example.pl", user.email) == (
        wrong.get_data(as_text=True)
    )


def test_login_follows_only_local_next_links(client, make_user):
    user = make_user("operator")
    data = {"email": user.email, "password": "correct horse battery"}
    response = client.post("/login?next=https://evil.example/", data=data)
    assert response.status_code == 302
    assert "evil.example" not in response.headers["Location"]


def test_disabled_accounts_cannot_log_in(client, make_user):
    user = make_user("operator", active=False)
    data = {"email": user.email, "password": "correct horse battery"}
    assert client.post("/login", data=data).status_code == 401
