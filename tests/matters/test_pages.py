"""The public pages, through the test client, as a browser without JavaScript uses them."""

from datetime import date, datetime
from urllib.parse import urlsplit

import pytest
from flask_babel import gettext
from sqlalchemy import event, select
from sqlalchemy.orm import joinedload

from app import config
from app.booking.models import Visit
from app.booking.operations import Visitor
from app.database import utcnow
from app.extensions import db
from app.matters.loader import load_catalog
from app.matters.models import Closure, Location, Matter
from tests.pages import Page, get, page
from tests.support import REFERENCE, request_online, shipped_catalog, warsaw

THURSDAY_TEN = warsaw(2026, 12, 3, 10, 0)
FAMI_KRAKOW_THURSDAY = "/matters/fami?location=fami-krakow&day=2026-12-03"


def polish(app, message: str, **values) -> str:
    """A message of ours as the Polish interface shows it."""
    with app.test_request_context():
        return gettext(message, **values)


def stored_visits(app) -> list[tuple]:
    with app.app_context():
        return [
            (v.reference, v.status.value, v.location.slug, v.starts_at, v.name, v.email, v.phone)
            for v in db.session.scalars(select(Visit))
        ]


@pytest.fixture
def site(app, client, clock):
    """The test client on the notice's catalog, time frozen on Tuesday 2026-12-01 9:00."""
    with app.app_context():
        load_catalog(shipped_catalog())
        db.session.commit()
    return client


@pytest.fixture
def matters(app, site) -> dict[str, Matter]:
    """The catalog's matters by slug, with their units (detached, to read from)."""
    with app.app_context():
        found = db.session.scalars(select(Matter).options(joinedload(Matter.unit)))
        return {matter.slug: matter for matter in found}


# --- The list of matters --------------------------------------------------------------------


def matter_line(page: Page, slug: str) -> str:
    """What the list says of one matter: its title, how visits are arranged, when."""
    return page.part(f'href="/matters/{slug}"', "</li>")


def test_the_home_page_lists_every_matter_once_in_polish(site, matters):
    response = site.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="pl">' in html
    page = Page(html)
    assert sorted(page.hrefs("/matters/")) == sorted(f"/matters/{slug}" for slug in matters)
    for matter in matters.values():
        assert matter.title["pl"] in page.text
    assert "Umów wizytę w Wydziale Polityki Społecznej" in page.text
    assert "Arrange a visit" not in page.text
    # A foreigner sees which matters are for them: FAMI's languages, each in its own name.
    assert "polski · English · українська · русский" in matter_line(page, "fami")
    assert '<span lang="uk">українська</span>' in html


def test_the_list_gives_each_matter_booked_online_its_first_free_day(app, site, matters):
    # Tuesday 9:00: a working day's lead time makes Wednesday the first day. FAMI's places are
    # closed for a week and for a day longer (so the list looks past the week, and takes the
    # earlier place); the ZPCHR unit is closed for its whole horizon.
    closed_until = {"fami-nowy-sacz": warsaw(2026, 12, 9), "fami-krakow": warsaw(2026, 12, 10)}
    with app.app_context():
        places = db.session.scalars(select(Location).where(Location.slug.in_(closed_until)))
        db.session.add_all(
            [
                Closure(
                    location_id=place.id,
                    starts_at=warsaw(2026, 12, 1),
                    ends_at=closed_until[place.slug],
                    reason="Przeprowadzka",
                )
                for place in places
            ]
            + [
                Closure(
                    unit_id=matters["zpchr-zaz"].unit_id,
                    starts_at=warsaw(2026, 12, 1),
                    ends_at=warsaw(2027, 3, 1),
                    reason="Remont",
                )
            ]
        )
        db.session.commit()
    page = Page(site.get("/").get_data(as_text=True))
    assert "Pierwszy wolny dzień: środa, 9 grudnia 2026" in matter_line(page, "fami")
    assert "Pierwszy wolny dzień: środa, 2 grudnia 2026" in matter_line(page, "maluch-plus")
    assert "Brak wolnych terminów w najbliższych tygodniach" in matter_line(page, "zpchr-zaz")
    # Booked by the infoline only: the list promises no day.
    assert "wolny" not in matter_line(page, "orzekanie-o-niepelnosprawnosci")


