"""Free slots from hours, holidays, closures, lead time, horizon and desks (pure functions)."""

from datetime import UTC, date, datetime, time, timedelta

import holidays
import pytest

from app.booking.slots import Interval, Schedule, Window, free_slots
from tests.support import WARSAW, warsaw

POLAND = holidays.country_holidays("PL")


def schedule(**overrides) -> Schedule:
    values = {
        "timezone": WARSAW,
        "windows": [Window(day, time(9), time(11)) for day in range(5)],
        "closures": [],
        "holidays": POLAND,
    } | overrides
    return Schedule(**values)


def local_times(slots) -> list[str]:
    return [slot.start.astimezone(WARSAW).strftime("%Y-%m-%d %H:%M%z") for slot in slots]


TUESDAY_MORNING = warsaw(2026, 12, 1, 9, 0)


def test_slots_fill_each_window_in_slot_lengths():
    found = free_slots(schedule(), date(2026, 12, 2), date(2026, 12, 2), {}, TUESDAY_MORNING)
    assert local_times(found) == [
        "2026-12-02 09:00+0100",
        "2026-12-02 09:30+0100",
        "2026-12-02 10:00+0100",
        "2026-12-02 10:30+0100",
    ]
    assert all(slot.end - slot.start == timedelta(minutes=30) for slot in found)
    assert all(slot.free == 1 for slot in found)


def test_several_windows_a_day_and_a_slot_that_does_not_fit_is_left_out():
    windows = [Window(2, time(8), time(9, 45)), Window(2, time(12), time(13))]
    found = free_slots(
        schedule(windows=windows, slot_minutes=45),
        date(2026, 12, 2),
        date(2026, 12, 2),
        {},
        TUESDAY_MORNING,
    )
    assert local_times(found) == [
        "2026-12-02 08:00+0100",
        "2026-12-02 08:45+0100",
        "2026-12-02 12:00+0100",
    ]


def test_days_without_reception_hours_have_no_slots():
    # 5 and 6 December 2026 are a Saturday and a Sunday.
    assert free_slots(schedule(), date(2026, 12, 5), date(2026, 12, 6), {}, TUESDAY_MORNING) == []


def test_public_holidays_have_no_slots():
    # Christmas Eve (a public holiday in Poland since 2025), Christmas and Boxing Day.
    found = free_slots(schedule(), date(2026, 12, 23), date(2026, 12, 28), {}, TUESDAY_MORNING)
    assert {slot.start.astimezone(WARSAW).date() for slot in found} == {
        date(2026, 12, 23),
        date(2026, 12, 28),
    }


def test_closures_remove_the_slots_they_overlap():
    closure = Interval(warsaw(2026, 12, 2, 9, 45), warsaw(2026, 12, 2, 10, 30))
    found = free_slots(
        schedule(closures=[closure]), date(2026, 12, 2), date(2026, 12, 2), {}, TUESDAY_MORNING
    )
    assert local_times(found) == ["2026-12-02 09:00+0100", "2026-12-02 10:30+0100"]


def test_taken_desks_reduce_what_is_free_and_full_slots_disappear():
    nine, half_past = warsaw(2026, 12, 2, 9, 0), warsaw(2026, 12, 2, 9, 30)
    found = free_slots(
        schedule(desks=2),
        date(2026, 12, 2),
        date(2026, 12, 2),
        {nine.astimezone(UTC): 0b110, half_past.astimezone(UTC): 0b100},  # desks 1 and 2; desk 2
        TUESDAY_MORNING,
    )
    assert [(s.start.astimezone(WARSAW).strftime("%H:%M"), s.free) for s in found] == [
        ("09:30", 1),
        ("10:00", 2),
        ("10:30", 2),
    ]


def test_online_requests_count_only_the_desks_not_kept_for_the_phone():
    # Three desks, the third kept for the infoline until two days before (8 December is a
    # week ahead); desk 4, booked when the matter had four, does not count against the three.
    kept = schedule(desks=3, phone_desks=1, phone_release_days=2)
    nine, half_past = warsaw(2026, 12, 8, 9, 0), warsaw(2026, 12, 8, 9, 30)
    taken = {nine.astimezone(UTC): 0b1000, half_past.astimezone(UTC): 0b10010}  # 3; 1 and 4
    day = date(2026, 12, 8)
    online = free_slots(kept, day, day, taken, TUESDAY_MORNING)
    by_phone = free_slots(kept, day, day, taken, TUESDAY_MORNING, online=False)
    assert [(s.start.astimezone(WARSAW).strftime("%H:%M"), s.free) for s in online][:2] == [
        ("09:00", 2),
        ("09:30", 1),
    ]
    assert [(s.start.astimezone(WARSAW).strftime("%H:%M"), s.free) for s in by_phone][:2] == [
        ("09:00", 2),
        ("09:30", 2),
    ]


