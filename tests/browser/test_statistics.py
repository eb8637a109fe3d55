"""The statistics with a year of seeded visits, in Chromium: axe finds nothing in any language
at either width, each chart is an image named by its title with its table beside it, the
long tables scroll in a box a keyboard can reach, and the downloads arrive."""

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from app.demo.seed import seed_demo
from app.extensions import db
from tests.browser.fixtures import TIMEOUT_MS
from tests.browser.helpers import PASSWORD, axe_violations, focused

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 768}}
HEAD = "szefowa@urzad.example"
YEAR = "/statistics/?first=2025-12-02&last=2026-12-01"


@pytest.fixture
def office_year(catalog, clock, make_user):
    """A year of visits and an administrator, stored before the server starts."""
    seed_demo(1500, 10)
    make_user("admin", email=HEAD)
    db.session.commit()


def open_statistics(browser, live_server, language: str, width: str):
    context = browser.new_context(
        base_url=live_server, locale=language, viewport=WIDTHS[width], timezone_id="Europe/Warsaw"
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto("/login")
    page.locator("#email").fill(HEAD)
    page.locator("#password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/admin/")
    return context, page


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", ["pl", "en", "uk", "ru"])
def test_axe_finds_nothing_on_a_year_of_figures(office_year, browser, live_server, language, width):
    context, page = open_statistics(browser, live_server, language, width)
    try:
        page.goto(YEAR)
        expect(page.locator("html")).to_have_attribute("lang", language)
        assert page.locator("svg.chart").count() == 7
        assert axe_violations(page) == []
    finally:
        context.close()


def test_charts_are_named_images_beside_their_tables(
    office_year, browser, live_server, screenshot, tmp_path
):
    context, page = open_statistics(browser, live_server, "en", "desktop")
    try:
        page.goto(f"{YEAR}&lang=en")
        chart = page.get_by_role("img", name="How the visits ended")
        expect(chart).to_have_count(1)
        section = page.locator("section", has=chart)
        table = section.get_by_role("table", name="How the visits ended")
        expect(table.get_by_role("row")).to_have_count(11)  # the header and ten endings
        # Each bar carries its number as text: the chart reads without colour.
        expect(chart.locator("text.chart-value").first).to_contain_text("(")
        heat_map = page.get_by_role("img", name="Booked desks by weekday and hour")
        expect(heat_map.locator("text.chart-cell-text").first).to_contain_text("%")
        screenshot(page, "statistics-desktop-en")

        # The long table of hours scrolls in its own box, and the keyboard reaches it.
        region = page.get_by_role("region", name="Table: Booked desks by weekday and hour")
        region.focus()
        assert focused(page)["outline"]
        page.keyboard.press("End")
        # The browser scrolls in a frame of its own: wait for it (a busy machine is slow to).
        page.wait_for_function("box => box.scrollTop > 0", arg=region.element_handle())

        with page.expect_download() as download:
            section.get_by_role("link", name="spreadsheet (.xlsx) — How the visits ended").click()
        name = download.value.suggested_filename
        assert name == "wizyta-outcomes-2025-12-02-2026-12-01.xlsx"
        download.value.save_as(tmp_path / name)
        sheet = load_workbook(tmp_path / name).active
        assert sheet["A1"].value == "Outcome" and sheet["A2"].value == "Attended"
    finally:
        context.close()
