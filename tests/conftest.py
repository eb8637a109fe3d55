"""Fixtures: an app per test on SQLite and on PostgreSQL, the catalog, factories and a clock.

Every test that uses ``app`` runs once per database engine in ``WIZYTA_TEST_DATABASES``
(default ``sqlite,postgresql``). PostgreSQL is reached at ``TEST_POSTGRESQL_URL``; if it is
down the PostgreSQL half is skipped, except under CI (``CI=true``), where that is a failure.
"""

import itertools
import os
import shutil
import socket
import subprocess
import time as time_module
import uuid
from datetime import time
from email import message_from_bytes, policy
from email.message import EmailMessage

import psycopg
import pytest
import time_machine
from aiosmtpd.controller import Controller
from argon2 import PasswordHasher
from flask import g, request_tearing_down
from sqlalchemy import text

from app import create_app
from app.booking.desks import claim_desk
from app.booking.models import Visit, VisitChange, VisitStatus
from app.booking.people import email_key
from app.booking.references import new_reference
from app.booking.states import Channel
from app.database import utcnow
from app.extensions import db
from app.matters.loader import load_catalog
from app.matters.models import Confirmation, Location, Matter, ReceptionWindow, Unit, VisitPolicy

# Browser fixtures live in one module so that every folder shares one Chromium per session.
from tests.browser.fixtures import (  # noqa: F401
    browser,
    live_server,
    page,
    screenshot,
    send_request,
    stored_visits,
)
from tests.sms_gateway import TOKEN, Gateway, serve
from tests.support import require_or_skip, shipped_catalog

POSTGRESQL_URL = os.environ.get("TEST_POSTGRESQL_URL", "postgresql://postgres@127.0.0.1:5432/test")
ENGINES = os.environ.get("WIZYTA_TEST_DATABASES", "sqlite,postgresql").split(",")


@pytest.fixture(scope="session")
def postgresql_database():
    """A database of its own for this test run, dropped at the end."""
    name = f"wizyta_test_{uuid.uuid4().hex[:8]}"
    try:
        admin = psycopg.connect(POSTGRESQL_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        require_or_skip(f"PostgreSQL is not reachable at {POSTGRESQL_URL}: {error}")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = POSTGRESQL_URL.rpartition("/")
    yield {"url": f"{base}/{name}", "schema_ready": False}
    # A connection of its own: a test may have restarted the server meanwhile.
    with psycopg.connect(POSTGRESQL_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=ENGINES)
def engine_name(request) -> str:
    return request.param


@pytest.fixture
def app(request, engine_name, tmp_path):
    if engine_name == "postgresql":
        database = request.getfixturevalue("postgresql_database")
        url = database["url"]
    else:
        url = f"sqlite:///{tmp_path / 'wizyta.sqlite'}"
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test secret",
            "SQLALCHEMY_DATABASE_URI": url,
            "WTF_CSRF_ENABLED": False,
            # Limits stay on (as in production) but high enough not to get in a test's way.
            "BOOKING_RATE_LIMIT": "10000 per minute",
            "LOGIN_RATE_LIMIT": "10000 per minute",
            "HOLDS_PER_SOURCE": 10000,
            # The clock stands still in tests; tests/booking/test_bots.py turns this on.
            "FORM_MIN_FILL_SECONDS": 0,
            # Tests move the clock by days after a login; tests/test_staff_login.py sets these.
            "STAFF_SESSION_IDLE_MINUTES": 60 * 24 * 365,
            "STAFF_SESSION_HOURS": 24 * 365,
        }
    )
    with app.app_context():
        if engine_name == "sqlite" or not database["schema_ready"]:
            db.create_all()
            if engine_name == "postgresql":
                database["schema_ready"] = True
    yield app
    with app.app_context():
        db.session.remove()
        if engine_name == "postgresql":
            tables = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
            with db.engine.begin() as connection:
                connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        db.engine.dispose()


@pytest.fixture
def client(app):
    """The test client. A test's app context outlives its requests (Flask reuses it for them):
    after each request its transaction ends, and the user it found and its language are
    forgotten, as a server does (its app context, and so its session, ends with the request)."""

    def forget(_app, **_extra):
        db.session.rollback()  # a GET's read-only SQLite transaction does not reach the next
        g.pop("_login_user", None)
        g.pop("_flask_babel", None)

    request_tearing_down.connect(forget, app)
    yield app.test_client()
    request_tearing_down.disconnect(forget, app)


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def app_context(app):
    with app.app_context():
        yield


@pytest.fixture
def catalog(app_context):
    """The real catalog from the notice, loaded and committed."""
    load_catalog(shipped_catalog())
    db.session.commit()


# A Monday two weeks into the future of the fixed clock below; the clock sits on a Tuesday.
NOW = "2026-12-01T09:00:00+01:00"


