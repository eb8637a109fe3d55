"""The outbox when things go wrong: an SMTP outage, refusals, two senders at once, a sender
killed mid-batch, and the development default without a server. Nothing is lost, nothing is
sent twice."""

import asyncio
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
from collections import Counter
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from sqlalchemy import select

from app.booking.models import Visit, VisitStatus
from app.booking.references import new_reference
from app.database import utcnow
from app.extensions import db
from app.mail.models import MessageStatus, OutboxMessage
from app.mail.outbox import enqueue
from app.mail.sender import LONGEST_RETRY_DELAY, send_due
from tests.support import at_once

PROJECT_ROOT = Path(__file__).resolve().parents[2]
WARSAW = ZoneInfo("Europe/Warsaw")
PENDING, SENDING, SENT, FAILED = (
    MessageStatus.PENDING,
    MessageStatus.SENDING,
    MessageStatus.SENT,
    MessageStatus.FAILED,
)


def unused_port() -> int:
    """A loopback port nobody listens on (connecting to it is refused) until a test does."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def queue_messages(count: int) -> list[str]:
    """``count`` messages in the outbox, committed; their Message-IDs in sending order."""
    rows = [
        enqueue("test", f"person{n}@example.org", f"Message {n}", f"Text {n}", f"<p>{n}</p>")
        for n in range(count)
    ]
    message_ids = [row.message_id for row in rows]
    db.session.commit()
    return message_ids


def outbox() -> list[OutboxMessage]:
    db.session.expire_all()
    return db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()


def send():
    """One sender run in the test's app context (its transaction ended first)."""
    db.session.commit()
    return send_due()


def arrived(recorder) -> list[str]:
    return [message["Message-ID"] for message in recorder.messages]


def run_scheduler_once(runner) -> None:
    db.session.commit()  # on SQLite an open transaction here would block the scheduler
    result = runner.invoke(args=["scheduler", "run-once"])
    assert result.exit_code == 0, result.output


def requested_visit(matter, start: datetime) -> str:
    reference = new_reference()
    db.session.add(
        Visit(
            reference=reference,
            matter=matter,
            location=matter.locations[0],
            starts_at=start,
            ends_at=start + matter.slot_length,
            desk=1,
            status=VisitStatus.REQUESTED,
            name="Jan Nowak",
            email=f"{reference.lower()}@example.org",
            created_at=utcnow(),
        )
    )
    db.session.commit()
    return reference


def test_an_smtp_outage_loses_nothing_and_sends_everything_once(
    app, runner, make_matter, clock, request
):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=unused_port(), MAIL_RETRY_BASE_SECONDS=10)
    matter = make_matter()
    for hour in (10, 11, 12):  # Thursday: no reminder is due yet
        requested_visit(matter, datetime(2026, 12, 3, hour, tzinfo=WARSAW))

    waited = []
    for attempt in (1, 2, 3):
        run_scheduler_once(runner)
        first, *others = outbox()
        assert first.kind == "confirmation"
        assert (first.status, first.attempts) == (PENDING, attempt)
        assert "ConnectionRefusedError" in first.last_error
        # The server is unreachable: the run stops after one try and leaves the rest alone.
        assert [(row.kind, row.status, row.attempts) for row in others] == [
            ("confirmation", PENDING, 0)
        ] * 2
        waited.append((first.next_attempt_at - utcnow()).total_seconds())
        clock.move_to(first.next_attempt_at)
    assert waited == [10, 20, 40]
    assert {visit.status for visit in db.session.scalars(select(Visit))} == {VisitStatus.CONFIRMED}

    recorder = request.getfixturevalue("mail_to")  # the server is back
    run_scheduler_once(runner)
    rows = outbox()
    assert [row.status for row in rows] == [SENT] * 3
    assert sorted(arrived(recorder)) == sorted(row.message_id for row in rows)

    clock.shift(timedelta(hours=1))
    run_scheduler_once(runner)
    assert len(recorder.messages) == 3


def test_an_outage_longer_than_the_retry_budget_fails_no_message(app, app_context, clock, request):
    app.config.update(
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=unused_port(),
        MAIL_MAX_ATTEMPTS=3,
        MAIL_RETRY_BASE_SECONDS=10,
    )
    message_ids = queue_messages(2)
    for _ in range(12):  # a long night: each run tries the oldest message once
        send()
        clock.shift(timedelta(hours=1))

    first, second = outbox()
    assert (first.status, first.attempts) == (PENDING, 12)
    assert (second.status, second.attempts) == (PENDING, 0)
    # However long the outage, the next try is never further off than the longest delay.
    assert first.next_attempt_at <= utcnow() + LONGEST_RETRY_DELAY

    recorder = request.getfixturevalue("mail_to")
    clock.shift(LONGEST_RETRY_DELAY)
    send()
    assert Counter(arrived(recorder)) == Counter(message_ids)


