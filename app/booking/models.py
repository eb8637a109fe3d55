"""Visits and the record of every change to them."""

import secrets
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.booking.needs import Companion, SignLanguage
from app.booking.states import Channel, VisitStatus
from app.database import UTCDateTime, enum_column, utcnow
from app.extensions import db
from app.matters.models import Location, Matter


def new_manage_key() -> str:
    return secrets.token_urlsafe(16)


def new_check_in_code() -> str:
    """Six digits, typed at the kiosk: unique enough among the few visits a kiosk looks at
    (its place's, near their time); a code two of them share is not taken (``app.kiosk``)."""
    return f"{secrets.randbelow(10**6):06d}"


class Visit(db.Model):
    """One attendee at one slot of a matter at one location.

    ``desk`` is the numbered place the visit holds in its slot (1..matter.desks), or NULL once
    it stops holding one; a desk the visitor let go (their cancellation, a lapsed request) is
    NULL only from ``desk_free_at``, so that a reseller cannot free it and book it for a buyer
    at once. The unique constraint on (matter, location, start, desk) is what makes the database
    refuse a second visit on the same desk, however many requests race for it.
    """

    __tablename__ = "visits"
    __table_args__ = (
        UniqueConstraint("matter_id", "location_id", "starts_at", "desk", name="uq_visits_desk"),
        CheckConstraint("desk >= 1", name="desk_positive"),
        CheckConstraint("starts_at < ends_at", name="starts_before_ends"),
        Index("ix_visits_slot", "location_id", "starts_at"),
        # The scheduler's due rows and the agenda: a state and a time.
        Index("ix_visits_status_starts", "status", "starts_at"),
        Index("ix_visits_status_created", "status", "created_at"),
        Index("ix_visits_erasure", "erased_at", "ends_at"),
        Index("ix_visits_desk_free_at", "desk_free_at"),
        # The statistics: their counts read this index alone, already in their groups' order.
        Index(
            "ix_visits_statistics",
            "matter_id",
            "location_id",
            "status",
            "channel",
            "language",
            "starts_at",
            "created_at",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"))
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    desk: Mapped[int | None]
    desk_free_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[VisitStatus] = mapped_column(enum_column(VisitStatus, "visit_status"))
    name: Mapped[str] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    # The address as the per-person rules compare it (``people.email_key``), indexed for them.
    email_key: Mapped[str | None] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(32), index=True)
    language: Mapped[str] = mapped_column(String(2), default="pl")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Random, per visit: part of the signed manage link; cleared when personal data is erased.
    manage_key: Mapped[str | None] = mapped_column(String(32), default=new_manage_key)
    # The calendar event's SEQUENCE: each change the citizen is told about adds one.
    sequence: Mapped[int] = mapped_column(default=0)
    reason: Mapped[str] = mapped_column(String(500), default="")  # why declined or cancelled
    staff_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    channel: Mapped[Channel] = mapped_column(
        enum_column(Channel, "visit_channel"), default=Channel.ONLINE, server_default="online"
    )
    # Set when a change of hours, closures, desks or places may have made the visit impossible:
    # the scheduler's re-check takes it from here.
    recheck_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # What the scheduler could not do with the visit (no personal data), for a person to act on;
    # the job leaves it alone until ``attention_at`` is an hour old.
    attention: Mapped[str] = mapped_column(String(200), default="", server_default="")
    attention_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    # Typed at the entrance's kiosk to check in; cleared when personal data is erased.
    check_in_code: Mapped[str | None] = mapped_column(String(6), default=new_check_in_code)
    # The visitor's number in the day's queue at the place, given on arrival.
    queue_number: Mapped[int | None]
    # When the visitor was last called, and to which desk (as the waiting room's screen says it).
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    called_to: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # Declared at booking (``app.booking.needs``); erased with the visitor's other data.
    companion: Mapped[Companion | None] = mapped_column(enum_column(Companion, "visit_companion"))
    sign_language: Mapped[SignLanguage | None] = mapped_column(
        enum_column(SignLanguage, "visit_sign_language")
    )
    step_free: Mapped[bool] = mapped_column(default=False, server_default=false())
    more_time: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The office's reference of the case ("znak sprawy"), where the matter asks for it.
    case_reference: Mapped[str] = mapped_column(String(40), default="", server_default="")
    # The operator or staff member who booked it on the caller's behalf (None: online).
    booked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    matter: Mapped[Matter] = relationship()
    location: Mapped[Location] = relationship()
    booked_by: Mapped["User | None"] = relationship()  # noqa: F821 (app.accounts.models)
    changes: Mapped[list["VisitChange"]] = relationship(
        back_populates="visit", cascade="all, delete-orphan", order_by="VisitChange.id"
    )


class VisitChange(db.Model):
    """Who moved a visit from which state to which, and when."""

    __tablename__ = "visit_changes"
    # The statistics' endings: who cancelled or declined, without reading the whole history.
    __table_args__ = (Index("ix_visit_changes_endings", "to_status", "visit_id", "channel"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visits.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))  # "citizen", "scheduler", a staff e-mail …
    from_status: Mapped[VisitStatus | None] = mapped_column(
        enum_column(VisitStatus, "visit_change_from")
    )
    to_status: Mapped[VisitStatus] = mapped_column(enum_column(VisitStatus, "visit_change_to"))
    note: Mapped[str] = mapped_column(String(500), default="")
    # The door the change came through (None: the scheduler), for the statistics: "cancelled by
    # the visitor, the infoline or the unit" must not depend on an account that may be gone.
    channel: Mapped[Channel | None] = mapped_column(enum_column(Channel, "visit_change_channel"))

    visit: Mapped[Visit] = relationship(back_populates="changes")
