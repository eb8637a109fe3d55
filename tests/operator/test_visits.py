"""A visit the caller asks about: look it up by reference or phone, cancel it, move it."""

import pytest
from sqlalchemy import select

from app.booking import operations
from app.booking.models import Visit, VisitStatus
from app.booking.operations import Visitor
from app.database import utcnow
from app.extensions import db
from app.matters.models import Matter
from tests.mails import outbox
from tests.pages import get, page
from tests.support import audit_entries, book_by_phone, request_online, visits, warsaw

DISABILITY = "orzekanie-o-niepelnosprawnosci"


def booked(operator, start=None, phone="+48600100200", email=None, slug=DISABILITY) -> Visit:
    """A visit an operator booked for Jan Kowalski, committed."""
    matter = db.session.scalar(select(Matter).where(Matter.slug == slug))
    visit = book_by_phone(
        matter,
        matter.locations[0].slug,
        start or warsaw(2026, 12, 7, 9, 0),
        Visitor("Jan Kowalski", email, phone),
        operator,
        now=utcnow(),
    )
    db.session.commit()
    return visit


@pytest.fixture
def visit(desk, catalog, operator) -> Visit:
    return booked(operator, email="jan@example.pl")


# --- Looking up ---------------------------------------------------------------------------------


def find(desk, typed: str):
    """The visit box of the start screen, sent as the browser sends it (POST)."""
    return page(desk.post("/operator/", data={"visit": typed}))


def test_look_up_by_reference_however_it_is_typed(desk, visit):
    code = visit.reference.removeprefix("WP-")
    for typed in [visit.reference, visit.reference.lower(), code, f"wp {code.lower()}"]:
        page = find(desk, typed)
        assert page.hrefs("/operator/visits/") == [
            f"/operator/visits/{visit.reference}",
            f"/operator/visits/{visit.reference}/move",
            f"/operator/visits/{visit.reference}/cancel",
        ], typed
        row = page.part("<tbody>", "</tbody>")
        assert "Monday, 7 December 2026, 09:00" in row
        assert "Disability assessment" in row
        assert "confirmed" in row
        assert "Jan Kowalski" in row


def test_what_the_caller_gives_stays_out_of_addresses(desk, visit):
    start = get(desk, "/operator/")
    # The visit box posts, so a phone number is never in a URL, an access log or the history.
    assert [form.method for form in start.forms if "visit" in form.fields] == ["post"]
    # The old address of a search finds nothing: it does not search by GET.
    assert get(desk, "/operator/?visit=600100200").hrefs("/operator/visits/") == []


def test_look_up_by_phone_finds_every_visit_of_the_caller(desk, catalog, operator):
    first = booked(operator)
    other = booked(operator, slug="fami", start=warsaw(2026, 12, 8, 10, 0))
    booked(operator, phone="+48500000000", start=warsaw(2026, 12, 8, 10, 0))  # somebody else
    for typed in ["600 100 200", "+48600100200", "0048 600-100-200", "600100200"]:
        page = find(desk, typed)
        found = [href for href in page.hrefs("/operator/visits/") if href.count("/") == 3]
        assert found == [
            f"/operator/visits/{other.reference}",
            f"/operator/visits/{first.reference}",
        ]


def test_a_foreign_phone_number_is_found_too(desk, catalog, operator):
    visit = booked(operator, phone="+380671234567")
    page = find(desk, "+380 67 123 4567")
    assert f"/operator/visits/{visit.reference}" in page.hrefs("/operator/visits/")


@pytest.mark.parametrize("typed", ["WP-22222Z", "500 000 000", "hello", "12"])
def test_nothing_found_says_so(desk, visit, typed):
    page = find(desk, typed)
    assert "No visit has this reference or phone number." in page.text
    assert page.hrefs("/operator/visits/") == []


def test_the_visit_page_shows_who_booked_it_and_its_history(desk, visit, operator):
    page = get(desk, f"/operator/visits/{visit.reference.lower()}")
    assert "600 100 200" in page.text
    assert "jan@example.pl" in page.text
    assert f"by {operator.email} for the caller" in page.text
    assert "booked for a caller" in page.text
    assert desk.get("/operator/visits/WP-22222Z").status_code == 404
    assert desk.get("/operator/visits/nonsense").status_code == 404


def test_an_online_visit_shows_it_was_booked_online(desk, catalog):
    matter = db.session.scalar(select(Matter).where(Matter.slug == "fami"))
    visit = request_online(
        matter, "fami-krakow", warsaw(2026, 12, 7, 10), Visitor("Olena", "o@x.pl"), utcnow()
    )
    db.session.commit()
    page = get(desk, f"/operator/visits/{visit.reference}")
    assert "online by the visitor" in page.text
    assert "waiting for your e-mail confirmation" in page.text


# --- Cancelling ---------------------------------------------------------------------------------


