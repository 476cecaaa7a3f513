"""One limiter for every token bucket the bot keeps: in Redis when it is shared, else here.

Incoming throttling (per user) and outgoing limits (per chat, per group, per bot) both take
their buckets from a `Limiter`. With a RedisLimiter the buckets are counted in Redis, so
replicas keep to them together; without one, and while Redis is unavailable, each process
counts in its own buckets (the same token bucket, so a fallback changes nothing users notice).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.limits.buckets import Bucket, BucketMap
from bot.limits.redis import BucketSpec, Decision, RedisLimiter
from bot.redis.outage import RedisUnavailable

Key = tuple[int | str, ...]  # whose bucket: (bot id, chat id), (bot id, user id), (bot id,)


class Limit:
    """One kind of bucket: `rate` per second after a burst of `burst`, one bucket per key.

    In Redis a bucket is named `name:key...` ("chat:42:-100"); in process it is a bucket of
    this limit's own BucketMap, so the send path builds no names while Redis is not used.
    """

    __slots__ = ("_local", "burst", "name", "rate")

    def __init__(self, name: str, rate: float, burst: float) -> None:
        self.name, self.rate, self.burst = name, rate, burst
        self._local = BucketMap(rate, burst)

    def spec(self, key: Key) -> BucketSpec:
        return BucketSpec(":".join([self.name, *map(str, key)]), self.rate, self.burst)

    def bucket(self, key: Key) -> Bucket:
        return self._local.get(key)


class Limiter:
    """Takes buckets from `shared` (Redis) when given and Redis answers, else in process.

    The in-process side warns once per refusal streak, as the Redis script does.
    """

    def __init__(self, shared: RedisLimiter | None = None) -> None:
        self.shared = shared
        self._warned: set[tuple[str, Key]] = set()

    async def take(self, limit: Limit, key: Key) -> Decision:
        """A token if one is there, else a refusal (nothing waits); `warn` on the first one."""
        if self.shared is not None:
            try:
                return await self.shared.take(limit.spec(key))
            except RedisUnavailable:
                pass
        return self._take_local(limit, key)

    async def reserve(self, wanted: Sequence[tuple[Limit, Key]]) -> float:
        """A slot in every bucket; the seconds to wait before using them (the longest wait)."""
        if self.shared is not None:
            try:
                return await self.shared.reserve([limit.spec(key) for limit, key in wanted])
            except RedisUnavailable:
                pass
        return max(limit.bucket(key).reserve() for limit, key in wanted)

    def _take_local(self, limit: Limit, key: Key) -> Decision:
        whose = (limit.name, key)
        if limit.bucket(key).try_take():
            self._warned.discard(whose)
            return Decision(allowed=True)
        if whose in self._warned:
            return Decision(allowed=False)
        self._warned.add(whose)
        return Decision(allowed=False, warn=True)
