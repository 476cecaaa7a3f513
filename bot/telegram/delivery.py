"""Every update handled exactly once, through stops, restarts and redeliveries.

The pieces shared by polling (bot/telegram/polling.py) and the webhook
(bot/telegram/webhook.py):

- `Stopping`: when a stop began and the deadline by which answers in flight must be sent.
- An update's `scope` (a context variable around its handling) and `pace`, which the session
  calls for every outgoing request's rate-limit wait. An update whose first message could not
  be sent before the deadline (the outgoing limit of 30 messages a second makes a long queue)
  raises `GivenBack` before anything was sent: it is neither answered nor acknowledged, and
  the next process (or replica) answers it instead. Once a request of an update has gone
  out, the update is finished, never given back, so nothing is answered twice.
- `RecentUpdates`: the update_ids taken recently, in the process and (with REDIS_URL) in
  Redis, so a redelivered update (Telegram retrying a webhook delivery, a proxy retrying, the
  other replica getting it) is answered once.
- `handle_update` and `finish_in_flight`: one update's handling inside its scope, and the
  wait for those in flight at a stop, the same in both modes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from aiogram.methods import TelegramMethod

from bot.redis.keys import key
from bot.redis.outage import RedisUnavailable

if TYPE_CHECKING:
    from aiogram import Bot, Dispatcher
    from aiogram.types import Update

    from bot.config import Settings
    from bot.redis.connection import RedisConnection

log = logging.getLogger(__name__)

# Time kept back from the stop deadline for the last request to travel (loopback or a LAN
# proxy: milliseconds; Telegram across the internet: well under half a second).
SEND_MARGIN = 0.5
# Telegram keeps an update it could not deliver for up to 24 hours and retries a webhook
# delivery within that window: an id claimed in Redis is remembered as long.
REDELIVERY_WINDOW = 24 * 3600 + 600
# An id is first claimed for this long only: longer than an update can take at worst (about a
# minute of retries, flood waits of up to 120 s five times), so that a replica killed while
# handling one (SIGKILL, out of memory) loses it for minutes, not for the whole window.
CLAIM_LEASE = 15 * 60
RECENT_IN_PROCESS = 10_000  # ids a process remembers (about 1 MB); Redis remembers the rest
MAX_IN_FLIGHT = 100  # also Telegram's limit on updates per getUpdates and webhook connections


def in_flight_limit(settings: Settings) -> int:
    """How many updates are handled at once: what the outgoing limit can send in half the
    shutdown timeout, so a stop finishes them in time (30/s x 5 s / 2 = 75), at most 100."""
    return max(1, min(MAX_IN_FLIGHT, int(settings.send_rate_limit * settings.shutdown_timeout / 2)))


class GivenBack(Exception):
    """The stop deadline would pass before this update's first request could be sent: it is
    left unanswered and unacknowledged for the next process or replica."""


class Stopping:
    """Whether a stop has begun, and until when requests of updates in flight may wait."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.deadline: float | None = None
        self._begun = asyncio.Event()

    @property
    def active(self) -> bool:
        return self.deadline is not None

    def begin(self) -> None:
        """Start the countdown (once): requests not due before the deadline give up."""
        if self.deadline is None:
            self.deadline = asyncio.get_running_loop().time() + self.timeout - SEND_MARGIN
            self._begun.set()

    async def sleep(self, delay: float) -> None:
        """`asyncio.sleep(delay)`, cut short when the stop begins (so waiters re-check)."""
        if self.active:
            await asyncio.sleep(delay)
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._begun.wait(), delay)


@dataclass
class Scope:
    """One update being handled: whether any of its requests has gone out yet."""

    stopping: Stopping
    update_id: int
    acted: bool = False

    def must_give_back(self, due: float, effective: bool) -> bool:
        """Only an update that has sent nothing yet may be given back: once one request has
        gone out, giving it back would get it answered twice."""
        deadline = self.stopping.deadline
        return effective and not self.acted and deadline is not None and due > deadline

    async def wait_until(self, due: float, effective: bool) -> None:
        """Sleep until `due`, re-checking when a stop begins (it may now be too late)."""
        loop = asyncio.get_running_loop()
        while not self.must_give_back(due, effective):
            remaining = due - loop.time()
            if remaining <= 0:
                return
            await self.stopping.sleep(remaining)
        raise GivenBack(f"update {self.update_id} left for the next process")


