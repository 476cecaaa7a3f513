"""Cross-cutting work around every handler: in-flight tracking, the log line and metrics, what a
handler answers through, the command a handler is (its flag), an admin's last answer for /why.

Errors are not handled here: UpdateLog notes them for the log line and lets them through to
the errors router (errors.py), which apologises, as aiogram's `dp.errors` intends.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.dispatcher.flags import get_flag
from aiogram.exceptions import TelegramAPIError
from aiogram.fsm.context import FSMContext
from aiogram.types import Chat, TelegramObject, Update, User

from bot.config import Settings
from bot.health.metrics import Metrics
from bot.reload.live import LiveEngine
from bot.telegram.delivery import GivenBack
from bot.telegram.lang import LanguagePrefs, stored_lang
from bot.telegram.responder import Responder
from bot.telegram.trace import Trace
from bot.telegram.why import remember_answer

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
    """One structured line per handled update, and the update and answer metrics.

    A failed update's line names the exception; the traceback goes to the log only for our
    own bugs, not for Telegram refusing a message (bot blocked, chat not found). Inline
    queries are not counted as answers: one arrives per keystroke, nothing is sent to a chat.
    """

    def __init__(self, settings: Settings, metrics: Metrics) -> None:
        self.metrics = metrics
        # LOG_QUESTIONS unset keeps question text out of this line (the misses log has it)
        self.with_question = settings.log_questions is True

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)
        trace = data["trace"] = Trace(event.event_type, _chat_type(event, data.get("event_chat")))
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
            raise
        except Exception as exc:
            trace.outcome, trace.error = "failed", type(exc).__name__
            log.exception(trace.line(self.with_question))
            raise
        if result is UNHANDLED and trace.outcome == "answered":
            return result
        if trace.outcome == "answered" and event.inline_query is None:
            self.metrics.answered(trace.kind, trace.intent, trace.lang, trace.elapsed())
        log.info(trace.line(self.with_question))
        return result


class AnswerContext(BaseMiddleware):
    """Hands each update what it is answered with: `engine`, `langs` and `responder`.

    The engine is the one in service when the update arrives, read once: a reload swaps it
    for the updates that come after, while this one finishes on the engine it started with.
    Runs after aiogram's FSM middleware, which gives the user's /lang choice (`state`).
    """

    def __init__(self, live: LiveEngine, settings: Settings) -> None:
        self.live = live
        self.default_lang = settings.default_lang

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        engine = self.live.current
        trace: Trace = data["trace"]
        if engine is None:  # never loaded: nothing could answer it
            trace.outcome, trace.error = "skipped", "no knowledge base"
            return None
        user: User | None = data.get("event_from_user")
        langs = LanguagePrefs(
            explicit=await stored_lang(data.get("state")),
            code=user.language_code if user else None,
            default=self.default_lang,
        )
        data["engine"], data["langs"] = engine, langs
        data["responder"] = Responder(
            engine, langs, trace, misses=data.get("misses"), metrics=data.get("metrics")
        )
        return await handler(event, data)


class CommandFlag(BaseMiddleware):
    """A handler registered with `flags={"command": name}` is logged as that command, in the
    user's language, unless it goes on to note an answer (/ask, /check, /start <intent>)."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        name = get_flag(data, "command")
        if name is not None:
            langs: LanguagePrefs = data["langs"]
            data["trace"].command(name, langs.ui)
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
        trace: Trace = data["trace"]
        state: FSMContext | None = data.get("state")
        inline = isinstance(event, Update) and event.inline_query is not None
        if trace.answer is not None and state and not inline:
            await remember_answer(state, trace.answer, data["langs"], data["engine"])
        return result
