"""A citizen moves a visit from the link in an e-mail, without JavaScript: the picker starts at
the visit's place, a time opens a check of the new time, and only its button moves the visit."""

import pytest
from sqlalchemy import select

from app.booking.links import MANAGE, make_token
from app.booking.models import VisitStatus
from app.booking.needs import SignLanguage
from app.extensions import db
from app.matters.models import Matter
from tests.pages import get, page
from tests.support import fresh, warsaw

# The clock sits on Tuesday 2026-12-01, 9:00.
NOW_AT = warsaw(2026, 12, 9, 10, 0)  # a Wednesday in Nowy Sącz


@pytest.fixture
def fami(catalog) -> Matter:
    return db.session.scalar(select(Matter).where(Matter.slug == "fami"))


@pytest.fixture
def visit(clock, fami, make_visit):
    return make_visit(fami, NOW_AT, location=fami.location("fami-nowy-sacz"), language="pl")


@pytest.fixture
def move_url(visit) -> str:
    return f"/visits/manage/{make_token(visit, MANAGE)}/move"


def test_the_picker_starts_at_the_visits_place_and_a_time_asks_before_moving(
    client, visit, move_url
):
    picker = get(client, move_url)

    places = [link.text for link in picker.links if "Pierwszy wolny dzień" in link.text]
    assert "w Nowym Sączu" in places[0] and "w Krakowie" in places[1]  # its own place first
    times = picker.hrefs(f"{move_url}?slot=")
    assert times and all("fami-nowy-sacz%7C2026-12-02T" in href for href in times)
    wednesday = get(client, picker.link("środa, 9 grudnia 2026:").href)
    assert "środa, 9 grudnia 2026, 10:00" not in [link.text for link in wednesday.links]

    check = get(client, wednesday.link("środa, 9 grudnia 2026, 11:00").href)
    assert "Obecny termin środa, 9 grudnia 2026, 10:00" in check.text
    assert "Nowy termin środa, 9 grudnia 2026, 11:00" in check.text
    assert fresh(visit).starts_at == NOW_AT  # a link changes nothing

    response = client.post(move_url, data=check.form("").fields)

    assert response.status_code == 303
    moved = fresh(visit)
    assert (moved.starts_at, moved.status) == (warsaw(2026, 12, 9, 11, 0), VisitStatus.CONFIRMED)
    assert "Termin wizyty został zmieniony." in get(client, response.location).messages


def test_a_time_at_the_other_place_says_so_in_the_check(client, visit, move_url):
    krakow = get(client, move_url, query_string={"location": "fami-krakow"})
    check = get(client, krakow.hrefs(f"{move_url}?slot=fami-krakow")[0])

    assert "Nowy termin środa, 2 grudnia 2026, 07:30, Punkt" in check.text
    assert "ul. Basztowa 22, 31-156 Kraków" in check.text


def test_a_time_that_cannot_be_booked_shows_why_and_the_next_free_day(client, visit, move_url):
    christmas = "fami-nowy-sacz|2026-12-25T09:00:00+01:00"

    shown = page(client.get(move_url, query_string={"slot": christmas}), 422)

    assert "W to święto urząd jest nieczynny." in shown.messages
    assert "Wolne terminy – poniedziałek, 28 grudnia 2026" in shown.text
    assert fresh(visit).starts_at == NOW_AT


def test_a_time_taken_before_the_button_keeps_the_visit_and_offers_that_day(
    client, fami, visit, move_url, make_visit
):
    eleven = warsaw(2026, 12, 9, 11, 0)
    asked = {"slot": f"fami-nowy-sacz|{eleven.isoformat()}"}
    check = get(client, move_url, query_string=asked)
    for _ in range(fami.desks):  # the infoline books every desk of that time meanwhile
        make_visit(fami, eleven, location=fami.location("fami-nowy-sacz"))

    # The form posts to the address of the check (with ?slot=), as a browser sends it.
    shown = page(client.post(move_url, query_string=asked, data=check.form("").fields), 409)
    assert "Sprawdź nowy termin" not in shown.text  # the picker, not the check again

    assert "Ten termin został właśnie zajęty. Prosimy wybrać inny." in shown.messages
    assert "Wolne terminy – środa, 9 grudnia 2026" in shown.text
    assert "środa, 9 grudnia 2026, 11:00" not in [link.text for link in shown.links]
    assert fresh(visit).starts_at == NOW_AT


def test_a_time_within_an_interpreters_notice_is_refused_before_the_button(
    client, clock, fami, make_visit
):
    visit = make_visit(fami, NOW_AT, sign_language=SignLanguage.PJM, language="en")
    move_url = f"/visits/manage/{make_token(visit, MANAGE)}/move"
    thursday = "fami-krakow|2026-12-03T10:00:00+01:00"  # two working days ahead

    check = page(client.get(move_url, query_string={"slot": thursday, "lang": "en"}), 422)

    assert "at least 3 working days before the visit" in check.messages
    assert not check.has_form("")  # no button that would move it
    assert fresh(visit).starts_at == NOW_AT
