"""The floor for the end-to-end run: a minimal aiogram bot that replies with the text it got.

Same transport as the real bot (its session with the same lifted limits, HTML parse mode,
previews off, long polling with the same allowed updates), no engine, no middlewares.
Reads BOT_TOKEN and TELEGRAM_API_URL; stops on SIGTERM.
"""

from __future__ import annotations

import asyncio
import html
import os

from aiogram import Bot, Dispatcher, F
from aiogram.client.default import DefaultBotProperties
from aiogram.enums import ParseMode
from aiogram.types import LinkPreviewOptions, Message

from bench.bot_runner import LiftedLimits
from bot.telegram.session import build_session


async def echo(message: Message) -> None:
    await message.answer(html.escape(message.text or ""))


async def main() -> None:
    bot = Bot(
        os.environ["BOT_TOKEN"],
        session=build_session(os.environ["TELEGRAM_API_URL"], LiftedLimits()),
        default=DefaultBotProperties(
            parse_mode=ParseMode.HTML, link_preview=LinkPreviewOptions(is_disabled=True)
        ),
    )
    dp = Dispatcher()
    dp.message.register(echo, F.text)
    await dp.start_polling(bot, allowed_updates=dp.resolve_used_update_types())


if __name__ == "__main__":
    asyncio.run(main())
