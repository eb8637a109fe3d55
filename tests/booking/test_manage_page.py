"""The page behind the e-mail's manage link: the time first, the place with a map, what to
bring, the visit for a calendar, and a way to book again once it is cancelled."""

import icalendar
import pytest
from sqlalchemy import select

from app.booking.links import MANAGE, make_token
from app.booking.models import VisitStatus
from app.extensions import db
from app.matters.models import Matter
from tests.mails import outbox, text_of
from tests.pages import get
from tests.support import warsaw

START = warsaw(2026, 12, 9, 10, 0)


@pytest.fixture
def fami(catalog) -> Matter:
    return db.session.scalar(select(Matter).where(Matter.slug == "fami"))


def manage_path(visit) -> str:
    return f"/visits/manage/{make_token(visit, MANAGE)}"


def test_the_page_leads_with_the_time_and_shows_the_place_on_a_map(client, clock, fami, make_visit):
    visit = make_visit(fami, START, location=fami.location("fami-krakow"))

    shown = get(client, manage_path(visit) + "?lang=pl")

    assert shown.text.index("Data i godzina środa, 9 grudnia 2026, 10:00") < shown.text.index(
        "Numer wizyty"
    )
    (map_link,) = shown.hrefs("https://www.openstreetmap.org/")
    assert map_link.endswith("query=ul.%20Basztowa%2022%2C%2031-156%20Krak%C3%B3w")
    assert "Jak trafić Siedziba główna Urzędu" in shown.text  # not "Wejście: Wejście …"
    assert "Dokument tożsamości" in shown.text
    assert f"Numer wizyty, {visit.reference}: prosimy podać go przy wejściu." in shown.text


def test_the_calendar_file_is_the_event_the_e_mails_carry(client, clock, fami, make_visit):
    visit = make_visit(fami, START, location=fami.location("fami-krakow"), language="uk")
    path = manage_path(visit)
    (link,) = get(client, path).hrefs(f"{path}/visit.ics")

    response = client.get(link)

    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert f'filename="{visit.reference}.ics"' in response.headers["Content-Disposition"]
    calendar = icalendar.Calendar.from_ical(response.data)
    (event,) = calendar.walk("VEVENT")
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert str(event["UID"]).startswith(visit.reference)
    assert event.decoded("DTSTART") == START
    assert str(event["STATUS"]) == "CONFIRMED"


def test_a_cancelled_visit_offers_booking_again_and_no_calendar(client, clock, fami, make_visit):
    visit = make_visit(fami, START, status=VisitStatus.CANCELLED)
    path = manage_path(visit)

    shown = get(client, path + "?lang=en")

    assert shown.hrefs("/matters/fami?location=fami-krakow")
    assert "Book another visit" in shown.text
    assert shown.hrefs(f"{path}/visit.ics") == []
    assert client.get(f"{path}/visit.ics").status_code == 404


def test_the_moved_e_mail_names_the_previous_and_the_new_time(client, clock, fami, make_visit):
    visit = make_visit(fami, START, location=fami.location("fami-krakow"), language="pl")
    path = manage_path(visit)
    new = "fami-nowy-sacz|2026-12-10T11:00:00+01:00"

    client.post(f"{path}/move", data={"slot": new})

    (mail,) = outbox("confirmation")
    body = text_of(mail)
    assert "Data i godzina: czwartek, 10 grudnia 2026, 11:00" in body
    assert "Poprzedni termin, już nieaktualny: środa, 9 grudnia 2026, 10:00, Punkt" in body


def test_a_request_not_yet_confirmed_has_no_calendar_file(client, clock, fami, make_visit):
    """Its event could not be withdrawn: a decline sends no CANCEL for an event never sent."""
    visit = make_visit(fami, START, status=VisitStatus.REQUESTED)
    path = manage_path(visit)

    assert get(client, path).hrefs(f"{path}/visit.ics") == []
    assert client.get(f"{path}/visit.ics").status_code == 404
