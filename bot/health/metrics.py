"""Prometheus metrics and the health check, and the small aiohttp app that serves them.

Each `Metrics` has its own CollectorRegistry rather than the process-wide one, so several bots
(or tests) in one process never share counters. No aiogram here: the Telegram layer calls
these methods from its middlewares and its session.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from aiohttp import web
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)

# Answer latency as the user feels it: handling plus sending, retries and rate-limit waits.
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
ANSWER_KINDS = ("fact", "chitchat")
OUT_OF_SCOPE = "out_of_scope"
# Polling counts as alive while getUpdates succeeded this recently: aiogram's long-poll
# timeout (10 s) plus room for a slow network or a short Bot API hiccup.
POLL_STALE_AFTER = 10.0 + 30.0


class Metrics:
    """Every counter the bot exports, on a registry of its own."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        reg = self.registry
        self.updates = Counter("updates", "Updates received, by type", ["type"], registry=reg)
        self.answers = Counter(
            "answers", "Questions answered from the article", ["intent", "lang"], registry=reg
        )
        self.out_of_scope = Counter(
            "out_of_scope", "Questions the article does not answer", ["lang"], registry=reg
        )
        self.latency = Histogram(
            "answer_latency_seconds",
            "From taking an update to having sent its answer",
            buckets=LATENCY_BUCKETS,
            registry=reg,
        )
        self.api_errors = Counter(
            "telegram_api_errors",
            "Failed Bot API calls, by HTTP status (network: no answer at all)",
            ["code"],
            registry=reg,
        )
        self.retries = Counter(
            "telegram_retries", "Bot API calls sent again, by method", ["method"], registry=reg
        )
        self.reloads = Counter(
            "knowledge_reloads", "Knowledge base reloads, by result", ["result"], registry=reg
        )
        self.checks = Counter(
            "factchecks",
            "/check verdicts and watch-mode corrections, by source and outcome",
            ["source", "outcome"],
            registry=reg,
        )
        for lang in ("ru", "en"):  # zeros from the start, so rates are defined
            self.out_of_scope.labels(lang)
        for result in ("ok", "refused"):
            self.reloads.labels(result)

    def checked(self, source: str, outcome: str) -> None:
        """source: "check" or "watch"; outcome: confirmed, refuted, partly, answered, nothing."""
        self.checks.labels(source, outcome).inc()

    def update(self, kind: str) -> None:
        self.updates.labels(kind).inc()

    def answered(
        self, kind: str | None, intent: str | None, lang: str | None, seconds: float
    ) -> None:
        """One handled question; `kind` is the AnswerKind value, commands are not answers."""
        if kind == OUT_OF_SCOPE:
            self.out_of_scope.labels(lang or "").inc()
        elif kind in ANSWER_KINDS and intent is not None:
            self.answers.labels(intent, lang or "").inc()
        else:
            return
        self.latency.observe(seconds)

    def api_error(self, code: int | str) -> None:
        self.api_errors.labels(str(code)).inc()

    def retry(self, method: str) -> None:
        self.retries.labels(method).inc()

    def reloaded(self, ok: bool) -> None:
        self.reloads.labels("ok" if ok else "refused").inc()

    def render(self) -> bytes:
        """The text exposition format Prometheus scrapes."""
        return generate_latest(self.registry)


Transport = Literal["polling", "webhook"]


@dataclass
class Health:
    """Healthy while the knowledge base is loaded and updates can arrive.

    Polling is alive while getUpdates succeeded within `stale_after` seconds, or while one is
    in flight, sent within `stale_after` seconds, after a poll that succeeded (or as the first
    one: a long poll with nothing to deliver only answers after its timeout). The session
    reports each getUpdates. A webhook is alive while its server listens and setWebhook
    succeeded.
    """

    knowledge_loaded: Callable[[], bool]
    stale_after: float = POLL_STALE_AFTER
    clock: Callable[[], float] = time.monotonic
    transport: Transport | None = None
    webhook_set: bool = False
    last_poll: float | None = field(default=None, repr=False)  # the last successful getUpdates
    poll_sent: float | None = field(default=None, repr=False)  # the one in flight, if any
    poll_failed: bool = field(default=False, repr=False)  # the last one to finish failed

    def polling(self) -> None:
        self.transport = "polling"
        self.last_poll = self.poll_sent = None
        self.poll_failed = False

    def poll_started(self) -> None:
        self.poll_sent = self.clock()

    def polled(self, ok: bool = True) -> None:
        """A getUpdates finished: `ok`, or it failed (after any retries)."""
        self.poll_sent = None
        self.poll_failed = not ok
        if ok:
            self.last_poll = self.clock()

    def _polling_alive(self) -> bool:
        now = self.clock()
        if self.last_poll is not None and now - self.last_poll <= self.stale_after:
            return True
        in_flight = self.poll_sent is not None and now - self.poll_sent <= self.stale_after
        return in_flight and not self.poll_failed

    def webhook(self, registered: bool) -> None:
        self.transport, self.webhook_set = "webhook", registered

    def stopped(self) -> None:
        self.transport = None

    def check(self) -> tuple[bool, dict[str, object]]:
        """(healthy, what was found) — the second part is the /healthz body."""
        problems: list[str] = []
        report: dict[str, object] = {"transport": self.transport}
        if not self.knowledge_loaded():
            problems.append("knowledge base not loaded")
        if self.transport == "polling":
            age = None if self.last_poll is None else round(self.clock() - self.last_poll, 1)
            report["last_poll_seconds_ago"] = age
            if not self._polling_alive():
                problems.append("no successful getUpdates recently")
        elif self.transport == "webhook":
            report["webhook_registered"] = self.webhook_set
            if not self.webhook_set:
                problems.append("webhook not registered")
        else:
            problems.append("not receiving updates")
        report["status"] = "ok" if not problems else "unhealthy"
        if problems:
            report["problems"] = problems
        return not problems, report


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
