"""The time picker's model (app/booking/picker.py): places with their next free day, a month of
days with their free times counted, the chosen day's times."""

from datetime import date, time

from app.booking.picker import build_picker
from app.booking.states import VisitStatus
from app.database import utcnow
from app.extensions import db
from app.matters.models import Closure, Location, ReceptionWindow
from tests.conftest import WEEKDAYS_9_TO_15
from tests.support import warsaw

# The clock sits on Tuesday 2026-12-01, 9:00; a matter is received 9:00–15:00 on weekdays in
# half-hour slots (12 a day), from the next working day, for 30 days: until Thursday 31 December.
SLOTS_A_DAY = 12


def second_place(matter, slug: str = "second", hours=WEEKDAYS_9_TO_15) -> Location:
    location = Location(
        slug=slug,
        name={"pl": "Drugie miejsce"},
        address="ul. Druga 2, 33-300 Nowy Sącz",
        entrance={},
        hours=[
            ReceptionWindow(weekday=day, opens=opens, closes=closes)
            for day, windows in hours.items()
            for opens, closes in windows
        ],
    )
    matter.locations.append(location)
    db.session.commit()
    return location


def counts(picker) -> dict[date, int]:
    return {day.day: day.free for week in picker.weeks for day in week if day.in_month}


def test_before_a_place_is_chosen_each_place_shows_its_next_free_day(clock, make_matter):
    matter = make_matter()
    # The second place receives on Fridays only: its first free day is Friday 4 December.
    second_place(matter, hours={4: WEEKDAYS_9_TO_15[4]})

    picker = build_picker(matter, utcnow())

    assert picker.location is None and picker.weeks == [] and picker.times == []
    assert [(p.location.slug, p.next_free) for p in picker.places] == [
        (matter.locations[0].slug, date(2026, 12, 2)),
        ("second", date(2026, 12, 4)),
    ]


def test_the_chosen_place_comes_first_with_a_month_of_counted_days(clock, make_matter, make_visit):
    matter = make_matter()
    second = second_place(matter)
    make_visit(matter, warsaw(2026, 12, 3, 10), location=second)  # the one desk at 10:00

    picker = build_picker(matter, utcnow(), place="second")

    assert [p.location.slug for p in picker.places] == ["second", matter.locations[0].slug]
    assert picker.location == second
    assert picker.month == date(2026, 12, 1)
    # Weeks start on Monday: the first row begins with Monday 30 November.
    assert [day.day for day in picker.weeks[0]][:2] == [date(2026, 11, 30), date(2026, 12, 1)]
    assert not picker.weeks[0][0].in_month
    free = counts(picker)
    assert free[date(2026, 12, 1)] == 0  # today: the lead time is one working day
    assert free[date(2026, 12, 2)] == SLOTS_A_DAY
    assert free[date(2026, 12, 3)] == SLOTS_A_DAY - 1  # the visit's time is taken
    assert free[date(2026, 12, 5)] == free[date(2026, 12, 6)] == 0  # a weekend
    assert free[date(2026, 12, 24)] == free[date(2026, 12, 25)] == 0  # public holidays
    assert free[date(2026, 12, 31)] == SLOTS_A_DAY  # the last day of the horizon
    # The first free day is chosen, with its times.
    assert picker.day == date(2026, 12, 2)
    assert [slot.start for slot in picker.times][:2] == [
        warsaw(2026, 12, 2, 9),
        warsaw(2026, 12, 2, 9, 30),
    ]
    assert picker.earlier_month is None and picker.later_month is None


def test_a_day_without_free_times_shows_the_next_free_day_instead(clock, make_matter):
    matter = make_matter()

    weekend = build_picker(matter, utcnow(), day=date(2026, 12, 5))
    chosen = build_picker(matter, utcnow(), day=date(2026, 12, 10))
    beyond = build_picker(matter, utcnow(), day=date(2027, 3, 1))

    assert weekend.day == date(2026, 12, 7)  # the Monday after
    assert chosen.day == date(2026, 12, 10) and len(chosen.times) == SLOTS_A_DAY
    assert beyond.day == date(2026, 12, 2)  # nothing after it: the first free day


