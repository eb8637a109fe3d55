"""The day of a visit end to end, in Chromium: the visitor checks in at the kiosk with the code
of the confirmation, the clerk's agenda shows the arrival by itself and the clerk calls the
next visitor, the waiting room's screen announces the number, and the clerk marks the visit
attended. The screen passes axe."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.kiosk.devices import new_link_token
from app.kiosk.models import Kiosk
from app.matters.models import Matter
from tests.browser.fixtures import TIMEOUT_MS
from tests.browser.helpers import axe_violations, log_in
from tests.support import warsaw

CLERK = "fami@urzad.example"
DESKTOP = {"width": 1366, "height": 768}


@pytest.fixture
def day_at_fami(catalog, clock, make_user, make_visit):
    """A FAMI clerk, a kiosk of the Kraków point to set up, a confirmed visit there at 9:30
    today (the clock: 9:00); plain values, stored before the server starts."""
    fami = db.session.scalar(select(Matter).where(Matter.slug == "fami"))
    place = fami.location("fami-krakow")
    make_user("staff", units=[fami.unit], email=CLERK)
    kiosk = Kiosk(location_id=place.id, name="Wejście")
    db.session.add(kiosk)
    token = new_link_token(kiosk)
    db.session.commit()
    visit = make_visit(fami, warsaw(2026, 12, 1, 9, 30), location=place)
    return {"token": token, "code": visit.check_in_code, "reference": visit.reference}


def new_page(browser, live_server, **options):
    context = browser.new_context(
        base_url=live_server, locale="pl", timezone_id="Europe/Warsaw", **options
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context, context.new_page()


def test_check_in_call_and_attend(day_at_fami, clock, browser, live_server, screenshot):
    kiosk_context, kiosk = new_page(browser, live_server, viewport={"width": 800, "height": 1280})
    clerk_context, clerk = new_page(browser, live_server, viewport=DESKTOP)
    screen_context, screen = new_page(browser, live_server, viewport=DESKTOP)
    try:
        screen.goto("/display/fami-krakow")
        expect(screen.locator(".display-empty")).to_be_visible()
        assert axe_violations(screen) == []

        log_in(clerk, CLERK, "/staff/")
        clerk.get_by_label("Your desk").fill("Stanowisko 3")
        clerk.get_by_role("button", name="Save the desk").click()
        expect(clerk.locator(".messages")).to_contain_text("You call visitors to: Stanowisko 3.")

        kiosk.goto(f"/kiosk/pair/{day_at_fami['token']}")
        kiosk.locator("button[type=submit]").click()
        kiosk.locator(".kiosk-code").fill(day_at_fami["code"])
        kiosk.locator(".kiosk-submit").click()
        expect(kiosk.locator(".kiosk-number")).to_have_text("1")

        # The agenda learns of the arrival by itself (it asks every few seconds).
        row = clerk.locator("tr", has_text=day_at_fami["reference"])
        expect(row).to_contain_text("number 1", timeout=25_000)
        clerk.get_by_role("button", name="Call the next visitor to Stanowisko 3").click()
        expect(clerk.locator(".messages")).to_contain_text("Number 1")

        latest = screen.locator(".display-latest")
        expect(latest).to_have_text("Numer 1, prosimy podejść do: Stanowisko 3.", timeout=10_000)
        expect(screen.locator(".display-calls tbody tr").first).to_contain_text("Stanowisko 3")
        assert axe_violations(screen) == []
        screenshot(screen, "display-called")

        clock.move_to(warsaw(2026, 12, 1, 9, 35))  # the visit has begun: it can be attended
        clerk.reload()
        clerk.get_by_role("button", name=f"Attended {day_at_fami['reference']}").click()
        expect(clerk.locator(".messages")).to_contain_text("attended")
    finally:
        for context in (kiosk_context, clerk_context, screen_context):
            context.close()
