"""Login tries per account and source address.

Each try takes its place in the count before the password is checked, in the rate limiter's
storage (an atomic increment: parallel tries cannot slip past the limit, and with Redis every
worker counts together). Too many failures lock out that source for that account, never the
account: an attacker elsewhere cannot keep its owner out. The count is kept for what was typed,
whether or not an account has that address, so that it tells nothing about which exist.
"""

import math
import time

from flask import current_app
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse

from app.extensions import limiter

SCOPE = "login-failures"


def tries() -> RateLimitItem:
    return parse(current_app.config["LOGIN_FAILURE_LIMIT"])


def take_try(email: str) -> bool:
    """Count a try for ``email`` from this request's address; False if it has none left."""
    return limiter.limiter.hit(tries(), SCOPE, email, get_remote_address())


def seconds_until_next_try(email: str) -> int:
    window = limiter.limiter.get_window_stats(tries(), SCOPE, email, get_remote_address())
    return max(1, math.ceil(window.reset_time - time.time()))


def forget_tries(email: str) -> None:
    """A successful login starts the count again."""
    limiter.limiter.clear(tries(), SCOPE, email, get_remote_address())
