"""Booking for a caller: free times with the desks kept for the phone, the form, the script."""

import re

import pytest
from sqlalchemy import func, select

from app.booking.models import Visit, VisitChange, VisitStatus
from app.booking.operations import Visitor
from app.booking.phones import normalize_phone
from app.database import utcnow
from app.extensions import db
from tests.mails import calendar_part, outbox
from tests.operator.helpers import CALLER, book, post_form
from tests.pages import get, page
from tests.support import audit_entries, request_online, run_scheduler_once, visits, warsaw

DISABILITY = "orzekanie-o-niepelnosprawnosci"
WEDNESDAY_7_30 = "olszanska|2026-12-02T07:30:00+01:00"
MONDAY_9 = "olszanska|2026-12-07T09:00:00+01:00"


def test_an_operator_books_a_by_phone_matter_in_five_requests(desk, catalog, operator):
    steps = []

    def step(response, status=200):
        steps.append(response.request.path)
        return page(response, status)

    found = step(desk.get("/operator/", query_string={"q": "niepeln"}))
    matter = step(desk.get(found.link("Disability assessment").href))
    form = step(desk.get(matter.hrefs(f"/operator/matters/{DISABILITY}/book")[0]))
    assert "Wednesday, 2 December 2026, 07:30" in form.text
    sent = desk.post(
        f"/operator/matters/{DISABILITY}/book",
        data=form.fields | {"name": "Jan Kowalski", "phone": "600 100 200"},
    )
    assert sent.status_code == 303
    steps.append(sent.request.path)
    script = step(desk.get(sent.location))

    assert len(steps) == 5  # search → matter → time → form → script
    (visit,) = visits()
    assert sent.location == f"/operator/visits/{visit.reference}/script"
    assert visit.reference in script.text
    assert visit.matter.slug == DISABILITY
    assert visit.location.slug == "olszanska"
    assert visit.starts_at == warsaw(2026, 12, 2, 7, 30)
    assert visit.status is VisitStatus.CONFIRMED
    assert (visit.name, visit.phone, visit.email, visit.language) == (
        "Jan Kowalski",
        "+48600100200",
        None,
        "pl",
    )
    assert visit.booked_by_id == operator.id
    assert [(c.actor, c.from_status, c.to_status) for c in visit.changes] == [
        (operator.email, None, VisitStatus.CONFIRMED)
    ]


def test_the_script_has_what_the_caller_must_hear(desk, catalog):
    response = book(desk, DISABILITY, WEDNESDAY_7_30, email="jan@example.pl")
    script = get(desk, response.location)
    (visit,) = visits()
    spaced = "WP – " + " ".join(visit.reference.removeprefix("WP-"))
    for expected in [
        "Your visit is booked for the matter: Disability assessment.",
        "Date: Wednesday, 2 December 2026.",
        "Hour: 7:30.",  # the Warsaw wall clock, as said aloud (06:30 UTC)
        "Address: Voivodeship Disability Assessment Board, ul. Olszańska 5, 31-513 Kraków.",
        "Entrance: The building at ul. Olszańska 5 in Kraków.",
        f"Your reference is: {spaced}. Written together: {visit.reference}.",
        "Only one person may attend the visit.",
        "Please bring: An identity document, the case number",
        "give your reference at the entrance",
        "A confirmation e-mail is on its way to jan@example.pl",
        "600 100 200",
    ]:
        assert expected in script.text
    assert "no confirmation e-mail will be sent" not in script.text


def test_without_an_e_mail_the_script_asks_to_write_the_reference_down(desk, catalog):
    script = get(desk, book(desk, DISABILITY, WEDNESDAY_7_30).location)
    assert "Please write the reference down: no confirmation e-mail will be sent." in script.text
    assert "A confirmation e-mail is on its way" not in script.text


def test_booking_is_audited_without_personal_data(desk, catalog, operator):
    book(desk, DISABILITY, WEDNESDAY_7_30, email="jan@example.pl")
    (visit,) = visits()
    (entry,) = [entry for entry in audit_entries() if entry.action == "visit.book"]
    assert (entry.user_id, entry.actor, entry.target) == (
        operator.id,
        operator.email,
        f"visit {visit.reference}",
    )
    assert entry.before is None
    assert entry.after["status"] == "confirmed"
    assert entry.after["matter_id"] == visit.matter_id
    assert entry.after["starts_at"] == "2026-12-02T06:30:00+00:00"
    assert not {"Kowalski", "600", "jan@example.pl"} & {
        word for value in entry.after.values() for word in re.split(r"[ +]", str(value))
    }


