"""A copy of everything held about a person (RODO art. 15), for staff answering a request."""

import json

import pytest

from app.booking.needs import Needs
from app.booking.operations import Visitor
from app.booking.retention import erase
from app.database import utcnow
from app.extensions import db
from tests.pages import get, page
from tests.staff.conftest import TOMORROW_TEN
from tests.support import audit_entries, request_online, warsaw

THURSDAY_TEN = warsaw(2026, 12, 3, 10, 0)


@pytest.fixture
def jan(clock, matter, make_matter, make_visit):
    """Jan's visits: an online request of the staff's unit (with its e-mail), a visit of that
    unit booked with his phone alone, and one of another unit; and somebody else's visit."""
    online = request_online(
        matter,
        "basztowa",
        THURSDAY_TEN,
        Visitor("Jan Kowalski", "jan.kowalski@gmail.com", needs=Needs(step_free=True)),
    )
    db.session.commit()
    by_phone = make_visit(
        matter, TOMORROW_TEN, name="Jan Kowalski", email=None, phone="+48600100200"
    )
    online.phone = "+48600100200"  # the same person: the phone links the two
    db.session.commit()
    elsewhere = make_visit(make_matter(), TOMORROW_TEN, email="jankowalski@gmail.com")
    somebody_else = make_visit(matter, THURSDAY_TEN, email="anna@example.pl")
    return {"online": online, "by phone": by_phone, "elsewhere": elsewhere, "other": somebody_else}


def export(client, typed: str):
    response = client.post("/staff/personal-data", data={"person": typed})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    assert response.headers["Cache-Control"] == "no-store"
    return json.loads(response.get_data(as_text=True))


def test_an_export_by_e_mail_holds_the_persons_visits_of_the_unit(office, jan):
    # Typed as the person writes it: case, a +tag and dots do not hide them.
    document = export(office, "Jan.Kowalski+urzad@GMAIL.com")

    online = jan["online"]
    assert [visit["reference"] for visit in document["visits"]] == [online.reference]
    (visit,) = document["visits"]
    assert visit["name"] == "Jan Kowalski"
    assert visit["email"] == "jan.kowalski@gmail.com"
    assert visit["starts_at"] == "2026-12-03T09:00:00+00:00"
    assert visit["state"] == "held"
    assert visit["declared_at_booking"] == {
        "companion": None,
        "sign_language_interpreter": None,
        "step_free_entrance": True,
        "more_time": False,
    }
    assert visit["history"] == [
        {"at": "2026-12-01T08:00:00+00:00", "from": None, "to": "held", "by": "citizen"}
    ]
    (message,) = visit["messages"]
    assert message["kind"] == "verification" and message["to"] == "jan.kowalski@gmail.com"
    # Kept 90 days after the visit, then erased.
    assert visit["personal_data_erased_after"] == "2027-03-03T09:30:00+00:00"
    assert document["controller"]


def test_a_reference_finds_every_visit_of_that_person_in_the_unit(office, jan):
    document = export(office, jan["by phone"].reference.lower())

    found = [visit["reference"] for visit in document["visits"]]
    assert found == [jan["by phone"].reference, jan["online"].reference]  # by the time of visit


def test_each_export_is_audited_with_what_it_held(office, jan, staff):
    export(office, jan["online"].reference)

    (entry,) = audit_entries("personal_data.exported")
    assert entry.actor == staff.email
    assert set(entry.target.split(", ")) == {jan["online"].reference, jan["by phone"].reference}
    assert entry.after == {"found_by": "reference", "visits": 2}


def test_another_units_visit_is_not_found_nor_exported(office, jan):
    for typed in [jan["elsewhere"].reference, "WP-22222Z", "nobody@example.pl"]:
        shown = page(office.post("/staff/personal-data", data={"person": typed}), 422)
        assert "Nothing is held about this person in your units' visits." in shown.text
    assert audit_entries("personal_data.exported") == []


def test_an_administrator_exports_from_every_unit(jan, make_user, log_in, clock):
    admin = log_in(make_user("admin"))
    document = export(admin, "jankowalski@gmail.com")
    assert [visit["reference"] for visit in document["visits"]] == [
        jan["elsewhere"].reference,
        jan["online"].reference,
    ]


def test_after_erasure_nothing_is_left_to_export(office, jan):
    for visit in jan.values():
        erase(visit, utcnow())
    db.session.commit()

    shown = page(office.post("/staff/personal-data", data={"person": jan["online"].reference}), 422)
    assert "Nothing is held about this person" in shown.text


def test_the_page_asks_for_something_to_search_by(office, jan):
    assert get(office, "/staff/personal-data").fields["person"] == ""
    shown = page(office.post("/staff/personal-data", data={"person": " "}), 422)
    assert "Write a reference (e.g. WP-7K3M9Q) or an e-mail address." in shown.text


@pytest.mark.parametrize("role", ["operator", None])
def test_only_staff_and_administrators_export(client, jan, make_user, login, role):
    if role:
        login(make_user(role))
    response = client.post("/staff/personal-data", data={"person": jan["online"].reference})
    assert response.status_code == (403 if role else 302)
    assert audit_entries("personal_data.exported") == []
