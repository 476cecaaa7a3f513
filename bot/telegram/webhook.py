"""Webhook mode: an aiohttp server that takes updates only from Telegram, each exactly once.

Telegram is told the secret token with setWebhook and sends it back in
X-Telegram-Bot-Api-Secret-Token; a request without it gets 401 and is not processed.

An update gets its 200 only once it was handled (answered, or deliberately ignored): a 200
never stands for work a stop could still cut short. Telegram delivers at most
`max_connections` updates at once (set to the in-flight limit, bot/telegram/delivery.py),
so this also bounds the work in flight. An update_id seen before (Telegram retrying a
delivery that timed out, a proxy retrying, the other replica having taken it: REDIS_URL) is
answered 200 and not handled again.

On a stop (SIGTERM) /healthz turns 503 and the listener closes, so a load balancer sends
new deliveries to another replica; a delivery still arriving on an open connection gets 503
and Telegram retries it later. Updates in flight get until SHUTDOWN_TIMEOUT; one that could
not send its first message by then is answered 503 and forgotten, so its redelivery (to this
bot's next process or another replica) is handled.

GET /healthz is always served here; GET /metrics too when METRICS_PORT is set (the port
number itself is then unused: one port to expose, one server to watch).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from urllib.parse import urlsplit

from aiogram import Bot, Dispatcher
from aiogram.types import Update
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web
from pydantic import ValidationError

from bot.config import Settings
from bot.health.metrics import Metrics
from bot.health.server import add_routes
from bot.health.state import Health
from bot.telegram.delivery import (
    GivenBack,
    RecentUpdates,
    Stopping,
    finish_in_flight,
    handle_update,
    in_flight_limit,
)
from bot.telegram.transport import observe

log = logging.getLogger(__name__)


class ListenError(RuntimeError):
    """A server could not listen on its host and port (taken, or not ours to bind)."""


def webhook_secret(settings: Settings) -> str:
    """WEBHOOK_SECRET, or a random one for this run: the endpoint is never left open."""
    if settings.webhook_secret is not None:
        return settings.webhook_secret.get_secret_value()
    return secrets.token_urlsafe(32)


def webhook_path(url: str) -> str:
    return urlsplit(url).path or "/"


RETRY_LATER = 503  # Telegram (and a load balancer) delivers the update again later


class UpdateHandler(SimpleRequestHandler):
    """aiogram's handler (its route and secret check), answering each update once and only
    once it was handled (see the module doc).

    aiogram's either answers 200 at once and handles the update in the background
    (handle_in_background: acknowledging work a stop can still cut short), or sends the
    method a handler returned back as the HTTP reply, a "webhook reply" (`_handle_request`):
    that bypasses the session's rate limit and the stop's give-back, and nobody learns
    whether it was delivered. Here the method is a request of its own
    (delivery.handle_update) and the 200 follows it.
    """

    def __init__(
        self,
        dispatcher: Dispatcher,
        bot: Bot,
        secret: str,
        stopping: Stopping,
        recent: RecentUpdates,
        capacity: int,
    ) -> None:
        super().__init__(dispatcher, bot, handle_in_background=False, secret_token=secret)
        self.stopping = stopping
        self.recent = recent
        self.slots = asyncio.Semaphore(capacity)
        self.tasks: set[asyncio.Task[None]] = set()

    async def close(self) -> None:
        """run_webhook closes the session itself, after the updates in flight are done
        (aiogram would close it when the app shuts down, under their feet)."""

    async def handle(self, request: web.Request) -> web.Response:
        """During a stop every delivery is turned away first (503: Telegram delivers it again,
        to another replica or the next process); then aiogram's secret check (401)."""
        if self.stopping.active:
            return _retry_later()
        return await super().handle(request)

    async def _handle_request(self, bot: Bot, request: web.Request) -> web.Response:
        """aiogram's `handle` calls this (a private hook: test_aiogram_internals.py and test_tg_webhook cover it) once the
        secret matched. A body that is not an Update gets 400 (aiogram's: a 500, retried)."""
        try:
            raw = await request.json(loads=bot.session.json_loads)
            update = Update.model_validate(raw, context={"bot": bot})
        except (ValueError, ValidationError):
            return web.Response(status=400, text="not an Update")
        if not await self.recent.claim(update.update_id):
            log.info(
                "update %d delivered again: already taken, not handled twice", update.update_id
            )
            return web.json_response({})
        return await self._answer(update)

    async def _answer(self, update: Update) -> web.Response:
        """200 once the update was handled (or failed: a retry would fail the same way); 503
        if it was given back, its claim released so that its redelivery is handled."""
        task = asyncio.create_task(self._process(update))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        try:
            await asyncio.shield(task)  # a dropped connection does not cut the answer short
        except GivenBack:
            return await self._give_back(update.update_id)
        except asyncio.CancelledError:
            if not task.cancelled():
                raise  # this request was cancelled (the client went away): the update goes on
            # Cut short at the stop deadline: redelivered and handled again, answered twice
            # at worst (its request had gone out), rather than never.
            return await self._give_back(update.update_id)
        except Exception:  # logged by _process
            pass
        await self.recent.done(update.update_id)
        return web.json_response({})

    async def _give_back(self, update_id: int) -> web.Response:
        await self.recent.release(update_id)
        return _retry_later()

    async def _process(self, update: Update) -> None:
        async with self.slots:
            if self.stopping.active:  # waited for a slot until the stop: not started at all
                raise GivenBack(f"update {update.update_id} left for another process")
            try:
                await handle_update(self.dispatcher, self.bot, update, self.stopping, self.data)
            except GivenBack:
                raise
            except Exception:
                log.exception("update %d failed", update.update_id)
                raise

    async def finish(self, timeout: float) -> None:
        """Let the updates in flight finish (or give themselves back) within `timeout`."""
        await finish_in_flight(self.tasks, timeout)


