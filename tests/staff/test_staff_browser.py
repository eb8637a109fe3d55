"""The staff's pages in a real browser (SQLite only): axe-core finds nothing on any of them,
and each has one h1. Screenshots of the agenda and the printed list go to test-artifacts/."""

import json
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.booking.models import VisitStatus
from app.database import utcnow
from app.extensions import db
from app.matters.models import Matter
from tests.browser.helpers import axe_violations, log_in
from tests.staff.conftest import TODAY_TEN, TOMORROW_TEN
from tests.support import warsaw


@pytest.fixture
def engine_name() -> str:
    """In the browser, SQLite only, as in tests/browser."""
    return "sqlite"


@pytest.fixture
def references(catalog, clock, make_user, make_visit) -> dict[str, str]:
    """A staff member of the coordination unit and two of its visits, stored before the
    server starts."""
    matter = db.session.scalar(select(Matter).where(Matter.slug == "koordynacja-swiadczen"))
    make_user("staff", units=[matter.unit], email="ewa@urzad.example")
    today = make_visit(matter, warsaw(2026, 12, 1, 9, 0), name="Łucja Żak")  # its time is now
    request = make_visit(matter, TOMORROW_TEN, status=VisitStatus.REQUESTED, name="Jan Nowak")
    make_visit(
        matter, TODAY_TEN, attention="recheck_marked: OperationalError", attention_at=utcnow()
    )
    return {"today": today.reference, "request": request.reference}


def test_axe_finds_nothing_on_the_staff_pages(references, page, screenshot):
    log_in(page, "ewa@urzad.example", "/staff/")
    screens = {
        "agenda": "/staff/",
        "week": "/staff/?view=week",
        "empty day": "/staff/?day=2026-12-05",
        "requests": "/staff/requests",
        "request": f"/staff/visits/{references['request']}",
        "visit today": f"/staff/visits/{references['today']}",
        "move": f"/staff/visits/{references['request']}/move",
        "closures": "/staff/closures",
        "print": "/staff/print?day=2026-12-01",
        "did not come?": f"/staff/visits/{references['today']}/no-show",
        "personal data": "/staff/personal-data",
        "needs attention": "/staff/attention",  # last: its list is printed below
    }
    found = {}
    for name, url in screens.items():
        page.goto(url)
        expect(page.locator("h1")).to_have_count(1)
        found[name] = axe_violations(page)
    page.emulate_media(media="print")  # the printed list: the visits and nothing else
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator("p.no-print")).to_be_hidden()
    expect(page.locator("table.visits")).to_be_visible()
    screenshot(page, "staff-print")
    page.emulate_media(media="screen")
    page.goto("/staff/")
    screenshot(page, "staff-agenda")

    page.goto("/staff/closures")
    page.get_by_role("button", name="Add the closure").click()  # nothing typed: the errors
    expect(page.locator(".error-summary")).to_be_visible()
    found["closure errors"] = axe_violations(page)

    page.goto("/staff/personal-data")
    page.get_by_label("Reference of a visit, or e-mail address").fill("nobody@example.pl")
    page.get_by_role("button", name="Download the data (JSON)").click()
    expect(page.locator(".error-summary")).to_contain_text("Nothing is held about this person")
    found["personal data, nothing held"] = axe_violations(page)
    screenshot(page, "staff-personal-data")
    page.get_by_label("Reference of a visit, or e-mail address").fill(references["today"])
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the data (JSON)").click()
    exported = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    assert references["today"] in [visit["reference"] for visit in exported["visits"]]

    page.goto(f"/staff/visits/{references['today']}")
    page.get_by_role("button", name="Arrived").click()
    expect(page.locator(".message-success")).to_contain_text("arrived")
    found["after an action"] = axe_violations(page)
    assert found == dict.fromkeys(found, [])
