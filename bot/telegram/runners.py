"""Running the bot: long polling, or a webhook when WEBHOOK_URL is set (built by factory.py).

SIGTERM and SIGINT stop it cleanly: no new updates are taken, answers in flight get up to
SHUTDOWN_TIMEOUT seconds to be sent, and the process exits 0. SIGHUP reloads the knowledge
base (bot/reload/) without stopping. With METRICS_PORT set, /metrics and /healthz are
served: on their own port while polling, on the webhook server in webhook mode. With
REDIS_URL set, per-user settings, throttling, outgoing limits and the misses log are shared
with the other replicas through Redis (bot/redis/, bot/limits/, bot/storage/, bot/misses/), in-process while Redis is down.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
from typing import TYPE_CHECKING

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramUnauthorizedError
from aiohttp import web

from bot.config import Settings
from bot.engine import AnswerEngine
from bot.health.heartbeat import beat, health_file
from bot.health.server import start_server
from bot.health.state import Health
from bot.reload.live import LiveEngine
from bot.telegram.delivery import RecentUpdates, Stopping, in_flight_limit
from bot.telegram.factory import build_bot, build_dispatcher, new_live_engine
from bot.telegram.logs import setup_logging
from bot.telegram.polling import Poller, done_file, parked_file
from bot.telegram.reload import reload_knowledge
from bot.telegram.transport import observe
from bot.telegram.webhook import ListenError, run_webhook

if TYPE_CHECKING:
    from bot.redis.connection import RedisConnection

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_BAD_TOKEN = 2
EXIT_BAD_SETTINGS = 2
API_RETRY_DELAYS = (1.0, 2.0, 5.0)  # getMe at start-up, while the API is unreachable


async def wait_for_api(bot: Bot, stop: asyncio.Event) -> bool:
    """getMe until it works (the API may be down at start); False if stopped first."""
    attempt = 0
    while not stop.is_set():
        try:
            await bot.me()
            return True
        except TelegramUnauthorizedError:
            raise
        except Exception as exc:  # network, 5xx: keep trying, polling would too
            delay = API_RETRY_DELAYS[min(attempt, len(API_RETRY_DELAYS) - 1)]
            attempt += 1
            log.warning("Bot API unreachable (%s), retrying in %.0fs", type(exc).__name__, delay)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), delay)
    return False


async def start_metrics(settings: Settings, dp: Dispatcher) -> web.AppRunner | None:
    """/metrics and /healthz on METRICS_HOST:METRICS_PORT (polling mode), when the port is set."""
    if settings.metrics_port is None:
        return None
    host, port = settings.metrics_host, settings.metrics_port
    try:
        runner = await start_server(host, port, dp["metrics"], dp["health"])
    except OSError as exc:
        raise ListenError(f"metrics server: cannot listen on {host}:{port} ({exc})") from exc
    log.info("metrics and health on %s:%s", host, port)
    return runner


async def run_polling(bot: Bot, dp: Dispatcher, settings: Settings, stop: asyncio.Event) -> None:
    """Long polling until `stop` is set; the offset moves only past finished updates and a
    stop leaves the rest in Telegram's queue (bot/telegram/polling.py)."""
    health: Health = dp["health"]
    observe(bot, dp["metrics"], health)
    health.polling()
    metrics_server = None
    # The liveness file the Docker HEALTHCHECK reads: polling opens no port (bot/health/heartbeat.py).
    heartbeat = asyncio.create_task(beat(health_file(settings.data_dir, bot.id), health))
    try:
        metrics_server = await start_metrics(settings, dp)
        if not await wait_for_api(bot, stop):
            return
        with contextlib.suppress(Exception):  # a webhook left over would make getUpdates 409
            await bot.delete_webhook(drop_pending_updates=settings.drop_pending_updates)
        poller = Poller(
            bot,
            dp,
            Stopping(settings.shutdown_timeout),
            capacity=in_flight_limit(settings),
            allowed_updates=dp.resolve_used_update_types(),
            done_path=done_file(settings.data_dir, bot.id),
            parked_path=parked_file(settings.data_dir, bot.id),
        )
        await dp.emit_startup(bot=bot, **poller.workflow_data)
        log.info("polling, at most %d updates in flight", poller.capacity)
        try:
            await poller.run(stop)
        finally:
            await poller.finish(settings.shutdown_timeout)
            await dp.emit_shutdown(bot=bot, **poller.workflow_data)
    finally:
        health.stopped()
        heartbeat.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await heartbeat
        if metrics_server is not None:
            await metrics_server.cleanup()
        await bot.session.close()


