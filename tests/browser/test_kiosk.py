"""The kiosk at the entrance, as a visitor uses it: the tablet set up from its link, the code
typed on the large keypad, the number shown. Each page passes axe at a tablet's and a phone's
width, in Polish and in Ukrainian."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.kiosk.devices import new_link_token
from app.kiosk.models import Kiosk
from app.matters.models import Matter
from tests.browser.fixtures import TIMEOUT_MS
from tests.browser.helpers import axe_violations
from tests.support import warsaw

WIDTHS = {"tablet": {"width": 800, "height": 1280}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def kiosk_at_fami(catalog, clock, make_visit):
    """A kiosk of the FAMI point in Kraków waiting to be set up, and the check-in code of a
    visit there at 9:30 today (the clock: 9:00); stored before the server starts."""
    fami = db.session.scalar(select(Matter).where(Matter.slug == "fami"))
    place = fami.location("fami-krakow")
    place.waiting_area = {"pl": "poczekalnia na parterze", "uk": "зала очікування на першому"}
    kiosk = Kiosk(location_id=place.id, name="Wejście")
    db.session.add(kiosk)
    token = new_link_token(kiosk)
    db.session.commit()
    visit = make_visit(fami, warsaw(2026, 12, 1, 9, 30), location=place)
    return token, visit.check_in_code


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", ["pl", "uk"])
def test_a_visitor_checks_in_on_the_keypad(
    kiosk_at_fami, browser, live_server, screenshot, width, language
):
    token, code = kiosk_at_fami
    context = browser.new_context(
        base_url=live_server, locale="pl", viewport=WIDTHS[width], timezone_id="Europe/Warsaw"
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(f"/kiosk/pair/{token}?lang=en")
        assert axe_violations(page) == []
        page.get_by_role("button", name="Set up the kiosk").click()
        page.wait_for_url("**/kiosk/?lang=pl")
        if language != "pl":
            page.get_by_role("link", name="українська").click()
        keypad = page.locator(".keypad")
        expect(keypad).to_be_visible()  # the script shows it
        assert axe_violations(page) == []
        screenshot(page, f"kiosk-keypad-{language}-{width}")

        field = page.locator(".kiosk-code")
        for digit in "9" + code[:5]:  # a slip, taken back with the key that deletes
            keypad.locator(f"[data-key='{digit}']").first.click()
        keypad.locator("[data-key='back']").click()
        expect(field).to_have_value("9" + code[:4])
        keypad.locator("[data-key='clear']").click()
        for digit in code:
            keypad.locator(f"[data-key='{digit}']").click()
        expect(field).to_have_value(code)
        page.locator(".kiosk-submit").click()

        expect(page.locator(".kiosk-number")).to_have_text("1")
        place = "poczekalnia na parterze" if language == "pl" else "зала очікування"
        expect(page.locator("main")).to_contain_text(place)
        assert axe_violations(page) == []
        screenshot(page, f"kiosk-checked-in-{language}-{width}")
        # The next visitor finds the kiosk in Polish.
        page.locator(".kiosk-done").click()
        expect(page.locator("html")).to_have_attribute("lang", "pl")
    finally:
        context.close()


def test_the_kiosk_without_javascript_takes_the_code_typed(kiosk_at_fami, browser, live_server):
    token, code = kiosk_at_fami
    context = browser.new_context(
        base_url=live_server, locale="pl", java_script_enabled=False, timezone_id="Europe/Warsaw"
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(f"/kiosk/pair/{token}?lang=en")
        page.get_by_role("button", name="Set up the kiosk").click()
        expect(page.locator(".keypad")).to_be_hidden()
        page.locator(".kiosk-code").fill(f"{code[:3]} {code[3:]}")
        page.locator(".kiosk-submit").click()
        expect(page.locator(".kiosk-number")).to_have_text("1")
    finally:
        context.close()
