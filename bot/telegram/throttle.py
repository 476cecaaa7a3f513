"""Incoming flood control: a middleware that throttles each user's messages and button presses."""

from __future__ import annotations

import contextlib
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.enums import ChatType
from aiogram.types import CallbackQuery, Message, TelegramObject, User

from bot.config import Settings
from bot.limits.buckets import BucketMap
from bot.limits.redis import Rate, RedisLimiter, Take
from bot.redis.outage import RedisUnavailable
from bot.telegram.middlewares import Handler
from bot.telegram.responder import Responder


class Throttle(BaseMiddleware):
    """Per-user flood control for messages and button presses that reach a handler.

    A flooding user gets one "slow down" line in a private chat, then silence until their
    bucket refills; ignored group chatter never counts, since this runs after the filters.
    With `shared` (REDIS_URL) the bucket and the warning are counted in Redis, so a flood
    spread over several replicas is throttled as one; in-process while Redis is down.
    """

    def __init__(self, settings: Settings, shared: RedisLimiter | None = None) -> None:
        self.enabled = settings.throttle_rate > 0
        self.rate, self.burst = settings.throttle_rate or 1.0, settings.throttle_burst
        self.shared = shared
        self.users = BucketMap(self.rate, self.burst)
        self.warned: set[int] = set()

    async def _take(self, bot: Bot, user_id: int) -> Take:
        if self.shared is not None:
            with contextlib.suppress(RedisUnavailable):
                bucket = Rate(f"throttle:{bot.id}:{user_id}", self.rate, self.burst)
                return await self.shared.take(bucket)
        if self.users.get(user_id).try_take():
            self.warned.discard(user_id)
            return Take(allowed=True)
        if user_id in self.warned:
            return Take(allowed=False)
        self.warned.add(user_id)
        return Take(allowed=False, warn=True)

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        if not self.enabled or user is None:
            return await handler(event, data)
        take = await self._take(data["bot"], user.id)
        if take.allowed:
            return await handler(event, data)
        responder: Responder = data["responder"]
        responder.trace.outcome = "throttled"
        if not take.warn:
            return None
        if isinstance(event, CallbackQuery):
            await event.answer(responder.text("throttled"))
        elif isinstance(event, Message) and event.chat.type == ChatType.PRIVATE:
            await responder.say(event, "throttled")
        return None