def test_a_confirmation_e_mail_leaves_when_an_e_mail_is_given(desk, catalog, runner, mail_to):
    # Next Monday: far enough for no reminder to leave with the confirmation.
    book(desk, DISABILITY, MONDAY_9, email="jan@example.pl", language="en")
    (visit,) = visits()
    run_scheduler_once(runner)
    (message,) = mail_to.take()
    assert message["To"] == "jan@example.pl"
    assert visit.reference in message["Subject"]
    assert "confirmed" in message["Subject"]
    assert calendar_part(message) is not None


def test_no_e_mail_no_message(desk, catalog, runner, mail_to):
    book(desk, DISABILITY, MONDAY_9)
    assert outbox() == []
    run_scheduler_once(runner)
    assert mail_to.take() == []


@pytest.mark.parametrize("phone", ["", "123", "call me", "600 100 20", "+1 555"])
def test_an_invalid_phone_is_refused_and_nothing_is_stored(desk, catalog, phone):
    response = book(desk, DISABILITY, WEDNESDAY_7_30, phone=phone, email="jan@example.pl")
    shown = page(response, 422)
    assert shown.errors_of("phone")
    assert "Please correct the following" in shown.text
    assert shown.fields["name"] == "Jan Kowalski"  # what was typed stays
    assert shown.fields["email"] == "jan@example.pl"
    assert shown.fields["slot"] == WEDNESDAY_7_30
    assert visits() == []
    assert [e for e in audit_entries() if e.action.startswith("visit.")] == []


def test_name_is_required_and_the_e_mail_must_be_one(desk, catalog):
    shown = page(book(desk, DISABILITY, WEDNESDAY_7_30, name="", email="not-an-address"), 422)
    assert shown.errors_of("name")
    assert shown.errors_of("email")
    assert visits() == []


@pytest.mark.parametrize(
    "same_person", [{"phone": "+48 600-100-200"}, {"phone": "601 100 200", "email": "J@X.PL"}]
)
def test_a_caller_with_a_visit_for_the_matter_is_told_so(desk, catalog, same_person):
    book(desk, DISABILITY, WEDNESDAY_7_30, email="j@x.pl")
    response = book(
        desk, DISABILITY, "olszanska|2026-12-03T07:30:00+01:00", name="Jan K.", **same_person
    )
    shown = page(response, 422)
    assert "This caller (the same phone number or e-mail) already has a visit" in shown.errors_of(
        "phone"
    )
    assert shown.fields["name"] == "Jan K."
    look_up = shown.form("/operator/")
    assert look_up.method == "post"
    assert look_up.fields["visit"] == normalize_phone(same_person["phone"])
    assert len(visits()) == 1


def test_a_time_taken_meanwhile_keeps_the_form_and_offers_the_next_ones(desk, catalog):
    url = f"/operator/matters/{DISABILITY}/book"
    form = get(desk, url, query_string={"slot": WEDNESDAY_7_30})
    # Another operator books the same (single-desk) time first.
    assert book(desk, DISABILITY, WEDNESDAY_7_30, phone="500 000 000").status_code == 303

    response = post_form(desk, url, form, **CALLER | {"email": "jan@example.pl"})
    shown = page(response, 409)
    assert "Somebody has just taken this time." in shown.text
    assert shown.fields["name"] == "Jan Kowalski"
    assert shown.fields["phone"] == "+48600100200"
    assert shown.fields["email"] == "jan@example.pl"
    assert WEDNESDAY_7_30 not in shown.options["slot"]
    assert shown.options["slot"][0] == "olszanska|2026-12-02T08:00:00+01:00"  # the day's next
    assert "slot" not in shown.fields  # none is chosen for the operator

    assert post_form(desk, url, shown, slot=shown.options["slot"][0]).status_code == 303
    assert [v.starts_at for v in visits()] == [
        warsaw(2026, 12, 2, 7, 30),
        warsaw(2026, 12, 2, 8, 0),
    ]


@pytest.mark.parametrize(
    ("slot", "message", "instead"),
    [
        ("olszanska|2026-12-01T13:00:00+01:00", "too soon", WEDNESDAY_7_30),  # today
        ("olszanska|2026-12-02T07:45:00+01:00", "not one of the visit times", WEDNESDAY_7_30),
        ("olszanska|2026-12-25T09:00:00+01:00", "public holiday", "olszanska|2026-12-28T09:00"),
        ("olszanska|2027-02-01T09:00:00+01:00", "too far ahead", WEDNESDAY_7_30),
        ("basztowa-pok|2026-12-02T09:00:00+01:00", "not handled at this location", "olszanska|"),
        ("olszanska|tomorrow", "Choose a time.", WEDNESDAY_7_30),
        ("", "Choose a time.", WEDNESDAY_7_30),
    ],
)
def test_a_time_that_cannot_be_booked_is_explained(desk, catalog, slot, message, instead):
    url = f"/operator/matters/{DISABILITY}/book"
    shown = get(desk, url, query_string={"slot": slot})
    assert message in shown.errors_of("slot")
    assert shown.options["slot"][0].startswith(instead)  # the next free times from that day
    shown = page(post_form(desk, url, shown, **CALLER | {"slot": slot}), 422)
    assert message in shown.errors_of("slot")
    assert shown.text.count(message) == 2  # in the summary at the top and at the field
    assert visits() == []


