"""Free slots from reception hours, closures, holidays, lead time, horizon and bookings.

Plain Python over plain values: no Flask, no database. Reception hours are wall-clock times in
the office's time zone; every slot is an aware instant, so a DST change neither shifts nor
duplicates one: slots follow each other in real time from the window's opening.
"""

from collections.abc import Container, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

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
    slot_minutes: int = 30
    desks: int = 1
    lead_days: int = 1  # working days ahead; 1 = from the next working day
    horizon_days: int = 30  # calendar days ahead

    @property
    def slot_length(self) -> timedelta:
        return timedelta(minutes=self.slot_minutes)

    def today(self, now: datetime) -> date:
        return now.astimezone(self.timezone).date()

    def is_working_day(self, day: date) -> bool:
        return day.weekday() <= FRIDAY and day not in self.holidays

    def first_day(self, now: datetime) -> date:
        """The first day a visit may be booked: ``lead_days`` working days after today."""
        day = self.today(now)
        remaining = self.lead_days
        while remaining > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def last_day(self, now: datetime) -> date:
        return self.today(now) + timedelta(days=self.horizon_days)

    def is_closed(self, start: datetime, end: datetime) -> bool:
        return any(closure.overlaps(start, end) for closure in self.closures)

    def slots_on(self, day: date) -> Iterator[tuple[datetime, datetime]]:
        """Every slot in the reception hours of one local day, closed or not."""
        if day in self.holidays:
            return
        for window in self.windows:
            if window.weekday != day.weekday():
                continue
            start = self._instant(day, window.opens, fold=0)
            # fold=1: a window closing in the repeated hour of an autumn night ends at its end.
            closes = self._instant(day, window.closes, fold=1)
            while start + self.slot_length <= closes:
                yield start, start + self.slot_length
                start += self.slot_length

    def _instant(self, day: date, wall: time, fold: int) -> datetime:
        local = datetime.combine(day, wall, tzinfo=self.timezone).replace(fold=fold)
        return local.astimezone(UTC)


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
) -> list[Slot]:
    """Slots with at least one free desk between two local days (inclusive), limited to what
    the schedule allows to be booked at ``now``. ``taken`` counts desks held per slot start."""
    first = max(first, schedule.first_day(now))
    last = min(last, schedule.last_day(now))
    slots = []
    day = first
    while day <= last:
        for start, end in schedule.slots_on(day):
            if start <= now or schedule.is_closed(start, end):
                continue
            free = schedule.desks - taken.get(start, 0)
            if free > 0:
                slots.append(Slot(start, end, free))
        day += timedelta(days=1)
    return slots
