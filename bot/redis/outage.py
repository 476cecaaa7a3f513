"""Redis being unreachable: the exception callers fall back on, and the outage's state.

Free of redis-py (see bot/redis/connection.py for the connection), so the Telegram layer can
catch RedisUnavailable without importing it: a bot without REDIS_URL never loads redis-py.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

log = logging.getLogger("bot.redis")

BACKOFF = (0.2, 0.5, 1.0, 2.0, 5.0)  # seconds between tries while Redis is down, last repeats


class RedisUnavailable(Exception):
    """Redis can't be used right now: use the in-process fallback."""


class Outage:
    """Whether Redis is down, since when, and how long to wait before the next try.

    Logs the start and the end of an outage once each, however many calls fail in between.
    Not thread-safe: each user (the event loop, the misses writer thread) has its own.
    """

    def __init__(
        self,
        down_message: str,
        back_message: str = "Redis back after %.1fs",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.down_message = down_message
        self.back_message = back_message
        self.clock = clock
        self.since: float | None = None
        self.tries = 0
        self.retry_at = 0.0

    @property
    def down(self) -> bool:
        return self.since is not None

    def due(self) -> bool:
        """True while Redis is up, and once per pause while it is down."""
        return self.since is None or self.clock() >= self.retry_at

    def next_pause(self) -> float:
        return BACKOFF[min(self.tries, len(BACKOFF) - 1)]

    def failed(self, exc: BaseException) -> None:
        """A call failed: start the outage (logged) or lengthen the pause before the next try."""
        now = self.clock()
        if self.since is None:
            self.since, self.tries = now, 0
            log.warning(self.down_message, _reason(exc))
        else:
            self.tries += 1
        self.retry_at = now + self.next_pause()

    def recovered(self) -> None:
        if self.since is not None:
            log.info(self.back_message, self.clock() - self.since)
        self.since, self.tries, self.retry_at = None, 0, 0.0


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:200]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