def test_the_list_finds_every_first_free_day_in_a_few_statements(app, site):
    # The coming week of every matter at once: the matters, their places, the places' hours,
    # the closures, the held desks (SQLite adds its PRAGMA and BEGIN), not a listing a matter.
    statements = []

    def count(*_arguments) -> None:
        statements.append(1)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert site.get("/").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == {"sqlite": 7}.get(engine.dialect.name, 5)


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("niepelnosprawnosci", ["orzekanie-o-niepelnosprawnosci"]),  # without Polish letters
        ("інвалідн", ["orzekanie-o-niepelnosprawnosci"]),  # in Ukrainian
        ("panstw trzecich", ["fami"]),
        ("przemoc", ["przeciwdzialanie-przemocy"]),
    ],
)
def test_the_search_box_finds_a_matter_in_any_language(site, typed, found):
    page = get(site, "/", query_string={"q": typed})

    results = page.section("found")
    assert [href.removeprefix("/matters/") for href in results.hrefs("/matters/")] == found
    assert "Znaleziono 1 sprawę" in results.text
    assert page.fields["q"] == typed  # the box keeps what was typed


@pytest.mark.parametrize("typed", ["zzzz", "x" * 101])
def test_a_search_that_finds_nothing_says_so_and_keeps_the_list(site, matters, typed):
    page = get(site, "/", query_string={"q": typed})

    if len(typed) <= 100:
        assert "Znaleziono 0 spraw Nic nie znaleziono." in page.text
    assert len(page.hrefs("/matters/")) == len(matters)  # the whole list is still there


def test_the_language_can_be_switched_and_sticks_for_the_next_pages(site, matters):
    english = get(site, "/?lang=en")
    assert '<html lang="en">' in english.html
    assert "Arrange a visit at the Department of Social Policy" in english.text
    assert matters["fami"].title["en"] in english.text

    again = get(site, "/")
    assert '<html lang="en">' in again.html
    assert matters["fami"].title["en"] in get(site, "/matters/fami").text
    assert '<html lang="en">' in get(site, "/?lang=xx").html

    assert '<html lang="pl">' in get(site, "/?lang=pl").html
    assert '<html lang="pl">' in get(site, "/matters/fami").html


# --- A matter's page ------------------------------------------------------------------------


def test_a_matter_page_shows_its_channels_hours_and_what_to_do_without_a_visit(app, site, matters):
    page = get(site, "/matters/odwolania-pup")

    assert set(page.hrefs("mailto:")) == {
        "mailto:MLuc@malopolska.uw.gov.pl",
        "mailto:IRom@malopolska.uw.gov.pl",
        "mailto:bmro@malopolska.uw.gov.pl",
        "mailto:pgrzaba@malopolska.uw.gov.pl",
    }
    assert set(page.hrefs("tel:")) == {"tel:+48123921571", "tel:+48123921575", "tel:+48123921576"}
    for person in ("12 39 21 571 — Przemysław Grząba", "12 39 21 575 — Beata Mroczkowska"):
        assert person in page.text
    assert "Skrzynka ePUAP: /ag9300lhke/skrytka" in page.text
    assert "Poczta: Małopolski Urząd Wojewódzki w Krakowie, ul. Basztowa 22" in page.text
    assert "Bez wizyty w urzędzie" in page.text
    assert matters["odwolania-pup"].without_visit["pl"] in page.text
    assert "poniedziałek 09:00–16:30 wtorek 07:30–15:00" in page.text
    assert polish(app, "as the infoline's; call ahead to make sure") in page.text


def test_a_matter_page_links_the_electronic_form_and_the_infoline(site):
    page = get(site, "/matters/koordynacja-swiadczen")
    assert "https://app.malopolska.uw.gov.pl/forms/Form/Wp" in page.hrefs("https://")
    assert page.link("12 430 29 73").href == "tel:+48124302973"
    assert "Infolinia dla klientów pn. 9:00–16:30, wt.–pt. 7:30–15:00" in page.text


def test_the_fami_page_shows_both_points_with_the_notices_hours(app, site):
    page = get(site, "/matters/fami")
    assert "ul. Basztowa 22, 31-156 Kraków" in page.text
    assert "ul. Jagiellońska 52, 33-300 Nowy Sącz" in page.text
    assert page.text.count("poniedziałek 10:00–18:00 wtorek 07:30–15:30") == 2
    assert polish(app, "as the infoline's; call ahead to make sure") not in page.text
    assert set(page.hrefs("tel:")) == {"tel:+48124269001", "tel:+48185402326"}


