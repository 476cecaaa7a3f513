"""The floor for the end-to-end run: a minimal aiogram bot that replies with the text it got.

As aiogram's documentation writes one: aiogram's own AiohttpSession, HTML parse mode,
previews off, an `F.text` handler, long polling. No engine, no middlewares, no limits.

`--like-bot` sets it up as the real bot is: its session (bench/bot_runner.py's lifted
limits, JSON bodies, pinned Response models, bot/telegram/transport.py) and its garbage
collector settings (bot/telegram/runners.py:tune_gc). That is the second reference, which
shows what the bot's own work costs once everything around it is the same.
Reads BOT_TOKEN and TELEGRAM_API_URL; stops on SIGTERM.
"""

from __future__ import annotations

import asyncio
import html
import os
import sys

from aiogram import Bot, Dispatcher, F
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.types import LinkPreviewOptions, Message

LIKE_BOT = "--like-bot"


async def echo(message: Message) -> None:
    await message.answer(html.escape(message.text or ""))


def session(url: str, like_bot: bool) -> BaseSession:
    if not like_bot:
        return AiohttpSession(api=TelegramAPIServer.from_base(url))
    from bench.bot_runner import LiftedLimits
    from bot.telegram.transport import build_session

    return build_session(url, LiftedLimits())


async def main(like_bot: bool) -> None:
    bot = Bot(
        os.environ["BOT_TOKEN"],
        session=session(os.environ["TELEGRAM_API_URL"], like_bot),
        default=DefaultBotProperties(
            parse_mode=ParseMode.HTML, link_preview=LinkPreviewOptions(is_disabled=True)
        ),
    )
    dp = Dispatcher()
    dp.message.register(echo, F.text)
    await dp.start_polling(bot, allowed_updates=dp.resolve_used_update_types())


if __name__ == "__main__":
    like_bot = LIKE_BOT in sys.argv[1:]
    if like_bot:
        from bot.telegram.runners import tune_gc

        tune_gc()
    asyncio.run(main(like_bot))
