"""Login tries per account and source address.

Each try takes its place in the count before the password is checked, in the shared store (with
Redis every worker counts together). Too many failures lock out that source for that account,
never the account: an attacker elsewhere cannot keep its owner out. The count is kept for what
was typed, whether or not an account has that address, so that it tells nothing about which
exist.
"""

from flask import current_app
from flask_limiter.util import get_remote_address
from limits import parse

from app.shared_counts import SharedCount

FAILURES = SharedCount("login-failures", lambda: parse(current_app.config["LOGIN_FAILURE_LIMIT"]))


def take_try(email: str) -> bool:
    """Count a try for ``email`` from this request's address; False if it has none left."""
    return FAILURES.take(email, get_remote_address())


def seconds_until_next_try(email: str) -> int:
    return FAILURES.seconds_until_free(email, get_remote_address())


def forget_tries(email: str) -> None:
    """A successful login starts the count again."""
    FAILURES.forget(email, get_remote_address())
