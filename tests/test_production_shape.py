"""The production shape, for real: two gunicorn instances and two schedulers on one PostgreSQL
and one Redis, e-mail to an SMTP server. Bookings and races go through both instances while
PostgreSQL restarts. Nothing is over-booked, no booking is made twice or lost, every message
goes out exactly once, and once the server is back no request fails.

It restarts the machine's PostgreSQL cluster (``pg_ctlcluster``), so it runs where that is
allowed (CI); elsewhere it is skipped.
"""

import itertools
import os
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest
import requests

from app import PROJECT_ROOT
from tests.conftest import ENGINES, POSTGRESQL_URL, free_port
from tests.support import fami_request, fami_slots_query, require_or_skip

CLUSTER = ["pg_ctlcluster", "--skip-systemctl-redirect"]
INSTANCES = 2
RACERS = 12  # for one slot's desks, half through each instance


def cluster_version() -> str | None:
    versions = os.listdir("/etc/postgresql") if os.path.isdir("/etc/postgresql") else []
    return versions[0] if len(versions) == 1 else None


@pytest.fixture
def database():
    """A database of its own, migrated and with the catalog, as an office sets one up."""
    if "postgresql" not in ENGINES:
        pytest.skip("PostgreSQL is not among WIZYTA_TEST_DATABASES")
    if shutil.which("pg_ctlcluster") is None or cluster_version() is None or os.geteuid() != 0:
        require_or_skip("restarting PostgreSQL needs pg_ctlcluster and root")
    name = f"wizyta_shape_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(POSTGRESQL_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = f"{POSTGRESQL_URL.rpartition('/')[0]}/{name}"
    for command in (["db", "upgrade"], ["catalog", "load"]):
        subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", *command],
            cwd=PROJECT_ROOT,
            env=os.environ | {"DATABASE_URL": url},
            check=True,
            capture_output=True,
            timeout=120,
        )
    yield url
    with psycopg.connect(POSTGRESQL_URL, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def office(database, redis_url, smtp_server, tmp_path):
    """The processes: ``INSTANCES`` gunicorn instances (two workers each), two schedulers.
    Yields the instances' base URLs."""
    environment = os.environ | {
        "DATABASE_URL": database,
        "SECRET_KEY": "one key for every machine",
        "RATELIMIT_STORAGE_URI": redis_url,
        "BOOKING_RATE_LIMIT": "100000 per minute",
        "HOLDS_PER_SOURCE": "100000",
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp_server.port),
        "MAIL_RETRY_BASE_SECONDS": "1",
        # A claim a sender could not finish while the database was away runs out soon.
        "MAIL_LEASE_SECONDS": "20",
        "WEB_CONCURRENCY": "2",
        "FLASK_APP": "wsgi",
    }
    ports = [free_port() for _ in range(INSTANCES)]
    processes = []
    for port in ports:
        metrics = tmp_path / f"metrics-{port}"  # each machine sums its own workers' counts
        metrics.mkdir()
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:app"],
                cwd=PROJECT_ROOT,
                env=environment
                | {"GUNICORN_BIND": f"127.0.0.1:{port}", "PROMETHEUS_MULTIPROC_DIR": str(metrics)},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
    processes += [
        subprocess.Popen(
            [sys.executable, "-m", "flask", "scheduler", "run"],
            cwd=PROJECT_ROOT,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(2)
    ]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for url in urls:
            assert wait_for(lambda url=url: ready(url), 60), f"{url} did not become ready"
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=60)


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def ready(url: str) -> bool:
    try:
        return requests.get(f"{url}/readyz", timeout=5).status_code == 200
    except requests.RequestException:  # not listening yet, or its workers still starting
        return False


def free_starts(url: str) -> list[dict]:
    answer = requests.get(f"{url}/api/v1/matters/fami/slots?{fami_slots_query(30)}", timeout=10)
    return answer.json()["slots"]


people = itertools.count()