@pytest.mark.parametrize(
    ("slug", "explanation"),
    [
        (
            "orzekanie-o-niepelnosprawnosci",
            "Visits for this matter are arranged by phone only. Call one of these numbers: the"
            " staff member will agree the date, hour and place with you and tell you which"
            " documents to bring.",
        ),
        (
            "przeciwdzialanie-przemocy",
            "This matter is handled without visits. Please use the contact details below.",
        ),
    ],
)
def test_matters_without_online_visits_say_whom_to_contact_and_offer_no_booking(
    app, site, matters, slug, explanation
):
    page = get(site, f"/matters/{slug}")

    assert polish(app, explanation) in page.text
    assert page.hrefs("tel:")
    assert page.forms == []
    assert not [link for link in page.links if "/book" in link.href]
    get(site, f"/matters/{slug}/book?location=olszanska&start=2026-12-03T10:00", status=404)


def test_the_phone_only_matter_says_whom_to_call_when_and_what_to_have_at_hand(site):
    page = get(site, "/matters/orzekanie-o-niepelnosprawnosci")
    box = page.section("visits")
    assert box.hrefs("tel:") == [  # each number once, to tap
        "tel:+48123921380",
        "tel:+48123921290",
        "tel:+48123921396",
        "tel:+48123921397",
    ]
    assert page.hrefs("tel:") == box.hrefs("tel:")
    assert "Kiedy dzwonić: w dni robocze, w godzinach przyjęć podanych niżej." in box.text
    assert "Warto mieć pod ręką: numer sprawy" in box.text
    assert "ul. Olszańska 5, 31-513 Kraków" in box.text
    assert "poniedziałek 09:00–16:30" in box.text
    # The matter's texts no longer send a reader to "the numbers given" where none are.
    assert "podanych numerów" not in page.text


def test_the_violence_matter_gives_112_and_the_national_helpline_first_to_tap(site):
    page = get(site, "/matters/przeciwdzialanie-przemocy")
    urgent = page.section("help-now")

    assert urgent.hrefs("tel:") == ["tel:112", "tel:+48800120002"]
    assert "Niebieska Linia" in urgent.text and "czynna całą dobę" in urgent.text
    assert page.text.index("Pilna pomoc") < page.text.index("Bez wizyty")
    assert "tel:+48123921560" in page.hrefs("tel:")  # the unit's own number, in the contacts


@pytest.mark.parametrize("url", ["/matters/nie-ma-takiej", "/matters/nie-ma-takiej/book"])
def test_an_unknown_matter_is_a_404_page_in_polish(site, url):
    page = get(site, url, status=404)
    assert "Nie znaleziono strony" in page.text
    assert page.link("Powrót do listy spraw").href == "/"


# --- Requesting a visit without JavaScript --------------------------------------------------


def visitor_details(**overrides) -> dict:
    return {
        "name": "Olena Kowalenko",
        "email": "olena@example.com",
        "phone": "600 100 200",
        "language": "uk",
    } | overrides


def open_form(site, start: datetime = THURSDAY_TEN) -> Page:
    """The form for a time at the FAMI point in Kraków, reached by the links a reader clicks."""
    day = get(site, FAMI_KRAKOW_THURSDAY)
    return get(site, day.link(start.strftime("%H:%M")).path)


def send(site, form: Page, **details):
    """Post the form as a browser would: its own fields, then what the person typed."""
    action = form.forms[0].action
    return site.post(action, data=form.fields | visitor_details(**details))


