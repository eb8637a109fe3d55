"""Closures entered by the unit: whole days or hours at a place of theirs, validated, audited;
the scheduler's re-check then cancels the visits that fall in one and e-mails the people."""

from sqlalchemy import select

from app.booking.models import VisitStatus
from app.extensions import db
from app.matters.models import Closure
from tests.mails import calendar_method
from tests.pages import page
from tests.support import audit_entries, run_scheduler_once, visit_by, warsaw

S = VisitStatus


def closures() -> list[Closure]:
    db.session.expire_all()
    return list(db.session.scalars(select(Closure).order_by(Closure.id)))


def add_form(client):
    return page(client.get("/staff/closures")).form("/staff/closures")


def test_a_whole_day_closure_cancels_the_visits_in_it_and_tells_the_people(
    office, runner, mail_to, matter, make_visit
):
    hit = make_visit(matter, warsaw(2026, 12, 3, 10, 0), language="en")
    spared = make_visit(matter, warsaw(2026, 12, 4, 10, 0))
    form = add_form(office)
    assert form.options["location"] == [str(matter.locations[0].id)]

    response = office.post(
        form.action,
        data=form.data(
            location=form.options["location"][0], first_day="2026-12-03", reason="Szkolenie"
        ),
    )
    # First what it would call off; nothing is saved until that is seen.
    check = page(response, 200)
    assert "This closure calls off 1 booked visit" in check.text
    assert hit.reference in check.text and spared.reference not in check.text
    assert closures() == [] and audit_entries() == []
    again = check.form("/staff/closures")
    assert again.hidden["reason"] == "Szkolenie" and again.hidden["confirmed"] == "y"
    response = office.post(again.action, data=again.data())
    assert response.status_code == 303
    listing = page(office.get(response.headers["Location"]))
    assert "The closure is saved." in listing.text
    assert "1 booked visit may be affected. Within a few minutes the scheduler" in listing.text
    unit_name = matter.unit.name["pl"]
    assert f"Thursday, 3 December 2026 Miejsce 1 {unit_name} Szkolenie" in listing.text

    (closure,) = closures()
    assert (closure.starts_at, closure.ends_at) == (
        warsaw(2026, 12, 3, 0, 0),
        warsaw(2026, 12, 4, 0, 0),
    )
    (entry,) = audit_entries()
    assert (entry.action, entry.target, entry.before) == (
        "closure.add",
        f"closure {closure.id}",
        None,
    )
    assert entry.after == {
        "location_id": matter.locations[0].id,
        "unit_id": matter.unit_id,  # the staff member's unit only
        "starts_at": "2026-12-03T00:00:00+01:00",
        "ends_at": "2026-12-04T00:00:00+01:00",
        "reason": "Szkolenie",
    }

    run_scheduler_once(runner)
    assert visit_by(hit.reference).status is S.CANCELLED
    assert visit_by(spared.reference).status is S.CONFIRMED
    (mail,) = mail_to.take()
    assert mail["To"] == hit.email
    assert mail["Subject"] == f"Your visit {hit.reference} is cancelled"
    assert calendar_method(mail) == "CANCEL"


def test_a_closure_of_some_hours_across_two_days(office, matter, make_visit):
    make_visit(matter, warsaw(2026, 12, 4, 9, 30))  # in the closure
    make_visit(matter, warsaw(2026, 12, 4, 10, 0))  # starts as it ends: not in it
    form = add_form(office)
    check = office.post(
        form.action,
        data=form.data(
            location=str(matter.locations[0].id),
            first_day="2026-12-03",
            starts="12:00",
            last_day="2026-12-04",
            ends="10:00",
            reason="Przeprowadzka",
        ),
    )
    again = page(check, 200).form("/staff/closures")
    assert office.post(again.action, data=again.data()).status_code == 303
    (closure,) = closures()
    assert (closure.starts_at, closure.ends_at) == (
        warsaw(2026, 12, 3, 12, 0),
        warsaw(2026, 12, 4, 10, 0),
    )
    text = page(office.get("/staff/closures")).text
    assert "Thursday, 3 December 2026, 12:00 – Friday, 4 December 2026, 10:00" in text
    assert "1 booked visit may be affected" in text