def test_months_go_as_far_as_the_horizon_and_no_further(clock, make_matter):
    matter = make_matter(horizon_days=60)  # until Saturday 30 January 2027

    december = build_picker(matter, utcnow())
    january = build_picker(matter, utcnow(), month=date(2027, 1, 1))
    beyond = build_picker(matter, utcnow(), month=date(2027, 5, 1))
    before = build_picker(matter, utcnow(), month=date(2026, 6, 1))

    assert (december.earlier_month, december.later_month) == (None, date(2027, 1, 1))
    assert (january.earlier_month, january.later_month) == (date(2026, 12, 1), None)
    assert january.day == date(2027, 1, 4)  # New Year's Day is a holiday, then a weekend
    assert counts(january)[date(2027, 1, 6)] == 0  # Epiphany
    assert counts(january)[date(2027, 1, 29)] == SLOTS_A_DAY
    assert beyond.month == date(2027, 1, 1)
    assert before.month == date(2026, 12, 1)


def test_a_month_with_no_free_time_has_no_day_chosen(clock, make_matter):
    matter = make_matter(horizon_days=60)
    closure = Closure(
        location=matter.locations[0],
        starts_at=warsaw(2027, 1, 1),
        ends_at=warsaw(2027, 2, 1),
        reason="Remont",
    )
    db.session.add(closure)
    db.session.commit()

    picker = build_picker(matter, utcnow(), month=date(2027, 1, 1))

    assert picker.month == date(2027, 1, 1)
    assert picker.day is None and picker.times == []
    assert set(counts(picker).values()) == {0}
    assert picker.next_free == date(2026, 12, 2)  # the place still has December


def test_the_infoline_and_staff_see_the_desks_kept_for_the_phone(clock, make_matter, make_visit):
    matter = make_matter(desks=2, phone_desks=1, phone_release_days=0)
    make_visit(matter, warsaw(2026, 12, 2, 9))  # the online desk at 9:00 (desk 1)

    online = build_picker(matter, utcnow())
    office = build_picker(matter, utcnow(), online=False)

    assert counts(online)[date(2026, 12, 2)] == SLOTS_A_DAY - 1
    assert counts(office)[date(2026, 12, 2)] == SLOTS_A_DAY


def test_a_move_starts_at_the_visits_place_and_never_offers_its_own_time(
    clock, make_matter, make_visit
):
    matter = make_matter(desks=2)
    second = second_place(matter)
    visit = make_visit(matter, warsaw(2026, 12, 2, 9), location=second)

    picker = build_picker(matter, utcnow(), moving=visit)

    assert picker.location == second
    assert picker.places[0].location == second
    assert warsaw(2026, 12, 2, 9) not in [slot.start for slot in picker.times]
    assert counts(picker)[date(2026, 12, 2)] == SLOTS_A_DAY - 1
    # The same time at the other place is a move.
    elsewhere = build_picker(matter, utcnow(), place=matter.locations[0].slug, moving=visit)
    assert warsaw(2026, 12, 2, 9) in [slot.start for slot in elsewhere.times]


def test_a_cancelled_visit_frees_its_time_in_the_count(clock, make_matter, make_visit):
    matter = make_matter()
    make_visit(matter, warsaw(2026, 12, 2, 9), status=VisitStatus.CANCELLED)

    assert counts(build_picker(matter, utcnow()))[date(2026, 12, 2)] == SLOTS_A_DAY


def test_a_dst_day_counts_its_slots_once(make_matter, clock):
    """The autumn night's repeated hour: a window 0:00–4:00 on Sunday 31 October 2027 lasts
    five real hours, so ten half-hour slots; the grid counts each once."""
    clock.move_to("2027-10-20T09:00:00+02:00")
    matter = make_matter(hours={6: [(time(0), time(4))]})

    picker = build_picker(matter, utcnow())

    assert counts(picker)[date(2027, 10, 31)] == 10
    assert counts(picker)[date(2027, 10, 24)] == 8


def test_a_move_from_a_place_the_matter_no_longer_has_offers_its_places(
    clock, make_matter, make_visit
):
    matter = make_matter()
    second = second_place(matter)
    visit = make_visit(matter, warsaw(2026, 12, 2, 9), location=second)
    matter.locations.remove(second)  # an administrator took the place off the matter
    db.session.commit()

    picker = build_picker(matter, utcnow(), moving=visit)

    assert picker.location == matter.locations[0]  # the one place it has left
    assert [place.location for place in picker.places] == matter.locations
