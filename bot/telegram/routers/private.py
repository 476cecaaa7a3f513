"""Private chats: any text is a question; anything else gets a one-line hint."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.types import Message

from bot.engine import AnswerEngine
from bot.misses.store import MissSink
from bot.telegram.filters import Magic
from bot.telegram.lang import Langs
from bot.telegram.render import text_reply
from bot.telegram.respond import answer_question, send
from bot.telegram.trace import Trace


async def question(
    message: Message,
    bot: Bot,
    engine: AnswerEngine,
    langs: Langs,
    trace: Trace,
    misses: MissSink | None = None,
) -> None:
    await answer_question(bot, message, message.text or "", engine, langs, trace, misses)


async def non_text(
    message: Message, bot: Bot, engine: AnswerEngine, langs: Langs, trace: Trace
) -> None:
    """Stickers, photos, voice...: the bot reads text only, so it says so."""
    trace.lang = langs.ui
    trace.kind = "non_text"
    await send(bot, message, text_reply(engine.ui(langs.ui, "non_text")))


def build() -> Router:
    router = Router(name="private")
    router.message.filter(Magic(F.chat.type == ChatType.PRIVATE))
    router.message.register(question, Magic(F.text))
    # A message with no text and no service payload is something the user sent: a sticker,
    # photo, voice note, file, location...
    router.message.register(non_text, Magic(~F.text, F.from_user, ~F.pinned_message))
    return router
