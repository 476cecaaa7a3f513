"""Groups: answer only when addressed — a mention of the bot or a reply to its message.

(`/ask` lives with the other commands.) Everything else, even chatter about exports, is left
alone. Answers are replies in the same forum topic (see respond.send).
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.types import Message

from bot.engine import AnswerEngine
from bot.misses.store import MissSink
from bot.telegram.filters import Magic, MentionsBot, RepliesToBot
from bot.telegram.lang import Langs
from bot.telegram.respond import answer_question
from bot.telegram.trace import Trace


async def addressed(
    message: Message,
    question: str,
    bot: Bot,
    engine: AnswerEngine,
    langs: Langs,
    trace: Trace,
    misses: MissSink | None = None,
) -> None:
    await answer_question(bot, message, question, engine, langs, trace, misses)


def build() -> Router:
    router = Router(name="group")
    # No "is_bot" filter: Telegram never shows bots each other's messages, and anonymous
    # admins write as GroupAnonymousBot (is_bot=true) yet must be answered.
    router.message.filter(Magic(F.chat.type.in_({ChatType.GROUP, ChatType.SUPERGROUP}), F.text))
    router.message.register(addressed, MentionsBot())
    router.message.register(addressed, RepliesToBot())
    return router