def test_a_visit_is_requested_step_by_step_with_plain_links_and_a_form(app, site):
    fami = get(site, "/matters/fami")
    assert not [link for link in fami.links if "day=" in link.href], "no place chosen yet"

    places = [link.text for link in fami.links if "location=" in link.href]
    assert places == [
        "Punkt Informacyjno-Doradczy dla obywateli państw trzecich w Krakowie"
        " ul. Basztowa 22, 31-156 Kraków Pierwszy wolny dzień: środa, 2 grudnia 2026",
        "Punkt Informacyjno-Doradczy dla obywateli państw trzecich w Nowym Sączu"
        " ul. Jagiellońska 52, 33-300 Nowy Sącz Pierwszy wolny dzień: środa, 2 grudnia 2026",
    ]
    krakow = get(site, fami.link("państw trzecich w Krakowie").path)
    days = [link.text for link in krakow.links if "day=" in link.href]
    # From tomorrow, 7:30–15:30: sixteen times a day.
    assert days[:2] == [
        "środa, 2 grudnia 2026: 16 wolnych terminów",
        "czwartek, 3 grudnia 2026: 16 wolnych terminów",
    ]
    assert "czwartek, 24 grudnia 2026: brak wolnych terminów" in krakow.text  # Christmas Eve
    assert not [day for day in days if day.startswith("czwartek, 24 grudnia")]
    thursday = get(site, krakow.link("czwartek, 3 grudnia 2026:").path)
    times = [link.text for link in thursday.links if "/book?" in link.href]
    assert times[:2] == ["czwartek, 3 grudnia 2026, 07:30", "czwartek, 3 grudnia 2026, 08:00"]
    assert times[-1] == "czwartek, 3 grudnia 2026, 15:00"

    form = get(site, thursday.link("10:00").path)
    assert form.fields["location"] == "fami-krakow"
    assert "czwartek, 3 grudnia 2026, 10:00" in form.text
    response = send(site, form)

    assert response.status_code == 303
    assert urlsplit(response.location).path == "/booking/sent"
    sent = get(site, response.location)
    reference = REFERENCE.search(sent.text).group()
    assert f"Numer wizyty: {reference}" in sent.text
    assert stored_visits(app) == [
        (
            reference,
            "held",
            "fami-krakow",
            THURSDAY_TEN,
            "Olena Kowalenko",
            "olena@example.com",
            "+48600100200",
        )
    ]


FORM_ERRORS = {
    "empty name": ({"name": ""}, "name", "To pole jest wymagane."),
    "bad e-mail": ({"email": "olena@"}, "email", "Nieprawidłowy adres e-mail."),
    "bad phone": (
        {"phone": "12"},
        "phone",
        "Prosimy podać polski numer telefonu lub numer zagraniczny poprzedzony znakiem +.",
    ),
}


@pytest.mark.parametrize(("typed", "field", "message"), FORM_ERRORS.values(), ids=FORM_ERRORS)
def test_a_form_with_a_mistake_comes_back_with_the_message_and_stores_nothing(
    app, site, typed, field, message
):
    response = send(site, open_form(site), **typed)

    assert response.status_code == 422
    shown = page(response)
    assert shown.errors_of(field) == message
    assert shown.attributes[field]["aria-invalid"] == "true"
    assert shown.link(message).href == f"#{field}"  # the summary at the top links the field
    assert shown.fields["email"] == visitor_details(**typed)["email"]
    assert stored_visits(app) == []


def test_a_time_taken_meanwhile_sends_the_reader_back_to_choose_another(app, site):
    form = open_form(site)
    with app.app_context():
        fami = db.session.scalar(select(Matter).where(Matter.slug == "fami"))
        fami.desks, fami.phone_desks = 1, 0  # one desk, so that somebody else's visit fills it
        somebody = Visitor(name="Ktoś Inny", email="ktos@example.com")
        request_online(fami, "fami-krakow", THURSDAY_TEN, somebody, utcnow())
        db.session.commit()

    response = send(site, form)

    assert response.status_code == 303
    assert urlsplit(response.location).path == "/matters/fami"
    page = get(site, response.location)
    assert polish(app, "Somebody has just taken this time. Please choose another one.") in (
        page.messages
    )
    assert [visit[5] for visit in stored_visits(app)] == ["ktos@example.com"]
    assert "10:00" not in [link.text for link in get(site, FAMI_KRAKOW_THURSDAY).links]


BAD_STARTS = [
    pytest.param("garbage", "Choose a location, a day and a time first.", {}, id="garbage"),
    pytest.param("", "Choose a location, a day and a time first.", {}, id="empty"),
    pytest.param(
        "2026-12-24T10:00:00+01:00",
        "The office is closed on this public holiday.",
        {},
        id="Christmas Eve",
    ),
    pytest.param(
        "2026-12-02T20:00:00+01:00",
        "This is not one of the visit times in the reception hours.",
        {},
        id="evening",
    ),
    pytest.param(
        "2026-12-02T10:10:00+01:00",
        "This is not one of the visit times in the reception hours.",
        {},
        id="between slots",
    ),
    pytest.param(
        "2026-12-01T10:00:00+01:00",
        "This date is too soon: visits must be booked %(lead)s working day(s) ahead.",
        {"lead": 1},
        id="today",
    ),
    pytest.param("2026-11-30T10:00:00+01:00", "This time has already passed.", {}, id="yesterday"),
    pytest.param(
        "2027-02-01T10:00:00+01:00",
        "This date is too far ahead: visits can be booked at most %(horizon)s days ahead.",
        {"horizon": 30},
        id="beyond the horizon",
    ),
    pytest.param(
        "9999-12-31T23:30:00+00:00", "Choose a location, a day and a time first.", {}, id="9999"
    ),
    pytest.param(
        "0001-01-01T00:00:00+01:00", "Choose a location, a day and a time first.", {}, id="1"
    ),
]


