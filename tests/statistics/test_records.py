"""What the scheduler records for the statistics: the offer of each day as it stood, and once
a day how far ahead the first free time was."""

from datetime import date, time, timedelta

from sqlalchemy import select

from app.database import utcnow
from app.extensions import db
from app.matters.models import Closure, ReceptionWindow
from app.scheduler.runs import record_success
from app.statistics.models import FreeDateSample, OfferedDesks
from app.statistics.records import record_statistics
from tests.support import warsaw

TODAY = date(2026, 12, 1)  # the clock's Tuesday


def offer(day: date) -> dict[int, int]:
    rows = db.session.scalars(select(OfferedDesks).where(OfferedDesks.day == day))
    return {row.hour: row.desk_slots for row in rows}


def samples() -> dict[date, int | None]:
    return {s.day: s.days_ahead for s in db.session.scalars(select(FreeDateSample))}


def test_it_records_today_and_the_days_a_stopped_scheduler_left_out(clock, make_matter):
    make_matter(desks=3)  # Monday to Friday 9:00–15:00, 30-minute slots
    record_statistics(utcnow())
    every_hour = {hour: 2 * 3 for hour in range(9, 15)}
    assert offer(TODAY) == every_hour
    # The week before: its working days (the weekend receives nobody).
    for back in range(1, 8):
        day = TODAY - timedelta(days=back)
        assert offer(day) == (every_hour if day.weekday() < 5 else {})
    assert offer(TODAY - timedelta(days=8)) == {}


def test_a_day_gone_by_keeps_its_offer_and_today_follows_changes(clock, make_matter):
    matter = make_matter(desks=2)
    record_statistics(utcnow())
    matter.desks = 4
    db.session.add(
        Closure(
            location_id=matter.locations[0].id,
            starts_at=warsaw(2026, 12, 1, 12),
            ends_at=warsaw(2026, 12, 1, 15),
            reason="Szkolenie",
        )
    )
    db.session.commit()
    assert record_statistics(utcnow()) == 2  # 10:00 and 11:00 anew, the rest left out
    # 9:00 has begun (as it was offered), four desks from 10:00, closed after noon.
    assert offer(TODAY) == {9: 4, 10: 8, 11: 8}
    assert offer(TODAY - timedelta(days=1)) == {hour: 4 for hour in range(9, 15)}  # as it was


def test_a_day_without_reception_gets_no_offer_from_a_later_change(clock, make_matter):
    matter = make_matter(desks=1)
    record_success(record_statistics.__name__, utcnow(), record_statistics(utcnow()))
    saturday = TODAY - timedelta(days=3)
    assert offer(saturday) == {}
    location = matter.locations[0]
    location.hours.append(ReceptionWindow(weekday=5, opens=time(9), closes=time(11)))
    db.session.commit()

    clock.shift(timedelta(hours=1))
    record_success(record_statistics.__name__, utcnow(), record_statistics(utcnow()))
    assert offer(saturday) == {}  # it received nobody then

    clock.shift(timedelta(days=5))  # a scheduler stopped from Tuesday to Sunday
    record_statistics(utcnow())
    assert offer(saturday + timedelta(days=7)) == {9: 2, 10: 2}  # left out, recorded now
    assert offer(TODAY + timedelta(days=1)) == {hour: 2 for hour in range(9, 15)}


def test_the_first_free_time_is_sampled_once_a_day(clock, make_matter, make_visit):
    matter = make_matter()  # one desk, bookable from tomorrow (a working day ahead)
    for hour in range(9, 15):
        for minute in (0, 30):
            make_visit(matter, warsaw(2026, 12, 2, hour, minute))
    record_statistics(utcnow())
    assert samples() == {TODAY: 2}  # tomorrow is full: the day after

    make_visit(matter, warsaw(2026, 12, 3, 9))
    clock.move_to(warsaw(2026, 12, 1, 15))
    assert record_statistics(utcnow()) == 0  # the same offer, and no second sample
    assert samples() == {TODAY: 2}
    clock.move_to(warsaw(2026, 12, 2, 0, 5))
    record_statistics(utcnow())
    assert samples() == {TODAY: 2, date(2026, 12, 2): 1}


def test_nothing_free_within_the_horizon_is_recorded_as_such(clock, make_matter, make_visit):
    matter = make_matter(horizon_days=2)  # tomorrow and the day after may be booked
    for day in (2, 3):
        for hour in range(9, 15):
            for minute in (0, 30):
                make_visit(matter, warsaw(2026, 12, day, hour, minute))
    record_statistics(utcnow())
    assert samples() == {TODAY: None}
