"""Accessibility in a real browser: axe-core on every public page, headings, the skip link,
labels, and a booking made with the keyboard alone (axe-core: tests/browser/helpers.py)."""

import re

import pytest
from playwright.sync_api import expect

from app.booking.links import MANAGE, VERIFY, make_token
from app.booking.models import VisitStatus
from tests.browser.helpers import axe_violations, focused, tab_to
from tests.support import warsaw

FORM_URL = "/matters/fami/book?location=fami-krakow&start=2026-12-02T07%3A30%3A00%2B01%3A00"
# Every public page there is, in each of its states: (name, how to get there).
PAGES = {
    "index": "/",
    "matter-by-phone": "/matters/orzekanie-o-niepelnosprawnosci",
    "matter-no-visits": "/matters/przeciwdzialanie-przemocy",
    "matter-staff-confirmed": "/matters/maluch-plus",
    "matter-two-places": "/matters/fami",
    "matter-times": "/matters/fami?location=fami-krakow&day=2026-12-03",
    "form": FORM_URL,
    "privacy": "/privacy",
    "not-found": "/matters/no-such-matter",
}


def open_page(page, name: str, send_request=None) -> None:
    """Bring ``page`` to the named page (the form's error state and the sent page included)."""
    if name == "form-errors":
        page.goto(FORM_URL)
        page.locator("form button[type=submit]").click()
        expect(page.locator(".error-summary")).to_be_visible()
    elif name == "sent":
        send_request(page)
    else:
        page.goto(PAGES[name])


def test_axe_runs_and_reports_what_it_finds(browser):
    """A canary: axe-core loads from the wheel and does report problems."""
    page = browser.new_page()
    try:
        page.set_content(
            '<html><body><img src="x.png"><a href="#"></a>'
            '<p style="color: #aaa; background: #fff">faint</p></body></html>'
        )
        found = {violation.split(" ")[0] for violation in axe_violations(page)}
    finally:
        page.close()
    assert {"image-alt", "link-name", "html-has-lang", "document-title", "color-contrast"} <= found


@pytest.mark.parametrize("name", [*PAGES, "form-errors", "sent"])
def test_axe_finds_no_violations_and_the_page_has_one_h1(page, send_request, screenshot, name):
    open_page(page, name, send_request)
    if name.startswith("matter-") and name != "matter-times" or name == "not-found":
        screenshot(page, f"08-{name}")  # the booking flow shoots the other pages
    assert axe_violations(page) == []
    expect(page.locator("h1")).to_have_count(1)
    for landmark in ("banner", "main", "contentinfo"):
        expect(page.get_by_role(landmark)).to_have_count(1)
    expect(page.get_by_role("navigation", name="Język")).to_have_count(1)


def test_axe_finds_no_violations_behind_the_e_mail_links(
    page, send_request, stored_visits, screenshot
):
    send_request(page)
    [visit] = stored_visits()
    verify = f"/visits/verify/{make_token(visit, VERIFY)}"
    manage = f"/visits/manage/{make_token(visit, MANAGE)}"
    found = {}

    def check(name: str) -> None:
        expect(page.locator("h1")).to_have_count(1)
        found[name] = axe_violations(page)

    page.goto(verify)
    check("verify")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).not_to_have_text(re.compile("^$"))
    check("verified")
    for name, url in [
        ("manage", manage),
        ("cancel", f"{manage}/cancel"),
        ("move", f"{manage}/move"),
        ("invalid-link", "/visits/manage/not-a-token"),
    ]:
        page.goto(url)
        check(name)
        screenshot(page, f"11-{name}")
    assert found == dict.fromkeys(found, [])


def test_axe_finds_no_violations_in_the_other_languages(page):
    found = {}
    for language in ("en", "uk", "ru"):
        page.goto(f"/matters/fami?location=fami-krakow&lang={language}")
        expect(page.locator("html")).to_have_attribute("lang", language)
        found[language] = axe_violations(page)
    assert found == dict.fromkeys(found, [])