def test_a_closure_of_some_hours_on_one_day(office, matter):
    form = add_form(office)
    office.post(
        form.action,
        data=form.data(
            location=str(matter.locations[0].id),
            first_day="2026-12-03",
            starts="10:00",
            ends="12:00",
            reason="Awaria prądu",
        ),
    )
    (closure,) = closures()
    assert (closure.starts_at, closure.ends_at) == (
        warsaw(2026, 12, 3, 10, 0),
        warsaw(2026, 12, 3, 12, 0),
    )
    text = page(office.get("/staff/closures")).text
    assert "Thursday, 3 December 2026, 10:00–12:00" in text
    assert "No booked visit is affected." in text


def test_wrong_closures_are_explained_and_nothing_is_saved(office, matter):
    form = add_form(office)
    place = str(matter.locations[0].id)
    cases = [
        ({"first_day": "3.12.2026", "reason": "x"}, "Enter a day as YYYY-MM-DD."),
        ({"first_day": "", "reason": "x"}, "Enter a day as YYYY-MM-DD."),
        ({"first_day": "2026-12-03", "reason": "  "}, "Write why the place is closed."),
        (
            {"first_day": "2026-12-04", "last_day": "2026-12-03", "reason": "x"},
            "The last day cannot come before the first day.",
        ),
        (
            {"first_day": "2026-12-03", "starts": "12:00", "ends": "10:00", "reason": "x"},
            "The closure must end after it starts.",
        ),
        (
            {"first_day": "2026-12-03", "starts": "25:00", "reason": "x"},
            "Not a valid time value.",
        ),
        (
            {"first_day": "2026-11-30", "reason": "x"},
            "This time is over; a closure must end in the future.",
        ),
        ({"location": "", "first_day": "2026-12-03", "reason": "x"}, "Choose a place."),
        (
            {"first_day": "2026-12-03", "last_day": "9999-12-31", "reason": "x"},
            "Enter a day between the years 2000 and 2999.",
        ),
        ({"first_day": "0001-01-01", "reason": "x"}, "Enter a day between the years 2000"),
    ]
    for values, error in cases:
        response = office.post(form.action, data=form.data(**({"location": place} | values)))
        assert response.status_code == 400, values
        shown = page(response).text
        assert "Please correct the following" in shown and error in shown, (values, shown[-600:])
    assert closures() == [] and audit_entries() == []


def test_remove_a_closure(office, matter):
    closure = Closure(
        location=matter.locations[0],
        starts_at=warsaw(2026, 12, 3, 0, 0),
        ends_at=warsaw(2026, 12, 4, 0, 0),
        reason="Szkolenie",
    )
    past = Closure(
        location=matter.locations[0],
        starts_at=warsaw(2026, 11, 3, 0, 0),
        ends_at=warsaw(2026, 11, 4, 0, 0),
        reason="Dawno temu",
    )
    db.session.add_all([closure, past])
    db.session.commit()
    listing = page(office.get("/staff/closures"))
    assert "Dawno temu" not in listing.text  # only closures still to come
    form = listing.form(f"/staff/closures/{closure.id}/remove")

    response = office.post(form.action, data=form.data("Remove"))
    assert response.status_code == 303
    assert "The closure is removed." in page(office.get(response.headers["Location"])).text
    assert [c.reason for c in closures()] == ["Dawno temu"]
    (entry,) = audit_entries()
    assert (entry.action, entry.after) == ("closure.remove", None)
    assert entry.before["reason"] == "Szkolenie"


def test_staff_choose_only_the_places_of_their_units(clock, matter, make_matter, make_user, log_in):
    other = make_matter()
    client = log_in(make_user("staff", units=[other.unit]))
    form = add_form(client)
    assert form.options["location"] == [str(other.locations[0].id)]
    refused = client.post(
        form.action,
        data=form.data(location=str(matter.locations[0].id), first_day="2026-12-03", reason="x"),
    )
    assert refused.status_code == 403
    assert closures() == [] and audit_entries() == []
