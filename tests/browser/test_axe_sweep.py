"""axe-core on every page there is, in each of the four languages, at a phone's width and a
desktop's: the public pages, those behind the links in e-mails, and the infoline's, the
staff's and the administrators' (one administrator sees them all)."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.booking.links import MANAGE, VERIFY, make_token
from app.booking.models import VisitStatus
from app.extensions import db
from app.matters.models import Location, Matter, Unit
from tests.browser.fixtures import TIMEOUT_MS
from tests.browser.helpers import PASSWORD, axe_violations
from tests.support import warsaw

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 768}}
LANGUAGES = ["pl", "en", "uk", "ru"]
ADMIN = "admin@urzad.example"


@pytest.fixture
def screens(catalog, clock, make_user, make_visit) -> dict[str, str]:
    """Every page by name, with the visits and the account they need, stored before the
    server starts (so the test asks for this fixture before ``live_server``)."""
    make_user("admin", email=ADMIN)
    fami = db.session.scalar(select(Matter).where(Matter.slug == "fami"))
    coordination = db.session.scalar(select(Matter).where(Matter.slug == "koordynacja-swiadczen"))
    held = make_visit(fami, warsaw(2026, 12, 3, 10), status=VisitStatus.HELD)
    confirmed = make_visit(fami, warsaw(2026, 12, 7, 10), location=fami.location("fami-krakow"))
    request = make_visit(coordination, warsaw(2026, 12, 2, 10), status=VisitStatus.REQUESTED)
    manage = f"/visits/manage/{make_token(confirmed, MANAGE)}"
    slot = "fami-krakow%7C2026-12-08T10%3A00%3A00%2B01%3A00"
    unit_id = db.session.scalar(select(Unit.id).order_by(Unit.id))
    location_id = db.session.scalar(select(Location.id).order_by(Location.id))
    book = "/operator/matters/orzekanie-o-niepelnosprawnosci/book"
    return {
        # For everybody
        "home": "/",
        "search": "/?q=fami",
        "matter, places": "/matters/fami",
        "matter, a day": "/matters/fami?location=fami-krakow&day=2026-12-03",
        "matter by phone": "/matters/orzekanie-o-niepelnosprawnosci",
        "matter without visits": "/matters/przeciwdzialanie-przemocy",
        "form": "/matters/fami/book?location=fami-krakow&start=2026-12-02T07%3A30%3A00%2B01%3A00",
        "waitlist": "/matters/fami/waitlist?location=fami-krakow",
        "privacy": "/privacy",
        "accessibility": "/accessibility",
        "not found": "/matters/no-such-matter",
        "waiting room screen": "/display/fami-krakow",
        # Behind the links in e-mails
        "verify": f"/visits/verify/{make_token(held, VERIFY)}",
        "manage": manage,
        "move": f"{manage}/move",
        "move, the check": f"{manage}/move?slot={slot}",
        "cancel": f"{manage}/cancel",
        "link no longer valid": "/visits/manage/not-a-token",
        # The infoline
        "infoline": "/operator/",
        "infoline, matter": "/operator/matters/fami?location=fami-krakow",
        "infoline, book": f"{book}?slot=olszanska%7C2026-12-02T07%3A30%3A00%2B01%3A00",
        "infoline, visit": f"/operator/visits/{confirmed.reference}",
        "infoline, script": f"/operator/visits/{confirmed.reference}/script",
        "infoline, move": f"/operator/visits/{confirmed.reference}/move",
        "infoline, cancel": f"/operator/visits/{confirmed.reference}/cancel",
        # The units' staff
        "agenda": "/staff/?day=2026-12-07",
        "week": "/staff/?day=2026-12-07&view=week",
        "requests": "/staff/requests",
        "staff, visit": f"/staff/visits/{request.reference}",
        "staff, move": f"/staff/visits/{request.reference}/move",
        "staff, closures": "/staff/closures",
        "printed list": "/staff/print?day=2026-12-07",
        "personal data": "/staff/personal-data",
        "needs attention": "/staff/attention",
        # The administrators
        "administration": "/admin/",
        "units": "/admin/units",
        "unit": f"/admin/units/{unit_id}",
        "locations": "/admin/locations",
        "location": f"/admin/locations/{location_id}",
        "hours": f"/admin/locations/{location_id}/hours",
        "matters": "/admin/matters",
        "matter": f"/admin/matters/{fami.id}",
        "closures": "/admin/closures",
        "new closure": "/admin/closures/new",
        "accounts": "/admin/users",
        "new account": "/admin/users/new",
        "audit log": "/admin/audit",
        "outbox": "/admin/outbox",
        "kiosks": "/admin/kiosks",
        # Statistics (with a year of visits: tests/browser/test_statistics.py)
        "statistics": "/statistics/",
        "statistics, refused": "/statistics/?first=2026-12-05&last=2026-11-01",
    }


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_axe_finds_nothing_on_any_page(screens, browser, live_server, language, width):
    context = browser.new_context(
        base_url=live_server, locale=language, viewport=WIDTHS[width], timezone_id="Europe/Warsaw"
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto("/login")
        page.locator("#email").fill(ADMIN)
        page.locator("#password").fill(PASSWORD)
        page.locator("form button[type=submit]").click()
        page.wait_for_url("**/admin/")
        found = {}
        for name, url in screens.items():
            page.goto(url)
            expect(page.locator("html")).to_have_attribute("lang", language)
            expect(page.locator("h1")).to_have_count(1)
            found[name] = axe_violations(page)
    finally:
        context.close()
    assert {name: problems for name, problems in found.items() if problems} == {}
