"""Prometheus metrics: every counter the bot exports (served by bot/health/server.py).

Each `Metrics` has its own CollectorRegistry rather than the process-wide one, so several bots
(or tests) in one process never share counters. No aiogram here: the Telegram layer calls
these methods from its middlewares and its session.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest

# Answer latency as the user feels it: handling plus sending, retries and rate-limit waits.
LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
ANSWER_KINDS = ("fact", "chitchat")
OUT_OF_SCOPE = "out_of_scope"


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
