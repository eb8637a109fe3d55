"""The numbers visitors get on arrival: one sequence per place and day, starting at 1."""

from datetime import date

from sqlalchemy import Date, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from app.database import upsert
from app.extensions import db


class QueueDay(db.Model):
    """The last number given at a place on a day."""

    __tablename__ = "queue_days"

    location_id: Mapped[int] = mapped_column(
        ForeignKey("locations.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last_number: Mapped[int]


def next_queue_number(location_id: int, day: date) -> int:
    """The next number of the place's day, taken in one statement (an insert, or an increment
    of the row already there): two arrivals at the same moment never get the same."""
    statement = upsert(db.session, QueueDay).values(location_id=location_id, day=day, last_number=1)
    statement = statement.on_conflict_do_update(
        index_elements=["location_id", "day"],
        set_={"last_number": QueueDay.last_number + 1},
    )
    return db.session.scalar(statement.returning(QueueDay.last_number))
