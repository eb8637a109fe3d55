"""Claiming a desk in a slot: the database, not Python, has the last word.

Each visit that holds a place carries a desk number, unique per (matter, location, start). Two
requests for the last desk both try to write the same number; the unique constraint lets one
through and the other gets an IntegrityError inside its savepoint, tries the next number, and
gives up with ``SlotTaken`` when none is left.
"""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.booking.models import Visit
from app.booking.rules import BookingRefused, Problem
from app.extensions import db


class SlotTaken(BookingRefused):
    """No desk is left in the slot."""

    def __init__(self):
        super().__init__({"start": [Problem.SLOT_TAKEN]})


def claim_desk(
    visit: Visit,
    desks: int,
    location_id: int | None = None,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
) -> None:
    """Give ``visit`` the lowest free desk of 1..``desks`` at its slot, writing it at once.

    With a new ``location_id``/``starts_at``/``ends_at`` the visit moves there in the same
    write, so its old desk is freed exactly when the new one is taken.
    """
    placement = {
        "location_id": location_id or visit.location_id,
        "starts_at": starts_at or visit.starts_at,
        "ends_at": ends_at or visit.ends_at,
    }
    others = select(Visit.desk).where(
        Visit.matter_id == visit.matter_id,
        Visit.location_id == placement["location_id"],
        Visit.starts_at == placement["starts_at"],
        Visit.desk.is_not(None),
    )
    if visit.id is not None:
        others = others.where(Visit.id != visit.id)
    held = set(db.session.scalars(others))
    for desk in range(1, desks + 1):
        if desk in held:
            continue
        try:
            with db.session.begin_nested():
                # Set inside the savepoint: a rollback expires what a failed attempt wrote.
                for name, value in placement.items():
                    setattr(visit, name, value)
                visit.desk = desk
                db.session.add(visit)
        except IntegrityError:
            continue  # somebody took this desk since we looked
        return
    raise SlotTaken
