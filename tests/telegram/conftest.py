"""The real bot (Dispatcher + Bot from bot.telegram.factory) polling a FakeBotAPI over loopback HTTP.

`tg` starts it as an asyncio task and stops it the way SIGTERM would, so every test also
exercises a clean shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from fakes.bot_api import FakeBotAPI
from tg_harness import TEST_LIMITS, Running, make_settings

from bot.engine import AnswerEngine
from bot.telegram.factory import build_bot, build_dispatcher
from bot.telegram.runners import run_polling
from bot.telegram.transport import Limits


@pytest.fixture(scope="session")
def engine() -> AnswerEngine:
    return AnswerEngine.load()


Launcher = Callable[..., Awaitable[Running]]


@pytest.fixture
async def launch(fake_api: FakeBotAPI, engine: AnswerEngine) -> AsyncIterator[Launcher]:
    """`await launch(**settings)` starts the bot against `fake_api`; stopped at teardown."""
    started: list[Running] = []

    async def _launch(
        api: FakeBotAPI | None = None,
        engine_: Any = None,
        limits: Limits = TEST_LIMITS,
        **overrides: Any,
    ) -> Running:
        api = api or fake_api
        settings = make_settings(api, **overrides)
        bot = build_bot(settings, limits)
        dp = build_dispatcher(settings, engine_ or engine)
        stop = asyncio.Event()
        task = asyncio.create_task(run_polling(bot, dp, settings, stop))
        running = Running(api, settings, bot, dp, stop, task)
        started.append(running)
        return running

    yield _launch
    for running in started:
        if not running.task.done():
            await running.shutdown()
        with contextlib.suppress(asyncio.CancelledError):
            running.task.result()


@pytest.fixture
async def tg(launch: Launcher) -> Running:
    """The bot with default test settings."""
    return await launch()