@pytest.fixture
def clock():
    """Freeze time at NOW (a Tuesday, 9:00 in Warsaw); ``clock.move_to(...)`` moves it."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


WEEKDAYS_9_TO_15 = {day: [(time(9), time(15))] for day in range(5)}


@pytest.fixture
def make_matter(app_context):
    """``make_matter(**overrides)``: a matter with one location, committed.

    ``hours`` maps weekday to a list of (opens, closes); the defaults are a simple online,
    auto-confirmed matter received Monday to Friday 9:00–15:00 in 30-minute slots.
    """
    counter = iter(range(1, 1000))

    def make(hours=None, location_slug=None, **overrides) -> Matter:
        n = next(counter)
        location = Location(
            slug=location_slug or f"place-{n}",
            name={"pl": f"Miejsce {n}"},
            address=f"ul. Testowa {n}, 31-000 Kraków",
            entrance={},
            hours=[
                ReceptionWindow(weekday=day, opens=opens, closes=closes)
                for day, windows in (hours or WEEKDAYS_9_TO_15).items()
                for opens, closes in windows
            ],
        )
        values = {
            "slug": f"matter-{n}",
            "title": {"pl": f"Sprawa {n}", "en": f"Matter {n}"},
            "unit": Unit(slug=f"unit-{n}", name={"pl": f"Zespół {n}"}),
            "visit_policy": VisitPolicy.ONLINE,
            "confirmation": Confirmation.AUTO,
            "slot_minutes": 30,
            "desks": 1,
            "lead_days": 1,
            "horizon_days": 30,
            "retention_days": 90,
            "locations": [location],
        } | overrides
        matter = Matter(**values)
        db.session.add(matter)
        db.session.commit()
        return matter

    return make


@pytest.fixture
def make_visit(app_context):
    """``make_visit(matter, start, status=CONFIRMED, location=None, **overrides)``: a visit of a
    person of its own (in English, unless ``language`` says otherwise), written as the product
    writes one: a desk claimed where its state holds one, its history begun; committed."""
    people = itertools.count(1)

    def make(matter, start, status=VisitStatus.CONFIRMED, location=None, **overrides) -> Visit:
        n = next(people)
        values = {
            "reference": new_reference(),
            "matter_id": matter.id,
            "location_id": (location or matter.locations[0]).id,
            "starts_at": start,
            "ends_at": start + matter.slot_length,
            "status": status,
            "name": f"Zofia Wójcik {n}",
            "email": f"osoba{n}@example.pl",
            "phone": f"+48601{n:06d}",
            "language": "en",
            "created_at": utcnow(),
        } | overrides
        visit = Visit(**values)
        visit.email_key = email_key(visit.email) if visit.email else None
        visit.changes.append(VisitChange(actor="citizen", channel=Channel.ONLINE, to_status=status))
        if status.holds_desk:
            claim_desk(visit, matter.desks)
        else:
            db.session.add(visit)
        db.session.commit()
        return visit

    return make


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpRecorder:
    """An aiosmtpd handler that keeps every message it accepts, parsed."""

    def __init__(self):
        self.messages: list[EmailMessage] = []
        self.refuse_with: str | None = None  # e.g. "451 try later" makes the server refuse

    async def handle_DATA(self, _server, _session, envelope):
        if self.refuse_with:
            return self.refuse_with
        message = message_from_bytes(envelope.content, policy=policy.default)
        message.envelope_recipients = list(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"

    def take(self) -> list[EmailMessage]:
        taken, self.messages = self.messages, []
        return taken


@pytest.fixture
def smtp_server():
    """A real SMTP server on loopback; ``smtp_server.handler.messages`` is what arrived."""
    handler = SmtpRecorder()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture(scope="session")
def redis_url():
    """A real Redis server of our own on loopback (nothing kept on disk), for the store that
    several workers share."""
    if shutil.which("redis-server") is None:
        require_or_skip("redis-server is not installed")
    port = free_port()
    server = subprocess.Popen(
        ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", ""]
        + ["--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            if server.poll() is not None:
                pytest.fail("redis-server did not start")
            time_module.sleep(0.05)
    yield f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def mail_to(app, smtp_server):
    """Point the app's outbox sender at the loopback SMTP server."""
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port)
    return smtp_server.handler


@pytest.fixture
def sms_gateway(app):
    """An SMS gateway on loopback (``tests/sms_gateway.py``), and the app's text messages on
    and pointed at it."""
    gateway = Gateway()
    server = serve(gateway)
    app.config.update(
        SMS_TRANSPORT="smsapi",
        SMS_GATEWAY_URL=gateway.url,
        SMS_GATEWAY_TOKEN=TOKEN,
        SMS_SENDER="MUW Krakow",
    )
    yield gateway
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def quick_password_hashes(monkeypatch):
    """Argon2 at its production cost takes most of a second per account and per login on this
    machine; the tests are about the pages, not the hashing (still Argon2id, cheaply)."""
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr("app.accounts.models.PASSWORDS", cheap)


@pytest.fixture
def make_user(app_context):
    """``make_user(role, units=[...], email=..., password=...)``: an account, committed."""
    from app.accounts.models import Role, User

    counter = iter(range(1, 1000))

    def make(role: str, units=(), email=None, password="correct horse battery", **values):
        user = User(
            email=email or f"{role}{next(counter)}@urzad.example",
            role=Role(role),
            units=list(units),
            **values,
        )
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def login(client):
    """``login(user)``: log the test client in through the real login form."""

    def log_in(user, password="correct horse battery"):
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    return log_in


@pytest.fixture
def log_in(client, login):
    """``log_in(user)``: the test client logged in as ``user``, the interface in English."""

    def log_in(user):
        login(user)
        with client.session_transaction() as session:
            session["lang"] = "en"
        return client

    return log_in