def test_free_times_include_the_desks_kept_for_the_phone(desk, make_matter, operator):
    matter = make_matter(desks=3, phone_desks=1, phone_release_days=2)
    location = matter.locations[0].slug
    monday_ten = warsaw(2026, 12, 7, 10, 0)
    for n in (1, 2):
        request_online(matter, location, monday_ten, Visitor(f"Osoba {n}", f"o{n}@x.pl"), utcnow())
    db.session.commit()

    online = desk.get(
        f"/api/v1/matters/{matter.slug}/slots",
        query_string={"from": "2026-12-07", "to": "2026-12-07"},
    ).json["slots"]
    online_starts = {slot["start"] for slot in online}
    assert "2026-12-07T09:30:00+01:00" in online_starts
    assert "2026-12-07T10:00:00+01:00" not in online_starts  # desk 3 is kept for the phone

    day_url = f"/operator/matters/{matter.slug}?day=2026-12-07"
    ten = f"/operator/matters/{matter.slug}/book?slot={location}%7C2026-12-07T10:00:00%2B01:00"
    assert ten in get(desk, day_url).hrefs(ten)
    assert "Monday, 7 December 2026, 10:00" in get(desk, ten).text
    assert book(desk, matter.slug, f"{location}|2026-12-07T10:00:00+01:00").status_code == 303
    booked = db.session.scalar(select(Visit).where(Visit.booked_by_id == operator.id))
    assert (booked.starts_at, booked.desk) == (monday_ten, 3)
    assert get(desk, day_url).hrefs(ten) == []  # now all three desks are taken


def test_the_first_free_day_is_shown_with_a_month_of_days_to_pick_from(desk, make_matter):
    matter = make_matter()  # Mon–Fri 9:00–15:00: twelve half-hour times a day
    page = get(desk, f"/operator/matters/{matter.slug}")
    book_url = f"/operator/matters/{matter.slug}/book"
    times = page.hrefs(book_url)
    assert len(times) == 12
    assert "02T09:00" in times[0] and "02T14:30" in times[-1]
    assert "Free times on Wednesday, 2 December 2026" in page.text

    monday = get(desk, page.link("Monday, 7 December 2026: 12 free times").href)
    assert "07T09:00" in monday.hrefs(book_url)[0]
    assert [link for link in monday.links if "Saturday, 5 December" in link.text] == []
    assert "Saturday, 5 December 2026: no free times" in monday.text


def test_a_matter_without_visits_shows_its_channels(desk, catalog):
    page = get(desk, "/operator/matters/przeciwdzialanie-przemocy")
    assert "No visits for this matter" in page.text
    assert "12 39 21 560" in page.text
    assert page.hrefs("/operator/matters/przeciwdzialanie-przemocy/book") == []
    response = desk.get(
        "/operator/matters/przeciwdzialanie-przemocy/book",
        query_string={"slot": "basztowa-pok|2026-12-02T09:00:00+01:00"},
    )
    assert response.status_code == 302
    assert response.location == "/operator/matters/przeciwdzialanie-przemocy"


def test_an_online_matter_can_be_booked_too_at_either_place(desk, catalog):
    page = get(desk, "/operator/matters/fami?location=fami-nowy-sacz")
    times = page.hrefs("/operator/matters/fami/book?")
    assert times and all("fami-nowy-sacz%7C" in href for href in times)
    assert book(desk, "fami", "fami-nowy-sacz|2026-12-02T07:30:00+01:00").status_code == 303
    (visit,) = visits()
    assert (visit.location.slug, visit.status) == ("fami-nowy-sacz", VisitStatus.CONFIRMED)


def test_an_unknown_matter_is_not_found(desk, catalog):
    assert desk.get("/operator/matters/nothing").status_code == 404
    assert desk.get("/operator/matters/nothing/book").status_code == 404


def test_nothing_is_half_stored_when_booking_fails(desk, catalog):
    book(desk, DISABILITY, WEDNESDAY_7_30)
    book(desk, DISABILITY, WEDNESDAY_7_30, phone="500 000 000")  # taken
    assert db.session.scalar(select(func.count()).select_from(Visit)) == 1
    assert db.session.scalar(select(func.count()).select_from(VisitChange)) == 1
