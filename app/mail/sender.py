"""Deliver the outbox, one medium at a time (e-mail over SMTP, text messages through the SMS
gateway): claim what is due a few messages at a time, send them over one connection until
nothing is due or the run's time (``MAIL_RUN_SECONDS``) is spent, and record each outcome in its
own commit.

The guarantees: a claim is a conditional UPDATE with a lease, so two senders never hold one
message; a message is marked sent in its own commit right after the server accepted it, so the
only moment a second copy can arise is a sender killed between the server's answer and that
commit (or the database away for longer than that commit waits for it), or a connection lost
after the message's data before the answer (and then it carries the same Message-ID, and a
text message the same key, which the gateway refuses to send twice); a
sender killed mid-run leaves its claims to expire, and claims it did not use in time are given
back.

Who the server refuses decides what happens. One recipient or one message (RCPT, DATA): 5xx
fails that message, 4xx retries it with backoff for ``MAIL_RETRY_DAYS``. No message at all
(unreachable, greeting, STARTTLS or login refused, our sender refused, 421 or 530): the queue
pauses as in an outage, no message spends an attempt, and later runs probe the server with a
growing delay until it takes a message again. An ``OutboxPause`` row tells administrators.
The SMS gateway's answers are sorted the same way (``app.mail.sms``); each medium pauses alone.
"""

import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import Row, and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from app.database import utcnow
from app.extensions import db
from app.mail import sms
from app.mail.models import WAITING, Medium, MessageStatus, OutboxMessage, OutboxPause, waiting
from app.mail.transport import MessageRefused, ServerUnavailable, transport_for

log = logging.getLogger(__name__)

# However long an outage or a 4xx lasts, a message (or a paused server) is tried at least
# this often.
LONGEST_RETRY_DELAY = timedelta(hours=1)
# Messages claimed at once: one commit claims them; a sender killed mid-run leaves at most
# these to wait for their lease.
CLAIM_SIZE = 20


@dataclass
class SendReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    paused: bool = False  # the queue waits for the server to take messages again

    @classmethod
    def total(cls, reports) -> "SendReport":
        reports = list(reports)
        return cls(
            sent=sum(report.sent for report in reports),
            retrying=sum(report.retrying for report in reports),
            failed=sum(report.failed for report in reports),
            paused=any(report.paused for report in reports),
        )

    def count(self, status: MessageStatus) -> None:
        if status is MessageStatus.SENT:
            self.sent += 1
        elif status is MessageStatus.FAILED:
            self.failed += 1
        else:
            self.retrying += 1


def backoff(attempts: int, base_seconds: float) -> timedelta:
    """The base delay, then twice, four times as long …, at most ``LONGEST_RETRY_DELAY``."""
    doublings = min(attempts - 1, 32)  # a long outage must not overflow timedelta
    return min(timedelta(seconds=base_seconds * 2**doublings), LONGEST_RETRY_DELAY)


def retry_delay(attempts: int) -> timedelta:
    return backoff(attempts, current_app.config["MAIL_RETRY_BASE_SECONDS"])


# Claims


def is_due(now: datetime, medium: Medium):
    return and_(
        waiting,  # as ix_outbox_messages_waiting states it, so that the claim walks that index
        OutboxMessage.medium == medium,
        or_(
            and_(
                OutboxMessage.status == MessageStatus.PENDING,
                OutboxMessage.next_attempt_at <= now,
            ),
            # A sender that claimed it died or hung: its lease is over.
            and_(OutboxMessage.status == MessageStatus.SENDING, OutboxMessage.lease_until < now),
        ),
    )


def claim(now: datetime, lease_until: datetime, medium: Medium) -> list[Row]:
    """Claim up to ``CLAIM_SIZE`` due messages of ``medium``, oldest first, skipping those
    another sender is claiming (PostgreSQL; SQLite lets one writer in at a time)."""
    # A CTE, not "id IN (SELECT … LIMIT … SKIP LOCKED)": PostgreSQL may run such a subquery
    # more than once and come back with nothing while other senders claim.
    due = (
        select(OutboxMessage.id)
        .where(is_due(now, medium))
        .order_by(OutboxMessage.id)
        .limit(CLAIM_SIZE)
        .with_for_update(skip_locked=True)
        .cte("due")
    )
    rows = db.session.execute(
        update(OutboxMessage)
        # Due again in the UPDATE itself: a row another sender claimed meanwhile stays theirs.
        .where(OutboxMessage.id == due.c.id, is_due(now, medium))
        .values(status=MessageStatus.SENDING, lease_until=lease_until)
        .returning(
            OutboxMessage.id,
            OutboxMessage.medium,
            OutboxMessage.recipient,
            OutboxMessage.raw,
            OutboxMessage.message_id,
            OutboxMessage.attempts,
            OutboxMessage.queued_at,
        )
        .execution_options(synchronize_session=False)
    ).all()
    db.session.commit()
    return sorted(rows, key=lambda row: row.id)


