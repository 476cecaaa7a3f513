"""Cross-cutting work around every handler: in-flight tracking, logging and metrics, errors,
the engine for this update, languages, an admin's last answer for /why. Handlers
stay small because of these.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.exceptions import TelegramAPIError
from aiogram.fsm.context import FSMContext
from aiogram.types import Chat, TelegramObject, Update, User

from bot.config import Settings
from bot.engine import Answer, AnswerEngine
from bot.health.metrics import Metrics
from bot.reload.live import LiveEngine
from bot.telegram.delivery import GivenBack
from bot.telegram.lang import Langs, stored_lang
from bot.telegram.render import text_reply
from bot.telegram.respond import send
from bot.telegram.routers.admin import remember_answer
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


@dataclass
class AnswerTrace(Trace):
    """A Trace that also keeps the Answer noted, so /why can explain it afterwards."""

    answer: Answer | None = field(default=None, repr=False)

    def note(self, answer: Answer) -> None:
        super().note(answer)
        self.answer = answer

    def elapsed(self) -> float:
        return time.perf_counter() - self.started


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

    It also counts updates, and answers with their latency, for the metrics; inline queries
    are not counted as answers (one arrives per keystroke, nothing is sent to a chat).
    """

    def __init__(self, settings: Settings, metrics: Metrics) -> None:
        self.settings = settings
        self.metrics = metrics
        # LOG_QUESTIONS unset keeps question text out of this line (the misses log has it)
        self.with_question = settings.log_questions is True

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)
        trace = AnswerTrace(update=event.event_type, chat=_chat_type(event, data.get("event_chat")))
        data["trace"] = trace
        self.metrics.update(event.event_type)
        try:
            result = await handler(event, data)
        except GivenBack:
            trace.outcome = "given back"  # for the next process: no apology, no answer
            log.info(trace.line(self.with_question))
            raise
        except TelegramAPIError as exc:
            trace.outcome, trace.error = "failed", f"{type(exc).__name__}:{exc.message!r}"
            log.warning(trace.line(self.with_question))
            return None
        except Exception as exc:
            trace.outcome, trace.error = "failed", type(exc).__name__
            log.exception(trace.line(self.with_question))
            await self._apologise(event, data)
            return None
        if result is UNHANDLED and trace.outcome == "answered":
            return result
        if trace.outcome == "answered" and event.inline_query is None:
            self.metrics.answered(trace.kind, trace.intent, trace.lang, trace.elapsed())
        log.info(trace.line(self.with_question))
        return result

    async def _apologise(self, event: Update, data: dict[str, Any]) -> None:
        bot: Bot = data["bot"]
        engine: AnswerEngine | None = data.get("engine")
        if engine is None:
            return
        langs: Langs | None = data.get("langs")
        lang = langs.ui if langs else self.settings.default_lang
        text = engine.ui(lang, "error")
        with contextlib.suppress(Exception):
            if event.callback_query is not None:
                await bot.answer_callback_query(event.callback_query.id, text=text[:200])
            elif event.message is not None:
                await send(bot, event.message, text_reply(text))


class EngineContext(BaseMiddleware):
    """Hands each update the engine in service when it arrives (`engine` in handler data).

    Read once per update: a reload swaps the holder's engine for the updates that come after,
    while this one finishes on the engine it started with.
    """

    def __init__(self, holder: LiveEngine) -> None:
        self.holder = holder

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        engine = self.holder.current
        if engine is None:  # never loaded: nothing could answer it
            trace: Trace | None = data.get("trace")
            if trace is not None:
                trace.outcome, trace.error = "skipped", "no knowledge base"
            return None
        data["engine"] = engine
        return await handler(event, data)


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


class RememberAnswer(BaseMiddleware):
    """After an admin's question is answered, keeps what /why shows in their FSM data.

    Only ADMIN_IDS users: /why is theirs, and nobody else's questions are stored. Inline
    queries are left out (one per keystroke; /why explains the last answer sent to a chat).
    """

    def __init__(self, settings: Settings) -> None:
        self.admin_ids = settings.admin_ids

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        result = await handler(event, data)
        user: User | None = data.get("event_from_user")
        if user is None or user.id not in self.admin_ids:
            return result
        trace = data.get("trace")
        state: FSMContext | None = data.get("state")
        inline = isinstance(event, Update) and event.inline_query is not None
        if isinstance(trace, AnswerTrace) and trace.answer is not None and state and not inline:
            await remember_answer(state, trace.answer, data["langs"], data["engine"])
        return result
