"""Building the bot and its dispatcher: the session, routers, middlewares, start-up and
shutdown hooks. Running them is runners.py's job.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from typing import TYPE_CHECKING

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import BaseStorage
from aiogram.fsm.strategy import FSMStrategy
from aiogram.types import LinkPreviewOptions
from aiogram.utils.callback_answer import CallbackAnswerMiddleware

from bot.config import Settings
from bot.engine import AnswerEngine
from bot.factcheck.admins import AdminCache
from bot.health.metrics import Metrics
from bot.health.state import Health
from bot.limits.redis import RedisLimiter
from bot.misses.store import MissSink, open_misses
from bot.reload.live import LiveEngine
from bot.storage.memory import LeanMemoryStorage
from bot.telegram import errors
from bot.telegram.menu import register_menus
from bot.telegram.middlewares import (
    AnswerContext,
    CommandFlag,
    InFlight,
    RememberAnswer,
    UpdateLog,
)
from bot.telegram.routers import all_routers
from bot.telegram.throttle import Throttle
from bot.telegram.transport import Limits, build_session
from bot.telegram.uikeys import TELEGRAM_UI_KEYS

if TYPE_CHECKING:
    from bot.redis.connection import RedisConnection

log = logging.getLogger(__name__)

def build_bot(
    settings: Settings, limits: Limits | None = None, redis: RedisConnection | None = None
) -> Bot:
    """HTML by default, link previews off, the session with rate limits and retries (counted
    in Redis when `redis` is given)."""
    assert settings.bot_token is not None
    return Bot(
        settings.bot_token.get_secret_value().strip(),
        session=build_session(
            settings.telegram_api_url,
            limits
            or Limits(global_rate=settings.send_rate_limit, global_burst=settings.send_rate_limit),
            RedisLimiter(redis) if redis is not None else None,
        ),
        # link_preview (not link_preview_is_disabled, which also sends the removed
        # disable_web_page_preview field)
        # allow_sending_without_reply: a group answer still arrives if the question was
        # deleted meanwhile (message.reply sends it in reply_parameters)
        default=DefaultBotProperties(
            parse_mode=ParseMode.HTML,
            link_preview=LinkPreviewOptions(is_disabled=True),
            allow_sending_without_reply=True,
        ),
    )


def new_live_engine(engine: AnswerEngine, settings: Settings) -> LiveEngine:
    """Reloads check for the interface strings this layer needs, as the first load did."""
    loader = functools.partial(AnswerEngine.load, required_ui_keys=TELEGRAM_UI_KEYS)
    return LiveEngine(engine, settings.knowledge_dir, loader=loader)


def _storage(redis: RedisConnection | None) -> BaseStorage:
    """Redis-backed with REDIS_URL (the only case that loads redis-py), else in process."""
    if redis is None:
        return LeanMemoryStorage()
    from bot.storage.redis import FallbackStorage

    return FallbackStorage(redis)


def build_dispatcher(
    settings: Settings, engine: AnswerEngine | LiveEngine, redis: RedisConnection | None = None
) -> Dispatcher:
    """Routers, middlewares and start-up/shutdown hooks.

    Workflow data: `dp["live"]` has the engine in service (handlers get `engine` and a
    `responder`, read from it once per update), `dp["inflight"]` tracks live updates,
    `dp["metrics"]` and `dp["health"]` are what /metrics and /healthz report, `dp["misses"]`
    the misses log once started. With `redis`, the FSM storage (/lang) and the throttle live
    in Redis, shared by every replica.
    """
    live = engine if isinstance(engine, LiveEngine) else new_live_engine(engine, settings)
    metrics = live.metrics = Metrics()
    inflight = InFlight()
    dp = Dispatcher(
        storage=_storage(redis),
        fsm_strategy=FSMStrategy.GLOBAL_USER,  # the /lang choice follows the user everywhere
        live=live,
        settings=settings,
        inflight=inflight,
        metrics=metrics,
        health=Health(knowledge_loaded=lambda: live.current is not None),
        admins=AdminCache(),  # /factcheck: the chat's admins, asked with getChatMember
    )
    _middlewares(dp, settings, live, inflight, redis)
    dp.include_routers(*all_routers(), errors.build())
    _lifecycle(dp, settings, live, inflight)
    return dp


def _middlewares(
    dp: Dispatcher,
    settings: Settings,
    live: LiveEngine,
    inflight: InFlight,
    redis: RedisConnection | None,
) -> None:
    """Outer ones see every update (after aiogram's FSM middleware); inner ones only the
    updates a handler takes, so ignored group chatter is never throttled."""
    dp.update.outer_middleware(inflight)
    dp.update.outer_middleware(UpdateLog(settings, dp["metrics"]))
    dp.update.outer_middleware(AnswerContext(live, settings))
    dp.update.outer_middleware(RememberAnswer(settings))
    # Every button press is answered (its spinner stopped) once, throttled or not.
    dp.callback_query.middleware(CallbackAnswerMiddleware())
    throttle = Throttle(settings, RedisLimiter(redis) if redis is not None else None)
    for observer in (dp.message, dp.callback_query):
        observer.middleware(throttle)
        observer.middleware(CommandFlag())


def _lifecycle(dp: Dispatcher, settings: Settings, live: LiveEngine, inflight: InFlight) -> None:
    """Start-up: the menus, the misses log. Shutdown, in order: the answers in flight are let
    finish, then the misses log (which they write to) is flushed and closed."""

    async def on_startup(bot: Bot) -> None:
        dp["misses"] = open_misses(settings)  # SQLite, or the Redis stream with REDIS_URL
        if live.current is not None:
            await register_menus(bot, live.current.texts, settings.default_lang)

    async def on_shutdown() -> None:
        await asyncio.sleep(0)  # let updates just taken from the queue start
        if not await inflight.drain(settings.shutdown_timeout):
            log.warning("shutdown: %d update(s) still in flight, giving up", inflight.active)
        misses: MissSink | None = dp.workflow_data.pop("misses", None)
        if misses is not None:
            await asyncio.to_thread(misses.close, settings.shutdown_timeout)

    dp.startup.register(on_startup)
    dp.shutdown.register(on_shutdown)
