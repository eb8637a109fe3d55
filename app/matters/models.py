"""The catalog: units, locations with reception hours and closures, matters and their channels."""

import enum
from datetime import datetime, time, timedelta

from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, String, Table, Text, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import UTCDateTime, enum_column
from app.extensions import db
from app.i18n import Translated
from app.matters.settings import CHECKS, DEFAULTS


class VisitPolicy(enum.StrEnum):
    ONLINE = "online"  # citizens request visits themselves
    BY_PHONE = "by_phone"  # only the infoline or the unit's staff book
    NONE = "none"  # no visits: the page shows the channels


class Confirmation(enum.StrEnum):
    AUTO = "auto"  # the scheduler confirms a valid request
    STAFF = "staff"  # a staff member decides


class ChannelKind(enum.StrEnum):
    EMAIL = "email"
    PHONE = "phone"
    INFOLINE = "infoline"
    EPUAP = "epuap"
    FORM = "form"
    POST = "post"
    HELPLINE = "helpline"  # a number outside the office to call at once (112, a victims' line)


class Unit(db.Model):
    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[Translated] = mapped_column(JSON)
    # Where the unit hears of requests that wait for a decision.
    email: Mapped[str | None] = mapped_column(String(254))

    matters: Mapped[list["Matter"]] = relationship(back_populates="unit", order_by="Matter.id")


matter_locations = Table(
    "matter_locations",
    db.metadata,
    Column("matter_id", ForeignKey("matters.id", ondelete="CASCADE"), primary_key=True),
    Column("location_id", ForeignKey("locations.id", ondelete="CASCADE"), primary_key=True),
)


class Location(db.Model):
    """A place where visits happen, with its own reception hours."""

    __tablename__ = "locations"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[Translated] = mapped_column(JSON)
    address: Mapped[str] = mapped_column(String(200))
    entrance: Mapped[Translated] = mapped_column(JSON, default=dict)
    # True where the notice gives no reception hours and the infoline's hours are used instead.
    hours_assumed: Mapped[bool] = mapped_column(default=False)
    # Where a visitor who checked in waits, as the kiosk says it.
    waiting_area: Mapped[Translated] = mapped_column(JSON, default=dict)
    # A confirmed visit not checked in this long after its start counts as missed (the
    # scheduler marks it, where the place has a kiosk); None: the staff mark it.
    no_show_after_minutes: Mapped[int | None]

    hours: Mapped[list["ReceptionWindow"]] = relationship(
        back_populates="location",
        cascade="all, delete-orphan",
        order_by="(ReceptionWindow.weekday, ReceptionWindow.opens)",
    )
    closures: Mapped[list["Closure"]] = relationship(
        back_populates="location", cascade="all, delete-orphan"
    )


class ReceptionWindow(db.Model):
    """One window of reception hours on a weekday (0 = Monday); a day may have several."""

    __tablename__ = "reception_windows"
    __table_args__ = (
        CheckConstraint("weekday BETWEEN 0 AND 6", name="weekday"),
        CheckConstraint("opens < closes", name="opens_before_closes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id", ondelete="CASCADE"))
    weekday: Mapped[int]
    opens: Mapped[time]
    closes: Mapped[time]

    location: Mapped[Location] = relationship(back_populates="hours")


class Closure(db.Model):
    """Time a location (or, without one, the whole office) receives nobody: for every unit, or
    for one unit only (a place may serve several). Public holidays are not stored here but
    come from the ``holidays`` package."""

    __tablename__ = "closures"
    __table_args__ = (CheckConstraint("starts_at < ends_at", name="starts_before_ends"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[int | None] = mapped_column(
        ForeignKey("locations.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(String(200), default="")

    location: Mapped[Location | None] = relationship(back_populates="closures")
    unit: Mapped[Unit | None] = relationship()


class Matter(db.Model):
    """A kind of case a unit handles, and how visits for it are booked."""

    __tablename__ = "matters"
    # Every setting's range and the rules between them, as app.matters.settings defines them.
    __table_args__ = tuple(
        CheckConstraint(condition, name=name) for name, condition in CHECKS.items()
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    section: Mapped[str] = mapped_column(String(8), default="")
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    title: Mapped[Translated] = mapped_column(JSON)
    description: Mapped[Translated] = mapped_column(JSON, default=dict)
    without_visit: Mapped[Translated] = mapped_column(JSON, default=dict)
    what_to_bring: Mapped[Translated] = mapped_column(JSON, default=dict)
    # The languages the unit serves this matter in, beyond Polish (``pl``, ``uk``, …): shown on
    # the list of matters, each in its own name, so that a foreigner sees which are for them.
    languages: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    visit_policy: Mapped[VisitPolicy] = mapped_column(enum_column(VisitPolicy, "visit_policy"))
    # Whether the booking form asks for the case's reference, so the clerk can prepare the file.
    asks_case_reference: Mapped[bool] = mapped_column(default=False, server_default=false())
    confirmation: Mapped[Confirmation] = mapped_column(enum_column(Confirmation, "confirmation"))
    slot_minutes: Mapped[int] = mapped_column(default=DEFAULTS["slot_minutes"])
    desks: Mapped[int] = mapped_column(default=DEFAULTS["desks"])
    lead_days: Mapped[int] = mapped_column(default=DEFAULTS["lead_days"])  # working days ahead
    horizon_days: Mapped[int] = mapped_column(default=DEFAULTS["horizon_days"])  # calendar days
    retention_days: Mapped[int] = mapped_column(default=DEFAULTS["retention_days"])
    # Desks per slot kept for infoline and staff bookings until ``phone_release_days`` before
    # the day, so that people who cannot book online still find a time.
    phone_desks: Mapped[int] = mapped_column(
        default=DEFAULTS["phone_desks"], server_default=str(DEFAULTS["phone_desks"])
    )
    phone_release_days: Mapped[int] = mapped_column(
        default=DEFAULTS["phone_release_days"], server_default=str(DEFAULTS["phone_release_days"])
    )

    unit: Mapped[Unit] = relationship(back_populates="matters")
    locations: Mapped[list[Location]] = relationship(
        secondary=matter_locations, order_by=Location.id
    )
    channels: Mapped[list["Channel"]] = relationship(
        back_populates="matter", cascade="all, delete-orphan", order_by="Channel.position"
    )

    @property
    def slot_length(self) -> timedelta:
        return timedelta(minutes=self.slot_minutes)

    @property
    def has_visits(self) -> bool:
        """Whether anyone books visits for it (the office, at least)."""
        return self.visit_policy is not VisitPolicy.NONE

    @property
    def is_bookable_online(self) -> bool:
        """Whether citizens request visits for it themselves."""
        return self.visit_policy is VisitPolicy.ONLINE

    def location(self, slug: str) -> Location | None:
        return next((location for location in self.locations if location.slug == slug), None)


class Channel(db.Model):
    """A way to reach the unit about a matter: e-mail, phone, ePUAP box, form, post."""

    __tablename__ = "channels"

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id", ondelete="CASCADE"))
    position: Mapped[int]
    kind: Mapped[ChannelKind] = mapped_column(enum_column(ChannelKind, "channel_kind"))
    value: Mapped[str] = mapped_column(Text)
    label: Mapped[Translated] = mapped_column(JSON, default=dict)  # a person, or languages
    hours: Mapped[Translated] = mapped_column(JSON, default=dict)

    matter: Mapped[Matter] = relationship(back_populates="channels")
