"""The waiting room's screen: public, the calls of today at its own place only, newest first,
numbers and desks without names."""

from datetime import timedelta

from app.booking.models import VisitStatus
from tests.pages import page
from tests.support import warsaw

TODAY_TEN = warsaw(2026, 12, 1, 10)


def test_the_screen_shows_todays_calls_at_its_place(client, clock, make_matter, make_visit):
    matter, other = make_matter(desks=3), make_matter()
    called = dict(status=VisitStatus.ARRIVED, called_to="Stanowisko 1")
    first = make_visit(
        matter, TODAY_TEN, queue_number=4, called_at=warsaw(2026, 12, 1, 9, 50), **called
    )
    second = make_visit(
        matter, TODAY_TEN, queue_number=7, called_at=warsaw(2026, 12, 1, 9, 55), **called
    )
    make_visit(other, TODAY_TEN, queue_number=1, called_at=warsaw(2026, 12, 1, 9, 58), **called)
    yesterday = TODAY_TEN - timedelta(days=1)
    make_visit(matter, yesterday, queue_number=2, called_at=yesterday, **called)

    slug = matter.locations[0].slug
    answer = client.get(f"/display/{slug}/calls.json")
    assert answer.headers["Cache-Control"] == "no-store"
    assert [(c["number"], c["time"]) for c in answer.get_json()["calls"]] == [
        (7, "09:55"),
        (4, "09:50"),
    ]
    screen = page(client.get(f"/display/{slug}?lang=en"), 200)
    assert "Number 7, please go to Stanowisko 1." in screen.part(
        '<div class="display-latest"', "</div>"
    )
    assert first.name not in screen.text and second.name not in screen.text
    assert 'aria-live="assertive"' in screen.html


def test_a_screen_with_nobody_called_says_what_to_watch(client, clock, make_matter):
    slug = make_matter().locations[0].slug
    screen = page(client.get(f"/display/{slug}?lang=en"), 200)
    assert "Nobody has been called yet today." in screen.text
    assert client.get(f"/display/{slug}/calls.json").get_json() == {"calls": []}


def test_an_unknown_place_has_no_screen(client, clock):
    assert client.get("/display/nowhere").status_code == 404
    assert client.get("/display/nowhere/calls.json").status_code == 404
