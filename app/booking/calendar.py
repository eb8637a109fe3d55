"""The iCalendar event of a visit: one UID for its whole life, SEQUENCE counting changes."""

import functools
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Timezone, vCalAddress, vText

from app.booking.models import Visit

# How the event stands in the visitor's calendar.
CONFIRMED = "CONFIRMED"
TENTATIVE = "TENTATIVE"  # moved by the visitor, waiting for the unit's decision
CANCELLED = "CANCELLED"

ALARM_BEFORE = -timedelta(days=1)  # the calendar reminds the visitor a day ahead


def event_uid(visit: Visit, domain: str) -> str:
    return f"{visit.reference}@{domain}"


@functools.cache
def vtimezone(timezone: ZoneInfo, year: int) -> bytes:
    """The VTIMEZONE of ``timezone`` for this year and the next (a visit is at most a horizon
    ahead), built and written once per process: that was most of the cost of a calendar file."""
    component = Timezone.from_tzinfo(
        timezone, first_date=date(year, 1, 1), last_date=date(year + 2, 1, 1)
    )
    return component.to_ical()


def visit_calendar(
    visit: Visit,
    *,
    status: str,
    organizer: str,
    domain: str,
    summary: str,
    location: str,
    description: str,
    timezone: ZoneInfo,
    now: datetime,
) -> tuple[str, bytes]:
    """The visit's event as it now stands, with its METHOD: PUBLISH (new, changed or
    tentative) or CANCEL; times in ``timezone`` with its VTIMEZONE, and an alarm the day
    before.

    PUBLISH, not REQUEST: a REQUEST with the visitor as ATTENDEE is a meeting invitation,
    which mail clients show with Accept and Decline buttons whose replies would go to a
    no-reply sender that reads nothing. A published event is offered to add, and updated by
    the same UID with a higher SEQUENCE; a CANCEL with that UID withdraws it."""
    method = "CANCEL" if status == CANCELLED else "PUBLISH"
    calendar = Calendar()
    calendar.add("prodid", "-//Wizyta//Visits//PL")
    calendar.add("version", "2.0")
    calendar.add("method", method)

    event = Event()
    event.add("uid", event_uid(visit, domain))
    event.add("sequence", visit.sequence)
    event.add("dtstamp", now)
    event.add("dtstart", visit.starts_at.astimezone(timezone))
    event.add("dtend", visit.ends_at.astimezone(timezone))
    event.add("summary", summary)
    event.add("location", location)
    event.add("description", description)
    event.add("status", status)
    event.add("transp", "OPAQUE")
    organizer_address = vCalAddress(f"mailto:{organizer}")
    organizer_address.params["cn"] = vText("Wizyta")
    event.add("organizer", organizer_address)
    if status != CANCELLED:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", ALARM_BEFORE)
        event.add_component(alarm)
    calendar.add_component(event)
    # The time zone goes before the event that refers to it, as add_missing_timezones puts it.
    zone = vtimezone(timezone, now.astimezone(timezone).year)
    return method, calendar.to_ical().replace(b"BEGIN:VEVENT", zone + b"BEGIN:VEVENT", 1)
