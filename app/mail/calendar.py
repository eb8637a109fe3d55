"""The iCalendar event of a visit: one UID for its whole life, SEQUENCE counting changes."""

from datetime import datetime

from icalendar import Calendar, Event, vCalAddress, vText

from app.booking.models import Visit


def event_uid(visit: Visit, domain: str) -> str:
    return f"{visit.reference}@{domain}"


def visit_calendar(
    visit: Visit,
    *,
    method: str,
    organizer: str,
    domain: str,
    summary: str,
    location: str,
    description: str,
    timezone,
    now: datetime,
) -> bytes:
    """A REQUEST (new or changed visit) or CANCEL for the visit's event, times in ``timezone``
    with its VTIMEZONE."""
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
    event.add("status", "CANCELLED" if method == "CANCEL" else "CONFIRMED")
    event.add("transp", "OPAQUE")
    organizer_address = vCalAddress(f"mailto:{organizer}")
    organizer_address.params["cn"] = vText("Wizyta")
    event.add("organizer", organizer_address)
    if visit.email:
        attendee = vCalAddress(f"mailto:{visit.email}")
        attendee.params["cn"] = vText(visit.name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
