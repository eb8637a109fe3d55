"""The free times an operator offers a caller: a screenful at a time, across all the matter's
places, the desks kept for the phone included."""

from datetime import date, datetime
from itertools import groupby

from flask_babel import format_date

from app.booking.schedule import matter_free_slots, office_timezone
from app.booking.slots import Slot
from app.database import utcnow
from app.matters.models import Location, Matter

TIMES_SHOWN = 20  # free times on one screen; "later times" shows the next ones


def local_date(moment: datetime) -> date:
    return moment.astimezone(office_timezone()).date()


def next_times(
    matter: Matter,
    place: str | None = None,
    day: date | None = None,
    after: datetime | None = None,
) -> dict:
    """The matter's next free times at one or all of its locations, desks kept for the phone
    included: the days that have any, and ``TIMES_SHOWN`` of them from ``day`` or after
    ``after``."""
    location = matter.location(place or "")
    locations = [location] if location else matter.locations
    found = matter_free_slots(matter, locations, utcnow(), online=False)

    def local_day(pair: tuple[Location, Slot]) -> date:
        return local_date(pair[1].start)

    if after is not None:
        later = [pair for pair in found if pair[1].start > after]
    elif day is not None:
        later = [pair for pair in found if local_day(pair) >= day]
    else:
        later = found
    shown = later[:TIMES_SHOWN]
    return {
        "place": location,
        "days": [
            (free_day, format_date(free_day, "EEE d MMM"))
            for free_day in dict.fromkeys(local_day(pair) for pair in found)
        ],
        "chosen_day": local_day(shown[0]) if shown else None,
        "shown": shown,
        "by_day": [(free_day, list(pairs)) for free_day, pairs in groupby(shown, key=local_day)],
        "more_after": shown[-1][1].start if len(later) > len(shown) else None,
    }
