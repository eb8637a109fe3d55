"""The outbox when things go wrong: an SMTP outage, a server that takes no message (login,
sender or session refused), refusals of one recipient or one message, a dropped connection, a
sender killed mid-run, and the development default without a server. Nothing is lost, nothing
is sent twice, and only a message's own refusal fails it."""

import asyncio
import logging
import os
import signal
import subprocess
import threading
from collections import Counter
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from zoneinfo import ZoneInfo

import pytest
import time_machine
from markupsafe import escape
from sqlalchemy import select

from app.booking.models import Visit, VisitStatus
from app.booking.references import new_reference
from app.database import utcnow
from app.extensions import db
from app.mail import sender
from app.mail.models import Medium, PauseCause
from app.mail.outbox import enqueue
from app.mail.sender import LONGEST_RETRY_DELAY
from tests.mail.outbox_support import (
    FAILED,
    PASSWORD,
    PENDING,
    SENDING,
    SENT,
    Server,
    arrived,
    outbox,
    pauses,
    queue_messages,
    send,
    unused_port,
)
from tests.support import start_flask_command

WARSAW = ZoneInfo("Europe/Warsaw")


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


def test_an_smtp_outage_pauses_sending_and_loses_nothing(
    app, runner, make_matter, clock, start_server
):
    port = unused_port()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_RETRY_BASE_SECONDS=10)
    matter = make_matter()
    for hour in (10, 11, 12):  # Thursday: no reminder is due yet
        requested_visit(matter, datetime(2026, 12, 3, hour, tzinfo=WARSAW))

    waited = []
    for _ in range(3):
        run_scheduler_once(runner)
        # The server is unreachable: no message spent an attempt; the queue waits.
        assert [(row.kind, row.status, row.attempts) for row in outbox()] == [
            ("confirmation", PENDING, 0)
        ] * 3
        (pause,) = pauses()
        assert (pause.cause, pause.ended_at) == (PauseCause.UNAVAILABLE, None)
        assert "ConnectionRefusedError" in pause.reason
        waited.append((pause.probe_at - utcnow()).total_seconds())
        clock.move_to(pause.probe_at)
    assert waited == [10, 20, 40]  # the paused server is probed less and less often
    assert {visit.status for visit in db.session.scalars(select(Visit))} == {VisitStatus.CONFIRMED}

    server = start_server(port=port)  # the server is back
    run_scheduler_once(runner)
    rows = outbox()
    assert [(row.status, row.attempts) for row in rows] == [(SENT, 1)] * 3
    assert sorted(arrived(server)) == sorted(row.message_id for row in rows)
    assert pauses()[0].ended_at == utcnow()

    clock.shift(timedelta(hours=1))
    run_scheduler_once(runner)
    assert len(server.messages) == 3


def test_an_outage_longer_than_the_retry_days_fails_no_message(
    app, app_context, clock, start_server
):
    port = unused_port()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    message_ids = queue_messages(2)
    for _ in range(6 * 24):  # six days and nights of hourly runs, beyond MAIL_RETRY_DAYS
        send()
        clock.shift(timedelta(hours=1))

    assert [(row.status, row.attempts) for row in outbox()] == [(PENDING, 0)] * 2
    (pause,) = pauses()
    # However long the outage, the server is probed at least this often.
    assert pause.probe_at <= utcnow() + LONGEST_RETRY_DELAY

    server = start_server(port=port)
    clock.shift(LONGEST_RETRY_DELAY)
    send()
    assert Counter(arrived(server)) == Counter(message_ids)


def refusing(command: str, answer: str):
    """A fault: the server answers ``command`` with ``answer`` until it is fixed."""

    def fault(_app, start_server):
        server = start_server()
        server.answers[command] = answer

        def fix() -> Server:
            server.answers.clear()
            return server

        return fix

    return fault


def wrong_password(app, start_server):
    server = start_server(login=True)
    app.config.update(MAIL_USERNAME="wizyta", MAIL_PASSWORD="wrong")

    def fix() -> Server:
        app.config["MAIL_PASSWORD"] = PASSWORD
        return server

    return fix


def no_starttls(app, start_server):
    server = start_server()
    app.config["MAIL_USE_TLS"] = True  # the loopback server offers no STARTTLS

    def fix() -> Server:
        app.config["MAIL_USE_TLS"] = False
        return server

    return fix


def unreachable(app, start_server):
    port = unused_port()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    return lambda: start_server(port=port)


