"""What the office offered, day by day, kept as it was at the time: a later change of hours,
desks or closures does not rewrite last year's capacity, and nothing here is about a person."""

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class OfferedDesks(db.Model):
    """Desk-slots one matter offered at one location in one hour of a local day (every desk
    of every slot starting in that hour, outside closures)."""

    __tablename__ = "offered_desks"
    __table_args__ = (CheckConstraint("hour BETWEEN 0 AND 23", name="hour_of_day"),)

    day: Mapped[date] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(
        ForeignKey("matters.id", ondelete="CASCADE"), primary_key=True
    )
    location_id: Mapped[int] = mapped_column(
        ForeignKey("locations.id", ondelete="CASCADE"), primary_key=True
    )
    hour: Mapped[int] = mapped_column(primary_key=True)
    desk_slots: Mapped[int]


class FreeDateSample(db.Model):
    """How far ahead the first free time of a matter at a location was, as its visitors saw it
    on a local day (taken once that day); ``days_ahead`` None: nothing free within the horizon."""

    __tablename__ = "free_date_samples"

    day: Mapped[date] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(
        ForeignKey("matters.id", ondelete="CASCADE"), primary_key=True
    )
    location_id: Mapped[int] = mapped_column(
        ForeignKey("locations.id", ondelete="CASCADE"), primary_key=True
    )
    days_ahead: Mapped[int | None]
