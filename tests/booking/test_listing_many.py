"""Free slots of several matters and places listed at once (the public list's first free days)."""

from datetime import date

from app.booking.schedule import first_free_days, matter_free_slots, places_free_slots
from app.database import utcnow
from app.extensions import db
from tests.support import WARSAW


def test_a_place_shared_by_two_matters_keeps_each_matters_desks_apart(
    clock, make_matter, make_visit
):
    first, second = make_matter(desks=1), make_matter(desks=1)
    second.locations = first.locations  # both received at one place
    db.session.commit()
    place, now = first.locations[0], utcnow()
    start = matter_free_slots(first, [place], now)[0][1].start
    make_visit(first, start)
    listed = places_free_slots([(first, place), (second, place)], now)
    assert start not in [slot.start for slot in listed[first.id, place.id]]
    assert start in [slot.start for slot in listed[second.id, place.id]]


def test_a_matter_whose_first_day_is_full_has_its_next_day_first(clock, make_matter, make_visit):
    # Tuesday 1 December, 9:00: a working day's lead time makes Wednesday the first day.
    full, open_one = make_matter(desks=1), make_matter(desks=1)
    for _place, slot in matter_free_slots(full, full.locations, utcnow()):
        if slot.start.astimezone(WARSAW).date() == date(2026, 12, 2):
            make_visit(full, slot.start)
    assert first_free_days([full, open_one], utcnow()) == {
        full.id: date(2026, 12, 3),
        open_one.id: date(2026, 12, 2),
    }