FAULTS = [
    pytest.param(
        refusing("MAIL", "530 5.7.0 Authentication required"),
        PauseCause.LOGIN,
        "MAIL FROM refused: 530 5.7.0 Authentication required",
        id="530 to MAIL FROM",
    ),
    pytest.param(
        wrong_password,
        PauseCause.LOGIN,
        "SMTPAuthenticationError: 535 5.7.8 Authentication credentials invalid",
        id="535 on login",
    ),
    pytest.param(no_starttls, PauseCause.LOGIN, "STARTTLS", id="no STARTTLS"),
    pytest.param(
        refusing("MAIL", "550 5.7.1 Sender address rejected: not owned by user"),
        PauseCause.SENDER,
        "MAIL FROM refused: 550 5.7.1 Sender address rejected",
        id="5xx to MAIL FROM",
    ),
    pytest.param(
        refusing("MAIL", "451 4.3.0 Temporary local problem"),
        PauseCause.SENDER,
        "MAIL FROM refused: 451 4.3.0",
        id="4xx to MAIL FROM",
    ),
    pytest.param(
        refusing("MAIL", "421 4.3.2 Service shutting down"),
        PauseCause.UNAVAILABLE,
        "421 4.3.2 Service shutting down",
        id="421 to MAIL FROM",
    ),
    pytest.param(
        refusing("RCPT", "421 4.7.0 Too many errors on this connection"),
        PauseCause.UNAVAILABLE,
        "RCPT TO refused: 421 4.7.0",
        id="421 to RCPT TO",
    ),
    pytest.param(
        refusing("DATA", "421 4.4.2 Connection timed out"),
        PauseCause.UNAVAILABLE,
        "DATA refused: 421 4.4.2",
        id="421 to DATA",
    ),
    pytest.param(
        refusing("RCPT", "530 5.7.1 <person0@example.org>: relay needs authentication"),
        PauseCause.LOGIN,
        "RCPT TO refused: 530 5.7.1 <…>: relay needs authentication",
        id="530 to RCPT TO",
    ),
    pytest.param(unreachable, PauseCause.UNAVAILABLE, "ConnectionRefusedError", id="unreachable"),
]


def admin_start_page(client) -> str:
    return " ".join(client.get("/admin/").get_data(as_text=True).split())


@pytest.mark.parametrize(("fault", "cause", "reason"), FAULTS)
def test_a_server_that_takes_no_message_pauses_the_queue_until_it_takes_one(
    app, app_context, client, make_user, login, start_server, clock, fault, cause, reason
):
    login(make_user("admin"))
    client.get("/admin/?lang=en")
    app.config["MAIL_RETRY_BASE_SECONDS"] = 10
    fix = fault(app, start_server)
    message_ids = queue_messages(3)

    report = send()
    assert report.paused and (report.sent, report.retrying, report.failed) == (0, 0, 0)
    # Nothing is wrong with the messages: none spent an attempt, failed or stays claimed.
    assert [(row.status, row.attempts, row.lease_until) for row in outbox()] == [
        (PENDING, 0, None)
    ] * 3
    (pause,) = pauses()
    assert (pause.cause, pause.ended_at, pause.probes) == (cause, None, 0)
    assert reason in pause.reason and "@" not in pause.reason
    assert pause.probe_at == utcnow() + timedelta(seconds=10)
    page = admin_start_page(client)
    assert "Sending e-mail is paused" in page and escape(pause.reason) in page
    assert "3 messages wait to be sent. 0 messages have failed." in page

    clock.shift(timedelta(seconds=9))  # before its time nobody probes the server
    assert send().paused
    assert pauses()[0].probes == 0

    clock.move_to(pause.probe_at)  # still refused: the next probe waits twice as long
    assert send().paused
    (pause,) = pauses()
    assert (pause.probes, pause.probe_at) == (1, utcnow() + timedelta(seconds=20))
    assert [(row.status, row.attempts) for row in outbox()] == [(PENDING, 0)] * 3

    server = fix()
    clock.move_to(pause.probe_at)
    report = send()
    assert (report.sent, report.paused) == (3, False)
    assert Counter(arrived(server)) == Counter(message_ids)  # each exactly once
    (pause,) = pauses()
    assert (pause.ended_at, pause.current) == (utcnow(), None)
    assert [(row.status, row.attempts) for row in outbox()] == [(SENT, 1)] * 3
    page = admin_start_page(client)
    assert "paused" not in page and "0 messages wait to be sent." in page


