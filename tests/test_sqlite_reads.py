"""On SQLite, pages and lists are read while a writer holds the write lock (WAL): only what
may write waits for it."""

import sqlite3
import threading

import pytest

from app.extensions import db


@pytest.fixture
def engine_name() -> str:
    return "sqlite"


@pytest.fixture
def writer(app, catalog):
    """Another process's connection in the middle of a write, holding SQLite's write lock."""
    db.session.commit()
    path = db.engine.url.database
    connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("UPDATE matters SET desks = desks WHERE slug = 'fami'")
    yield connection
    connection.execute("ROLLBACK")
    connection.close()


def test_reads_do_not_wait_for_a_writer(client, writer):
    for url in ["/", "/matters/fami", "/api/v1/matters", "/privacy"]:
        assert client.get(url).status_code == 200, url


def test_a_write_waits_for_the_writer_and_then_goes_through(app, client, writer):
    answers = []
    posting = threading.Thread(
        target=lambda: answers.append(
            app.test_client().post("/api/v1/visits", json={"matter": "fami"}).status_code
        )
    )
    posting.start()
    posting.join(timeout=1)
    assert posting.is_alive()  # queued behind the writer, not refused
    writer.execute("COMMIT")
    writer.execute("BEGIN")  # for the fixture's rollback
    posting.join(timeout=30)
    assert answers == [422]
