"""Helpers shared by the Telegram tests: settings for the fake, a running bot's handle."""

from __future__ import annotations

import asyncio
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher
from fakes.bot_api import Call, FakeBotAPI
from procs import free_port, wait_listening

from bot.config import Settings
from bot.telegram.transport import Limits

# Fast retries; a large per-chat burst so tests that talk a lot in one chat don't wait.
TEST_LIMITS = Limits(backoff=0.05, per_chat_burst=50, per_group_burst=50)


def make_settings(api: FakeBotAPI, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "bot_token": api.token,
        "telegram_api_url": api.url,
        "throttle_rate": 0,  # tests that flood on purpose turn it on
        "shutdown_timeout": 3.0,
        # A folder of its own: a stop may leave polling-done-<bot id>.json there, which must
        # not make the next test's bot (same id, update ids from 1 again) skip its updates.
        "data_dir": Path(tempfile.mkdtemp(prefix="tg-data-")),
        **overrides,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@dataclass
class Running:
    """A bot polling the fake; helpers push updates and wait for what the bot sends."""

    api: FakeBotAPI
    settings: Settings
    bot: Bot
    dp: Dispatcher
    stop: asyncio.Event
    task: asyncio.Task[None]

    async def settle(self, timeout: float = 5.0) -> None:
        """Wait until every pushed update was taken and handled (for "sent nothing" checks)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        quiet = 0
        while quiet < 3:
            busy = self.api.pending_updates or self.dp["inflight"].active
            quiet = 0 if busy else quiet + 1
            if loop.time() > deadline:
                raise AssertionError("the bot did not finish handling its updates")
            await asyncio.sleep(0.02)

    async def sent_to(self, chat_id: int, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """The delivered sendMessage calls into `chat_id` (waits for at least `count`)."""
        return await self.api.wait_for(
            "sendMessage", count, timeout, predicate=lambda c: c.params["chat_id"] == chat_id
        )

    async def reply(self, update: dict[str, Any], timeout: float = 5.0) -> Call:
        """Push an update from a chat and return the one new message the bot sent there."""
        chat_id = _chat_of(update)
        before = len(self.api.sent_messages(chat_id))
        self.api.push(update)
        calls = await self.sent_to(chat_id, before + 1, timeout)
        return calls[before]

    async def shutdown(self, timeout: float = 5.0) -> None:
        self.stop.set()
        await asyncio.wait_for(self.task, timeout)


def _chat_of(update: dict[str, Any]) -> int:
    if "message" in update:
        return update["message"]["chat"]["id"]
    return update["callback_query"]["message"]["chat"]["id"]


def buttons(call: Call) -> list[dict[str, Any]]:
    """The inline keyboard buttons a sendMessage call carried, row by row."""
    markup = call.params.get("reply_markup") or {}
    return [b for row in markup.get("inline_keyboard", []) for b in row]


async def start_webhook(
    api: FakeBotAPI, engine: Any, secret: str, **overrides: Any
) -> tuple[str, asyncio.Event, asyncio.Task[None]]:
    """The real webhook server on a free loopback port, registered with the fake.

    Returns the hook's URL, the event that stops it, and its task (await it after `set()`).
    """
    from bot.telegram.factory import build_bot, build_dispatcher
    from bot.telegram.webhook import run_webhook

    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/hook"
    settings = make_settings(
        api, webhook_url=url, webhook_host="127.0.0.1", webhook_port=port,
        webhook_secret=secret, **overrides,
    )  # fmt: skip
    bot, dp, stop = (
        build_bot(settings, TEST_LIMITS),
        build_dispatcher(settings, engine),
        asyncio.Event(),
    )
    task = asyncio.create_task(run_webhook(bot, dp, settings, stop))
    await api.wait_for("setWebhook")
    await wait_listening(port)
    return url, stop, task