def test_a_refused_recipient_fails_only_its_message(app, app_context, start_server, caplog):
    server = start_server()
    server.answers["RCPT person1@example.org"] = (
        "550 5.1.1 <person1@example.org>: Recipient address rejected"
    )
    message_ids = queue_messages(3)

    with caplog.at_level(logging.INFO):
        report = send()

    assert (report.sent, report.failed, report.paused) == (2, 1, False)
    rows = outbox()
    assert [(row.status, row.attempts) for row in rows] == [(SENT, 1), (FAILED, 1), (SENT, 1)]
    assert rows[1].last_error == "RCPT TO refused: 550 5.1.1 <…>: Recipient address rejected"
    assert rows[1].failed_at is not None and rows[1].sent_at is None
    assert arrived(server) == [message_ids[0], message_ids[2]]
    assert pauses() == []
    # Our log names the message by its id, never by its address.
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("app."))
    assert f"e-mail {rows[1].id} failed for good" in logged
    assert "@example.org" not in logged


@pytest.mark.parametrize(
    ("answer", "status", "retried"),
    [
        pytest.param("451 4.7.1 try later", PENDING, True, id="4xx retries"),
        pytest.param("554 5.6.0 message refused", FAILED, False, id="5xx fails at once"),
    ],
)
def test_a_refused_message(app, app_context, start_server, clock, answer, status, retried):
    server = start_server()
    app.config["MAIL_RETRY_BASE_SECONDS"] = 10
    message_ids = queue_messages(2)
    server.answers["DATA"] = answer

    report = send()
    rows = outbox()
    # The server refused each message on its own, so the run went on: one try each.
    assert [(row.status, row.attempts) for row in rows] == [(status, 1)] * 2
    assert {row.last_error for row in rows} == {f"DATA refused: {answer}"}
    assert (report.sent, report.retrying + report.failed, report.paused) == (0, 2, False)
    if retried:
        assert {row.next_attempt_at for row in rows} == {utcnow() + timedelta(seconds=10)}
    else:
        assert {row.failed_at for row in rows} == {utcnow()}

    server.answers.clear()
    clock.shift(timedelta(days=1))
    send()
    # Both are due again at the same moment and go over two connections: in either order.
    assert sorted(arrived(server)) == (sorted(message_ids) if retried else [])


def test_a_message_refused_for_now_is_retried_for_days_then_fails(
    app, app_context, start_server, clock
):
    server = start_server()
    server.answers["RCPT person0@example.org"] = "452 4.2.2 Mailbox full"
    _, other = queue_messages(2)
    send()
    assert arrived(server) == [other]

    tries = [utcnow()]
    while (row := outbox()[0]).status is PENDING:
        clock.move_to(row.next_attempt_at)
        send()
        tries.append(utcnow())

    queued = row.queued_at
    retry_days = timedelta(days=app.config["MAIL_RETRY_DAYS"])
    assert retry_days == timedelta(days=4)
    # Tried again and again for days, never less often than hourly …
    delays = [later - earlier for earlier, later in zip(tries, tries[1:], strict=False)]
    assert delays[:3] == [timedelta(seconds=s) for s in (60, 120, 240)]
    assert max(delays) == LONGEST_RETRY_DELAY
    assert any(queued + timedelta(hours=2) < moment < queued + retry_days for moment in tries)
    # … and failed at the first try once it had waited MAIL_RETRY_DAYS.
    assert tries[-2] < queued + retry_days <= tries[-1] == row.failed_at
    assert (row.status, row.attempts) == (FAILED, len(tries))
    assert row.last_error == "RCPT TO refused: 452 4.2.2 Mailbox full"

    server.answers.clear()
    clock.shift(timedelta(days=1))
    send()
    assert arrived(server) == [other]  # a failed message stays failed


@pytest.mark.parametrize(
    ("server_takes_utf8", "status"),
    [
        pytest.param(True, SENT, id="SMTPUTF8 server"),
        pytest.param(False, FAILED, id="ASCII server"),
    ],
)
def test_an_address_with_polish_letters(app, app_context, start_server, server_takes_utf8, status):
    server = start_server(enable_SMTPUTF8=server_takes_utf8)
    enqueue("test", "józef@example.org", "Wizyta", "Tekst", "<p>Tekst</p>")
    (other,) = queue_messages(1)

    send()

    to_jozef, to_other = outbox()
    assert (to_jozef.status, to_jozef.attempts) == (status, 1)
    assert to_other.status is SENT  # the first one did not stop the run
    assert other in arrived(server)
    if server_takes_utf8:
        (received,) = [m for m in server.messages if m["Message-ID"] == to_jozef.message_id]
        assert received["To"] == "józef@example.org"
        assert received.envelope_recipients == ["józef@example.org"]
    else:
        assert "SMTPUTF8" in to_jozef.last_error


