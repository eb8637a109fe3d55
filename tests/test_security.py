"""Secure headers, characters no one types, rate limits on public booking."""

from datetime import timedelta

import pytest

from app import create_app
from app.extensions import db
from app.matters.loader import load_catalog
from tests.pages import page
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


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("put", "/api/v1/matters", "GET, HEAD, OPTIONS"),
        ("delete", "/api/v1/visits", "OPTIONS, POST"),
        ("post", "/matters/fami", "GET, HEAD, OPTIONS"),
    ],
)
def test_a_method_not_allowed_says_which_are(client, catalog, method, path, allowed):
    response = getattr(client, method)(path)

    assert response.status_code == 405
    assert sorted(response.headers["Allow"].split(", ")) == allowed.split(", ")


def test_plain_http_gets_no_hsts(client, catalog):
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_https_tells_browsers_to_keep_to_https(app, client, catalog):
    over_https = client.get("/", base_url="https://wizyta.example")
    assert over_https.headers["Strict-Transport-Security"] == "max-age=31536000"

    # Behind a proxy that ends TLS the request looks like HTTP; secure cookies say the site is not.
    app.config["SESSION_COOKIE_SECURE"] = True
    assert client.get("/").headers["Strict-Transport-Security"] == "max-age=31536000"

    app.config["HSTS_MAX_AGE"] = 0
    assert "Strict-Transport-Security" not in client.get("/").headers


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


def test_a_query_string_cannot_change_the_language_links(client, catalog):
    """Names that ``url_for`` takes for its own are kept as the query string's, not obeyed."""
    odd = "q=ab&endpoint=x&_external=1&_method=POST&lang=pl"
    response = client.get(f"/?{odd}")
    assert response.status_code == 200
    links = page(response).hrefs("/?")
    assert "/?q=ab&endpoint=x&_external=1&_method=POST&lang=uk" in links


def test_public_booking_is_rate_limited_per_address(tmp_path, clock):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'limits.sqlite'}",
            "BOOKING_RATE_LIMIT": "2 per minute",
            "WTF_CSRF_ENABLED": False,
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
    refused = client.post("/api/v1/visits?lang=en", json=VISIT | {"email": "y@example.pl"})
    assert int(refused.headers["Retry-After"]) in (60, 61)  # the window's end, rounded up
    assert refused.get_json() == {
        "error": "too_many_requests",
        "message": "Please wait 1 minute and try again.",
    }
    for n in range(3):  # the web form counts on its own
        page = client.post("/matters/fami/book?lang=uk", data=VISIT | {"email": f"z{n}@example.pl"})
    assert page.status_code == 429 and int(page.headers["Retry-After"]) in (60, 61)
    assert "Зачекайте, будь ласка, 1 хвилину й спробуйте ще раз." in page.get_data(as_text=True)
    assert client.get("/api/v1/matters").status_code == 200  # reading is not limited
    clock.shift(timedelta(minutes=1, seconds=1))
    assert client.post("/api/v1/visits", json=VISIT | {"email": "x@example.pl"}).status_code != 429


def app_behind(tmp_path, proxies: int):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'proxy.sqlite'}",
            "BOOKING_RATE_LIMIT": "2 per minute",
            "WTF_CSRF_ENABLED": False,
            "PROXY_COUNT": proxies,
        }
    )
    with app.app_context():
        db.create_all()
    return app.test_client()


def through_proxy(client, forwarded_for: str, **headers):
    """A POST that reached the app from the TLS proxy at 10.0.0.1."""
    return client.post(
        "/api/v1/visits",
        json={},
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
        headers={"X-Forwarded-For": forwarded_for, **headers},
    ).status_code


def test_behind_a_trusted_proxy_limits_key_on_the_real_client(tmp_path):
    client = app_behind(tmp_path, proxies=1)

    assert [through_proxy(client, "203.0.113.7") for _ in range(3)] == [422, 422, 429]
    # Another citizen behind the same proxy is not held up by the first.
    assert through_proxy(client, "198.51.100.20") == 422
    # What the client writes itself comes before what the proxy adds: it changes nothing.
    assert through_proxy(client, "192.0.2.99, 203.0.113.7") == 429


def test_without_a_trusted_proxy_forwarded_headers_are_ignored(tmp_path):
    client = app_behind(tmp_path, proxies=0)

    answers = [through_proxy(client, f"203.0.113.{n}") for n in range(3)]

    assert answers == [422, 422, 429]  # all from the proxy's own address


def test_the_proxy_says_whether_the_client_came_over_https(tmp_path):
    client = app_behind(tmp_path, proxies=1)
    page = client.get(
        "/privacy",
        environ_base={"REMOTE_ADDR": "10.0.0.1"},
        headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"},
    )
    assert page.headers["Strict-Transport-Security"] == "max-age=31536000"
