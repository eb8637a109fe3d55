"""Each booking rule says exactly what is wrong (pure functions)."""

from datetime import date, datetime, time

import holidays
import pytest

from app.booking.rules import MAX_ACTIVE_VISITS_PER_PERSON, Problem, person_problem, start_problem
from app.booking.slots import Interval, Schedule, Window
from tests.support import WARSAW, warsaw

NOW = warsaw(2026, 12, 1, 9, 0)  # a Tuesday
SCHEDULE = Schedule(
    timezone=WARSAW,
    windows=[Window(day, time(9), time(15)) for day in range(5)],
    closures=[Interval(warsaw(2026, 12, 3, 12), warsaw(2026, 12, 3, 13))],
    holidays=holidays.country_holidays("PL"),
    horizon_days=30,
)


@pytest.mark.parametrize(
    ("start", "problem"),
    [
        (datetime(2026, 12, 2, 9, 0), None),
        (datetime(2026, 12, 2, 14, 30), None),
        (datetime(2026, 11, 30, 10, 0), Problem.IN_PAST),
        (datetime(2026, 12, 1, 10, 0), Problem.BEFORE_LEAD_TIME),
        (datetime(2027, 1, 4, 10, 0), Problem.AFTER_HORIZON),
        (datetime(2026, 12, 25, 10, 0), Problem.HOLIDAY),
        (datetime(2026, 12, 3, 12, 30), Problem.CLOSED),
        (datetime(2026, 12, 2, 8, 30), Problem.OUTSIDE_HOURS),
        (datetime(2026, 12, 2, 15, 0), Problem.OUTSIDE_HOURS),
        (datetime(2026, 12, 2, 9, 10), Problem.OUTSIDE_HOURS),  # not on the slot grid
        (datetime(2026, 12, 5, 10, 0), Problem.OUTSIDE_HOURS),  # Saturday
    ],
)
def test_start_problem(start, problem):
    assert start_problem(SCHEDULE, start.replace(tzinfo=WARSAW), NOW) is problem


def test_last_day_of_the_horizon_is_allowed():
    last = SCHEDULE.last_day(NOW)
    assert last == date(2026, 12, 31)
    assert start_problem(SCHEDULE, datetime.combine(last, time(9), WARSAW), NOW) is None


def test_one_active_visit_per_person_per_matter():
    assert person_problem(7, []) is None
    assert person_problem(7, [3]) is None
    assert person_problem(7, [3, 7]) is Problem.ALREADY_BOOKED_MATTER


def test_a_person_may_hold_only_a_few_visits_at_once():
    others = list(range(100, 100 + MAX_ACTIVE_VISITS_PER_PERSON))
    assert person_problem(7, others[:-1]) is None
    assert person_problem(7, others) is Problem.TOO_MANY_VISITS
