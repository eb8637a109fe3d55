"""A chosen time as text in forms and links: an ISO 8601 start, or a free time of a place as
``"<location slug>|<ISO start>"`` (e.g. ``"olszanska|2026-12-02T07:30:00+01:00"``)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from app.inputs import PLAUSIBLE_YEARS

SEPARATOR = "|"


def parse_start(text: str, timezone: ZoneInfo) -> datetime | None:
    """An ISO 8601 start time; without an offset it is read as office wall-clock time."""
    try:
        start = datetime.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        return None
    if start.year not in PLAUSIBLE_YEARS:
        return None
    return start if start.tzinfo else start.replace(tzinfo=timezone)


def slot_value(location_slug: str, start: datetime, timezone: ZoneInfo) -> str:
    return f"{location_slug}{SEPARATOR}{start.astimezone(timezone).isoformat()}"


def parse_slot(text: str | None, timezone: ZoneInfo) -> tuple[str, datetime] | None:
    """(location slug, aware start), or None when the text is no free time."""
    location_slug, _sep, start_text = (text or "").partition(SEPARATOR)
    start = parse_start(start_text, timezone)
    return (location_slug, start) if location_slug and start else None


def parse_day(text: str | None) -> date | None:
    """A chosen day, ``YYYY-MM-DD``, or None when there is none (or it is no date)."""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def parse_month(text: str | None) -> date | None:
    """A chosen month, ``YYYY-MM``, as its first day, or None when there is none."""
    return parse_day(f"{text}-01") if text and len(text) == 7 else None
