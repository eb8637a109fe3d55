"""A place in the line for a matter's desks at one place on one day."""

import enum
import secrets
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.booking.models import Visit
from app.database import UTCDateTime, enum_column, utcnow
from app.extensions import db
from app.matters.models import Location, Matter


class EntryStatus(enum.StrEnum):
    UNCONFIRMED = "unconfirmed"  # until the person opens the link of the e-mail saying so
    WAITING = "waiting"  # in line
    OFFERED = "offered"  # a desk is held for them (``visit``, HELD) until they confirm it
    TAKEN = "taken"  # they confirmed the desk offered: a visit of theirs now
    LAPSED = "lapsed"  # they let the offer lapse, or could no longer book: out of the line
    LEFT = "left"  # they left the line themselves


# Still in the line (or about to be): one such entry per person and matter.
IN_LINE = (EntryStatus.UNCONFIRMED, EntryStatus.WAITING, EntryStatus.OFFERED)


class WaitlistEntry(db.Model):
    """Personal data like a visit's: the entries of a day gone by are deleted."""

    __tablename__ = "waitlist_entries"
    # The line of a day, in order; the offers to settle.
    __table_args__ = (
        Index("ix_waitlist_line", "matter_id", "location_id", "day", "status", "id"),
        Index("ix_waitlist_status_day", "status", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id", ondelete="CASCADE"))
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    status: Mapped[EntryStatus] = mapped_column(
        enum_column(EntryStatus, "waitlist_status"), default=EntryStatus.UNCONFIRMED
    )
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str] = mapped_column(String(254))
    email_key: Mapped[str] = mapped_column(String(254), index=True)
    language: Mapped[str] = mapped_column(String(2), default="pl")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Random, per entry: part of the signed link to leave the line.
    key: Mapped[str] = mapped_column(String(32), default=lambda: secrets.token_urlsafe(16))
    # The e-mail that told them they joined: deleted with the entry (it names them).
    message_id: Mapped[str | None] = mapped_column(String(250))
    # The visit that holds the desk offered (HELD until confirmed).
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visits.id", ondelete="SET NULL"))

    matter: Mapped[Matter] = relationship()
    location: Mapped[Location] = relationship()
    visit: Mapped[Visit | None] = relationship()
