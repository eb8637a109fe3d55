"""The citizen's way on a phone (390×844), in Ukrainian: from the matter's title to its first
free time within two screens, and no more page loads than on a desktop; with JavaScript the
picker changes place, month and day without any."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.fixtures import TIMEOUT_MS
from tests.browser.helpers import axe_violations

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server):
    """A phone's browser that asks for Ukrainian pages."""
    context = browser.new_context(
        base_url=live_server,
        locale="uk-UA",
        timezone_id="Europe/Warsaw",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    loads = []
    page.on("load", lambda: loads.append(page.url))
    page.loads = loads
    yield page
    context.close()


def top(page, locator) -> float:
    """Where an element starts, from the top of the page (not of the screen)."""
    return locator.bounding_box()["y"] + page.evaluate("window.scrollY")


def test_the_first_free_time_is_within_two_screens_of_the_title(phone, screenshot):
    phone.goto("/matters/fami?lang=uk")
    places = phone.locator("ul.places a")
    expect(places.first).to_contain_text("Перший вільний день: середа, 2 грудня 2026 р.")

    places.filter(has_text="Новому Сончі").tap()
    expect(phone).to_have_url(re.compile(r"location=fami-nowy-sacz#picker$"))
    expect(places.first).to_contain_text("Новому Сончі")  # the place tapped comes first
    first_time = phone.locator("ul.times a").first
    expect(first_time).to_have_text("середа, 2 грудня 2026 р., 07:30")
    screenshot(phone, "12-phone-uk-fami-nowy-sacz")

    distance = top(phone, first_time) - top(phone, phone.locator("h1"))
    assert distance <= 2 * PHONE["height"], f"the first free time is {distance:.0f} px down"

    first_time.tap()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Записатися на візит")
    # The matter page and the form: the place is swapped in without a load (picker.js); a
    # browser without JavaScript loads it too, as many loads as on a desktop.
    assert len(phone.loads) == 2, phone.loads


@pytest.mark.parametrize("language", ["pl", "en", "uk", "ru"])
def test_axe_finds_nothing_in_the_picker_on_a_phone(phone, language):
    found = {}
    for name, url in {
        "places": "/matters/fami",
        "month": "/matters/fami?location=fami-krakow&day=2026-12-03",
        "empty-month": "/matters/fami?location=fami-krakow&month=2027-01",
    }.items():
        phone.goto(f"{url}{'&' if '?' in url else '?'}lang={language}")
        found[name] = axe_violations(phone)
    assert found == dict.fromkeys(found, [])


def test_with_javascript_a_day_or_a_month_changes_without_a_page_load(phone):
    phone.goto("/matters/fami?location=fami-krakow")
    loads = len(phone.loads)

    phone.get_by_role("link", name="четвер, 10 грудня 2026 р.: 16 вільних вікон").tap()

    title = phone.locator("#picker-times-title")
    expect(title).to_have_text("Вільний час – четвер, 10 грудня 2026 р.")
    expect(title).to_be_focused()  # a screen reader hears the new day
    expect(phone).to_have_url(re.compile(r"day=2026-12-10#picker-times$"))
    expect(phone.locator("ul.times a").first).to_have_text("четвер, 10 грудня 2026 р., 07:30")
    languages = phone.get_by_role("navigation", name="Мова")
    expect(languages.get_by_role("link", name="polski")).to_have_attribute(
        "href", re.compile(r"day=2026-12-10")
    )
    assert len(phone.loads) == loads  # no page load

    phone.go_back()
    expect(title).to_have_text("Вільний час – середа, 2 грудня 2026 р.")
    assert len(phone.loads) == loads
