"""A newcomer books a FAMI visit in Kraków in a browser, fails the form once, switches language."""

import re

from playwright.sync_api import expect

from app.booking.models import VisitStatus
from tests.support import REFERENCE, warsaw

FAMI_TITLE = re.compile(r"Punkty Informacyjno-Doradcze .*projekt FAMI")
# The clock sits on Tuesday 2026-12-01, 9:00; the FAMI points open at 7:30 on Wednesdays.
FIRST_FREE = warsaw(2026, 12, 2, 7, 30)
FORM_URL = "/matters/fami/book?location=fami-krakow&start=" + FIRST_FREE.isoformat().replace(
    "+", "%2B"
)


def test_a_newcomer_books_a_fami_visit_in_krakow(page, screenshot, stored_visits):
    page.goto("/")
    expect(page).to_have_title(re.compile("Wydział Polityki Społecznej"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Umów wizytę w Wydziale Polityki Społecznej"
    )
    screenshot(page, "01-index")

    page.get_by_role("link", name=FAMI_TITLE).click()
    expect(page).to_have_url(re.compile(r"/matters/fami$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(FAMI_TITLE)
    # Two places, each with its first free day: nothing else is offered before one is chosen.
    expect(page.get_by_role("table")).to_have_count(0)
    places = page.locator("ul.places a")
    expect(places).to_have_count(2)
    expect(places.nth(1)).to_contain_text("Pierwszy wolny dzień: środa, 2 grudnia 2026")
    screenshot(page, "02-matter-fami")

    places.filter(has_text="ul. Basztowa 22").click()
    expect(page).to_have_url(re.compile(r"location=fami-krakow#picker$"))
    expect(places.first).to_contain_text("w Krakowie")  # the chosen place comes first
    expect(places.first).to_have_attribute("aria-current", "true")
    expect(page.get_by_role("heading", name="Grudzień 2026")).to_be_visible()
    first_day = page.get_by_role("link", name="środa, 2 grudnia 2026: 16 wolnych terminów")
    expect(first_day).to_have_attribute("aria-current", "date")  # the first free day is open
    page.get_by_role("link", name="czwartek, 3 grudnia 2026: 16 wolnych terminów").click()
    expect(page.get_by_role("heading", level=3, name=re.compile("^Wolne terminy"))).to_contain_text(
        "czwartek, 3 grudnia 2026"
    )
    times = page.locator("ul.times a")
    expect(times.first).to_have_text("czwartek, 3 grudnia 2026, 07:30")
    expect(page.get_by_role("link", name="czwartek, 3 grudnia 2026, 07:30")).to_be_visible()
    screenshot(page, "03-matter-fami-krakow-times")

    times.first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Umów wizytę")
    summary = page.locator("dl.summary")
    expect(summary).to_contain_text("ul. Basztowa 22, 31-156 Kraków")
    expect(summary).to_contain_text("czwartek, 3 grudnia 2026, 07:30")
    page.get_by_label("Imię i nazwisko").fill("Olena Kowalenko")
    page.get_by_label("E-mail", exact=True).fill("olena@example.com")
    page.get_by_label("Język wiadomości e-mail od urzędu").select_option(label="українська")
    screenshot(page, "04-form-filled")

    page.get_by_role("button", name="Wyślij zgłoszenie").click()
    expect(page).to_have_url(re.compile(r"/booking/sent$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sprawdź pocztę e-mail")
    reference = page.locator(".reference strong").inner_text()
    assert REFERENCE.fullmatch(reference)
    screenshot(page, "05-sent")

    [visit] = stored_visits()
    assert visit.reference == reference
    assert visit.status is VisitStatus.HELD
    assert (visit.name, visit.email, visit.phone) == ("Olena Kowalenko", "olena@example.com", None)
    assert visit.language == "uk"
    assert visit.starts_at == warsaw(2026, 12, 3, 7, 30)  # the Thursday chosen


def test_an_empty_form_shows_the_errors_and_links_to_the_fields(page, screenshot, stored_visits):
    page.goto(FORM_URL)
    response_statuses = []
    page.on("response", lambda response: response_statuses.append(response.status))
    page.get_by_role("button", name="Wyślij zgłoszenie").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Umów wizytę")
    assert response_statuses[0] == 422

    summary = page.get_by_role("alert").filter(has_text="Prosimy poprawić poniższe błędy")
    expect(summary).to_be_visible()
    links = summary.get_by_role("link")
    expect(links).to_have_count(2)
    expect(links.nth(0)).to_have_attribute("href", "#name")
    expect(links.nth(1)).to_have_attribute("href", "#email")
    # The summary takes focus, so a screen reader reads it first and Tab goes to its links.
    expect(summary).to_be_focused()
    screenshot(page, "06-form-errors")

    for field_id in ("name", "email"):
        field = page.locator(f"#{field_id}")
        expect(field).to_have_attribute("aria-invalid", "true")
        expect(field).to_have_attribute("aria-describedby", re.compile(rf"\b{field_id}-error\b"))
        expect(page.locator(f"#{field_id}-error")).not_to_be_empty()
    expect(page.locator("#phone")).not_to_have_attribute("aria-invalid", "true")

    links.nth(1).click()
    expect(page).to_have_url(re.compile("#email$"))
    expect(page.locator("#email")).to_be_focused()
    expect(page.locator("#email")).to_be_in_viewport()

    # The chosen time survives the failed attempt: a corrected form books it.
    page.get_by_label("Imię i nazwisko").fill("Jan Nowak")
    page.get_by_label("E-mail", exact=True).fill("jan@example.pl")
    page.get_by_role("button", name="Wyślij zgłoszenie").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sprawdź pocztę e-mail")
    [visit] = stored_visits()
    assert (visit.starts_at, visit.status) == (FIRST_FREE, VisitStatus.HELD)
    assert visit.language == "pl"


def test_an_invalid_email_is_explained_next_to_the_field(page, stored_visits):
    page.goto(FORM_URL)
    page.get_by_label("Imię i nazwisko").fill("Jan Nowak")
    page.get_by_label("E-mail", exact=True).fill("jan@")
    page.get_by_role("button", name="Wyślij zgłoszenie").click()
    expect(page.locator("#email-error")).to_be_visible()
    expect(page.locator("#name-error")).to_have_count(0)
    # What the person typed is kept.
    expect(page.get_by_label("Imię i nazwisko")).to_have_value("Jan Nowak")
    expect(page.get_by_label("E-mail", exact=True)).to_have_value("jan@")
    assert stored_visits() == []


def test_the_language_switch_changes_the_texts_and_html_lang(page, screenshot):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    languages = page.get_by_role("navigation", name="Język")
    expect(languages.get_by_role("link", name="polski")).to_have_attribute("aria-current", "true")

    languages.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Arrange a visit at the Department of Social Policy"
    )
    expect(page.get_by_role("link", name="Skip to content")).to_be_attached()
    languages = page.get_by_role("navigation", name="Language")
    expect(languages.get_by_role("link", name="English")).to_have_attribute("aria-current", "true")
    expect(page.get_by_text("Umów wizytę w Wydziale")).to_have_count(0)
    screenshot(page, "07-index-english")

    # The choice sticks: the next page, reached by a plain link, is in English too,
    # catalog texts included.
    page.get_by_role("link", name=re.compile(r"\(FAMI project\)")).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Information and Advisory Points for third-country citizens (FAMI project)"
    )
    expect(page.get_by_role("heading", name="Request a visit")).to_be_visible()

    # Switching on a page with query arguments keeps the page and its arguments.
    page.goto("/matters/fami?location=fami-krakow")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="polski").click()
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    expect(page).to_have_url(re.compile(r"/matters/fami\?.*location=fami-krakow"))
    expect(page.get_by_role("heading", name="Grudzień 2026")).to_be_visible()