def test_a_server_that_closes_the_connection_gets_every_message_once(
    app, app_context, start_server
):
    server = start_server()
    server.drop_every = 3  # as servers do with connections they find long
    message_ids = queue_messages(10)

    report = send()

    assert (report.sent, report.paused) == (10, False)
    assert arrived(server) == message_ids
    assert pauses() == []


class HoldFifth(Server):
    """Holds the fifth message until ``release`` is set and then refuses it: the server never
    accepts it."""

    def __init__(self):
        super().__init__()
        self.seen = 0
        self.reached = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        self.seen += 1
        if self.seen != 5:
            return await super().handle_DATA(server, session, envelope)
        self.reached.set()
        await asyncio.get_running_loop().run_in_executor(None, self.release.wait)
        return "451 try again later"


def start_sender_process(app, smtp_port: int, lease_seconds: int) -> subprocess.Popen:
    """``flask scheduler run-once`` in a process of its own, on the test's database."""
    return start_flask_command(
        app,
        "scheduler",
        "run-once",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(smtp_port),
        MAIL_LEASE_SECONDS=str(lease_seconds),
    )


def test_a_sender_killed_mid_run_sends_no_duplicate(app, app_context, start_server):
    # No frozen clock here: the sender process lives in real time.
    hold = start_server(server=HoldFifth())
    message_ids = queue_messages(8)

    sender = start_sender_process(app, app.config["MAIL_PORT"], lease_seconds=60)
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
    assert arrived(hold) == message_ids[:4]
    rows = outbox()
    # The dead sender's claims (the 5th, being sent, and the rest of its batch) stay its own.
    assert [row.status for row in rows] == [SENT] * 4 + [SENDING] * 4
    lease_until = rows[4].lease_until
    assert {row.lease_until for row in rows[4:]} == {lease_until}

    # Another sender now leaves them alone …
    assert send().sent == 0
    assert arrived(hold) == message_ids[:4]

    # … until the lease is over: then every message has arrived exactly once.
    with time_machine.travel(lease_until + timedelta(seconds=1), tick=False):
        assert send().sent == 4
    assert Counter(arrived(hold)) == Counter(message_ids)
    # The killed try got no answer, so it counts no attempt.
    assert [(row.status, row.attempts) for row in outbox()] == [(SENT, 1)] * 8


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


def test_a_mail_folder_that_cannot_be_written_pauses_the_queue(app, app_context, tmp_path):
    app.config["MAIL_SERVER"] = None
    (tmp_path / "instance").write_text("a file where the folder should be")
    app.instance_path = str(tmp_path / "instance")
    queue_messages(2)

    assert send().paused
    assert [(row.status, row.attempts) for row in outbox()] == [(PENDING, 0)] * 2
    (pause,) = pauses()
    assert pause.cause is PauseCause.UNAVAILABLE


def test_a_sender_whose_claim_ran_out_leaves_the_outcome_to_the_next(app, app_context, caplog):
    """A server that took longer than the lease: meanwhile another sender claimed the message
    again. The first sender's late answer must not overwrite the second's claim."""
    queue_messages(1)
    now = utcnow()
    first_lease = now + timedelta(seconds=60)
    (row,) = sender.claim(now, first_lease, Medium.EMAIL)
    second_lease = first_lease + timedelta(seconds=120)
    (again,) = sender.claim(first_lease + timedelta(seconds=1), second_lease, Medium.EMAIL)

    with caplog.at_level(logging.WARNING, logger="app.mail.sender"):
        sender.record_sent(row, first_lease, first_lease + timedelta(seconds=2))

    (message,) = outbox()
    assert (message.status, message.attempts, message.lease_until) == (SENDING, 0, second_lease)
    assert "its claim ran out" in caplog.text
    sender.record_sent(again, second_lease, first_lease + timedelta(seconds=3))
    (message,) = outbox()
    assert (message.status, message.attempts, message.lease_until) == (SENT, 1, None)
