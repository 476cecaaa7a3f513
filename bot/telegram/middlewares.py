"""Cross-cutting work around every handler: in-flight tracking, logging, errors, languages,
throttling. Handlers stay small because of these.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramAPIError
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Chat, Message, TelegramObject, Update, User

from bot.config import Settings
from bot.engine import AnswerEngine
from bot.telegram.lang import Langs, stored_lang
from bot.telegram.ratelimit import BucketMap
from bot.telegram.render import text_reply
from bot.telegram.respond import send
from bot.telegram.trace import Trace

log = logging.getLogger("bot.telegram.updates")

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class InFlight(BaseMiddleware):
    """Counts updates being handled so shutdown can let them finish before closing."""

    def __init__(self) -> None:
        self.active = 0
        self._idle = asyncio.Event()
        self._idle.set()

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        self.active += 1
        self._idle.clear()
        try:
            return await handler(event, data)
        finally:
            self.active -= 1
            if self.active == 0:
                self._idle.set()

    async def drain(self, timeout: float) -> bool:
        """Wait until no update is being handled; False if `timeout` passed first."""
        try:
            await asyncio.wait_for(self._idle.wait(), timeout)
        except TimeoutError:
            return False
        return True


def _chat_type(event: Update, chat: Chat | None) -> str | None:
    if chat is not None:
        return chat.type
    if event.inline_query is not None:
        return event.inline_query.chat_type or "inline"
    return None


class UpdateLog(BaseMiddleware):
    """One structured line per handled update; errors are logged and apologised for.

    A handler's exception never reaches the user as a traceback: they get one short line,
    the log gets the details. Telegram refusing a message (bot blocked, chat not found) is
    logged without an apology, since sending one would fail the same way.
    """

    def __init__(self, settings: Settings, engine: AnswerEngine) -> None:
        self.settings = settings
        self.engine = engine

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)
        trace = Trace(update=event.event_type, chat=_chat_type(event, data.get("event_chat")))
        data["trace"] = trace
        try:
            result = await handler(event, data)
        except TelegramAPIError as exc:
            trace.outcome, trace.error = "failed", f"{type(exc).__name__}:{exc.message!r}"
            log.warning(trace.line(self.settings.log_questions))
            return None
        except Exception as exc:
            trace.outcome, trace.error = "failed", type(exc).__name__
            log.exception(trace.line(self.settings.log_questions))
            await self._apologise(event, data)
            return None
        if result is UNHANDLED and trace.outcome == "answered":
            return result
        log.info(trace.line(self.settings.log_questions))
        return result

    async def _apologise(self, event: Update, data: dict[str, Any]) -> None:
        bot: Bot = data["bot"]
        langs: Langs | None = data.get("langs")
        lang = langs.ui if langs else self.settings.default_lang
        text = self.engine.ui(lang, "error")
        with contextlib.suppress(Exception):
            if event.callback_query is not None:
                await bot.answer_callback_query(event.callback_query.id, text=text[:200])
            elif event.message is not None:
                await send(bot, event.message, text_reply(text))


class LangContext(BaseMiddleware):
    """Puts the user's `Langs` into handler data (after aiogram's FSM middleware ran)."""

    def __init__(self, settings: Settings) -> None:
        self.default = settings.default_lang

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        state: FSMContext | None = data.get("state")
        data["langs"] = Langs(
            explicit=await stored_lang(state),
            code=user.language_code if user else None,
            default=self.default,
        )
        return await handler(event, data)


class Throttle(BaseMiddleware):
    """Per-user flood control for messages and button presses that reach a handler.

    A flooding user gets one "slow down" line in a private chat, then silence until their
    bucket refills; ignored group chatter never counts, since this runs after the filters.
    """

    def __init__(self, settings: Settings, engine: AnswerEngine) -> None:
        self.enabled = settings.throttle_rate > 0
        self.users = BucketMap(settings.throttle_rate or 1.0, settings.throttle_burst)
        self.warned: set[int] = set()
        self.engine = engine

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        if not self.enabled or user is None:
            return await handler(event, data)
        if self.users.get(user.id).try_take():
            self.warned.discard(user.id)
            return await handler(event, data)
        trace: Trace | None = data.get("trace")
        if trace is not None:
            trace.outcome = "throttled"
        if user.id in self.warned:
            return None
        self.warned.add(user.id)
        langs: Langs = data["langs"]
        text = self.engine.ui(langs.ui, "throttled")
        if isinstance(event, CallbackQuery):
            await event.answer(text)
        elif isinstance(event, Message) and event.chat.type == ChatType.PRIVATE:
            await send(data["bot"], event, text_reply(text))
        return None
