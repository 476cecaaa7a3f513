"""The health state behind /healthz and the liveness file: is the bot receiving updates?

Kept apart from the metrics because the health check needs it without Prometheus (the
heartbeat file in polling mode), and from the server because the webhook serves it too.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

# Polling counts as alive while getUpdates succeeded this recently: aiogram's long-poll
# timeout (10 s) plus room for a slow network or a short Bot API hiccup.
POLL_STALE_AFTER = 10.0 + 30.0

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
