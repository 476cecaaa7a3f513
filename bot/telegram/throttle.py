"""Incoming flood control: a middleware that throttles each user's messages and button presses."""

from __future__ import annotations

from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.types import CallbackQuery, Message, TelegramObject, User

from bot.config import Settings
from bot.limits.limiter import Limit, Limiter
from bot.limits.redis import Decision, RedisLimiter
from bot.telegram.middlewares import Handler
from bot.telegram.responder import Responder, is_group


class Throttle(BaseMiddleware):
    """Per-user flood control for messages and button presses that reach a handler.

    A flooding user gets one "slow down" line in a private chat, then silence until their
    bucket refills; ignored group chatter never counts, since this runs after the filters.
    With `shared` (REDIS_URL) the bucket and the warning are counted in Redis, so a flood
    spread over several replicas is throttled as one; in-process while Redis is down
    (bot/limits/limiter.py).
    """

    def __init__(self, settings: Settings, shared: RedisLimiter | None = None) -> None:
        self.enabled = settings.throttle_rate > 0
        self.rate, self.burst = settings.throttle_rate or 1.0, settings.throttle_burst
        self.limiter = Limiter(shared)
        self.per_user = Limit("throttle", self.rate, self.burst)

    async def _take(self, bot: Bot, user_id: int) -> Decision:
        return await self.limiter.take(self.per_user, (bot.id, user_id))

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        if not self.enabled or user is None:
            return await handler(event, data)
        decision = await self._take(data["bot"], user.id)
        if decision.allowed:
            return await handler(event, data)
        responder: Responder = data["responder"]
        responder.trace.outcome = "throttled"
        if not decision.warn:
            return None
        if isinstance(event, CallbackQuery):  # CallbackAnswerMiddleware, outside, answers it
            data["callback_answer"].text = responder.text("throttled")
        elif isinstance(event, Message) and not is_group(event):
            await responder.say(event, "throttled")
        return None
