"""Incoming flood control: a middleware that throttles each user's messages and button presses."""

from __future__ import annotations

from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.enums import ChatType
from aiogram.types import CallbackQuery, Message, TelegramObject, User

from bot.config import Settings
from bot.engine import AnswerEngine
from bot.limits.limiter import Limit, Limiter
from bot.limits.redis import Decision, RedisLimiter
from bot.telegram.lang import Langs
from bot.telegram.middlewares import Handler
from bot.telegram.render import text_reply
from bot.telegram.respond import send
from bot.telegram.trace import Trace


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
        self.limiter = Limiter(shared)
        self.per_user = Limit("throttle", self.rate, self.burst)

    async def _take(self, bot: Bot, user_id: int) -> Decision:
        return await self.limiter.take(self.per_user, (bot.id, user_id))

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        if not self.enabled or user is None:
            return await handler(event, data)
        take = await self._take(data["bot"], user.id)
        if take.allowed:
            return await handler(event, data)
        trace: Trace | None = data.get("trace")
        if trace is not None:
            trace.outcome = "throttled"
        if not take.warn:
            return None
        langs: Langs = data["langs"]
        engine: AnswerEngine = data["engine"]
        text = engine.ui(langs.ui, "throttled")
        if isinstance(event, CallbackQuery):
            await event.answer(text)
        elif isinstance(event, Message) and event.chat.type == ChatType.PRIVATE:
            await send(data["bot"], event, text_reply(text))
        return None
