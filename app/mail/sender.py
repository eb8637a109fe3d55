"""Deliver the outbox: claim one message at a time, send it, record the outcome.

A message is claimed by a conditional UPDATE (only one sender can win it) with a lease; it is
marked sent in its own commit right after the server accepts it. A sender that dies mid-send
leaves its claim to expire and the message is tried again with the same Message-ID; a sender
that dies between messages leaves nothing half-done. An SMTP outage (the server unreachable or
not letting us in) costs each waiting message at most one attempt per run and none is lost:
retries back off exponentially, and only a server's own refusals end in ``failed``.
"""

import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_, select, update

from app.database import utcnow
from app.extensions import db
from app.mail.models import MessageStatus, OutboxMessage
from app.mail.transport import transport_for

# However long an outage lasts, a message is tried again at least this often.
LONGEST_RETRY_DELAY = timedelta(hours=1)


@dataclass
class SendReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0

    def count(self, status: MessageStatus) -> None:
        if status is MessageStatus.SENT:
            self.sent += 1
        elif status is MessageStatus.FAILED:
            self.failed += 1
        else:
            self.retrying += 1


def answered(error: Exception) -> bool:
    """Whether the server answered (and refused) rather than being unreachable."""
    return isinstance(
        error,
        smtplib.SMTPResponseException
        | smtplib.SMTPRecipientsRefused
        | smtplib.SMTPNotSupportedError,
    )


def is_permanent(error: Exception) -> bool:
    """5xx answers will not get better by trying again, nor will a server without SMTPUTF8."""
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return True
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return False


def is_due(now: datetime):
    return or_(
        and_(
            OutboxMessage.status == MessageStatus.PENDING,
            OutboxMessage.next_attempt_at <= now,
        ),
        # A sender that claimed it died or hung: its lease is over.
        and_(OutboxMessage.status == MessageStatus.SENDING, OutboxMessage.lease_until < now),
    )


def claim_next(now: datetime, lease: timedelta) -> OutboxMessage | None:
    """Claim the oldest due message for this sender, or None when nothing is due."""
    while True:
        candidate = db.session.scalar(
            select(OutboxMessage.id).where(is_due(now)).order_by(OutboxMessage.id).limit(1)
        )
        if candidate is None:
            db.session.commit()
            return None
        claimed = db.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id == candidate, is_due(now))
            .values(
                status=MessageStatus.SENDING,
                lease_until=now + lease,
                attempts=OutboxMessage.attempts + 1,
            )
            .execution_options(synchronize_session=False)
        ).rowcount
        db.session.commit()
        if claimed:
            return db.session.get(OutboxMessage, candidate)


def backoff(attempts: int, base_seconds: float) -> timedelta:
    """The base delay, then twice, four times as long …, at most ``LONGEST_RETRY_DELAY``."""
    doublings = min(attempts - 1, 32)  # a long outage must not overflow timedelta
    return min(timedelta(seconds=base_seconds * 2**doublings), LONGEST_RETRY_DELAY)


def record_failure(
    message: OutboxMessage, error: Exception, now: datetime, permanent: bool, server_answered: bool
):
    config = current_app.config
    message.last_error = f"{type(error).__name__}: {error}"[:500]
    message.lease_until = None
    # Only the server's refusals use up the tries: an outage is not the message's fault, and
    # however long it lasts the message waits for the server to come back.
    gave_up = server_answered and message.attempts >= config["MAIL_MAX_ATTEMPTS"]
    if permanent or gave_up:
        message.status = MessageStatus.FAILED
        current_app.logger.error("e-mail %s failed for good: %s", message.id, message.last_error)
    else:
        message.status = MessageStatus.PENDING
        message.next_attempt_at = now + backoff(message.attempts, config["MAIL_RETRY_BASE_SECONDS"])
    db.session.commit()


def send_due(limit: int = 200) -> SendReport:
    """Send what is due now, up to ``limit`` messages."""
    config = current_app.config
    transport = transport_for(config, current_app.instance_path)
    lease = timedelta(seconds=config["MAIL_LEASE_SECONDS"])
    report = SendReport()
    try:
        for _ in range(limit):
            now = utcnow()
            message = claim_next(now, lease)
            if message is None:
                break
            try:
                transport.send(
                    config["MAIL_DEFAULT_SENDER"],
                    message.recipient,
                    message.raw,
                    message.message_id,
                )
            except (smtplib.SMTPException, OSError) as error:
                record_failure(
                    message,
                    error,
                    utcnow(),
                    permanent=is_permanent(error),
                    server_answered=answered(error),
                )
                report.count(message.status)
                if not answered(error):
                    break  # the server is unreachable: leave the rest for the next run
            else:
                message.status = MessageStatus.SENT
                message.sent_at = utcnow()
                message.lease_until = None
                db.session.commit()
                report.count(message.status)
    finally:
        transport.close()
    return report
