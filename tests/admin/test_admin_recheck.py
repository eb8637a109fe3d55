"""An administrator's change of hours, closures, desks or places marks the booked visits it may
have made impossible, says how many, and the scheduler's re-check then looks at those visits
(and no others): it cancels the ones that no longer fit and tells their people, and moves a
visit to a lower desk of its slot where one is free."""

from datetime import datetime

import pytest

from app.booking.models import VisitStatus
from app.extensions import db
from app.matters.models import Closure
from app.scheduler.jobs import recheck_marked
from tests.admin.test_admin_catalog import hours_form, matter_form
from tests.mails import outbox
from tests.pages import page as page_of
from tests.support import fresh, run_job, warsaw

S = VisitStatus
pytestmark = pytest.mark.usefixtures("clock")  # Tuesday 1 December 2026, 9:00


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return warsaw(2026, 12, day, hour, minute)


def told() -> list[tuple[str, str]]:
    return [(row.kind, row.recipient) for row in outbox()]


def through_check(client, path: str, data: dict, heading: str, called_off: list) -> str:
    """Send a change that calls off visits: the check page names them, nothing is saved yet;
    sent again from it, the change is saved. The page that follows, as text."""
    check = page_of(client.post(path, data=data), 200)
    assert check.part("<h1>", "</h1>") == heading
    assert check.html.count('<th scope="row">') == len(called_off)
    for visit in called_off:
        assert visit.reference in check.text
    assert not any(fresh(visit).recheck_at for visit in called_off)  # nothing saved yet
    again = check.form(path)
    return client.post(again.action, data=again.data(), follow_redirects=True).get_data(
        as_text=True
    )


@pytest.fixture
def matter(make_matter):
    return make_matter(desks=3)


def test_new_hours_cancel_the_visits_outside_them(client, admin, matter, make_visit, make_matter):
    monday_nine = make_visit(matter, at(7, 9))
    tuesday_nine = make_visit(matter, at(8, 9))
    elsewhere = make_visit(make_matter(), at(7, 9))  # another place: not touched
    data = hours_form(**{day: "09:00-15:00" for day in ("tue", "wed", "thu", "fri")})
    data["mon"] = "10:00-14:00"

    path = f"/admin/locations/{matter.locations[0].id}/hours"
    heading = "This change of hours calls off 1 booked visit"
    page = through_check(client, path, data, heading, called_off=[monday_nine])
    assert "2 booked visits may be affected." in page
    assert fresh(elsewhere).recheck_at is None

    assert run_job(recheck_marked) == 2
    assert (fresh(monday_nine).status, fresh(tuesday_nine).status) == (S.CANCELLED, S.CONFIRMED)
    assert fresh(monday_nine).reason == "This is not one of the visit times in the reception hours."
    assert told() == [("cancellation", monday_nine.email)]
    assert run_job(recheck_marked) == 0


@pytest.mark.parametrize(
    ("desks", "outcome"),
    [
        pytest.param(2, (S.CONFIRMED, 2), id="a lower desk is free: the visit moves to it"),
        pytest.param(1, (S.CANCELLED, None), id="no desk left: the visit is cancelled"),
    ],
)
def test_fewer_desks_move_or_cancel_the_visits_on_the_desks_gone(
    client, admin, matter, make_visit, desks, outcome
):
    first = make_visit(matter, at(2, 10))
    second = make_visit(matter, at(2, 10))
    third = make_visit(matter, at(2, 10))
    db.session.delete(second)  # desk 2 is free again
    db.session.commit()
    assert (first.desk, third.desk) == (1, 3)

    path, data = f"/admin/matters/{matter.id}", matter_form(matter, desks=str(desks))
    if outcome[0] is S.CANCELLED:
        heading = "This change of the matter calls off 1 booked visit"
        page = through_check(client, path, data, heading, called_off=[third])
    else:  # nothing called off: saved at once
        page = client.post(path, data=data, follow_redirects=True).get_data(as_text=True)
        assert fresh(third).desk == 3  # the check moved nothing: the scheduler does
    assert "1 booked visit may be affected." in page

    assert run_job(recheck_marked) == 1
    third = fresh(third)
    assert (third.status, third.desk) == outcome
    assert (fresh(first).status, fresh(first).desk) == (S.CONFIRMED, 1)
    if third.status is S.CANCELLED:
        assert third.reason == "The office now receives fewer visitors at this time."
        assert told() == [("cancellation", third.email)]
    else:
        assert told() == []  # the same time, another desk: nothing for the visitor to know


