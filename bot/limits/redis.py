"""Rate limits counted in Redis, so they hold across replicas: per-user throttling and
Telegram's outgoing limits (per chat, per group, per bot).

The algorithm is GCRA (the generic cell rate algorithm): each key holds one number, the
"theoretical arrival time" (TAT) when its bucket would be full again. It is the same token
bucket as `bot.limits.buckets.Bucket` (a rate and a burst), so falling back to the
in-process buckets during an outage changes nothing users can notice; fixed windows
(INCR + EXPIRE) would be simpler but let twice the burst through across a window edge, and
could not say how long to wait. Each check is one Lua script: atomic, one round trip, and
timed by Redis's own clock (TIME), so replicas on machines whose clocks differ still agree.
Keys expire once their bucket is full again: idle users cost no memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bot.redis.keys import key

if TYPE_CHECKING:
    from redis.asyncio import Redis

    from bot.redis.connection import RedisConnection

MICROS = 1_000_000

# KEYS[1]: a user's bucket, a hash {t: TAT in microseconds, w: 1 once they were warned}.
# ARGV: microseconds per token, burst. Returns 1 (go on), 0 (refused: warn them), -1
# (refused again: stay silent). A refusal takes nothing, as Bucket.try_take.
_TAKE = """
local now = redis.call('TIME')
now = tonumber(now[1]) * 1000000 + tonumber(now[2])
local interval = tonumber(ARGV[1])
local tat = tonumber(redis.call('HGET', KEYS[1], 't')) or now
if tat < now then tat = now end
local new_tat = tat + interval
if new_tat - now > interval * tonumber(ARGV[2]) then
  if redis.call('HSETNX', KEYS[1], 'w', 1) == 1 then return 0 end
  return -1
end
redis.call('HSET', KEYS[1], 't', string.format('%.0f', new_tat))
redis.call('HDEL', KEYS[1], 'w')
redis.call('PEXPIRE', KEYS[1], math.ceil((new_tat - now) / 1000) + 1000)
return 1
"""

# KEYS: buckets; ARGV: microseconds per token and burst for each key, in pairs. A slot is
# reserved in every bucket (as Bucket.reserve); returns the microseconds to wait before
# using them, the longest of the buckets' waits.
_RESERVE = """
local now = redis.call('TIME')
now = tonumber(now[1]) * 1000000 + tonumber(now[2])
local wait = 0
for i, k in ipairs(KEYS) do
  local interval = tonumber(ARGV[2 * i - 1])
  local tat = tonumber(redis.call('GET', k)) or now
  if tat < now then tat = now end
  local new_tat = tat + interval
  redis.call('SET', k, string.format('%.0f', new_tat), 'PX', math.ceil((new_tat - now) / 1000) + 1000)
  local w = new_tat - now - interval * tonumber(ARGV[2 * i])
  if w > wait then wait = w end
end
return math.ceil(wait)
"""


@dataclass(frozen=True, slots=True)
class Decision:
    """A throttling decision: go on, or not; `warn` on the first refusal in a row only."""

    allowed: bool
    warn: bool = False


@dataclass(frozen=True, slots=True)
class BucketSpec:
    """A bucket: `rate` per second after a burst of `burst`, under `name` (in Redis, and as
    the key of its in-process twin)."""

    name: str
    rate: float
    burst: float

    def args(self) -> list[Any]:
        return [round(MICROS / self.rate), self.burst]


class RedisLimiter:
    """GCRA buckets in Redis; every method raises RedisUnavailable when Redis can't answer."""

    def __init__(self, link: RedisConnection) -> None:
        self.link = link
        self._take = link.client.register_script(_TAKE)
        self._reserve = link.client.register_script(_RESERVE)

    async def take(self, bucket: BucketSpec) -> Decision:
        """Incoming throttling: a token if one is there, else a refusal (nothing waits)."""

        async def run(client: Redis) -> Any:
            return await self._take(keys=[key(bucket.name)], args=bucket.args(), client=client)

        result = int(await self.link.call(run))
        return Decision(allowed=result == 1, warn=result == 0)

    async def reserve(self, buckets: Sequence[BucketSpec]) -> float:
        """Outgoing limits: a slot in every bucket; the seconds to wait before sending."""

        async def run(client: Redis) -> Any:
            keys = [key(b.name) for b in buckets]
            args = [a for b in buckets for a in b.args()]
            return await self._reserve(keys=keys, args=args, client=client)

        return int(await self.link.call(run)) / MICROS
