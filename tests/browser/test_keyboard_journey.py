"""A visit in Ukrainian with the keyboard alone, from the list of matters to the cancellation:
the form, the verification e-mail's link, the confirmation, a move and the cancel, every step
reached with Tab and taken with Enter."""

import re

from playwright.sync_api import expect
from sqlalchemy import select

from app.booking.models import Visit, VisitStatus
from app.extensions import db
from tests.browser.helpers import focused, tab_to
from tests.mails import links_in, outbox
from tests.support import run_scheduler_once, warsaw


def the_visit() -> Visit:
    """The one visit, read afresh (and the transaction ended: the server writes too)."""
    try:
        (visit,) = db.session.scalars(select(Visit)).all()
        db.session.expunge(visit)
        return visit
    finally:
        db.session.rollback()


def link_in_mail(kind: str, part: str) -> str:
    try:
        (mail,) = outbox(kind)
        (link,) = [path for path in links_in(mail, query=True) if part in path]
        return link
    finally:
        db.session.rollback()


def follow(page) -> None:
    """Press Enter on the focused link or button, and wait for the page it opens."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_a_visit_is_booked_moved_and_cancelled_in_ukrainian_with_the_keyboard(
    browser, live_server, runner
):
    context = browser.new_context(base_url=live_server, locale="uk-UA", timezone_id="Europe/Warsaw")
    context.set_default_timeout(5_000)
    page = context.new_page()
    try:
        page.goto("/")  # a browser asking for Ukrainian gets it
        expect(page.locator("html")).to_have_attribute("lang", "uk")
        tab_to(page, lambda e: "(проект FAMI)" in e["text"])
        follow(page)
        tab_to(
            page,
            lambda e: e["text"].startswith(
                "Інформаційно-консультаційний пункт для громадян третіх країн у Кракові"
            ),
        )
        follow(page)
        expect(page).to_have_url(re.compile(r"location=fami-krakow#picker$"))
        tab_to(page, lambda e: e["text"].endswith("четвер, 3 грудня 2026 р.: 16 вільних вікон"))
        follow(page)
        expect(page).to_have_url(re.compile(r"day=2026-12-03#picker-times$"))
        assert tab_to(page, lambda e: e["text"].endswith("08:00"))["text"] == (
            "четвер, 3 грудня 2026 р., 08:00"
        )
        follow(page)

        expect(page.get_by_role("heading", level=1)).to_have_text("Записатися на візит")
        tab_to(page, lambda e: e["id"] == "name")
        page.keyboard.type("Олена Коваленко")
        page.keyboard.press("Tab")
        page.keyboard.type("olena@example.com")
        tab_to(page, lambda e: e["text"] == "Надіслати запит")
        follow(page)
        expect(page.get_by_role("heading", level=1)).to_have_text("Перевірте свою електронну пошту")
        visit = the_visit()
        assert (visit.status, visit.language) == (VisitStatus.HELD, "uk")

        page.goto(link_in_mail("verification", "/verify/"))  # the link in the e-mail
        tab_to(page, lambda e: e["tag"] == "button" and "запит" in e["text"])
        follow(page)
        expect(page.locator(".summary")).to_contain_text(the_visit().reference)
        assert the_visit().status is VisitStatus.REQUESTED
        run_scheduler_once(runner)  # FAMI's requests are confirmed by the scheduler
        assert the_visit().status is VisitStatus.CONFIRMED

        page.goto(link_in_mail("confirmation", "/manage/"))
        expect(page.locator("html")).to_have_attribute("lang", "uk")
        tab_to(page, lambda e: e["text"] == "Перенести на інший час")
        follow(page)
        tab_to(page, lambda e: e["text"].startswith("3 ") and "четвер, 3 грудня" in e["text"])
        follow(page)  # the picker opens on the first free day: go to the visit's own
        tab_to(page, lambda e: e["text"].endswith("четвер, 3 грудня 2026 р., 10:00"))
        follow(page)
        expect(page.locator(".summary").last).to_contain_text("четвер, 3 грудня 2026 р., 10:00")
        tab_to(page, lambda e: e["text"] == "Перенести візит на цей час")
        follow(page)
        expect(page.locator(".messages")).to_be_visible()
        assert the_visit().starts_at == warsaw(2026, 12, 3, 10, 0)

        tab_to(page, lambda e: e["text"] == "Скасувати візит")
        follow(page)
        tab_to(page, lambda e: e["tag"] == "button")
        assert focused(page)["text"] == "Так, скасувати візит"
        follow(page)
        expect(page.locator(".messages")).to_be_visible()
        assert the_visit().status is VisitStatus.CANCELLED
    finally:
        context.close()
