"""The command menus Telegram shows, in Russian and English, for private chats and groups."""

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

from bot.engine import LANGS, AnswerEngine, Lang

log = logging.getLogger(__name__)

PRIVATE_COMMANDS = ("start", "help", "topics", "source", "lang", "check")
GROUP_COMMANDS = ("ask", "check", "factcheck", "help", "topics", "source", "lang")


def commands(engine: AnswerEngine, lang: Lang, names: tuple[str, ...]) -> list[BotCommand]:
    return [BotCommand(command=n, description=engine.ui(lang, f"cmd_{n}")) for n in names]


async def register_menus(bot: Bot, engine: AnswerEngine, default_lang: Lang) -> None:
    """set_my_commands per scope and language, plus a default for other languages.

    An unreachable API only costs the menu (logged); the bot still starts and answers.
    """
    scopes = (
        (BotCommandScopeAllPrivateChats(), PRIVATE_COMMANDS),
        (BotCommandScopeAllGroupChats(), GROUP_COMMANDS),
    )
    try:
        for scope, names in scopes:
            for lang in LANGS:
                await bot.set_my_commands(
                    commands(engine, lang, names), scope=scope, language_code=lang
                )
        await bot.set_my_commands(
            commands(engine, default_lang, PRIVATE_COMMANDS), scope=BotCommandScopeDefault()
        )
    except (TelegramNetworkError, TelegramServerError) as exc:
        log.warning("command menus not registered: %s", exc)