def request_visit(url: str, start: str) -> tuple[str, int, float]:
    """(the e-mail it was for, the status, when it was sent); a status of 0: no answer."""
    email = f"osoba{next(people)}@example.pl"
    sent = time.monotonic()
    try:
        status = requests.post(
            f"{url}/api/v1/visits", json=fami_request(start, email), timeout=30
        ).status_code
    except requests.RequestException:
        status = 0
    return email, status, sent


def restart_postgresql() -> float:
    """Restart the cluster (every connection dropped); when it takes connections again."""
    version = cluster_version()
    subprocess.run([*CLUSTER, version, "main", "restart", "-m", "fast"], check=True, timeout=120)
    assert wait_for(
        lambda: subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"]).returncode == 0, 60
    )
    return time.monotonic()


def stored_visits(database: str) -> dict[str, tuple]:
    with psycopg.connect(database) as connection:
        rows = connection.execute("SELECT email, starts_at, desk, status FROM visits").fetchall()
    emails = Counter(row[0] for row in rows)
    assert all(count == 1 for count in emails.values()), "a request became two visits"
    return {row[0]: row[1:] for row in rows}


def over_booked(database: str) -> list[tuple]:
    """Slots with more visits holding a desk than the matter has desks."""
    with psycopg.connect(database) as connection:
        return connection.execute(
            "SELECT v.starts_at, count(*) FROM visits v JOIN matters m ON m.id = v.matter_id "
            "WHERE v.desk IS NOT NULL GROUP BY v.starts_at, m.desks HAVING count(*) > m.desks"
        ).fetchall()


def waiting_messages(database: str) -> int:
    with psycopg.connect(database) as connection:
        return connection.execute(
            "SELECT count(*) FROM outbox_messages WHERE status IN ('pending', 'sending')"
        ).fetchone()[0]


def test_two_instances_and_two_schedulers_through_a_postgresql_restart(
    office, database, smtp_server
):
    slots = free_starts(office[0])
    contested, *others = slots
    answers = []

    # A race for one slot's desks, through both instances at once.
    with ThreadPoolExecutor(RACERS) as pool:
        answers += pool.map(
            lambda n: request_visit(office[n % INSTANCES], contested["start"]), range(RACERS)
        )
    statuses = Counter(status for _email, status, _sent in answers)
    assert statuses == {201: contested["free"], 409: RACERS - contested["free"]}

    # A steady stream of bookings of other times, through both instances, while the server
    # restarts in the middle of it.
    stream, stop = [], threading.Event()

    def book_steadily(instance: int) -> None:
        for slot in others[instance::INSTANCES]:
            if stop.is_set():
                return
            stream.append(request_visit(office[instance], slot["start"]))
            time.sleep(0.05)

    workers = [threading.Thread(target=book_steadily, args=(n,)) for n in range(INSTANCES)]
    for worker in workers:
        worker.start()
    time.sleep(2)
    back_at = restart_postgresql()
    time.sleep(3)
    stop.set()
    for worker in workers:
        worker.join(timeout=120)
    answers += stream

    after_restart = [status for _email, status, sent in stream if sent > back_at]
    assert after_restart, "no request was made after the restart"
    assert all(status in (201, 409) for status in after_restart), Counter(after_restart)
    during = [status for _email, status, sent in stream if sent <= back_at]
    assert all(status in (201, 409, 503) for status in during), Counter(during)

    visits = stored_visits(database)
    made = {email for email, status, _sent in answers if status == 201}
    refused = {email for email, status, _sent in answers if status == 409}
    assert made <= set(visits)  # every booking confirmed to its requester is stored
    assert not refused & set(visits)  # and a refused one is not
    assert over_booked(database) == []

    # Each visit's verification e-mail arrives once: both schedulers send, none twice.
    assert wait_for(lambda: waiting_messages(database) == 0, 120)
    arrived = Counter(
        recipient
        for message in smtp_server.handler.messages
        for recipient in message.envelope_recipients
    )
    assert arrived == Counter(set(visits))