_scope: ContextVar[Scope | None] = ContextVar("technopolis_update_scope", default=None)


@contextlib.contextmanager
def scope(stopping: Stopping, update_id: int) -> Iterator[Scope]:
    """Around one update's handling (in its own task): what `pace` consults."""
    current = Scope(stopping, update_id)
    token = _scope.set(current)
    try:
        yield current
    finally:
        _scope.reset(token)


async def pace(delay: float, effective: bool = True) -> None:
    """Wait `delay` seconds (the outgoing rate limit), then mark the update as having acted.

    Within an update during a stop, a request that would go out after the deadline raises
    GivenBack instead, if the update has sent nothing so far. `effective`: a request that
    changes something in Telegram (anything but get* methods).
    """
    current = _scope.get()
    if current is None:
        if delay > 0:
            await asyncio.sleep(delay)
        return
    await current.wait_until(asyncio.get_running_loop().time() + max(delay, 0.0), effective)
    if effective:
        current.acted = True


async def handle_update(
    dispatcher: Dispatcher, bot: Bot, update: Update, stopping: Stopping, data: dict[str, Any]
) -> Any:
    """Dispatch `update` and send the method a handler returned, inside the update's `scope`
    so a stop can give it back. aiogram's `Dispatcher._process_update` does the same but
    swallows every exception; GivenBack must reach the caller, which then leaves the update
    unacknowledged. Returns the dispatcher's response (UNHANDLED: nobody took it)."""
    with scope(stopping, update.update_id):
        response = await dispatcher.feed_update(bot, update, **data)
        if isinstance(response, TelegramMethod):
            await dispatcher.silent_call_request(bot, response)
    return response


async def finish_in_flight(tasks: Iterable[asyncio.Task[Any]], timeout: float) -> None:
    """At a stop: wait up to `timeout` for the updates' tasks (each finishes or gives itself
    back at the deadline), then cancel the rest, so the stop never hangs on one."""
    pending = list(tasks)
    if not pending:
        return
    _, late = await asyncio.wait(pending, timeout=timeout)
    if late:
        log.warning("shutdown: %d update(s) still in flight, giving up", len(late))
        for task in late:
            task.cancel()
        await asyncio.gather(*late, return_exceptions=True)


class RecentUpdates:
    """update_ids taken recently: the newest RECENT_IN_PROCESS in this process and, with
    Redis, every one for REDELIVERY_WINDOW (SET NX), shared by the replicas: claimed for
    CLAIM_LEASE while it is handled, for the window once it was (`done`).

    While Redis is down only this process's memory decides: a redelivery that reaches the
    same replica is still caught, one that reaches another replica is answered again (an
    answer twice is better than none). The outage is logged by RedisConnection, once.
    """

    def __init__(
        self, bot_id: int, redis: RedisConnection | None = None, lease: float = CLAIM_LEASE
    ) -> None:
        self.bot_id = bot_id
        self.redis = redis
        self.lease = lease
        self._local: OrderedDict[int, None] = OrderedDict()

    def _key(self, update_id: int) -> str:
        return key("update", self.bot_id, update_id)

    async def claim(self, update_id: int) -> bool:
        """True if nobody took `update_id` yet (it is now ours), False for a repeat."""
        if update_id in self._local:
            return False
        self._local[update_id] = None
        if len(self._local) > RECENT_IN_PROCESS:
            self._local.popitem(last=False)
        if self.redis is None:
            return True
        name = self._key(update_id)
        try:
            fresh = await self.redis.call(
                lambda r: r.set(name, 1, nx=True, px=int(self.lease * 1000))
            )
        except RedisUnavailable:
            return True
        if not fresh:  # another replica's: Redis, not this memory, says when it is done
            self._local.pop(update_id, None)
        return bool(fresh)

    async def done(self, update_id: int) -> None:
        """`update_id` was handled: its redeliveries are repeats for the whole window."""
        if self.redis is None:
            return
        name = self._key(update_id)
        with contextlib.suppress(RedisUnavailable):
            await self.redis.call(lambda r: r.set(name, 1, ex=REDELIVERY_WINDOW))

    async def release(self, update_id: int) -> None:
        """Forget `update_id` (given back unanswered): its redelivery must be handled."""
        self._local.pop(update_id, None)
        if self.redis is None:
            return
        name = self._key(update_id)
        with contextlib.suppress(RedisUnavailable):
            await self.redis.call(lambda r: r.delete(name))
