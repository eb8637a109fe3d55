"""Counts every worker shares, kept in the rate limiter's storage (``RATELIMIT_STORAGE_URI``:
memory for one process, Redis for several machines). Each is taken by an atomic increment,
so parallel requests cannot slip past a limit."""

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from limits import RateLimitItem
from limits.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter, RateLimiter

from app.extensions import limiter


@dataclass(frozen=True)
class SharedCount:
    scope: str
    limit: Callable[[], RateLimitItem]  # read from the configuration when counted
    # A fixed window starts at the first count and ends a whole window later; a moving one
    # holds at most the limit within any window (each count expires on its own).
    moving: bool = False

    @property
    def counter(self) -> RateLimiter:
        strategy = MovingWindowRateLimiter if self.moving else FixedWindowRateLimiter
        return strategy(limiter.storage)

    def take(self, *key: str) -> bool:
        """Count one for ``key``; False (and nothing counted) if it has none left."""
        return self.counter.hit(self.limit(), self.scope, *key)

    def seconds_until_free(self, *key: str) -> int:
        """How long until ``key`` may be counted again."""
        window = self.counter.get_window_stats(self.limit(), self.scope, *key)
        return max(1, math.ceil(window.reset_time - time.time()))

    def forget(self, *key: str) -> None:
        self.counter.clear(self.limit(), self.scope, *key)