def test_a_place_taken_off_a_matter_cancels_its_visits_there(
    client, admin, matter, make_visit, make_matter
):
    second_place = make_matter(location_slug="second-place").locations[0]
    matter.locations.append(second_place)
    db.session.commit()
    there = make_visit(matter, at(2, 10), location=second_place)
    here = make_visit(matter, at(2, 10))

    data = matter_form(matter, locations=[matter.locations[0].slug])
    heading = "This change of the matter calls off 1 booked visit"
    page = through_check(client, f"/admin/matters/{matter.id}", data, heading, called_off=[there])
    assert "1 booked visit may be affected." in page
    assert fresh(there).matter.locations == [here.location]

    assert run_job(recheck_marked) == 1
    assert fresh(there).status is S.CANCELLED
    assert fresh(there).reason == "This matter is not handled at this location."
    assert fresh(here).status is S.CONFIRMED


def test_a_new_slot_length_cancels_the_visits_off_its_grid(client, admin, matter, make_visit):
    on_grid = make_visit(matter, at(2, 10))
    off_grid = make_visit(matter, at(2, 10, 30))

    data = matter_form(matter, slot_minutes="60")
    heading = "This change of the matter calls off 1 booked visit"
    page = through_check(client, f"/admin/matters/{matter.id}", data, heading, [off_grid])
    assert "2 booked visits may be affected." in page

    assert run_job(recheck_marked) == 2
    assert (fresh(on_grid).status, fresh(off_grid).status) == (S.CONFIRMED, S.CANCELLED)


def test_a_closure_marks_only_the_visits_in_it_and_requests_are_declined(
    client, admin, matter, make_visit
):
    confirmed = make_visit(matter, at(3, 10))
    requested = make_visit(matter, at(3, 11), status=S.REQUESTED)
    outside = make_visit(matter, at(3, 14))
    data = {
        "location": matter.locations[0].slug,
        "first_day": "2026-12-03",
        "last_day": "",
        "starts": "09:00",
        "ends": "13:00",
        "reason": "Szkolenie",
    }
    check = page_of(client.post("/admin/closures/new", data=data), 200)
    assert "This closure calls off 2 booked visits" in check.text
    assert outside.reference not in check.text
    again = check.form("/admin/closures/new")
    response = client.post(again.action, data=again.data(), follow_redirects=True)
    assert "2 booked visits may be affected." in response.get_data(as_text=True)
    assert fresh(outside).recheck_at is None

    assert run_job(recheck_marked) == 2
    assert fresh(confirmed).status is S.CANCELLED
    assert fresh(requested).status is S.DECLINED
    assert fresh(outside).status is S.CONFIRMED
    assert sorted(kind for kind, _ in told()) == ["cancellation", "declined"]


def test_the_recheck_looks_only_at_marked_visits(matter, make_visit):
    """A closure written behind the product's back is not seen: the re-check is no full scan
    (every door that changes hours, closures, desks or places marks what it touches)."""
    visit = make_visit(matter, at(3, 10))
    db.session.add(
        Closure(location=matter.locations[0], starts_at=at(3, 0), ends_at=at(4, 0), reason="x")
    )
    assert run_job(recheck_marked) == 0
    assert fresh(visit).status is S.CONFIRMED
