"""Webhook mode: an aiohttp server that takes updates only from Telegram.

Telegram is told the secret token with setWebhook and sends it back in
X-Telegram-Bot-Api-Secret-Token; a request without it gets 401 and is not processed.
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

log = logging.getLogger(__name__)


def webhook_secret(settings: Settings) -> str:
    """WEBHOOK_SECRET, or a random one for this run: the endpoint is never left open."""
    if settings.webhook_secret is not None:
        return settings.webhook_secret.get_secret_value()
    return secrets.token_urlsafe(32)


def webhook_path(url: str) -> str:
    return urlsplit(url).path or "/"


def build_webhook_app(bot: Bot, dispatcher: Dispatcher, path: str, secret: str) -> web.Application:
    """The aiohttp app serving `path`; dispatcher start-up and shutdown follow the app's."""
    app = web.Application()
    SimpleRequestHandler(dispatcher, bot, secret_token=secret).register(app, path=path)
    setup_application(app, dispatcher, bot=bot)
    return app


async def run_webhook(
    bot: Bot, dispatcher: Dispatcher, settings: Settings, stop: asyncio.Event
) -> None:
    """Serve on WEBHOOK_HOST:WEBHOOK_PORT, register the webhook, run until `stop` is set."""
    assert settings.webhook_url is not None
    secret = webhook_secret(settings)
    path = webhook_path(settings.webhook_url)
    app = build_webhook_app(bot, dispatcher, path, secret)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=settings.shutdown_timeout)
    await runner.setup()
    try:
        await web.TCPSite(runner, settings.webhook_host, settings.webhook_port).start()
        await bot.set_webhook(
            url=settings.webhook_url,
            secret_token=secret,
            allowed_updates=dispatcher.resolve_used_update_types(),
            drop_pending_updates=settings.drop_pending_updates,
        )
        log.info("webhook on %s:%s%s", settings.webhook_host, settings.webhook_port, path)
        await stop.wait()
    finally:
        await runner.cleanup()
        await bot.session.close()