@pytest.mark.parametrize(("start", "message", "values"), BAD_STARTS)
def test_a_bad_start_in_the_address_sends_the_reader_back_with_a_message(
    app, site, start, message, values
):
    response = site.get(
        "/matters/fami/book", query_string={"location": "fami-krakow", "start": start}
    )

    assert response.status_code in (302, 303)
    assert urlsplit(response.location).path == "/matters/fami"
    page = get(site, response.location)
    assert polish(app, message, **values) in page.messages
    assert stored_visits(app) == []


def test_an_unknown_place_sends_the_reader_back_with_a_message(app, site):
    response = site.get(
        "/matters/fami/book",
        query_string={"location": "fami-tarnow", "start": THURSDAY_TEN.isoformat()},
    )
    assert response.status_code in (302, 303)
    page = get(site, response.location)
    assert polish(app, "This matter is not handled at this location.") in page.messages


# --- CSRF -----------------------------------------------------------------------------------


def test_with_csrf_on_the_form_carries_a_token_and_a_post_without_it_is_refused(app, site):
    app.config["WTF_CSRF_ENABLED"] = True
    form = open_form(site)
    assert form.fields["csrf_token"]

    without_token = send(site, form, csrf_token="")
    assert without_token.status_code == 400
    refused = page(without_token)
    assert (
        polish(
            app,
            "The form has expired or was sent from another page. Go back, reload it and try again.",
        )
        in refused.text
    )
    assert stored_visits(app) == []

    with_token = send(site, form)
    assert with_token.status_code == 303
    assert REFERENCE.search(get(site, with_token.location).text)
    assert len(stored_visits(app)) == 1


def test_the_csrf_error_page_is_polish_throughout(app, site):
    app.config["WTF_CSRF_ENABLED"] = True
    refused = page(send(site, open_form(site), csrf_token=""))
    assert "Bad Request" not in refused.text


# --- The accessibility statement ---------------------------------------------------------------


@pytest.mark.parametrize("url", ["/", "/matters/fami", "/privacy", "/matters/nie-ma-takiej"])
def test_every_footer_links_the_accessibility_statement(site, url):
    response = site.get(url)
    assert "/accessibility" in Page(response.get_data(as_text=True)).hrefs("/accessibility")


def test_the_statement_follows_the_polish_template(app, site):
    app.config["ACCESSIBILITY_STATEMENT_DATE"] = date(2026, 11, 30)
    page = get(site, "/accessibility")

    headings = [
        "Status pod względem zgodności z ustawą",
        "Przygotowanie deklaracji dostępności",
        "Informacje zwrotne i dane kontaktowe",
        "Procedura wnioskowo-skargowa",
    ]
    positions = [page.text.index(heading) for heading in headings]
    assert positions == sorted(positions)
    assert "Serwis jest częściowo zgodny z ustawą" in page.text
    assert "Deklarację sporządzono 2026-11-30 na podstawie samooceny" in page.text
    assert '<time id="a11y-data-sporzadzenie" datetime="2026-11-30">' in page.html
    assert page.hrefs("mailto:") == ["mailto:wp@malopolska.uw.gov.pl"]
    assert page.hrefs("tel:") == ["tel:+48124302973"]
    assert "Rzecznika Praw Obywatelskich" in page.text


def test_a_statement_date_from_the_environment_must_be_a_day(monkeypatch):
    monkeypatch.setenv("ACCESSIBILITY_REVIEWED", "2027-01-15")
    assert config.from_environment()["ACCESSIBILITY_REVIEWED"] == date(2027, 1, 15)
    monkeypatch.setenv("ACCESSIBILITY_REVIEWED", "15.01.2027")
    with pytest.raises(ValueError):
        config.from_environment()
