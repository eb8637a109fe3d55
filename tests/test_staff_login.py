"""Staff login as an attacker would try it: the answers say nothing about which accounts exist
(the same page, about the same time), tries are limited per account and source without locking
the account's owner out, parallel tries cannot slip past the limit, the sessions end on the
server (logout, a new password, a disabled account, idle, a working day), and the page after
the login is only ever one of this site's."""

import statistics
import time
from datetime import timedelta

import pytest
from argon2 import PasswordHasher

from app import config
from app.accounts.models import User, unknown_account_hash
from app.extensions import db
from tests.support import at_once, fresh

PASSWORD = "correct horse battery"
pytestmark = pytest.mark.usefixtures("clock")


def log_in(client, email, password=PASSWORD, source="192.0.2.10", next_url=None):
    url = "/login?lang=en" if next_url is None else f"/login?lang=en&next={next_url}"
    return client.post(
        url,
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": source},
    )


@pytest.fixture(autouse=True)
def session_limits(app):
    """The defaults (the other tests keep sessions open while they move the clock by days)."""
    for name in ("STAFF_SESSION_IDLE_MINUTES", "STAFF_SESSION_HOURS"):
        app.config[name] = config.DEFAULTS[name]


@pytest.fixture
def operator(make_user) -> User:
    return make_user("operator", email="ewa@urzad.example")


# --- What the answer tells ----------------------------------------------------------------------


def same_page(unknown, known, typed: str, real: str) -> bool:
    """The same page but for the address typed back into the form."""
    return unknown.get_data(as_text=True).replace(typed, real) == known.get_data(as_text=True)


def test_an_unknown_address_and_a_wrong_password_get_the_same_answer(client, operator):
    unknown = log_in(client, "nobody@urzad.example", "x" * 12)
    wrong = log_in(client, operator.email, "x" * 12)

    assert unknown.status_code == wrong.status_code == 401
    assert same_page(unknown, wrong, "nobody@urzad.example", operator.email)
    assert "Wrong e-mail or password." in wrong.get_data(as_text=True)


def test_after_the_tries_run_out_the_answer_is_still_the_same(client, operator):
    for _ in range(5):
        log_in(client, "nobody@urzad.example", "x" * 12)
        log_in(client, operator.email, "x" * 12)

    unknown = log_in(client, "nobody@urzad.example", "x" * 12)
    known = log_in(client, operator.email, "x" * 12)

    assert unknown.status_code == known.status_code == 429
    assert unknown.headers["Retry-After"] == known.headers["Retry-After"] == str(15 * 60)
    assert same_page(unknown, known, "nobody@urzad.example", operator.email)
    assert "Try again in 15 minutes." in known.get_data(as_text=True)


def median_seconds(client, email: str, source: str) -> float:
    times = []
    for _ in range(4):
        started = time.perf_counter()
        assert log_in(client, email, "x" * 12, source=source).status_code == 401
        times.append(time.perf_counter() - started)
    return statistics.median(times)


@pytest.fixture
def real_password_hashes(monkeypatch):
    """Argon2 at its production cost (the other tests hash cheaply)."""
    monkeypatch.setattr("app.accounts.models.PASSWORDS", PasswordHasher())
    unknown_account_hash.cache_clear()
    yield
    unknown_account_hash.cache_clear()


def test_an_unknown_address_takes_as_long_as_a_wrong_password(
    real_password_hashes, client, make_user
):
    """A password check costs the same for an unknown address, a wrong password and a disabled
    account, so that timing the answers finds no account (each source its own tries)."""
    operator = make_user("operator")
    disabled = make_user("operator", active=False)
    log_in(client, "warm-up@urzad.example", "x" * 12)  # the stand-in hash is made once

    unknown = median_seconds(client, "nobody@urzad.example", "192.0.2.1")
    wrong = median_seconds(client, operator.email, "192.0.2.2")
    inactive = median_seconds(client, disabled.email, "192.0.2.3")

    assert wrong > 0.02, "a real password check takes a while"
    assert 0.5 < unknown / wrong < 2, (unknown, wrong)
    assert 0.5 < inactive / wrong < 2, (inactive, wrong)


# --- Tries per account and source ---------------------------------------------------------------


def test_wrong_passwords_lock_out_the_source_not_the_account(client, operator, clock):
    for _ in range(5):
        assert log_in(client, operator.email, "nope", source="203.0.113.66").status_code == 401

    # The attacker's source is refused even the right password, without it being checked …
    assert log_in(client, operator.email, source="203.0.113.66").status_code == 429
    # … while the account's owner, elsewhere, logs in as always.
    assert log_in(client.application.test_client(), operator.email).status_code == 302

    clock.shift(timedelta(minutes=15, seconds=1))
    assert log_in(client, operator.email, source="203.0.113.66").status_code == 302


