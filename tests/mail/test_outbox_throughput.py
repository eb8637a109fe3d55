"""How much one run sends: everything due (no fixed cap), within its time (MAIL_RUN_SECONDS),
and with two senders at once each message once, even when claims run out mid-batch."""

from collections import Counter

from app.mail.sender import send_due
from tests.mail.outbox_support import PENDING, SENT, arrived, outbox, queue_messages, send
from tests.support import at_once


def test_a_run_sends_everything_that_is_due(app, app_context, start_server, clock):
    server = start_server()
    app.config["MAIL_CONNECTIONS"] = 1
    message_ids = queue_messages(1200)

    report = send()  # the clock stands still: only the queue's end stops the run

    assert (report.sent, report.paused) == (1200, False)
    assert arrived(server) == message_ids  # oldest first, each once
    assert {(row.status, row.attempts) for row in outbox()} == {(SENT, 1)}


def test_a_run_sends_over_several_connections_at_once(app, app_context, start_server, clock):
    server = start_server()
    app.config["MAIL_CONNECTIONS"] = 3
    message_ids = queue_messages(300)

    report = send()

    assert (report.sent, report.paused) == (300, False)
    assert Counter(arrived(server)) == Counter(message_ids)  # each once
    assert len(server.sessions) == 3
    assert {(row.status, row.attempts) for row in outbox()} == {(SENT, 1)}


def test_two_senders_at_once_send_each_message_once(app, app_context, start_server):
    server = start_server()
    message_ids = queue_messages(200)

    reports = at_once(app, lambda _index: send_due())

    assert sum(report.sent for report in reports) == 200
    assert Counter(arrived(server)) == Counter(message_ids)
    assert {(row.status, row.attempts) for row in outbox()} == {(SENT, 1)}


def test_a_run_ends_when_its_time_is_spent_and_gives_back_what_it_did_not_send(
    app, app_context, start_server
):
    server = start_server()
    server.delay = 0.1  # 30 messages take at least 3 s
    app.config["MAIL_RUN_SECONDS"] = 1
    message_ids = queue_messages(30)

    first = send()

    assert 0 < first.sent < 30
    rows = outbox()
    assert Counter(row.status for row in rows) == {SENT: first.sent, PENDING: 30 - first.sent}
    # What it claimed and did not try is due again at once, no attempt spent.
    waiting = [row for row in rows if row.status is PENDING]
    assert {(row.attempts, row.lease_until) for row in waiting} == {(0, None)}
    for _ in range(10):
        if send().sent == 0:
            break
    assert Counter(arrived(server)) == Counter(message_ids)


def test_a_claim_is_not_used_once_half_its_lease_is_over(app, app_context, start_server):
    server = start_server()
    # A batch takes longer than its lease: a sender still using it could meet another that
    # took the expired claims over.
    server.delay = 0.05
    app.config.update(MAIL_LEASE_SECONDS=1, MAIL_RUN_SECONDS=30)
    message_ids = queue_messages(80)

    reports = at_once(app, lambda _index: send_due())

    assert sum(report.sent for report in reports) == 80
    assert Counter(arrived(server)) == Counter(message_ids)
