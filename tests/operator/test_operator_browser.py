"""The infoline in a real browser (SQLite only): axe-core finds nothing on any of its screens,
and an operator books by typing and pressing Enter, the way a caller is served."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.booking.operations import Visitor
from app.database import utcnow
from app.extensions import db
from app.matters.models import Matter
from tests.browser.helpers import axe_violations, log_in
from tests.support import book_by_phone, warsaw


@pytest.fixture
def engine_name() -> str:
    """In the browser, SQLite only, as in tests/browser."""
    return "sqlite"


@pytest.fixture
def reference(catalog, clock, make_user) -> str:
    """An operator account and a visit it booked, stored before the server starts."""
    operator = make_user("operator", email="anna@urzad.example")
    matter = db.session.scalar(select(Matter).where(Matter.slug == "fami"))
    visit = book_by_phone(
        matter,
        "fami-krakow",
        warsaw(2026, 12, 7, 10, 0),
        Visitor("Jan Kowalski", "jan@example.pl", "+48600100200"),
        operator,
        now=utcnow(),
    )
    db.session.commit()
    return visit.reference


def test_axe_finds_nothing_on_the_infoline_screens(reference, page):
    log_in(page, "anna@urzad.example", "/operator/")
    book = "/operator/matters/orzekanie-o-niepelnosprawnosci/book"
    screens = {
        "start": "/operator/",
        "matters found": "/operator/?q=niepeln",
        "no matter found": "/operator/?q=qwerty",
        "by phone": "/operator/matters/orzekanie-o-niepelnosprawnosci",
        "two places": "/operator/matters/fami?location=fami-krakow",
        "no visits": "/operator/matters/przeciwdzialanie-przemocy",
        "form": f"{book}?slot=olszanska%7C2026-12-02T07%3A30%3A00%2B01%3A00",
        "form, time not free": f"{book}?slot=olszanska%7C2026-12-25T09%3A00%3A00%2B01%3A00",
        "visit": f"/operator/visits/{reference}",
        "script": f"/operator/visits/{reference}/script",
        "cancel": f"/operator/visits/{reference}/cancel",
        "move": f"/operator/visits/{reference}/move",
    }
    found = {}
    for name, url in screens.items():
        page.goto(url)
        expect(page.locator("h1")).to_have_count(1)
        found[name] = axe_violations(page)
    for name, typed in {"visits found": "600100200", "no visit found": "WP-22222Z"}.items():
        page.goto("/operator/")
        page.get_by_label("Reference or phone number").fill(typed)
        page.get_by_role("button", name="Find the visit").click()
        expect(page.locator("#visit-results")).to_be_visible()
        assert "600100200" not in page.url
        found[name] = axe_violations(page)
    page.goto(screens["form"])
    page.get_by_role("button", name="Book the visit").click()  # nothing typed: the errors
    expect(page.locator(".error-summary")).to_be_visible()
    found["form errors"] = axe_violations(page)
    assert found == dict.fromkeys(found, [])


def test_an_operator_books_by_typing_and_pressing_enter(reference, page):
    log_in(page, "anna@urzad.example", "/operator/")
    expect(page.locator("#q")).to_be_focused()  # the search box is ready for the first letters
    page.keyboard.type("niepeln")
    page.keyboard.press("Enter")
    page.wait_for_url("**/operator/?q=niepeln")
    page.get_by_role("link", name="Disability assessment").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/operator/matters/orzekanie-o-niepelnosprawnosci")
    page.locator("ul.times a").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/book?slot=*")
    page.locator("#name").focus()
    page.keyboard.type("Jan Nowak")
    page.keyboard.press("Tab")
    page.keyboard.type("600 200 300")
    page.keyboard.press("Enter")
    page.wait_for_url("**/script")
    expect(page.locator("h1")).to_have_text("Read this to the caller")
    expect(page.locator(".script")).to_contain_text("7:30")
