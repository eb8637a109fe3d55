"""Before a closure that calls off visits is saved, the administrator sees them: the check
page passes axe at both widths, and saving from it lists the closure."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.matters.models import Matter
from tests.browser.fixtures import TIMEOUT_MS
from tests.browser.helpers import axe_violations, log_in
from tests.support import warsaw

ADMIN = "admin@urzad.example"
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 768}}


@pytest.fixture
def booked(catalog, clock, make_user, make_visit):
    """The reference of a visit at the FAMI point in Kraków on Thursday, stored before the
    server starts."""
    make_user("admin", email=ADMIN)
    fami = db.session.scalar(select(Matter).where(Matter.slug == "fami"))
    visit = make_visit(fami, warsaw(2026, 12, 3, 10), location=fami.location("fami-krakow"))
    return visit.reference


@pytest.mark.parametrize("width", WIDTHS)
def test_the_visits_a_closure_calls_off_are_shown_first(booked, browser, live_server, width):
    context = browser.new_context(
        base_url=live_server, locale="pl", viewport=WIDTHS[width], timezone_id="Europe/Warsaw"
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        log_in(page, ADMIN, "/admin/")  # in English
        page.goto("/admin/closures/new")
        page.get_by_label("Where").select_option("fami-krakow")
        page.get_by_label("First day").fill("2026-12-03")
        page.get_by_label("Reason").fill("Awaria ogrzewania")
        page.get_by_role("button", name="Add the closure").click()

        expect(page.locator("h1")).to_have_text("This closure calls off 1 booked visit")
        expect(page.get_by_role("table")).to_contain_text(booked)
        assert axe_violations(page) == []
        page.get_by_role("button", name="Save the closure and call off 1 visit").click()
        page.wait_for_url("**/admin/closures")
        expect(page.locator("main")).to_contain_text("Awaria ogrzewania")
    finally:
        context.close()