def _retry_later() -> web.Response:
    return web.Response(status=RETRY_LATER, text="stopping", headers={"Retry-After": "1"})


def build_webhook_app(
    handler: UpdateHandler,
    path: str,
    metrics: Metrics | None,
    health: Health,
) -> web.Application:
    """The aiohttp app serving `path` (POST) and GET /healthz, plus GET /metrics if `metrics`;
    dispatcher start-up and shutdown follow the app's."""
    app = web.Application()
    handler.register(app, path=path)
    add_routes(app, metrics, health)
    setup_application(app, handler.dispatcher, bot=handler.bot)
    return app


async def run_webhook(
    bot: Bot,
    dispatcher: Dispatcher,
    settings: Settings,
    stop: asyncio.Event,
    recent: RecentUpdates | None = None,
) -> None:
    """Serve on WEBHOOK_HOST:WEBHOOK_PORT, register the webhook, run until `stop` is set;
    `recent` remembers the update_ids taken (in Redis too, when it has a link)."""
    assert settings.webhook_url is not None
    secret = webhook_secret(settings)
    path = webhook_path(settings.webhook_url)
    metrics: Metrics = dispatcher["metrics"]
    health: Health = dispatcher["health"]
    observe(bot, metrics, health)
    health.webhook(registered=False)
    stopping = Stopping(settings.shutdown_timeout)
    capacity = in_flight_limit(settings)
    handler = UpdateHandler(
        dispatcher, bot, secret, stopping, recent or RecentUpdates(bot.id), capacity
    )
    app = build_webhook_app(
        handler, path, metrics if settings.metrics_port is not None else None, health
    )
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    host, port = settings.webhook_host, settings.webhook_port
    try:
        try:
            await web.TCPSite(runner, host, port).start()
        except OSError as exc:
            raise ListenError(f"webhook server: cannot listen on {host}:{port} ({exc})") from exc
        await bot.set_webhook(
            url=settings.webhook_url,
            secret_token=secret,
            allowed_updates=dispatcher.resolve_used_update_types(),
            drop_pending_updates=settings.drop_pending_updates,
            max_connections=capacity,
        )
        health.webhook(registered=True)
        log.info("webhook on %s:%s%s, at most %d updates in flight", host, port, path, capacity)
        await stop.wait()
        # New deliveries go elsewhere (503, a closed listener); those in flight finish.
        stopping.begin()
        health.stopped()
        for site in list(runner.sites):
            await site.stop()
        await handler.finish(settings.shutdown_timeout)
    finally:
        health.stopped()
        await runner.cleanup()
        await bot.session.close()
