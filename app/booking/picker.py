"""The time picker every door shows: the places (each with its next free day, the chosen one
first), a month of days with their free times counted, and the chosen day's times.

The citizen's booking and move, the infoline's booking and move and the staff's move all build
it here; the template macro ``time_picker`` draws it with plain links, so it works without
JavaScript.
"""

from calendar import Calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import request

from app.booking import checks
from app.booking.models import Visit
from app.booking.needs import NO_NEEDS, Needs
from app.booking.rules import Problem, Problems
from app.booking.schedule import matter_free_slots, office_day, office_timezone
from app.booking.slot_codec import parse_day, parse_month, parse_slot
from app.booking.slots import Slot
from app.booking.states import Channel
from app.matters.models import Location, Matter

WEEKS = Calendar(firstweekday=0)  # weeks start on Monday, as in Poland


@dataclass(frozen=True)
class Place:
    location: Location
    next_free: date | None  # None: no free time within the horizon


@dataclass(frozen=True)
class Day:
    day: date
    free: int  # free times that day; 0 when there is none to choose
    in_month: bool  # False for the neighbouring months' days that fill the first and last week


@dataclass(frozen=True)
class Picker:
    places: list[Place]
    location: Location | None  # None until a place is chosen
    month: date | None  # the first day of the month shown
    weeks: list[list[Day]]
    earlier_month: date | None
    later_month: date | None
    day: date | None  # the day whose times are shown; None when the month has no free time
    times: list[Slot]

    @property
    def next_free(self) -> date | None:
        """The chosen place's first day with a free time."""
        return next((p.next_free for p in self.places if p.location == self.location), None)


def month_start(day: date) -> date:
    return day.replace(day=1)


def build_picker(
    matter: Matter,
    now: datetime,
    online: bool = True,
    place: str | None = None,
    month: date | None = None,
    day: date | None = None,
    moving: Visit | None = None,
) -> Picker:
    """The picker for ``matter`` at ``now``: the place named by its slug (or the visit being
    moved's, or the only one), the month and day asked for, else the first with a free time.
    ``online=False`` offers the desks kept for the phone (infoline and staff)."""
    timezone = office_timezone()
    free: dict[int, dict[date, list[Slot]]] = {location.id: {} for location in matter.locations}
    for location, slot in matter_free_slots(matter, matter.locations, now, online=online):
        if moving and (location.id, slot.start) == (moving.location_id, moving.starts_at):
            continue  # the visit's own time is no move
        free[location.id].setdefault(slot.start.astimezone(timezone).date(), []).append(slot)
    location = matter.location(place or "")
    if location is None and moving is not None:  # None if the matter left the visit's place
        location = matter.location(moving.location.slug)
    if location is None and len(matter.locations) == 1:
        location = matter.locations[0]
    places = [Place(option, min(free[option.id], default=None)) for option in matter.locations]
    places.sort(key=lambda option: option.location != location)  # the chosen one first
    if location is None:
        return Picker(places, None, None, [], None, None, None, [])

    days = free[location.id]
    today = now.astimezone(timezone).date()
    first_month = month_start(today)
    last_month = month_start(today + timedelta(days=matter.horizon_days))
    if day in days:
        shown = month_start(day)
    elif month is not None:
        shown = min(max(month_start(month), first_month), last_month)
        day = min((free_day for free_day in days if month_start(free_day) == shown), default=None)
    else:  # the first free day after the one asked for, else the first of all
        after = [free_day for free_day in days if day and free_day > day]
        day = min(after or days, default=None)
        shown = month_start(day) if day else first_month
    weeks = [
        [Day(each, len(days.get(each, [])), each.month == shown.month) for each in week]
        for week in WEEKS.monthdatescalendar(shown.year, shown.month)
    ]
    earlier = month_start(shown - timedelta(days=1))
    later = month_start(shown + timedelta(days=31))
    return Picker(
        places=places,
        location=location,
        month=shown,
        weeks=weeks,
        earlier_month=earlier if earlier >= first_month else None,
        later_month=later if later <= last_month else None,
        day=day,
        times=days.get(day, []),
    )


def picker_choice() -> dict:
    """The place, month and day a picker's links ask for (``?location=&month=&day=``); after
    a time was asked for (``slot``), its place and day."""
    asked = parse_slot(request.values.get("slot"), office_timezone())
    if asked:
        location_slug, start = asked
        return {"place": location_slug, "day": office_day(start)}
    return {
        "place": request.args.get("location"),
        "month": parse_month(request.args.get("month")),
        "day": parse_day(request.args.get("day")),
    }


@dataclass(frozen=True)
class AskedTime:
    """The time a picker's link asks for (``?slot=``), with what the rules find wrong with it
    (the desks aside: whether one is still free, the move itself finds out)."""

    location: Location | None
    start: datetime | None
    problems: Problems


def asked_time(matter: Matter, now: datetime, needs: Needs = NO_NEEDS) -> AskedTime | None:
    """None when no time is asked for; ``needs``: the moved visit's (an interpreter's notice)."""
    text = request.args.get("slot")
    if text is None:
        return None
    asked = parse_slot(text, office_timezone())
    if asked is None:
        return AskedTime(None, None, {"start": [Problem.OUTSIDE_HOURS]})
    location_slug, start = asked
    return AskedTime(
        matter.location(location_slug),
        start,
        checks.slot_problems(matter, location_slug, start, now, needs),
    )


@dataclass(frozen=True)
class MoveStep:
    """What a move screen shows: the check of a time asked for that the rules allow, or else
    the picker (from the day asked for), with what is wrong with the time asked for."""

    asked: AskedTime | None
    picker: Picker | None
    problems: Problems


def move_step(visit: Visit, now: datetime, channel: Channel) -> MoveStep:
    """The move screen of the citizen (online), the infoline and the staff alike. After a
    move was refused (a POST) the picker shows that day's other times, not the check again."""
    online = channel is Channel.ONLINE
    needs = checks.notice_needs(Needs.of(visit), channel)
    asked = asked_time(visit.matter, now, needs) if request.method != "POST" else None
    if asked and not asked.problems:
        return MoveStep(asked, None, {})
    picker = build_picker(visit.matter, now, online=online, moving=visit, **picker_choice())
    return MoveStep(None, picker, asked.problems if asked else {})
