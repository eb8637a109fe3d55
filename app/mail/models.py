"""The outbox: every e-mail and text message is a row written in the transaction that causes it;
and the pauses of sending, when the server (or the SMS gateway) takes no message at all."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, bindparam
from sqlalchemy.orm import Mapped, mapped_column

from app.database import UTCDateTime, enum_column, utcnow
from app.extensions import db


class Medium(enum.StrEnum):
    """How a message goes: each has its own transport, sender run and pauses."""

    EMAIL = "email"  # over SMTP
    SMS = "sms"  # a text message, through an HTTP gateway (``app.mail.sms``)


class MessageStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for its (next) attempt
    SENDING = "sending"  # claimed by a sender until ``lease_until``
    SENT = "sent"
    FAILED = "failed"  # refused for good, or for now for longer than MAIL_RETRY_DAYS


# The messages still to be sent (or being sent).
WAITING = (MessageStatus.PENDING, MessageStatus.SENDING)


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    medium: Mapped[Medium] = mapped_column(
        enum_column(Medium, "message_medium"), default=Medium.EMAIL, server_default="email"
    )
    kind: Mapped[str] = mapped_column(String(32))  # verification, confirmation, reminder …
    visit_id: Mapped[int | None] = mapped_column(
        ForeignKey("visits.id", ondelete="SET NULL"), index=True
    )
    recipient: Mapped[str] = mapped_column(String(254))  # an address, or a phone number (SMS)
    subject: Mapped[str] = mapped_column(String(250))  # empty for a text message
    # The Message-ID, or the key that lets the SMS gateway refuse a second copy.
    message_id: Mapped[str] = mapped_column(String(250), unique=True)
    # The whole RFC 5322 message (or the text message), built once, so that every attempt
    # sends the same bytes.
    raw: Mapped[str] = mapped_column(Text)
    status: Mapped[MessageStatus] = mapped_column(
        enum_column(MessageStatus, "message_status"), default=MessageStatus.PENDING
    )
    # How often the server answered about this message (a pause of the queue spends none).
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Since when it waits: created, or put back by an administrator; retries count from here.
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# What waits, oldest first: the sender's claims walk this, not the sent messages (most of the
# table), which SQLite's planner would otherwise scan through in id order on every claim. A
# query uses the index only if it states the same condition with its values written out.
waiting = OutboxMessage.status.in_(
    bindparam("waiting", list(WAITING), expanding=True, literal_execute=True)
)
Index(
    "ix_outbox_messages_waiting", OutboxMessage.id, sqlite_where=waiting, postgresql_where=waiting
)


class PauseCause(enum.StrEnum):
    UNAVAILABLE = "unavailable"  # unreachable, the connection dropped or timed out, or 421
    LOGIN = "login"  # greeting, STARTTLS or login refused, or 530 (authentication required)
    SENDER = "sender"  # MAIL FROM refused: the server takes no mail from our sender


class OutboxPause(db.Model):
    """A time when the server took no message: sending waits and probes the server now and
    then; no message spends an attempt or fails meanwhile."""

    __tablename__ = "outbox_pauses"
    # One pause open at a time per medium, however many senders see it fail at once (NULLs
    # of the pauses that ended do not clash).
    __table_args__ = (
        UniqueConstraint("medium", "current", name="uq_outbox_pauses_medium_current"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    medium: Mapped[Medium] = mapped_column(
        enum_column(Medium, "pause_medium"), default=Medium.EMAIL, server_default="email"
    )
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cause: Mapped[PauseCause] = mapped_column(enum_column(PauseCause, "pause_cause"))
    # The latest error or answer of the server, without addresses.
    reason: Mapped[str] = mapped_column(String(500))
    probes: Mapped[int] = mapped_column(default=0)  # each waits twice as long as the one before
    probe_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    current: Mapped[bool | None] = mapped_column(default=True)  # True while it lasts, then NULL
