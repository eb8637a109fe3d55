"""The clerk's day in one screen: the day's marks on the agenda itself (back to the agenda
after each), the requests waiting counted in the navigation, a week without its empty
weekend, and a printed list to tick and annotate."""

from datetime import timedelta

from sqlalchemy import select

from app.booking.models import Visit, VisitStatus
from app.extensions import db
from tests.pages import page
from tests.staff.conftest import TODAY_TEN
from tests.support import warsaw

S = VisitStatus
AGENDA = "/staff/?day=2026-12-01"


def state_of(visit) -> VisitStatus:
    db.session.expire_all()
    return db.session.scalar(select(Visit.status).where(Visit.id == visit.id))


def test_the_agenda_marks_a_visit_and_comes_back(office, clock, matter, make_visit):
    visit = make_visit(matter, TODAY_TEN)
    later = make_visit(matter, TODAY_TEN + timedelta(hours=2))
    clock.move_to(TODAY_TEN + timedelta(minutes=5))

    agenda = page(office.get(AGENDA), 200)
    marks = agenda.form(f"/staff/visits/{visit.reference}/mark")
    assert [b.label for b in marks.buttons] == ["Arrived", "Attended"]
    assert [b.text for b in marks.buttons] == [
        f"Arrived {visit.reference}",
        f"Attended {visit.reference}",
    ]
    # The later visit may not be marked yet (arrival opens 30 minutes before).
    assert not agenda.has_form(f"/staff/visits/{later.reference}/mark")

    response = office.post(marks.action, data=marks.data(button="Attended"))
    assert response.status_code == 303
    assert response.headers["Location"] == AGENDA
    assert state_of(visit) is S.ATTENDED

    agenda = page(office.get(AGENDA), 200)
    assert "Visit " + visit.reference + ": attended." in agenda.messages
    undo = agenda.form(f"/staff/visits/{visit.reference}/undo")
    response = office.post(undo.action, data=undo.data())
    assert response.headers["Location"] == AGENDA
    assert state_of(visit) is S.CONFIRMED


def test_did_not_come_asks_first_then_comes_back_to_the_agenda(office, clock, matter, make_visit):
    visit = make_visit(matter, TODAY_TEN)
    clock.move_to(TODAY_TEN + timedelta(minutes=20))

    link = page(office.get(AGENDA), 200).link(f"Did not come {visit.reference}")
    question = page(office.get(link.path), 200)
    assert "Mark visit " + visit.reference in question.text
    assert question.link("No, go back").href == AGENDA
    form = question.form(f"/staff/visits/{visit.reference}/mark")
    response = office.post(form.action, data=form.data())
    assert response.headers["Location"] == AGENDA
    assert state_of(visit) is S.NO_SHOW


def test_a_next_address_off_the_site_is_ignored(office, clock, matter, make_visit):
    visit = make_visit(matter, TODAY_TEN)
    clock.move_to(TODAY_TEN + timedelta(minutes=20))
    question = page(office.get(f"/staff/visits/{visit.reference}/no-show?next=//evil.example"))
    assert question.link("No, go back").href == f"/staff/visits/{visit.reference}"


def test_the_navigation_counts_the_requests_waiting(office, matter, make_visit):
    assert "Requests to decide" in page(office.get(AGENDA), 200).text
    assert "Requests to decide (" not in page(office.get(AGENDA)).text
    for hour in (10, 11):
        make_visit(matter, warsaw(2026, 12, 3, hour), status=S.REQUESTED)
    assert page(office.get(AGENDA)).link("Requests to decide (2)").href == "/staff/requests"


def day_headings(week) -> list[str]:
    """The week's days as their headings link to them."""
    return [link.text for link in week.links if link.text.endswith(" 2026")]


def test_the_week_leaves_out_a_weekend_without_reception(office, matter, make_visit):
    week = page(office.get("/staff/?day=2026-12-01&view=week"), 200)
    assert "Week from Monday, 30 November 2026 to Sunday, 6 December 2026" in week.text
    assert "Friday, 4 December 2026" in week.text
    assert day_headings(week) == [
        "Monday, 30 November 2026",
        "Tuesday, 1 December 2026",
        "Wednesday, 2 December 2026",
        "Thursday, 3 December 2026",
        "Friday, 4 December 2026",
    ]
    make_visit(matter, warsaw(2026, 12, 5, 10))  # booked on a Saturday all the same
    week = page(office.get("/staff/?day=2026-12-01&view=week"))
    assert day_headings(week)[-1] == "Saturday, 5 December 2026"
    assert len(day_headings(week)) == 6


def test_the_printed_list_has_a_box_to_tick_and_room_for_remarks(office, matter, make_visit):
    make_visit(matter, TODAY_TEN, name="Łucja Żak")
    printed = page(office.get("/staff/print?day=2026-12-01"), 200)
    headings = printed.part("<thead>", "</thead>")
    assert headings.index("Came") < headings.index("Time") < headings.index("Remarks")
    assert 'class="tick-box"' in printed.html
    assert "Attendance" not in printed.text  # no buttons on paper