def test_cancel_asks_first_then_cancels_with_the_reason(desk, visit, operator):
    url = f"/operator/visits/{visit.reference}/cancel"
    page = get(desk, url)
    assert f"Cancel the visit {visit.reference}?" in page.text
    assert page.fields["reason"] == "At the caller's request."
    assert visits()[0].status is VisitStatus.CONFIRMED  # the GET changed nothing

    response = desk.post(url, data={"reason": "The caller is ill."})
    assert response.status_code == 303
    assert response.location == f"/operator/visits/{visit.reference}"
    (cancelled,) = visits()
    assert cancelled.status is VisitStatus.CANCELLED
    assert cancelled.desk is None  # the time is free again
    assert cancelled.reason == "The caller is ill."
    assert cancelled.changes[-1].actor == operator.email
    assert [row.kind for row in outbox()] == ["confirmation", "cancellation"]
    (entry,) = [e for e in audit_entries() if e.action == "visit.cancel"]
    assert (entry.actor, entry.target) == (operator.email, f"visit {visit.reference}")
    assert (entry.before["status"], entry.after["status"]) == ("confirmed", "cancelled")
    assert (entry.before["desk"], entry.after["desk"]) == (1, None)

    page = get(desk, response.location)
    assert f"The visit {visit.reference} is cancelled." in page.text
    assert "The caller will receive an e-mail about it." in page.text
    assert page.hrefs(url) == []  # no second cancel


def test_cancel_needs_a_reason(desk, visit):
    shown = page(desk.post(f"/operator/visits/{visit.reference}/cancel", data={"reason": ""}), 422)
    assert shown.errors_of("reason")
    assert visits()[0].status is VisitStatus.CONFIRMED


def test_a_cancelled_or_past_visit_cannot_be_changed(desk, visit, clock):
    operations.cancel(visits()[0], operations.CITIZEN, "", utcnow())
    db.session.commit()
    for action in ("cancel", "move"):
        response = desk.post(f"/operator/visits/{visit.reference}/{action}", data={"reason": "x"})
        assert response.status_code == 303
        assert "can no longer be changed" in get(desk, response.location).text
    assert [e for e in audit_entries() if e.action.startswith("visit.")] == []


def test_a_visit_whose_time_has_passed_cannot_be_cancelled(desk, visit, clock):
    clock.move_to("2026-12-07T10:00:00+01:00")
    response = desk.get(f"/operator/visits/{visit.reference}/cancel")
    assert response.status_code == 303
    assert visits()[0].status is VisitStatus.CONFIRMED


# --- Moving -------------------------------------------------------------------------------------


def test_move_to_another_free_time_then_read_the_new_one(desk, visit, operator):
    url = f"/operator/visits/{visit.reference}/move"
    page = get(desk, url)
    assert page.hrefs(f"{url}?slot=")[0] == f"{url}?slot=olszanska%7C2026-12-02T07:30:00%2B01:00"
    monday = get(desk, url + "?day=2026-12-07")
    assert "Monday, 7 December 2026, 09:00" not in [link.text for link in monday.links]  # its own
    assert "Monday, 7 December 2026, 09:30" in [link.text for link in monday.links]

    thursday = get(desk, page.link("Thursday, 3 December 2026:").href)
    confirmation = get(desk, thursday.link("Thursday, 3 December 2026, 08:00").href)
    assert "Present time Monday, 7 December 2026, 09:00" in confirmation.text
    assert "New time Thursday, 3 December 2026, 08:00" in confirmation.text
    assert visits()[0].starts_at == warsaw(2026, 12, 7, 9, 0)  # nothing moves before the button

    response = desk.post(url, data=confirmation.form("").fields)
    assert response.status_code == 303
    assert response.location == f"/operator/visits/{visit.reference}/script"
    (moved,) = visits()
    assert (moved.starts_at, moved.status) == (warsaw(2026, 12, 3, 8, 0), VisitStatus.CONFIRMED)
    assert moved.changes[-1].actor == operator.email
    # The second confirmation says "changed".
    assert [row.kind for row in outbox()] == ["confirmation", "confirmation"]
    (entry,) = [e for e in audit_entries() if e.action == "visit.move"]
    assert entry.before["starts_at"] == "2026-12-07T08:00:00+00:00"
    assert entry.after["starts_at"] == "2026-12-03T07:00:00+00:00"

    script = get(desk, response.location)
    assert "The visit has been moved. Read the new time to the caller." in script.text
    assert "Date: Thursday, 3 December 2026." in script.text
    assert "Hour: 8:00." in script.text


def test_moving_into_a_taken_time_keeps_the_visit_where_it_was(desk, visit, operator):
    booked(operator, phone="+48500000000", start=warsaw(2026, 12, 3, 8, 0))
    url = f"/operator/visits/{visit.reference}/move"
    shown = page(desk.post(url, data={"slot": "olszanska|2026-12-03T08:00:00+01:00"}), 409)
    assert "Somebody has just taken this time." in shown.text
    assert visits()[0].starts_at == warsaw(2026, 12, 7, 9, 0)
    assert [e for e in audit_entries() if e.action == "visit.move"] == []


@pytest.mark.parametrize(
    ("slot", "message"),
    [
        ("", "Choose a time."),
        ("olszanska", "Choose a time."),
        ("olszanska|2026-12-25T09:00:00+01:00", "public holiday"),
        ("basztowa-pok|2026-12-03T08:00:00+01:00", "not handled at this location"),
    ],
)
def test_moving_needs_a_time_that_can_be_booked(desk, visit, slot, message):
    shown = page(desk.post(f"/operator/visits/{visit.reference}/move", data={"slot": slot}), 422)
    assert message in shown.part('<div class="error-summary"', "</div>")
    assert visits()[0].starts_at == warsaw(2026, 12, 7, 9, 0)
