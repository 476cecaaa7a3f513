"""GET /metrics and GET /healthz: on the webhook's server, or on a small one of their own.

Polling opens no port of its own, so METRICS_PORT starts this server for Prometheus and
/healthz; in webhook mode the same routes are added to the webhook's app.
"""

from __future__ import annotations

import json

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from bot.health.metrics import Metrics
from bot.health.state import Health


def add_routes(app: web.Application, metrics: Metrics | None, health: Health) -> None:
    """GET /healthz on `app` (the webhook server's, or a server of its own), and GET /metrics
    unless `metrics` is None."""

    async def metrics_view(request: web.Request) -> web.Response:
        assert metrics is not None
        response = web.Response(body=metrics.render())
        response.headers["Content-Type"] = CONTENT_TYPE_LATEST
        return response

    async def health_view(request: web.Request) -> web.Response:
        ok, report = health.check()
        return web.Response(
            text=json.dumps(report) + "\n",
            status=200 if ok else 503,
            content_type="application/json",
        )

    if metrics is not None:
        app.router.add_get("/metrics", metrics_view)
    app.router.add_get("/healthz", health_view)


async def start_server(host: str, port: int, metrics: Metrics, health: Health) -> web.AppRunner:
    """A server with only /metrics and /healthz (polling mode); the caller cleans it up."""
    app = web.Application()
    add_routes(app, metrics, health)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except BaseException:
        await runner.cleanup()
        raise
    return runner
