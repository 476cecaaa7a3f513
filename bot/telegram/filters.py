"""Filters: is a group message addressed to the bot, and F expressions checked in place.

(Commands are checked by aiogram's Command.)
"""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.enums import ChatType
from aiogram.filters import Filter
from aiogram.types import Message, MessageEntity, TelegramObject, User
from magic_filter import MagicFilter

GROUP_CHATS = frozenset({ChatType.GROUP, ChatType.SUPERGROUP})  # groups and supergroups


class AwaitedF(Filter):
    """F expressions, all of which must hold, checked on the event loop.

    aiogram runs a plain callable filter, F included, in a worker thread (asyncio.to_thread,
    CallableObject.call): a thread hop for every check, and a private question passes four
    of them on its way to a handler. A Filter subclass is awaited in place. Measured with
    bench/e2e.py, the hops cost about a tenth of the bot's CPU per update.
    """

    def __init__(self, *magic: MagicFilter) -> None:
        self.magic = magic

    async def __call__(self, event: TelegramObject) -> bool:
        return all(bool(m.resolve(event)) for m in self.magic)

    def __str__(self) -> str:
        return f"AwaitedF({', '.join(map(str, self.magic))})"


class MentionsBot(Filter):
    """The text mentions @botname (or links the bot's user); passes the text without it.

    Handlers get it as `question`, so "@bot сколько экспортировали?" asks the question alone.
    """

    async def __call__(self, message: Message, bot: Bot) -> bool | dict[str, Any]:
        text = message.text or ""
        me = await bot.me()
        for entity in message.entities or ():
            piece = entity.extract_from(text)
            if _names(entity, piece, me):
                return {"question": " ".join(text.replace(piece, " ").split())}
        return False


def _names(entity: MessageEntity, piece: str, me: User) -> bool:
    """The entity is @botname, or a text mention linking the bot's own user."""
    if entity.type == "mention":
        return me.username is not None and piece.lower() == f"@{me.username}".lower()
    return entity.type == "text_mention" and entity.user is not None and entity.user.id == me.id


class RepliesToBot(Filter):
    """The message replies to one of the bot's own messages.

    In forum topics every message "replies" to the topic's service message; that is not a
    reply to the bot.
    """

    async def __call__(self, message: Message, bot: Bot) -> bool | dict[str, Any]:
        target = message.reply_to_message
        if target is None or target.forum_topic_created is not None or target.from_user is None:
            return False
        if target.from_user.id != bot.id:
            return False
        return {"question": message.text or ""}