def test_a_login_starts_the_count_again(client, operator):
    for _ in range(4):
        assert log_in(client, operator.email, "nope").status_code == 401
    assert log_in(client, operator.email).status_code == 302
    client.post("/logout")
    for _ in range(4):
        assert log_in(client, operator.email, "nope").status_code == 401
    assert log_in(client, operator.email).status_code == 302


def test_addresses_are_counted_as_typed_in_any_case(client, operator):
    for typed in [
        "Ewa@urzad.example",
        "EWA@URZAD.EXAMPLE",
        " ewa@urzad.example",
        "ewa@Urzad.example",
    ]:
        log_in(client, typed, "nope")
    log_in(client, "ewa@urzad.example", "nope")
    assert log_in(client, operator.email).status_code == 429


def test_parallel_tries_cannot_slip_past_the_limit(app, operator):
    """24 wrong passwords at once from one source: exactly 5 are checked."""
    email = operator.email
    db.session.commit()  # SQLite: the test's own reading must not hold the write lock

    def try_once(_index: int) -> int:
        return log_in(app.test_client(), email, "nope").status_code

    answers = at_once(app, try_once, 24)

    assert sorted(answers) == [401] * 5 + [429] * 19


# --- Sessions end on the server -----------------------------------------------------------------


def logged_in(client, user: User) -> str:
    """Log in; the session cookie's value."""
    assert log_in(client, user.email).status_code == 302
    return client.get_cookie("session").value


def is_in(client) -> bool:
    response = client.get("/operator/")
    return response.status_code == 200


def test_a_copy_of_the_cookie_is_useless_after_logout(client, operator):
    cookie = logged_in(client, operator)
    assert is_in(client)
    client.post("/logout")
    client.set_cookie("session", cookie)  # the cookie a thief copied before

    assert not is_in(client)
    assert client.get("/operator/").headers["Location"].startswith("/login")


def test_a_new_password_ends_every_session_of_the_account(client, operator):
    other_device = client.application.test_client()
    logged_in(client, operator)
    logged_in(other_device, operator)

    user = fresh(operator)
    user.set_password("another long password")
    db.session.commit()

    assert not is_in(client) and not is_in(other_device)
    assert log_in(client, operator.email, "another long password").status_code == 302


def test_disabling_an_account_ends_its_sessions_for_good(client, operator):
    logged_in(client, operator)
    cookie = client.get_cookie("session").value
    user = fresh(operator)
    user.set_active(False)
    db.session.commit()
    assert not is_in(client)

    fresh(operator).set_active(True)
    db.session.commit()
    client.set_cookie("session", cookie)
    assert not is_in(client)  # enabled again, the old session stays over


def test_a_session_ends_after_an_hour_without_a_request(client, operator, clock):
    logged_in(client, operator)
    clock.shift(timedelta(minutes=59))
    assert is_in(client)
    clock.shift(timedelta(minutes=59))
    assert is_in(client)  # each request keeps it alive
    clock.shift(timedelta(minutes=61))

    sent_to = client.get("/operator/?lang=en").headers["Location"]
    assert sent_to.startswith("/login?next=")
    login_page = client.get(sent_to).get_data(as_text=True)
    assert "Your session has ended. Please log in again." in login_page
    assert not is_in(client)


def test_a_session_ends_twelve_hours_after_the_login_however_busy(client, operator, clock):
    logged_in(client, operator)
    for _ in range(24):
        clock.shift(timedelta(minutes=29))
        assert is_in(client)
    clock.shift(timedelta(minutes=29))  # 12 h 5 min after the login
    assert not is_in(client)


def test_a_disabled_account_cannot_log_in(client, make_user):
    user = make_user("operator", active=False)
    assert log_in(client, user.email).status_code == 401


# --- After the login ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/phish",
        "/%09/evil.example/phish",
        "/%0a/evil.example/phish",
        "/%5Cevil.example/phish",
        "%2F%2Fevil.example",
        "javascript:alert(1)",
    ],
)
def test_the_login_leads_only_to_a_page_of_this_site(client, operator, target):
    response = log_in(client, operator.email, next_url=target)

    assert response.status_code == 302
    assert response.headers["Location"] == "/operator/"


def test_the_login_leads_back_to_the_page_asked_for(client, operator):
    response = log_in(client, operator.email, next_url="/operator/book%3Fmatter%3Dfami")
    assert response.headers["Location"] == "/operator/book?matter=fami"