@pytest.mark.parametrize(
    ("now", "lead_days", "first_day"),
    [
        (warsaw(2026, 12, 1, 9), 1, date(2026, 12, 2)),  # Tuesday → Wednesday
        (warsaw(2026, 12, 4, 9), 1, date(2026, 12, 7)),  # Friday → Monday
        (warsaw(2026, 12, 4, 23, 59), 2, date(2026, 12, 8)),
        (warsaw(2026, 12, 23, 9), 1, date(2026, 12, 28)),  # over Christmas and a weekend
        (warsaw(2026, 12, 1, 9), 0, date(2026, 12, 1)),
    ],
)
def test_lead_time_counts_working_days(now, lead_days, first_day):
    assert schedule(lead_days=lead_days).first_day(now) == first_day


def test_nothing_before_the_lead_time_or_after_the_horizon():
    found = free_slots(
        schedule(horizon_days=7), date(2026, 11, 1), date(2027, 1, 31), {}, TUESDAY_MORNING
    )
    days = sorted({slot.start.astimezone(WARSAW).date() for slot in found})
    assert days[0] == date(2026, 12, 2)
    assert days[-1] == date(2026, 12, 8)


def test_with_no_lead_time_only_slots_still_ahead_today_are_offered():
    found = free_slots(
        schedule(lead_days=0), date(2026, 12, 1), date(2026, 12, 1), {}, warsaw(2026, 12, 1, 9, 30)
    )
    assert local_times(found) == ["2026-12-01 10:00+0100", "2026-12-01 10:30+0100"]


def test_the_utc_date_differs_from_the_local_date_after_midnight():
    night = schedule(windows=[Window(2, time(0, 0), time(1, 0))], lead_days=0, horizon_days=30)
    found = free_slots(night, date(2026, 12, 2), date(2026, 12, 2), {}, TUESDAY_MORNING)
    assert local_times(found) == ["2026-12-02 00:00+0100", "2026-12-02 00:30+0100"]
    assert found[0].start == datetime(2026, 12, 1, 23, 0, tzinfo=UTC)


def test_spring_forward_day_keeps_office_hours_on_the_wall_clock():
    # Sunday 29 March 2026: 02:00 CET becomes 03:00 CEST.
    weekend = [Window(day, time(7, 30), time(9)) for day in range(7)]
    found = free_slots(
        schedule(windows=weekend, horizon_days=400),
        date(2026, 3, 28),
        date(2026, 3, 30),
        {},
        warsaw(2026, 3, 1),
    )
    assert local_times(found) == [
        f"{day} {hour}{offset}"
        for day, offset in (
            ("2026-03-28", "+0100"),
            ("2026-03-29", "+0200"),
            ("2026-03-30", "+0200"),
        )
        for hour in ("07:30", "08:00", "08:30")
    ]


def test_spring_forward_night_skips_the_missing_hour_without_shifting_slots():
    night = [Window(6, time(0), time(6))]
    found = free_slots(
        schedule(windows=night, horizon_days=400, lead_days=0),
        date(2026, 3, 29),
        date(2026, 3, 29),
        {},
        warsaw(2026, 3, 1),
    )
    walls = [slot.start.astimezone(WARSAW).strftime("%H:%M") for slot in found]
    assert walls == ["00:00", "00:30", "01:00", "01:30", "03:00", "03:30", "04:00", "04:30",
                     "05:00", "05:30"]  # fmt: skip
    gaps = {b.start - a.start for a, b in zip(found, found[1:], strict=False)}
    assert gaps == {timedelta(minutes=30)}  # in real time, slots follow each other


def test_fall_back_night_has_distinct_slots_in_the_repeated_hour():
    # Sunday 25 October 2026: 03:00 CEST becomes 02:00 CET; 02:00–03:00 happens twice.
    night = [Window(6, time(0), time(6))]
    found = free_slots(
        schedule(windows=night, horizon_days=400, lead_days=0),
        date(2026, 10, 25),
        date(2026, 10, 25),
        {},
        warsaw(2026, 10, 1),
    )
    starts = [slot.start for slot in found]
    assert len(starts) == len(set(starts)) == 14  # seven real hours, no duplicate instant
    assert local_times(found)[4:8] == [
        "2026-10-25 02:00+0200",
        "2026-10-25 02:30+0200",
        "2026-10-25 02:00+0100",
        "2026-10-25 02:30+0100",
    ]


def test_fall_back_day_keeps_office_hours_on_the_wall_clock():
    found = free_slots(
        schedule(windows=[Window(0, time(9), time(10))], horizon_days=400),
        date(2026, 10, 19),
        date(2026, 10, 26),
        {},
        warsaw(2026, 10, 1),
    )
    assert local_times(found) == [
        "2026-10-19 09:00+0200",
        "2026-10-19 09:30+0200",
        "2026-10-26 09:00+0100",
        "2026-10-26 09:30+0100",
    ]
