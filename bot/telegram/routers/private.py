"""Private chats: any text is a question; anything else gets a one-line hint."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.types import Message

from bot.telegram.filters import AwaitedF
from bot.telegram.responder import Responder


async def question(message: Message, responder: Responder) -> None:
    await responder.ask(message, message.text or "")


async def non_text(message: Message, responder: Responder) -> None:
    """Stickers, photos, voice...: the bot reads text only, so it says so."""
    responder.trace.lang = responder.langs.ui
    responder.trace.kind = "non_text"
    await responder.say(message, "non_text")


def build() -> Router:
    router = Router(name="private")
    router.message.filter(AwaitedF(F.chat.type == ChatType.PRIVATE))
    router.message.register(question, AwaitedF(F.text))
    # A message with no text and no service payload is something the user sent: a sticker,
    # photo, voice note, file, location...
    router.message.register(non_text, AwaitedF(~F.text, F.from_user, ~F.pinned_message))
    return router
