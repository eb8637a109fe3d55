"""The outbox: every e-mail is a row written in the transaction that causes it; and the pauses
of sending, when the server takes no message at all."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, bindparam
from sqlalchemy.orm import Mapped, mapped_column

from app.database import UTCDateTime, enum_column, utcnow
from app.extensions import db


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
    kind: Mapped[str] = mapped_column(String(32))  # verification, confirmation, reminder …
    visit_id: Mapped[int | None] = mapped_column(
        ForeignKey("visits.id", ondelete="SET NULL"), index=True
    )
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(250))
    message_id: Mapped[str] = mapped_column(String(250), unique=True)
    # The whole RFC 5322 message, built once, so that every attempt sends the same bytes.
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

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cause: Mapped[PauseCause] = mapped_column(enum_column(PauseCause, "pause_cause"))
    # The latest error or answer of the server, without addresses.
    reason: Mapped[str] = mapped_column(String(500))
    probes: Mapped[int] = mapped_column(default=0)  # each waits twice as long as the one before
    probe_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # True while the pause lasts, NULL after: the unique constraint keeps one pause open at a
    # time however many senders see the server fail at once (NULLs do not clash).
    current: Mapped[bool | None] = mapped_column(unique=True, default=True)
