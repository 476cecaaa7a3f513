"""The connection to Redis, and what happens while Redis is unreachable.

A Redis outage must never stop the bot from answering. So every call goes through
`RedisConnection.call`, which fails fast with `RedisUnavailable` instead of waiting: the caller then
uses its in-process fallback. The first failed call starts an outage, logged once; from then
on no call touches Redis (no connect timeout per update) while a background task pings it
with a growing pause, runs the recovery hooks (write-backs) and logs "Redis back".
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.retry import Retry as SyncRetry

from bot.redis.keys import redact_url
from bot.redis.outage import Outage, RedisUnavailable

log = logging.getLogger("bot.redis")

T = TypeVar("T")

# A call that takes longer than this counts as an outage. Loopback or LAN Redis answers in
# well under a millisecond; a second only passes when something is wrong.
TIMEOUT = 1.0
# What a broken Redis (or the way to it) raises: redis-py errors, and the OS's and asyncio's
# own when a connection dies in between.
ERRORS: tuple[type[BaseException], ...] = (RedisError, OSError, asyncio.TimeoutError)


def client_options(*, sync: bool = False) -> dict[str, Any]:
    """Options for redis-py clients (asyncio, or `sync` for a thread) that fail fast.

    One immediate retry on a connection error, since a pooled connection is dead after a
    Redis restart and only a fresh one tells whether Redis is really gone; none on timeouts.
    """
    retry_class = SyncRetry if sync else Retry
    return {
        "socket_timeout": TIMEOUT,
        "socket_connect_timeout": TIMEOUT,
        "retry": retry_class(NoBackoff(), 1, supported_errors=(RedisConnectionError,)),
        "health_check_interval": 0,
    }


RecoveryHook = Callable[[Redis], Awaitable[None]]


class RedisConnection:
    """One Redis connection pool for the process, and its outage state (see the module doc).

    Redis is only reached on first use: a bot started while Redis is down answers at once
    and starts using Redis when it appears.
    """

    def __init__(self, url: str, client: Redis | None = None) -> None:
        self.url = url
        self.client: Redis = client or Redis.from_url(url, **client_options())
        self.outage = Outage("Redis unavailable, using in-process limits and settings (%s)")
        self._hooks: list[RecoveryHook] = []
        self._probe: asyncio.Task[None] | None = None
        self._closed = False

    def on_recovery(self, hook: RecoveryHook) -> None:
        """`hook(client)` runs when Redis answers again, before calls go to it again.

        A hook that raises a Redis error keeps the outage going (tried again later).
        """
        self._hooks.append(hook)

    async def call(self, op: Callable[[Redis], Awaitable[T]]) -> T:
        """`await op(client)`, or RedisUnavailable at once while Redis is down."""
        if self.outage.down or self._closed:
            raise RedisUnavailable
        try:
            return await op(self.client)
        except ERRORS as exc:
            self.lost(exc)
            raise RedisUnavailable from exc

    async def check(self) -> bool:
        """Ping at start-up, so the log says from the start which state is in use."""
        try:
            await self.call(lambda r: r.ping())
        except RedisUnavailable:
            return False
        log.info("shared state in Redis at %s", redact_url(self.url))
        return True

    def lost(self, exc: BaseException) -> None:
        """Start an outage (if none is going on) and the task that waits for Redis to return."""
        if self.outage.down:
            return
        self.outage.failed(exc)
        if not self._closed:
            self._probe = asyncio.get_running_loop().create_task(self._wait_for_redis())

    async def _wait_for_redis(self) -> None:
        while True:
            await asyncio.sleep(self.outage.next_pause())
            try:
                await self.client.ping()
                for hook in self._hooks:
                    await hook(self.client)
            except ERRORS as exc:
                self.outage.failed(exc)
                continue
            except Exception:  # a hook's own bug: never leave the bot on fallback for good
                log.exception("Redis recovery hook failed")
            # No await between the hooks' last check and this: nothing is lost in between.
            self.outage.recovered()
            return

    async def close(self) -> None:
        self._closed = True
        if self._probe is not None:
            self._probe.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._probe
        with contextlib.suppress(*ERRORS):
            await self.client.aclose()
