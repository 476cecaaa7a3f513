"""Groups: answer only when addressed — a mention of the bot or a reply to its message.

(`/ask` lives with the other commands.) Everything else is left to watch mode, which stays
silent unless a group switched it on (routers/factcheck.py). Answers are replies, in the
same forum topic.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import Message

from bot.telegram.filters import GROUP_CHATS, AwaitedF, MentionsBot, RepliesToBot
from bot.telegram.responder import Responder


async def addressed(message: Message, question: str, responder: Responder) -> None:
    await responder.ask(message, question)


def build() -> Router:
    router = Router(name="group")
    # No "is_bot" filter: Telegram never shows bots each other's messages, and anonymous
    # admins write as GroupAnonymousBot (is_bot=true) yet must be answered.
    router.message.filter(AwaitedF(F.chat.type.in_(GROUP_CHATS), F.text))
    router.message.register(addressed, MentionsBot())
    router.message.register(addressed, RepliesToBot())
    return router
