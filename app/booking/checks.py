"""The two questions every door and job asks of the rules, answered once each, with the
database's facts: may this new request be booked, and may this booked visit still stand.

Both return problems by field (``rules.Problems``): "matter", "location", "start", "person",
"sign_language".
"""

from datetime import date, datetime, timedelta

from app.booking import rules
from app.booking.models import Visit
from app.booking.needs import NO_NEEDS, Needs
from app.booking.people import Person, active_matter_ids
from app.booking.rules import Problem, Problems
from app.booking.schedule import day_bounds, office_day, office_timezone, schedules
from app.booking.slots import Schedule
from app.booking.states import Channel
from app.database import transaction_memo
from app.extensions import db
from app.matters.models import Location, Matter

# A schedule covers a block of this many local days, so that a batch of requests spread over a
# month asks for the closures once or twice per place, not once per day.
SCHEDULE_DAYS = 31


def schedule_on(matter: Matter, location: Location, start: datetime) -> Schedule:
    """The schedule around the local day of ``start``, looked up once per transaction."""
    day = office_day(start)
    block = day.toordinal() // SCHEDULE_DAYS
    key = ("schedule", matter.id, location.id, block)
    memo = transaction_memo(db.session)
    if key not in memo:
        first = date.fromordinal(block * SCHEDULE_DAYS)
        last = first + timedelta(days=SCHEDULE_DAYS - 1)
        memo[key] = schedules(matter, [location], *day_bounds(first, last, office_timezone()))[
            location.id
        ]
    return memo[key]


def policy_problem(matter: Matter, channel: Channel) -> Problem | None:
    """Who may book the matter: citizens online only where its policy says so, the office
    wherever it has visits at all."""
    if not matter.has_visits:
        return Problem.NO_VISITS
    if channel is Channel.ONLINE and not matter.is_bookable_online:
        return Problem.NOT_ONLINE
    return None


def notice_needs(needs: Needs, channel: Channel | None) -> Needs:
    """The needs whose notice a door keeps to: all but the unit's own staff, who arrange the
    interpreter and may book or move within the notice (an urgent case, as the Act allows)."""
    return NO_NEEDS if channel is Channel.STAFF else needs


def slot_problems(
    matter: Matter, location_slug: str, start: datetime, now: datetime, needs: Needs = NO_NEEDS
) -> Problems:
    """What is wrong with ``start`` at this place for ``matter`` (desks aside): the place, the
    reception hours, closures, holidays, lead time and horizon, and the notice the visitor's
    ``needs`` ask the office for."""
    location = matter.location(location_slug)
    if location is None:
        return {"location": [Problem.UNKNOWN_LOCATION]}
    schedule = schedule_on(matter, location, start)
    problem = rules.start_problem(schedule, start, now)
    if problem:
        return {"start": [problem]}
    notice = rules.notice_problem(schedule, start, now, needs)
    return {"sign_language": [notice]} if notice else {}


def booking_problems(
    matter: Matter,
    location_slug: str,
    start: datetime,
    person: Person,
    channel: Channel,
    now: datetime,
    needs: Needs = NO_NEEDS,
    asked_before: int | None = None,
) -> Problems:
    """May this new request be booked (desks aside, which the claim decides): every rule it
    breaks, by field. ``asked_before`` counts only the person's visits asked for earlier."""
    problems: Problems = {}
    policy = policy_problem(matter, channel)
    if policy:
        problems["matter"] = [policy]
    problems |= slot_problems(matter, location_slug, start, now, needs)
    person_problem = rules.person_problem(
        matter.id, active_matter_ids(person, now, asked_before=asked_before)
    )
    if person_problem:
        problems["person"] = [person_problem]
    return problems


def standing_problems(visit: Visit, now: datetime) -> Problems:
    """May this booked visit still stand: its time is still ahead, its matter still receives at
    its place then (hours, closures, holidays) and still has its desk."""
    matter = visit.matter
    if visit.starts_at <= now:
        return {"start": [Problem.IN_PAST]}
    if visit.location_id not in {location.id for location in matter.locations}:
        return {"location": [Problem.UNKNOWN_LOCATION]}
    opening = rules.opening_problem(
        schedule_on(matter, visit.location, visit.starts_at), visit.starts_at
    )
    if opening:
        return {"start": [opening]}
    if visit.desk is None or visit.desk > matter.desks:
        return {"start": [Problem.FEWER_DESKS]}
    return {}


def asked_problems(visit: Visit) -> Problems:
    """The rules a request broke as they stood when it was asked for: lead time, horizon and
    the person's requests asked for before it (what stands now is ``standing_problems``)."""
    return booking_problems(
        visit.matter,
        visit.location.slug,
        visit.starts_at,
        Person(visit.email_key, visit.phone),
        visit.channel,
        visit.created_at,
        Needs.of(visit),
        asked_before=visit.id,
    )
