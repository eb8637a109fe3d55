"""Requests waiting for their e-mail link, capped per client address (``app.booking.holds``):
one machine posting under many addresses cannot hold many desks; a person never notices."""

from datetime import timedelta

import pytest
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from app.booking.holds import HOLDS
from app.extensions import db, limiter
from tests.support import at_once, fami_request, fami_slots, visits

BOT, NEIGHBOUR = "203.0.113.7", "198.51.100.20"


@pytest.fixture
def cap_of_two(app):
    app.config["HOLDS_PER_SOURCE"] = 2


def free_starts(client, count: int) -> list[str]:
    return [slot["start"] for slot in fami_slots(client)[:count]]


def request_visit(client, start: str, email: str, source: str = BOT, lang: str = "pl"):
    return client.post(
        f"/api/v1/visits?lang={lang}",
        json=fami_request(start, email),
        environ_base={"REMOTE_ADDR": source},
    )


def test_one_address_holds_no_more_desks_than_the_cap(client, catalog, clock, cap_of_two):
    starts = free_starts(client, 4)
    made = [request_visit(client, starts[n], f"osoba{n}@example.pl") for n in range(2)]
    assert [answer.status_code for answer in made] == [201, 201]

    refused = request_visit(client, starts[2], "osoba2@example.pl", lang="en")

    assert refused.status_code == 429
    # The oldest request's hold time (30 minutes) is when the next may be made.
    assert 29 * 60 < int(refused.headers["Retry-After"]) <= 30 * 60
    assert refused.get_json() == {
        "error": "too_many_requests",
        "message": "Many requests sent from your connection are waiting to be confirmed by "
        "e-mail. Please confirm them with the links in those e-mails, or wait 30 minutes and "
        "try again.",
    }
    assert len(visits()) == 2  # the refused request holds nothing
    # Another address is not held up by this one.
    assert request_visit(client, starts[2], "sasiad@example.pl", NEIGHBOUR).status_code == 201
    # Once the hold time has passed, the address may request again.
    clock.shift(timedelta(minutes=30, seconds=1))
    assert request_visit(client, starts[3], "osoba3@example.pl").status_code == 201


def test_the_form_says_so_in_the_visitors_language(client, catalog, clock, cap_of_two):
    starts = free_starts(client, 3)
    for n in range(2):
        assert request_visit(client, starts[n], f"osoba{n}@example.pl").status_code == 201

    page = client.post(
        "/matters/fami/book?lang=uk",
        data={
            "location": "fami-krakow",
            "start": starts[2],
            "name": "Олена Коваль",
            "email": "olena@example.pl",
            "language": "uk",
        },
        environ_base={"REMOTE_ADDR": BOT},
    )

    assert page.status_code == 429
    assert int(page.headers["Retry-After"]) > 29 * 60
    text = page.get_data(as_text=True)
    assert "очікують на підтвердження електронною поштою" in text
    assert "30 хвилин" in text
    assert len(visits()) == 2


def test_parallel_requests_from_one_address_cannot_pass_the_cap(app, client, catalog, cap_of_two):
    starts = free_starts(client, 6)
    db.session.commit()  # the test's own read lets go of SQLite before the threads write

    def request(index: int) -> int:
        return request_visit(app.test_client(), starts[index], f"r{index}@example.pl").status_code

    answers = at_once(app, request, 6)

    assert sorted(answers) == [201, 201, 429, 429, 429, 429]


def test_the_count_lives_in_redis_for_every_worker(app, client, catalog, redis_url):
    """With the store in Redis, what one worker counted another (any process) sees."""
    app.config["HOLDS_PER_SOURCE"] = 2
    app.config["RATELIMIT_STORAGE_URI"] = redis_url
    limiter.init_app(app)  # as a worker starting with that setting
    limiter.reset()  # nothing left from another test
    starts = free_starts(client, 3)
    for n in range(2):
        assert request_visit(client, starts[n], f"w{n}@example.pl").status_code == 201

    other_worker = MovingWindowRateLimiter(storage_from_string(redis_url))

    assert not other_worker.test(HOLDS.limit(), HOLDS.scope, BOT)
    assert other_worker.test(HOLDS.limit(), HOLDS.scope, NEIGHBOUR)
    assert request_visit(client, starts[2], "w2@example.pl").status_code == 429
