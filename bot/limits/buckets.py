"""Token buckets: the arithmetic behind incoming throttling and outgoing rate limits."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Bucket:
    """`rate` tokens per second, at most `capacity` saved up (the allowed burst)."""

    rate: float
    capacity: float
    clock: Callable[[], float] = time.monotonic
    tokens: float = field(init=False)
    stamp: float = field(init=False)

    def __post_init__(self) -> None:
        self.tokens = self.capacity
        self.stamp = self.clock()

    def _refill(self) -> None:
        now = self.clock()
        self.tokens = min(self.capacity, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now

    def try_take(self) -> bool:
        """Take a token if one is there (incoming throttling: drop instead of waiting)."""
        self._refill()
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False

    def reserve(self) -> float:
        """Take a token now, possibly on credit; return the seconds to wait before using it.

        Reserving (rather than waiting, then taking) keeps concurrent senders in order without
        a lock: each caller gets its own slot in the queue.
        """
        self._refill()
        self.tokens -= 1
        return 0.0 if self.tokens >= 0 else -self.tokens / self.rate

    @property
    def full(self) -> bool:
        self._refill()
        return self.tokens >= self.capacity


class BucketMap:
    """One bucket per key (chat or user), created on first use, idle ones forgotten."""

    def __init__(self, rate: float, capacity: float, max_keys: int = 10_000) -> None:
        self.rate = rate
        self.capacity = capacity
        self.max_keys = max_keys
        self._buckets: dict[object, Bucket] = {}

    def get(self, key: object) -> Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= self.max_keys:
                self._buckets = {k: b for k, b in self._buckets.items() if not b.full}
            bucket = self._buckets[key] = Bucket(self.rate, self.capacity)
        return bucket