def release(rows: list[Row], lease_until: datetime) -> None:
    """Give back claims not tried: due again at once, no attempt spent."""
    db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id.in_([row.id for row in rows]),
            OutboxMessage.status == MessageStatus.SENDING,
            OutboxMessage.lease_until == lease_until,
        )
        .values(status=MessageStatus.PENDING, lease_until=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


# Outcomes of one message

# As the log names them.
MEDIUM_NAMES = {Medium.EMAIL: "e-mail", Medium.SMS: "text message"}


def named(row: Row) -> str:
    return f"{MEDIUM_NAMES[row.medium]} {row.id}"


# A message the server accepted while the database is away (a restart, a fail-over) keeps
# its outcome until the database is back: written again after 1, 2, 4, 8 and 8 seconds. Given
# up, the claim runs out and the message goes again (the only way to a second copy).
OUTCOME_WAITS = (1, 2, 4, 8, 8)


def record(row: Row, lease_until: datetime, **values) -> None:
    """Write a message's outcome, if the claim is still this sender's (a claim that ran out
    while the server took its time is another sender's now: its outcome is theirs to write)."""
    statement = (
        update(OutboxMessage)
        .where(
            OutboxMessage.id == row.id,
            OutboxMessage.status == MessageStatus.SENDING,
            OutboxMessage.lease_until == lease_until,
        )
        .values(attempts=OutboxMessage.attempts + 1, lease_until=None, **values)
        .execution_options(synchronize_session=False)
    )
    for wait in (*OUTCOME_WAITS, None):
        try:
            recorded = db.session.execute(statement).rowcount
            db.session.commit()
            break
        except OperationalError:
            db.session.rollback()
            if wait is None:
                raise
            log.warning("%s: the database is away; writing its outcome again", named(row))
            time.sleep(wait)
    if not recorded:
        log.warning("%s: its claim ran out before the server answered", named(row))


def record_sent(row: Row, lease_until: datetime, now: datetime) -> MessageStatus:
    record(row, lease_until, status=MessageStatus.SENT, sent_at=now)
    return MessageStatus.SENT


def record_refusal(
    row: Row, lease_until: datetime, refusal: MessageRefused, now: datetime
) -> MessageStatus:
    """5xx fails the message; 4xx retries it later, until it has waited MAIL_RETRY_DAYS."""
    retry_days = timedelta(days=current_app.config["MAIL_RETRY_DAYS"])
    if refusal.permanent or now >= row.queued_at + retry_days:
        record(
            row, lease_until, status=MessageStatus.FAILED, failed_at=now, last_error=refusal.reason
        )
        log.error("%s failed for good: %s", named(row), refusal.reason)
        return MessageStatus.FAILED
    record(
        row,
        lease_until,
        status=MessageStatus.PENDING,
        next_attempt_at=now + retry_delay(row.attempts + 1),
        last_error=refusal.reason,
    )
    log.warning("%s refused for now: %s", named(row), refusal.reason)
    return MessageStatus.PENDING


# Pauses


def open_pause(medium: Medium) -> OutboxPause | None:
    return db.session.scalar(
        select(OutboxPause).where(OutboxPause.current.is_(True), OutboxPause.medium == medium)
    )


def take_probe(pause: OutboxPause, now: datetime) -> bool:
    """Whether this run may try the paused server: once the probe's time has come, and only
    one sender. The next probe is set at once, twice as far off (a killed prober delays it no
    more than that)."""
    probed = db.session.execute(
        update(OutboxPause)
        .where(
            OutboxPause.id == pause.id, OutboxPause.current.is_(True), OutboxPause.probe_at <= now
        )
        .values(probes=OutboxPause.probes + 1, probe_at=now + retry_delay(pause.probes + 2))
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return bool(probed)


def pause_sending(problem: ServerUnavailable, now: datetime, probing: bool, medium: Medium):
    """Open a pause (or, after a failed probe, say why it goes on)."""
    if probing:
        db.session.execute(
            update(OutboxPause)
            .where(OutboxPause.current.is_(True), OutboxPause.medium == medium)
            .values(cause=problem.cause, reason=problem.reason)
            .execution_options(synchronize_session=False)
        )
        log.warning("%s still paused: %s", MEDIUM_NAMES[medium], problem.reason)
    else:
        pause = OutboxPause(
            medium=medium,
            started_at=now,
            cause=problem.cause,
            reason=problem.reason,
            probe_at=now + retry_delay(1),
        )
        try:
            with db.session.begin_nested():
                db.session.add(pause)
        except IntegrityError:
            pass  # another sender opened the pause a moment ago
        log.warning(
            "%s paused, the server takes no message: %s", MEDIUM_NAMES[medium], problem.reason
        )
    db.session.commit()


def end_pause(now: datetime, medium: Medium) -> None:
    db.session.execute(
        update(OutboxPause)
        .where(OutboxPause.current.is_(True), OutboxPause.medium == medium)
        .values(ended_at=now, current=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    log.info("%s resumed: the server takes messages again", MEDIUM_NAMES[medium])


# A run


class Run:
    """One run of the sender of one medium over one connection."""

    def __init__(self, medium: Medium, probing: bool, started: datetime):
        config = current_app.config
        self.medium = medium
        if medium is Medium.SMS:
            self.transport = sms.gateway_for(config, current_app.instance_path)
            self.sender = config["SMS_SENDER"]
        else:
            self.transport = transport_for(config, current_app.instance_path)
            self.sender = config["MAIL_DEFAULT_SENDER"]
        self.lease = timedelta(seconds=config["MAIL_LEASE_SECONDS"])
        self.deadline = started + timedelta(seconds=config["MAIL_RUN_SECONDS"])
        self.probing = probing
        self.report = SendReport()

    def send(self) -> SendReport:
        try:
            while (now := utcnow()) < self.deadline:
                batch = claim(now, now + self.lease, self.medium)
                # A claim is used only in the first half of its lease: a slow server must not
                # let it run out while we still send under it.
                if not batch or not self.send_batch(batch, now + self.lease, now + self.lease / 2):
                    break
            self.report.paused = self.probing  # a probe with nothing to send proves nothing
        except ServerUnavailable as problem:
            pause_sending(problem, utcnow(), self.probing, self.medium)
            self.report.paused = True
        finally:
            self.transport.close()
        return self.report

    def send_batch(self, batch: list[Row], lease_until: datetime, use_until: datetime) -> bool:
        """Send the claimed messages in order; False once the run's time is spent."""
        for index, row in enumerate(batch):
            if utcnow() >= min(self.deadline, use_until):
                release(batch[index:], lease_until)
                return utcnow() < self.deadline
            try:
                self.transport.send(self.sender, row.recipient, row.raw, row.message_id)
            except ServerUnavailable:
                release(batch[index:], lease_until)
                raise
            except MessageRefused as refusal:
                status = record_refusal(row, lease_until, refusal, utcnow())
            else:
                status = record_sent(row, lease_until, utcnow())
            self.report.count(status)
            if self.probing:  # the server answered about a message: it takes mail again
                end_pause(utcnow(), self.medium)
                self.probing = False
        return True


def send_due(medium: Medium = Medium.EMAIL) -> SendReport:
    """Send what is due of ``medium`` until nothing is or ``MAIL_RUN_SECONDS`` are spent, over
    ``MAIL_CONNECTIONS`` connections at once (text messages: one); while the queue is paused,
    only a run whose time to probe the server has come tries, over one."""
    started = utcnow()
    pause = open_pause(medium)
    if pause is not None:
        if not take_probe(pause, started):
            return SendReport(paused=True)
        return Run(medium, probing=True, started=started).send()
    connections = current_app.config["MAIL_CONNECTIONS"] if medium is Medium.EMAIL else 1
    if connections == 1:
        return Run(medium, probing=False, started=started).send()
    app = current_app._get_current_object()
    db.session.commit()  # let go of the database: on SQLite this transaction holds its lock

    def one_connection() -> SendReport:
        with app.app_context():  # a session (and database connection) of its own
            try:
                return Run(medium, probing=False, started=started).send()
            finally:
                db.session.remove()

    with ThreadPoolExecutor(connections) as pool:
        reports = [pool.submit(one_connection) for _ in range(connections)]
    return SendReport.total(report.result() for report in reports)


# What administrators see and do


@dataclass
class OutboxState:
    pauses: list[OutboxPause]  # those going on, one per medium at most
    waiting: int
    failed: int
    oldest_due_at: datetime | None  # the longest a message due now has waited since

    def backed_up(self, now: datetime, minutes: int) -> bool:
        """Messages due for longer than ``minutes``: the sender is not keeping up or not
        running (a pause says why on its own)."""
        return (
            not self.pauses
            and self.oldest_due_at is not None
            and now - self.oldest_due_at > timedelta(minutes=minutes)
        )


def outbox_state(now: datetime) -> OutboxState:
    oldest_due_at = db.session.scalar(
        select(func.min(OutboxMessage.next_attempt_at)).where(
            OutboxMessage.status == MessageStatus.PENDING, OutboxMessage.next_attempt_at <= now
        )
    )
    counts = dict(
        db.session.execute(
            select(OutboxMessage.status, func.count())
            .where(OutboxMessage.status.in_([*WAITING, MessageStatus.FAILED]))
            .group_by(OutboxMessage.status)
        ).all()
    )
    return OutboxState(
        pauses=[pause for medium in Medium if (pause := open_pause(medium))],
        waiting=sum(counts.get(status, 0) for status in WAITING),
        failed=counts.get(MessageStatus.FAILED, 0),
        oldest_due_at=oldest_due_at,
    )


def send_again(message: OutboxMessage, now: datetime) -> None:
    """Put a failed message back in the queue, due at once and retried as if new."""
    message.status = MessageStatus.PENDING
    message.attempts = 0
    message.next_attempt_at = now
    message.queued_at = now
    message.failed_at = None
