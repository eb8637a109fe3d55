"""Requesting a visit: the held visit, per-person rules, desks that are never over-booked."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.booking import operations
from app.booking.desks import SlotTaken
from app.booking.models import Visit, VisitStatus
from app.booking.operations import Visitor
from app.booking.rules import BookingRefused, Problem
from app.booking.states import Channel
from app.database import utcnow
from app.extensions import db
from app.matters.models import Matter
from app.scheduler.jobs import expire_held, free_released_desks
from tests.support import REFERENCE, WARSAW, race_for_desks, request_online, run_job, warsaw

WEDNESDAY_TEN = warsaw(2026, 12, 2, 10, 0)


def visitor(n: int = 1, **overrides) -> Visitor:
    return Visitor(**({"name": f"Osoba {n}", "email": f"osoba{n}@example.pl"} | overrides))


def test_a_request_holds_a_desk_and_records_how_it_started(clock, make_matter):
    matter = make_matter()
    visit = request_online(matter, matter.locations[0].slug, WEDNESDAY_TEN, visitor(), utcnow())
    db.session.commit()

    stored = db.session.get(Visit, visit.id)
    assert stored.status is VisitStatus.HELD
    assert stored.desk == 1
    assert stored.starts_at == WEDNESDAY_TEN
    assert stored.ends_at - stored.starts_at == matter.slot_length
    assert REFERENCE.fullmatch(stored.reference)
    assert [(c.actor, c.from_status, c.to_status) for c in stored.changes] == [
        ("citizen", None, VisitStatus.HELD)
    ]


def test_a_person_gets_one_active_visit_per_matter(clock, make_matter):
    matter = make_matter(desks=3)
    slug = matter.locations[0].slug
    request_online(matter, slug, WEDNESDAY_TEN, visitor(), utcnow())
    with pytest.raises(BookingRefused) as refused:
        request_online(
            matter,
            slug,
            WEDNESDAY_TEN.replace(hour=11),
            visitor(email="OSOBA1@example.pl"),
            utcnow(),
        )
    assert refused.value.problems == {"person": [Problem.ALREADY_BOOKED_MATTER]}


def test_a_person_gets_a_few_active_visits_in_all(clock, make_matter):
    matters = [make_matter() for _ in range(4)]
    for matter in matters[:3]:
        request_online(matter, matter.locations[0].slug, WEDNESDAY_TEN, visitor(), utcnow())
    with pytest.raises(BookingRefused) as refused:
        request_online(matters[3], matters[3].locations[0].slug, WEDNESDAY_TEN, visitor(), utcnow())
    assert refused.value.problems == {"person": [Problem.TOO_MANY_VISITS]}


def test_the_visitors_own_cancellation_frees_the_desk_ten_minutes_later(clock, make_matter):
    """A reseller who cancels to book the desk for a buyer finds it taken for a while."""
    matter = make_matter()
    slug = matter.locations[0].slug
    request_online(matter, slug, WEDNESDAY_TEN, visitor(1), utcnow())
    db.session.commit()
    with pytest.raises(SlotTaken):
        request_online(matter, slug, WEDNESDAY_TEN, visitor(2), utcnow())
    db.session.rollback()

    visit = db.session.scalar(select(Visit))
    operations.cancel(visit, operations.CITIZEN, "", utcnow())
    db.session.commit()
    assert (visit.desk, visit.desk_free_at) == (1, utcnow() + timedelta(minutes=10))
    with pytest.raises(SlotTaken):
        request_online(matter, slug, WEDNESDAY_TEN, visitor(2), utcnow())
    db.session.rollback()

    clock.shift(timedelta(minutes=9, seconds=59))
    assert run_job(free_released_desks) == 0
    clock.shift(timedelta(seconds=1))
    assert run_job(free_released_desks) == 1
    again = request_online(matter, slug, WEDNESDAY_TEN, visitor(2), utcnow())
    assert again.desk == 1


def test_the_offices_cancellation_frees_the_desk_at_once(clock, make_matter, make_user):
    matter = make_matter()
    slug = matter.locations[0].slug
    visit = request_online(matter, slug, WEDNESDAY_TEN, visitor(1), utcnow())
    db.session.commit()

    office = operations.Actor.office(make_user("operator"), Channel.INFOLINE)
    operations.cancel(visit, office, "At the caller's request.", utcnow())
    db.session.commit()

    assert (visit.desk, visit.desk_free_at) == (None, None)
    assert request_online(matter, slug, WEDNESDAY_TEN, visitor(2), utcnow()).desk == 1


def test_a_request_that_lapsed_frees_its_desk_ten_minutes_later(clock, make_matter):
    matter = make_matter()
    slug = matter.locations[0].slug
    visit = request_online(matter, slug, WEDNESDAY_TEN, visitor(1), utcnow())
    db.session.commit()
    clock.shift(timedelta(minutes=31))
    assert run_job(expire_held) == 1

    lapsed = db.session.get(Visit, visit.id)
    assert (lapsed.status, lapsed.desk) == (VisitStatus.EXPIRED, 1)
    clock.shift(timedelta(minutes=10))
    assert run_job(free_released_desks) == 1
    assert db.session.get(Visit, visit.id).desk is None


def test_a_visit_cannot_skip_its_life(clock, make_matter):
    matter = make_matter()
    visit = request_online(matter, matter.locations[0].slug, WEDNESDAY_TEN, visitor(), utcnow())
    with pytest.raises(BookingRefused) as refused:
        operations.change(visit, VisitStatus.ATTENDED, operations.SCHEDULER)
    assert refused.value.problems == {"visit": [Problem.WRONG_STATE]}
    assert visit.status is VisitStatus.HELD


def race(app, matter_id: int, location_slug: str, contenders: int) -> list[str]:
    """``contenders`` threads, each with its own connection, ask for the same slot at once."""

    def request(n: int) -> None:
        matter = db.session.get(Matter, matter_id)
        request_online(matter, location_slug, WEDNESDAY_TEN, visitor(n), utcnow())

    return race_for_desks(app, contenders, request)


@pytest.mark.parametrize("desks", [1, 3])
def test_racing_requests_never_over_book_a_slot(app, clock, make_matter, desks):
    matter = make_matter(desks=desks)
    matter_id, slug = matter.id, matter.locations[0].slug
    db.session.commit()  # end this thread's transaction: on SQLite it would hold the write lock
    outcomes = race(app, matter_id, slug, contenders=12)

    assert sorted(set(outcomes)) == ["taken", "won"]
    assert outcomes.count("won") == desks
    assert outcomes.count("taken") == 12 - desks
    held = db.session.scalars(select(Visit.desk).where(Visit.matter_id == matter.id)).all()
    assert sorted(held) == list(range(1, desks + 1))


def test_the_database_refuses_a_second_visit_on_the_same_desk(clock, make_matter):
    """Even code that skips ``claim_desk`` cannot over-book: the constraint is in the schema."""
    from sqlalchemy.exc import IntegrityError

    matter = make_matter()
    first = request_online(matter, matter.locations[0].slug, WEDNESDAY_TEN, visitor(), utcnow())
    db.session.commit()
    intruder = Visit(
        reference="WP-TEST22",
        matter_id=matter.id,
        location_id=first.location_id,
        starts_at=first.starts_at,
        ends_at=first.ends_at,
        desk=1,
        status=VisitStatus.CONFIRMED,
        name="X",
        email="x@example.pl",
    )
    db.session.add(intruder)
    with pytest.raises(IntegrityError) as refused:
        db.session.commit()
    assert "x@example.pl" not in str(refused.value)  # personal data stays out of error logs
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Visit)) == 1


def test_a_closure_for_one_unit_leaves_other_units_at_the_same_place_open(clock, make_matter):
    from app.booking.schedule import matter_free_slots
    from app.matters.models import Closure

    first = make_matter()
    second = make_matter(locations=first.locations)  # another unit, the same place
    day = WEDNESDAY_TEN.replace(hour=0)
    db.session.add(
        Closure(
            location_id=first.locations[0].id,
            unit_id=first.unit_id,
            starts_at=day,
            ends_at=day.replace(day=3),
            reason="szkolenie",
        )
    )
    db.session.commit()

    def wednesday_slots(matter):
        slots = matter_free_slots(matter, matter.locations, utcnow())
        return [s for _, s in slots if s.start.astimezone(WARSAW).date() == day.date()]

    assert wednesday_slots(first) == []
    assert len(wednesday_slots(second)) == 12
