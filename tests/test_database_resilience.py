"""PostgreSQL drops connections (a restart, a fail-over): no request fails for it once the
server is back, and a booking interrupted by it is made once, not lost and not twice."""

import psycopg
import pytest
from sqlalchemy import event, select, text

from app.extensions import db
from app.mail.models import MessageStatus, OutboxMessage
from app.mail.outbox import enqueue
from app.mail.sender import send_due
from tests.conftest import ENGINES
from tests.support import fami_request, fami_slots, visits

pytestmark = pytest.mark.skipif(
    "postgresql" not in ENGINES, reason="PostgreSQL is not among WIZYTA_TEST_DATABASES"
)


@pytest.fixture
def engine_name() -> str:
    return "postgresql"


@pytest.fixture
def server(postgresql_database):
    """A connection of the database's owner, to end the app's connections as a restart does."""
    with psycopg.connect(postgresql_database["url"], autocommit=True) as connection:
        yield connection


def drop_every_other_connection(server) -> int:
    ended = server.execute(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
    ).fetchone()
    return ended[0]


def first_free_start(client) -> str:
    return fami_slots(client)[0]["start"]


def request_visit(client, start: str):
    return client.post("/api/v1/visits", json=fami_request(start, "jan@example.pl"))


def test_after_the_connections_are_dropped_the_next_requests_succeed(client, catalog, server):
    start = first_free_start(client)
    db.session.commit()
    assert drop_every_other_connection(server) >= 1  # the pool's connections are gone

    assert client.get("/api/v1/matters").status_code == 200
    assert request_visit(client, start).status_code == 201
    assert len(visits()) == 1


def test_a_booking_whose_connection_drops_midway_is_made_once(app, client, catalog, server):
    start = first_free_start(client)
    db.session.commit()
    dropped = []

    def drop_on_first_insert(connection, _cursor, statement, *_args):
        if statement.startswith("INSERT INTO visits") and not dropped:
            pid = connection.connection.driver_connection.info.backend_pid
            dropped.append(pid)
            server.execute("SELECT pg_terminate_backend(%s)", [pid])

    event.listen(db.engine, "before_cursor_execute", drop_on_first_insert)
    try:
        answer = request_visit(client, start)
    finally:
        event.remove(db.engine, "before_cursor_execute", drop_on_first_insert)

    assert dropped, "the connection was not dropped"
    assert answer.status_code == 201, answer.get_json()
    (visit,) = visits()
    assert visit.reference == answer.get_json()["reference"]


def test_nothing_waits_forever_for_a_statement_or_a_lock(app_context):
    shown = [
        db.session.execute(text(f"SHOW {setting}")).scalar()
        for setting in ["statement_timeout", "lock_timeout"]
    ]
    assert shown == ["1min", "15s"]


def test_while_the_database_is_down_the_answer_says_to_come_back(
    client, catalog, server, postgresql_database
):
    db.session.commit()
    base, _, name = postgresql_database["url"].rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as maintenance:
        maintenance.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        try:
            drop_every_other_connection(server)
            answer = client.get("/api/v1/matters?lang=en")
            page = client.get("/?lang=en")
        finally:
            maintenance.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')

    assert (answer.status_code, answer.headers["Retry-After"]) == (503, "30")
    assert answer.get_json() == {
        "error": "service_unavailable",
        "message": "The service is briefly unavailable. Nothing was saved; please try again in "
        "a minute.",
    }
    assert page.status_code == 503
    assert client.get("/api/v1/matters").status_code == 200  # and back as soon as it is


def test_a_message_sent_while_the_database_drops_is_marked_sent_once(
    app, app_context, server, mail_to
):
    enqueue("test", "person@example.org", "Message", "Text", "<p>Text</p>")
    db.session.commit()
    app.config["MAIL_CONNECTIONS"] = 1
    dropped = []

    def drop_before_the_outcome(connection, _cursor, statement, *_args):
        # The server has taken the message; the connection goes before its outcome is written.
        outcome = statement.startswith("UPDATE outbox_messages") and "attempts=" in statement
        if outcome and not dropped:
            dropped.append(connection.connection.driver_connection.info.backend_pid)
            server.execute("SELECT pg_terminate_backend(%s)", dropped)

    event.listen(db.engine, "before_cursor_execute", drop_before_the_outcome)
    try:
        report = send_due()
    finally:
        event.remove(db.engine, "before_cursor_execute", drop_before_the_outcome)

    assert dropped and report.sent == 1
    (message,) = db.session.scalars(select(OutboxMessage)).all()
    assert (message.status, message.attempts) == (MessageStatus.SENT, 1)
    assert len(mail_to.messages) == 1  # and it will not go again
