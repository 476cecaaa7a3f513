"""A knowledge reload as the Telegram side sees it (/reload, SIGHUP): swap the engine, then
the command menus follow the new ui.yaml."""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError

from bot.engine import Lang
from bot.reload.live import LiveEngine, ReloadResult
from bot.telegram.menu import register_menus

log = logging.getLogger(__name__)


async def reload_knowledge(
    bot: Bot, live: LiveEngine, default_lang: Lang, trigger: str
) -> ReloadResult:
    """Reload (see LiveEngine.reload); the menus are registered again only on success."""
    result = await live.reload(trigger)
    if result.ok and live.current is not None:
        try:
            await register_menus(bot, live.current.texts, default_lang)
        except TelegramAPIError as exc:  # the reload stands; only the menus lag behind
            log.warning("%s: command menus not registered again: %s", trigger, exc)
    return result