class Inbox:
    """A loopback server's handler that keeps what it accepts."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, _server, _session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        message.envelope_recipients = list(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"


@pytest.fixture
def start_server(app):
    """``start_server(**smtp_options)``: a loopback server of its own the app sends to; returns
    its ``Inbox``."""
    controllers = []

    def start(**smtp_options) -> Inbox:
        inbox = Inbox()
        controller = Controller(inbox, hostname="127.0.0.1", port=unused_port(), **smtp_options)
        controller.start()
        controllers.append(controller)
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
        return inbox

    yield start
    for controller in controllers:
        controller.stop()


def test_a_server_that_refuses_the_login_fails_no_message(app, app_context, start_server, clock):
    def authenticate(_server, _session, _envelope, _mechanism, login):
        return AuthResult(success=login.password == b"right", handled=False)

    inbox = start_server(authenticator=authenticate, auth_require_tls=False)
    app.config.update(MAIL_USERNAME="wizyta", MAIL_PASSWORD="wrong", MAIL_RETRY_BASE_SECONDS=10)
    message_ids = queue_messages(3)

    send()
    rows = outbox()
    # Nothing is wrong with the messages: they wait, and the run stops after the first try.
    assert [(row.status, row.attempts) for row in rows] == [(PENDING, 1)] + [(PENDING, 0)] * 2
    assert "535" in rows[0].last_error

    app.config["MAIL_PASSWORD"] = "right"
    clock.move_to(rows[0].next_attempt_at)
    send()
    assert Counter(arrived(inbox)) == Counter(message_ids)


@pytest.mark.parametrize(
    ("server_takes_utf8", "status"),
    [
        pytest.param(True, SENT, id="SMTPUTF8 server"),
        pytest.param(False, FAILED, id="ASCII server"),
    ],
)
def test_an_address_with_polish_letters(app, app_context, start_server, server_takes_utf8, status):
    inbox = start_server(enable_SMTPUTF8=server_takes_utf8)
    enqueue("test", "józef@example.org", "Wizyta", "Tekst", "<p>Tekst</p>")
    (other,) = queue_messages(1)

    send()

    to_jozef, to_other = outbox()
    assert (to_jozef.status, to_jozef.attempts) == (status, 1)
    assert to_other.status is SENT  # the first one did not stop the batch
    assert other in arrived(inbox)
    if server_takes_utf8:
        (received,) = [m for m in inbox.messages if m["Message-ID"] == to_jozef.message_id]
        assert received["To"] == "józef@example.org"
        assert received.envelope_recipients == ["józef@example.org"]
    else:
        assert "SMTPUTF8" in to_jozef.last_error


@pytest.mark.parametrize(
    ("answer", "status", "retried"),
    [
        pytest.param("451 try later", PENDING, True, id="4xx retries"),
        pytest.param("550 no such user", FAILED, False, id="5xx fails at once"),
    ],
)
def test_a_refused_message(app, app_context, mail_to, clock, answer, status, retried):
    app.config["MAIL_RETRY_BASE_SECONDS"] = 10
    message_ids = queue_messages(2)
    mail_to.refuse_with = answer

    report = send()
    rows = outbox()
    # The server answered, so the batch went on: each message had exactly one try.
    assert [(row.status, row.attempts) for row in rows] == [(status, 1)] * 2
    code, text = answer.split(" ", 1)
    assert all(code in row.last_error and text in row.last_error for row in rows)
    assert (report.sent, report.retrying + report.failed) == (0, 2)
    if retried:
        assert {row.next_attempt_at for row in rows} == {utcnow() + timedelta(seconds=10)}

    mail_to.refuse_with = None
    clock.shift(timedelta(days=1))
    send()
    assert arrived(mail_to) == (message_ids if retried else [])


def test_after_the_last_attempt_a_message_fails_with_its_error(app, app_context, mail_to, clock):
    app.config.update(MAIL_MAX_ATTEMPTS=3, MAIL_RETRY_BASE_SECONDS=10)
    queue_messages(1)
    mail_to.refuse_with = "451 try later"

    statuses = []
    for _ in range(3):
        send()
        (row,) = outbox()
        statuses.append((row.status, row.attempts))
        clock.move_to(row.next_attempt_at)
    assert statuses == [(PENDING, 1), (PENDING, 2), (FAILED, 3)]
    assert "451" in row.last_error and "try later" in row.last_error

    mail_to.refuse_with = None
    clock.shift(timedelta(days=1))
    send()
    assert mail_to.messages == []
    assert outbox()[0].status is FAILED


def test_two_senders_at_once_send_each_message_once(app, app_context, mail_to):
    message_ids = queue_messages(30)
    db.session.commit()

    reports = at_once(app, lambda _index: send_due())

    assert sum(report.sent for report in reports) == 30
    assert Counter(arrived(mail_to)) == Counter(message_ids)
    assert {row.status for row in outbox()} == {SENT}


class HoldOne:
    """Makes the loopback server hold the ``number``-th message until ``release`` is set and
    then refuse it: the server never accepts it."""

    def __init__(self, recorder, number: int):
        self.accept = recorder.handle_DATA
        self.number = number
        self.seen = 0
        self.reached = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.seen += 1
        if self.seen != self.number:
            return await self.accept(server, session, envelope)
        self.reached.set()
        await asyncio.get_running_loop().run_in_executor(None, self.release.wait)
        return "451 try again later"


def start_sender_process(app, smtp_port: int, lease_seconds: int) -> subprocess.Popen:
    """``flask scheduler run-once`` in a process of its own, on the test's database."""
    environment = os.environ | {
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "SECRET_KEY": app.config["SECRET_KEY"],
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp_port),
        "MAIL_LEASE_SECONDS": str(lease_seconds),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "scheduler", "run-once"],
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_a_sender_killed_mid_batch_sends_no_duplicate(
    app, app_context, smtp_server, mail_to, monkeypatch
):
    # No frozen clock here: the sender process lives in real time.
    message_ids = queue_messages(8)
    hold = HoldOne(mail_to, number=5)
    monkeypatch.setattr(mail_to, "handle_DATA", hold.handle_DATA)
    db.session.commit()

    sender = start_sender_process(app, smtp_server.port, lease_seconds=60)
    try:
        while not hold.reached.wait(timeout=0.05):
            if sender.poll() is not None:
                pytest.fail(f"the sender ended before the 5th message:\n{sender.stdout.read()}")
        os.kill(sender.pid, signal.SIGKILL)  # while the server holds the 5th message
        sender.wait(timeout=10)
    finally:
        hold.release.set()
        if sender.poll() is None:
            sender.kill()
            sender.wait()
        sender.stdout.close()
    assert sender.returncode == -signal.SIGKILL
    assert arrived(mail_to) == message_ids[:4]
    rows = outbox()
    assert [row.status for row in rows] == [SENT] * 4 + [SENDING] + [PENDING] * 3
    lease_until = rows[4].lease_until

    # Another sender now: the dead one's claim still holds the 5th, the rest goes.
    send()
    assert arrived(mail_to) == message_ids[:4] + message_ids[5:]
    assert outbox()[4].status is SENDING

    # Once the lease is over, the 5th goes too: every message arrived exactly once.
    with time_machine.travel(lease_until + timedelta(seconds=1), tick=False):
        send()
    assert Counter(arrived(mail_to)) == Counter(message_ids)
    rows = outbox()
    assert [row.status for row in rows] == [SENT] * 8
    assert rows[4].attempts == 2


def test_without_a_server_messages_become_eml_files(app, app_context, tmp_path, caplog):
    app.config["MAIL_SERVER"] = None
    app.instance_path = str(tmp_path / "instance")
    message_ids = queue_messages(2)

    with caplog.at_level(logging.INFO, logger="app.mail.transport"):
        report = send()

    assert report.sent == 2
    files = sorted((tmp_path / "instance" / "mail").glob("*.eml"))
    written = [message_from_bytes(path.read_bytes(), policy=policy.default) for path in files]
    assert sorted(message["Message-ID"] for message in written) == sorted(message_ids)
    assert {message.get_body(("plain",)).get_content().strip() for message in written} == {
        "Text 0",
        "Text 1",
    }
    assert all(str(path) in caplog.text for path in files)  # the log says where to look
    assert [row.status for row in outbox()] == [SENT] * 2
