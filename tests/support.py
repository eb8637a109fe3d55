"""Helpers shared by the test folders: the office's wall clock, the shipped catalog, work in
threads at once, bookings made as the doors make them, the scheduler's runs, fresh reads of
visits and the audit log. Pages: tests/pages.py; e-mails: tests/mails.py."""

import copy
import functools
import os
import re
import subprocess
import sys
import threading
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.accounts.models import AuditEntry
from app.booking import operations
from app.booking.desks import SlotTaken
from app.booking.models import Visit
from app.booking.states import Channel
from app.database import utcnow
from app.extensions import db
from app.matters.loader import read_catalog

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
PROJECT_ROOT = Path(__file__).resolve().parents[1]
WARSAW = ZoneInfo("Europe/Warsaw")  # the office's wall clock
REFERENCE = re.compile(r"WP-[23456789ABCDEFGHJKMNPQRSTWXYZ]{6}")  # a visit's, as people read it


def warsaw(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A wall-clock time in Warsaw, as the office's hours and its pages give one."""
    return datetime(year, month, day, hour, minute, tzinfo=WARSAW)


@functools.cache
def _parsed_catalog() -> dict:
    return read_catalog()


def shipped_catalog() -> dict:
    """The catalog file shipped with the app (app/matters/catalog.yaml), parsed once per test
    session (a parse takes about 75 ms; a copy, half a millisecond). Each caller gets a copy of
    its own: the loader keeps the file's dicts in the models it fills, and tests edit them."""
    return copy.deepcopy(_parsed_catalog())


def require_or_skip(reason: str):
    """Skip a test whose service or browser is missing, except under CI, where it fails."""
    if IN_CI:
        pytest.fail(f"required under CI: {reason}")
    pytest.skip(reason)


def at_once(app, job, count: int = 2) -> list:
    """Run ``job(index)`` in ``count`` threads, each in an app context (and so a database
    connection) of its own, started together; what each returned, in order."""
    barrier = threading.Barrier(count)
    results, errors = [None] * count, []

    def work(index: int) -> None:
        with app.app_context():
            try:
                barrier.wait(timeout=10)
                results[index] = job(index)
            except Exception as error:  # reported below, in the test's thread
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=work, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert not any(thread.is_alive() for thread in threads)
    return results


def race_for_desks(app, contenders: int, book) -> list[str]:
    """``contenders`` threads run ``book(index)`` at once and commit: "won" for each that got
    a desk, "taken" for each the database turned away."""

    def contend(index: int) -> str:
        try:
            book(index)
            db.session.commit()
        except SlotTaken:
            db.session.rollback()
            return "taken"
        return "won"

    return at_once(app, contend, contenders)


def start_flask_command(app, *arguments: str, **environment: str) -> subprocess.Popen:
    """``flask --app wsgi <arguments>`` in a process of its own, on the test's database and
    secret key, with ``environment`` besides; its output (both streams) as text."""
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", *arguments],
        cwd=PROJECT_ROOT,
        env=os.environ
        | {
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "SECRET_KEY": app.config["SECRET_KEY"],
        }
        | environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def run_job(job) -> int:
    """Run a scheduler job now, as the scheduler would, and forget what the session knew; how
    many rows it handled. The test's transaction ends first: SQLite lets one writer in."""
    db.session.commit()
    done = job(utcnow())
    db.session.expire_all()
    return done


def run_scheduler_once(runner) -> list[str]:
    """``flask scheduler run-once``, as cron runs it; what each job did, a line each."""
    db.session.commit()  # on SQLite an open transaction here would block the command
    result = runner.invoke(args=["scheduler", "run-once"])
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def book_by_phone(matter, location_slug: str, start, caller, operator, now=None):
    """A visit an infoline operator books for a caller, as the infoline screen does."""
    actor = operations.Actor.office(operator, Channel.INFOLINE)
    return operations.book(matter, location_slug, start, caller, actor, now or utcnow())


def request_online(matter, location_slug: str, start, visitor, now=None):
    """A citizen's online request (held until the e-mail link), as the form and the API do."""
    return operations.book(
        matter, location_slug, start, visitor, operations.CITIZEN, now or utcnow()
    )


def fresh(entity):
    """``entity`` as the database has it now (after a request committed or rolled back)."""
    db.session.expire_all()
    return db.session.get(type(entity), entity.id)


def visits() -> list[Visit]:
    """Every visit as the database has it now, oldest first."""
    db.session.expire_all()
    return list(db.session.scalars(select(Visit).order_by(Visit.id)))


def visit_by(reference: str) -> Visit:
    """The visit with ``reference`` as the database has it now."""
    db.session.expire_all()
    return db.session.scalar(select(Visit).where(Visit.reference == reference))


def audit_entries(action: str | None = None) -> list[AuditEntry]:
    """The audit log in order, without the logins a test makes; only ``action``'s if given."""
    query = select(AuditEntry).where(AuditEntry.action != "login").order_by(AuditEntry.id)
    if action:
        query = query.where(AuditEntry.action == action)
    return list(db.session.scalars(query))


# --- The public API's FAMI requests, for tests that book through HTTP ------------------------


def fami_slots_query(days: int = 14) -> str:
    """The query string for FAMI's free times in Kraków from today, ``days`` days on."""
    first, last = date.today(), date.today() + timedelta(days=days)
    return f"location=fami-krakow&from={first}&to={last}"


def fami_slots(client, days: int = 14) -> list[dict]:
    """FAMI's free times in Kraków, as ``GET /api/v1/matters/fami/slots`` lists them."""
    return client.get(f"/api/v1/matters/fami/slots?{fami_slots_query(days)}").get_json()["slots"]


def fami_request(start: str, email: str, **fields: str) -> dict:
    """The body of ``POST /api/v1/visits`` for Jan Kowalski's FAMI visit in Kraków."""
    body = {"matter": "fami", "location": "fami-krakow", "start": start, "name": "Jan Kowalski"}
    return body | {"email": email} | fields
