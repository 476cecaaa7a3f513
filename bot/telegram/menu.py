"""The command menus Telegram shows, in Russian and English, for private chats and groups
(the commands themselves are listed in commands.py)."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramNetworkError, TelegramServerError
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeDefault,
)

from bot.engine import LANGS, Lang
from bot.engine.texts import Texts
from bot.telegram.commands import GROUP_MENU, PRIVATE_MENU, BotCommandSpec

log = logging.getLogger(__name__)


def bot_commands(texts: Texts, lang: Lang, menu: tuple[BotCommandSpec, ...]) -> list[BotCommand]:
    return [BotCommand(command=c.name, description=texts(lang, c.description_key)) for c in menu]


async def register_menus(bot: Bot, texts: Texts, default_lang: Lang) -> None:
    """set_my_commands per scope and language, plus a default for other languages.

    An unreachable API only costs the menu (logged); the bot still starts and answers.
    """
    scopes = (
        (BotCommandScopeAllPrivateChats(), PRIVATE_MENU),
        (BotCommandScopeAllGroupChats(), GROUP_MENU),
    )
    try:
        for scope, menu in scopes:
            for lang in LANGS:
                await bot.set_my_commands(
                    bot_commands(texts, lang, menu), scope=scope, language_code=lang
                )
        await bot.set_my_commands(
            bot_commands(texts, default_lang, PRIVATE_MENU), scope=BotCommandScopeDefault()
        )
    except (TelegramNetworkError, TelegramServerError) as exc:
        log.warning("command menus not registered: %s", exc)
