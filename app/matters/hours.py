"""Reception hours and closures as text and as times: parsing and checks, in one place.

Plain Python, no Flask: the catalog loader and the administrators' forms both call it. A day's
hours are written ``"10:00-14:00, 15:00-18:00"`` (an en dash works too); windows of one day may
touch (10:00-12:00 and 12:00-14:00) but never overlap.
"""

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

Hours = tuple[time, time]  # one window: opens, closes

TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")
DASHES = re.compile(r"\s*[-–—]\s*")
SEPARATORS = re.compile(r"[,;]")


class Fault(enum.StrEnum):
    NOT_A_TIME = "not_a_time"  # not HH:MM
    NOT_A_WINDOW = "not_a_window"  # not HH:MM-HH:MM
    CLOSES_FIRST = "closes_first"  # closes at or before it opens
    OVERLAP = "overlap"  # two windows of one day overlap


@dataclass
class HoursError(ValueError):
    """What is wrong, and with which text (for overlaps: both windows)."""

    fault: Fault
    text: str
    other: str = ""

    def __str__(self) -> str:
        return f"{self.fault}: {self.text!r}" + (f" and {self.other!r}" if self.other else "")


def parse_time(text: str) -> time:
    """``"9:05"`` or ``"09:05"`` as a time; anything else raises ``HoursError``."""
    match = TIME.fullmatch(text.strip())
    if match is None:
        raise HoursError(Fault.NOT_A_TIME, text.strip())
    return time(int(match[1]), int(match[2]))


def parse_window(text: str) -> Hours:
    """``"10:00-14:00"`` as (opens, closes), opening strictly before closing."""
    parts = DASHES.split(text.strip())
    if len(parts) != 2:
        raise HoursError(Fault.NOT_A_WINDOW, text.strip())
    try:
        opens, closes = (parse_time(part) for part in parts)
    except HoursError as error:
        raise HoursError(Fault.NOT_A_WINDOW, text.strip()) from error
    if opens >= closes:
        raise HoursError(Fault.CLOSES_FIRST, text.strip())
    return opens, closes


def check_no_overlap(windows: Iterable[Hours]) -> list[Hours]:
    """The windows of one day in order; raises ``HoursError`` if two overlap (touching is fine)."""
    ordered = sorted(windows)
    for (opens, closes), (next_opens, next_closes) in zip(ordered, ordered[1:], strict=False):
        if next_opens < closes:
            raise HoursError(
                Fault.OVERLAP,
                format_window((opens, closes)),
                format_window((next_opens, next_closes)),
            )
    return ordered


def parse_day(text: str) -> list[Hours]:
    """A day's windows, ``"10:00-14:00, 15:00-18:00"``; empty text is a day without reception."""
    parts = [part for part in SEPARATORS.split(text or "") if part.strip()]
    return check_no_overlap(parse_window(part) for part in parts)


def format_window(window: Hours) -> str:
    opens, closes = window
    return f"{opens:%H:%M}-{closes:%H:%M}"


def format_day(windows: Iterable[Hours]) -> str:
    return ", ".join(format_window(window) for window in sorted(windows))


def closure_bounds(
    first_day: date,
    last_day: date | None,
    starts: time | None,
    ends: time | None,
    timezone: ZoneInfo,
) -> tuple[datetime, datetime]:
    """The instants a closure covers, from local days and optional wall-clock times.

    Without times: whole days, ``first_day`` 00:00 to the midnight after ``last_day``. With
    both times: ``first_day starts`` to ``last_day ends`` (``last_day`` defaults to
    ``first_day``). The caller checks that the end comes after the start (compare in UTC).
    """
    last_day = last_day or first_day
    if starts is None and ends is None:
        return (
            datetime.combine(first_day, time(), tzinfo=timezone),
            datetime.combine(last_day + timedelta(days=1), time(), tzinfo=timezone),
        )
    if starts is None or ends is None:
        raise ValueError("a closure with times needs both the start and the end time")
    return (
        datetime.combine(first_day, starts, tzinfo=timezone),
        datetime.combine(last_day, ends, tzinfo=timezone),
    )
