"""Webhook mode: an aiohttp server that takes updates only from Telegram.

Telegram is told the secret token with setWebhook and sends it back in
X-Telegram-Bot-Api-Secret-Token; a request without it gets 401 and is not processed.
With METRICS_PORT set, the same server also answers GET /metrics and GET /healthz (the port
number itself is then unused: one port to expose, one server to watch).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from urllib.parse import urlsplit

from aiogram import Bot, Dispatcher
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

from bot.config import Settings
from bot.ops.metrics import Health, Metrics, add_routes
from bot.telegram.session import observe

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


def build_webhook_app(
    bot: Bot,
    dispatcher: Dispatcher,
    path: str,
    secret: str,
    monitoring: tuple[Metrics, Health] | None = None,
) -> web.Application:
    """The aiohttp app serving `path` (POST), plus GET /metrics and /healthz if `monitoring`;
    dispatcher start-up and shutdown follow the app's."""
    app = web.Application()
    SimpleRequestHandler(dispatcher, bot, secret_token=secret).register(app, path=path)
    if monitoring is not None:
        add_routes(app, *monitoring)
    setup_application(app, dispatcher, bot=bot)
    return app


async def run_webhook(
    bot: Bot, dispatcher: Dispatcher, settings: Settings, stop: asyncio.Event
) -> None:
    """Serve on WEBHOOK_HOST:WEBHOOK_PORT, register the webhook, run until `stop` is set."""
    assert settings.webhook_url is not None
    secret = webhook_secret(settings)
    path = webhook_path(settings.webhook_url)
    metrics: Metrics = dispatcher["metrics"]
    health: Health = dispatcher["health"]
    observe(bot, metrics, health)
    health.webhook(registered=False)
    monitoring = (metrics, health) if settings.metrics_port is not None else None
    app = build_webhook_app(bot, dispatcher, path, secret, monitoring)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=settings.shutdown_timeout)
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
        )
        health.webhook(registered=True)
        log.info("webhook on %s:%s%s", host, port, path)
        await stop.wait()
    finally:
        health.stopped()
        await runner.cleanup()
        await bot.session.close()
