"""The office claims desks under the same database guard as citizens: two operators booking,
or two staff members moving visits, into the last desk of a slot never both succeed."""

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.booking import operations
from app.booking.models import Visit
from app.booking.operations import Visitor
from app.booking.states import Channel
from app.database import utcnow
from app.extensions import db
from app.matters.models import Matter
from tests.support import book_by_phone, race_for_desks, warsaw

WEDNESDAY_TEN = warsaw(2026, 12, 2, 10, 0)


def caller(n: int) -> Visitor:
    return Visitor(name=f"Osoba {n}", email=None, phone=f"+4860010020{n}")


@pytest.fixture
def operators(make_user):
    return [make_user("operator") for _ in range(6)]


def test_operators_booking_the_last_desk_at_once(app, clock, make_matter, operators):
    matter = make_matter(desks=2, phone_desks=1)
    matter_id, slug = matter.id, matter.locations[0].slug
    operator_ids = [operator.id for operator in operators]
    db.session.commit()  # end this thread's transaction (on SQLite it would hold the lock)

    def book(n: int) -> None:
        book_by_phone(
            db.session.get(Matter, matter_id),
            slug,
            WEDNESDAY_TEN,
            caller(n),
            db.session.get(User, operator_ids[n]),
            now=utcnow(),
        )

    outcomes = race_for_desks(app, len(operator_ids), book)
    assert sorted(outcomes) == ["taken"] * 4 + ["won"] * 2
    desks = db.session.scalars(select(Visit.desk).where(Visit.matter_id == matter_id)).all()
    assert sorted(desks) == [1, 2]  # the kept desk included: operators may take it


def test_staff_moving_two_visits_into_the_last_desk_at_once(app, clock, make_matter, operators):
    matter = make_matter(desks=1)
    slug = matter.locations[0].slug
    references = [
        book_by_phone(
            matter,
            slug,
            WEDNESDAY_TEN.replace(hour=hour),
            caller(n),
            operators[0],
            now=utcnow(),
        ).reference
        for n, hour in enumerate((11, 12))
    ]
    db.session.commit()

    def move(n: int) -> None:
        visit = db.session.scalar(select(Visit).where(Visit.reference == references[n]))
        staff = operations.Actor("staff@urzad.example", Channel.STAFF)
        operations.move(visit, slug, WEDNESDAY_TEN, staff, utcnow())

    outcomes = race_for_desks(app, 2, move)
    assert sorted(outcomes) == ["taken", "won"]
    db.session.expire_all()
    at_ten = db.session.scalars(select(Visit).where(Visit.starts_at == WEDNESDAY_TEN)).all()
    assert len(at_ten) == 1
    loser = next(v for v in db.session.scalars(select(Visit)) if v.starts_at != WEDNESDAY_TEN)
    assert loser.desk == 1  # the loser keeps its own time and desk