def test_the_skip_link_comes_first_and_moves_focus_to_main(page, send_request):
    for name in ("index", "matter-times", "sent"):
        open_page(page, name, send_request)
        page.keyboard.press("Tab")
        skip = page.get_by_role("link", name="Przejdź do treści")
        expect(skip).to_be_focused()
        expect(skip).to_be_in_viewport()
        page.keyboard.press("Enter")
        expect(page.locator("main#main")).to_be_focused()
        # The next Tab goes to the first control inside main, not back into the header.
        page.keyboard.press("Tab")
        in_main = "() => document.querySelector('main').contains(document.activeElement)"
        assert page.evaluate(in_main), name


def test_every_form_control_has_a_label(page):
    for name in ("form", "form-errors"):
        open_page(page, name)
        unlabelled = page.evaluate(
            """() => [...document.querySelectorAll("input, select, textarea")]
                .filter((c) => c.type !== "hidden")
                .filter((c) => c.labels.length === 0 || !c.labels[0].innerText.trim())
                .map((c) => c.outerHTML)"""
        )
        assert unlabelled == [], name
        for role, label in [
            ("textbox", "Imię i nazwisko"),
            ("textbox", "E-mail"),
            ("textbox", "Telefon (nieobowiązkowo)"),
            ("combobox", "Język wiadomości e-mail od urzędu"),
            ("button", "Wyślij zgłoszenie"),
        ]:
            expect(page.get_by_role(role, name=label, exact=True)).to_be_visible()


def test_a_visit_can_be_booked_with_the_keyboard_alone(page, stored_visits, screenshot):
    page.goto("/")
    tab_to(page, lambda e: "projekt FAMI" in e["text"])
    page.keyboard.press("Enter")
    page.wait_for_url("**/matters/fami")

    tab_to(
        page, lambda e: e["text"].startswith("Punkt Informacyjno-Doradczy") and "Krak" in e["text"]
    )
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"location=fami-krakow#picker$"))

    element = tab_to(page, lambda e: "grudnia 2026:" in e["text"])
    assert element["text"].endswith("środa, 2 grudnia 2026: 16 wolnych terminów")
    page.keyboard.press("Tab")
    assert focused(page)["text"].endswith("czwartek, 3 grudnia 2026: 16 wolnych terminów")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"day=2026-12-03#picker-times$"))

    element = tab_to(page, lambda e: re.search(r"\d\d:\d\d$", e["text"]) is not None)
    assert element["text"] == "czwartek, 3 grudnia 2026, 07:30"
    page.keyboard.press("Tab")
    screenshot(page, "09-keyboard-focus-on-a-time", full_page=False)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Umów wizytę")
    expect(page.locator("dl.summary")).to_contain_text("czwartek, 3 grudnia 2026, 08:00")

    tab_to(page, lambda e: e["id"] == "name")
    page.keyboard.type("Anna Wiśniewska")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "email"
    page.keyboard.type("anna@example.pl")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "phone"
    page.keyboard.type("600 100 200")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "language"
    page.keyboard.press("ArrowDown")  # polski → English
    expect(page.locator("#language")).to_have_value("en")
    page.keyboard.press("Tab")  # the companion: one stop for the group, on the one chosen
    assert focused(page)["id"] == "companion-0"
    for optional in ("sign_language", "step_free", "more_time"):
        page.keyboard.press("Tab")
        assert focused(page)["id"] == optional
    page.keyboard.press("Tab")  # the privacy notice, linked from the line under the fields
    assert focused(page)["text"] == "Informacja o przetwarzaniu danych osobowych"
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Wyślij zgłoszenie"
    screenshot(page, "10-keyboard-focus-on-send", full_page=False)
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Sprawdź pocztę e-mail")
    [visit] = stored_visits()
    assert visit.status is VisitStatus.HELD
    assert (visit.name, visit.email, visit.language) == ("Anna Wiśniewska", "anna@example.pl", "en")
    assert visit.phone and visit.phone.replace(" ", "").endswith("600100200")
    assert visit.starts_at == warsaw(2026, 12, 3, 8, 0)
