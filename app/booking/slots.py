"""Free slots from reception hours, closures, holidays, lead time, horizon and bookings.

Plain Python over plain values: no Flask, no database. Reception hours are wall-clock times in
the office's time zone; every slot is an aware instant, so a DST change neither shifts nor
duplicates one: slots follow each other in real time from the window's opening.
"""

from collections.abc import Container, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from app.matters.settings import SETTINGS

FRIDAY = 4


@dataclass(frozen=True)
class Window:
    weekday: int  # 0 = Monday
    opens: time
    closes: time


@dataclass(frozen=True)
class Interval:
    start: datetime
    end: datetime

    def overlaps(self, start: datetime, end: datetime) -> bool:
        return self.start < end and start < self.end


@dataclass(frozen=True)
class Schedule:
    """Everything that decides when one matter can be visited at one location."""

    timezone: ZoneInfo
    windows: Sequence[Window]
    closures: Sequence[Interval]
    holidays: Container[date]
    # A matter's settings, defaulting as a matter's do (``app.matters.settings``).
    slot_minutes: int = SETTINGS["slot_minutes"].default
    desks: int = SETTINGS["desks"].default
    lead_days: int = SETTINGS["lead_days"].default  # working days ahead; 1 = the next one
    horizon_days: int = SETTINGS["horizon_days"].default  # calendar days ahead
    phone_desks: int = SETTINGS["phone_desks"].default  # kept for infoline and staff …
    phone_release_days: int = SETTINGS["phone_release_days"].default  # … until days before

    @property
    def slot_length(self) -> timedelta:
        return timedelta(minutes=self.slot_minutes)

    def today(self, now: datetime) -> date:
        return now.astimezone(self.timezone).date()

    def is_working_day(self, day: date) -> bool:
        return day.weekday() <= FRIDAY and day not in self.holidays

    def first_day(self, now: datetime) -> date:
        """The first day a visit may be booked: ``lead_days`` working days after today."""
        return self.working_days_after(self.today(now), self.lead_days)

    def working_days_after(self, day: date, count: int) -> date:
        """The ``count``-th working day after ``day`` (``day`` itself for none)."""
        while count > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count -= 1
        return day

    def last_day(self, now: datetime) -> date:
        return self.today(now) + timedelta(days=self.horizon_days)

    def open_desks(self, day: date, now: datetime, online: bool) -> int:
        return open_desks(
            self.desks, self.phone_desks, self.phone_release_days, day, self.today(now), online
        )

    def is_closed(self, start: datetime, end: datetime) -> bool:
        return any(closure.overlaps(start, end) for closure in self.closures)

    def slots_on(self, day: date) -> Iterator[tuple[datetime, datetime]]:
        """Every slot in the reception hours of one local day, closed or not."""
        if day in self.holidays:
            return
        length = self.slot_length
        weekday = day.weekday()
        for window in self.windows:
            if window.weekday != weekday:
                continue
            start = self._instant(day, window.opens, fold=0)
            # fold=1: a window closing in the repeated hour of an autumn night ends at its end.
            closes = self._instant(day, window.closes, fold=1)
            while start + length <= closes:
                yield start, start + length
                start += length

    def _instant(self, day: date, wall: time, fold: int) -> datetime:
        local = datetime.combine(day, wall, tzinfo=self.timezone).replace(fold=fold)
        return local.astimezone(UTC)


def open_desks(
    desks: int, phone_desks: int, phone_release_days: int, day: date, today: date, online: bool
) -> int:
    """How many desks (numbered from 1) a booking may take on ``day``: online requests leave
    the phone desks to the infoline until ``phone_release_days`` before the day."""
    if online and (day - today).days > phone_release_days:
        return desks - phone_desks
    return desks


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime
    free: int


def free_slots(
    schedule: Schedule,
    first: date,
    last: date,
    taken: Mapping[datetime, int],
    now: datetime,
    online: bool = True,
) -> list[Slot]:
    """Slots with at least one free desk between two local days (inclusive), limited to what
    the schedule allows to be booked at ``now``. ``taken`` has the desks held per slot start
    as the bits of a number (desk n is bit n: ``0b110`` holds desks 1 and 2);
    ``online`` requests may not take the desks kept for the phone."""
    first = max(first, schedule.first_day(now))
    last = min(last, schedule.last_day(now))
    slots = []
    day = first
    while day <= last:
        desks = schedule.open_desks(day, now, online)
        open_bits = (1 << (desks + 1)) - 2  # desks 1..desks
        for start, end in schedule.slots_on(day):
            if start <= now or schedule.is_closed(start, end):
                continue
            free = desks - (taken.get(start, 0) & open_bits).bit_count()
            if free > 0:
                slots.append(Slot(start, end, free))
        day += timedelta(days=1)
    return slots