def _reload_on_sighup(
    loop: asyncio.AbstractEventLoop, bot: Bot, live: LiveEngine, settings: Settings
) -> set[asyncio.Task[object]]:
    """SIGHUP reloads the knowledge base; the outcome goes to the log (see LiveEngine)."""
    tasks: set[asyncio.Task[object]] = set()

    def on_sighup() -> None:
        log.info("SIGHUP: reloading the knowledge base")
        task = loop.create_task(reload_knowledge(bot, live, settings.default_lang, "SIGHUP"))
        tasks.add(task)  # the loop keeps only weak references to tasks
        task.add_done_callback(tasks.discard)

    with contextlib.suppress(NotImplementedError, RuntimeError, AttributeError):
        loop.add_signal_handler(signal.SIGHUP, on_sighup)
    return tasks


async def serve(
    settings: Settings, engine: AnswerEngine, stop: asyncio.Event | None = None
) -> None:
    """Run in the mode the settings ask for until `stop` is set or a signal arrives."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    redis = await _connect_redis(settings)
    bot = build_bot(settings, redis=redis)
    live = new_live_engine(engine, settings)
    dp = build_dispatcher(settings, live, redis)
    reloads = _reload_on_sighup(loop, bot, live, settings)
    try:
        if not settings.webhook_url:
            await run_polling(bot, dp, settings, stop)
        elif await wait_for_api(bot, stop):
            await run_webhook(bot, dp, settings, stop, RecentUpdates(bot.id, redis))
        else:
            await bot.session.close()
    finally:
        with contextlib.suppress(NotImplementedError, RuntimeError, AttributeError):
            loop.remove_signal_handler(signal.SIGHUP)
        for task in list(reloads):
            task.cancel()
        await asyncio.gather(*reloads, return_exceptions=True)
        if redis is not None:
            await redis.close()
    log.info("stopped")


async def _connect_redis(settings: Settings) -> RedisConnection | None:
    """With REDIS_URL, the connection (the only case that loads redis-py), checked once: an
    unreachable Redis is logged and the bot starts anyway, on its in-process fallbacks."""
    if not settings.redis_url:
        return None
    from bot.redis.connection import RedisConnection

    redis = RedisConnection(settings.redis_url)
    await redis.check()
    if settings.webhook_url and settings.webhook_secret is None:
        log.warning(
            "WEBHOOK_SECRET is not set: each replica picks its own, and only the one "
            "that registered last accepts updates; give them all the same secret"
        )
    return redis


GC_YOUNG_THRESHOLD = 50_000  # Python's default is 700


def tune_gc() -> None:
    """Keep the cyclic garbage collector off the answer path; call once everything is loaded.

    Everything loaded so far (aiogram's ~750 models, the knowledge base) lives as long as the
    process: frozen, the collector stops walking it again and again. An update allocates
    hundreds of short-lived objects (pydantic models, tasks) that reference counting frees,
    yet each counts towards the youngest generation's threshold: at the default 700 the
    collector ran about once every four updates, some 8% of the bot's CPU under load
    (bench/e2e.py). Cycles are still collected, only in larger batches.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])


def run_bot(settings: Settings, engine: AnswerEngine) -> int:
    """`technopolis-bot run`: exit 0 after a clean stop, 2 for a refused token or bad settings."""
    setup_logging(settings)
    problem = settings.webhook_problem()
    if problem:
        log.error(problem)
        return EXIT_BAD_SETTINGS
    tune_gc()
    try:
        asyncio.run(serve(settings, engine))
    except TelegramUnauthorizedError:
        log.error("Telegram refused the token (401 Unauthorized): check BOT_TOKEN")
        return EXIT_BAD_TOKEN
    except ListenError as exc:
        log.error("%s", exc)
        return EXIT_BAD_SETTINGS
    except KeyboardInterrupt:
        pass
    return EXIT_OK
