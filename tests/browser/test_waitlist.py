"""The waitlist in Chromium, on a phone in Ukrainian: a full day's line joined from the matter's
page and confirmed by the e-mail's link, a desk freed by the unit offered by e-mail, and taken
by that e-mail's link. Its pages pass axe."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.booking import operations
from app.booking.models import Visit, VisitStatus
from app.booking.schedule import matter_free_slots
from app.booking.states import Channel
from app.database import utcnow
from app.extensions import db
from app.matters.models import Matter
from app.waitlist.line import offer_freed_desks
from tests.browser.fixtures import TIMEOUT_MS
from tests.browser.helpers import axe_violations
from tests.mails import links_in, outbox
from tests.support import warsaw

PHONE = {"width": 390, "height": 844}
WEDNESDAY = warsaw(2026, 12, 2)


@pytest.fixture
def full_day(catalog, clock, make_visit):
    """FAMI in Kraków booked up on Wednesday 2 December; plain values, stored before the
    server starts."""
    fami = db.session.scalar(select(Matter).where(Matter.slug == "fami"))
    place = fami.location("fami-krakow")
    day = WEDNESDAY.date()
    references = []
    for _place, slot in matter_free_slots(fami, [place], utcnow(), day, day, online=False):
        for _desk in range(slot.free):
            references.append(make_visit(fami, slot.start, location=place).reference)
    return references


def test_join_a_full_days_line_and_take_the_freed_desk(full_day, browser, live_server, screenshot):
    context = browser.new_context(
        base_url=live_server, locale="uk", timezone_id="Europe/Warsaw", viewport=PHONE
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto("/matters/fami?location=fami-krakow&lang=uk")
        page.get_by_role("link", name="Запишіться до списку очікування").click()
        expect(page.get_by_label("День")).to_have_value("2026-12-02")
        assert axe_violations(page) == []
        screenshot(page, "waitlist-phone-uk")
        page.get_by_label("Ім’я та прізвище").fill("Олена Коваль")
        page.get_by_label("Електронна пошта").fill("olena@example.org")
        page.get_by_role("button", name="Записатися до списку очікування").click()
        expect(page.locator("main")).to_contain_text("olena@example.org")
        assert axe_violations(page) == []

        # The e-mail's link puts her in line.
        (joined,) = outbox("waitlist_joined")
        (confirm,) = [link for link in links_in(joined, query=True) if "/confirm/" in link]
        db.session.commit()  # SQLite: the server's writer waits for no transaction of ours
        page.goto(confirm)
        page.locator("main form button[type=submit]").click()
        expect(page.locator("dl.summary strong")).to_have_text("1")
        assert axe_violations(page) == []

        # The unit cancels a visit of that day; the scheduler offers its desk.
        freed = db.session.scalar(select(Visit).where(Visit.reference == full_day[3]))
        unit = operations.Actor("fami@urzad.example", Channel.STAFF)
        operations.cancel(freed, unit, "The visitor called.", utcnow())
        db.session.commit()
        assert offer_freed_desks(utcnow()) == 1
        (offer,) = outbox("waitlist_offer")
        (verify,) = [link for link in links_in(offer, query=True) if "/visits/verify/" in link]
        db.session.commit()  # SQLite: the server's writer waits for no transaction of ours

        page.goto(verify)
        page.locator("main form button[type=submit]").click()
        expect(page.locator("main")).to_contain_text("Дякуємо")
        db.session.expire_all()
        taken = db.session.scalar(select(Visit).where(Visit.email == "olena@example.org"))
        assert taken.status is VisitStatus.REQUESTED
    finally:
        context.close()
