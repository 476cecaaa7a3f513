"""The answer engine in service, and swapping in a freshly loaded one without a restart.

Handlers never keep a reference to the engine in service between updates: a middleware reads
`LiveEngine.current` once per update, so an update in flight finishes on the engine it started
with while the next one gets the new engine. A knowledge base that fails validation is
refused whole and the old engine keeps serving. No aiogram here: the CLI and tests use it too.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.engine import AnswerEngine, KnowledgeError
from bot.health.metrics import Metrics

log = logging.getLogger(__name__)

Loader = Callable[[Path | None], AnswerEngine]


@dataclass(frozen=True, slots=True)
class ReloadResult:
    """What a reload did: `ok` and the new intent count, or the problems that refused it."""

    ok: bool
    problems: tuple[str, ...] = ()
    intents: int = 0


class LiveEngine:
    """Owns the engine in service; `reload()` replaces it only with one that loaded cleanly."""

    def __init__(
        self,
        engine: AnswerEngine | None,
        knowledge_dir: Path | None = None,
        *,
        metrics: Metrics | None = None,
        loader: Loader = AnswerEngine.load,
    ) -> None:
        self.current = engine
        self.knowledge_dir = knowledge_dir
        self.metrics = metrics
        self._loader = loader
        self._lock = asyncio.Lock()  # two reloads at once would race to set `current`

    async def reload(self, trigger: str = "reload") -> ReloadResult:
        """Load and validate the knowledge folder again; swap only if it is sound.

        Loading runs in a worker thread so the event loop keeps answering meanwhile. The
        outcome is logged (each problem on its own line) and counted, whoever asked for it.
        """
        async with self._lock:
            try:
                engine = await asyncio.to_thread(self._loader, self.knowledge_dir)
            except KnowledgeError as exc:
                result = ReloadResult(False, tuple(str(p) for p in exc.problems))
            except Exception as exc:  # a bug or an I/O error must not take the bot down
                log.exception("%s: loading the knowledge base failed", trigger)
                result = ReloadResult(False, (f"{type(exc).__name__}: {exc}",))
            else:
                self.current = engine
                result = ReloadResult(True, intents=len(engine.kb.intents))
        self._report(trigger, result)
        return result

    def _report(self, trigger: str, result: ReloadResult) -> None:
        if self.metrics is not None:
            self.metrics.reloaded(result.ok)
        if result.ok:
            log.info("%s: knowledge base reloaded, %d intents", trigger, result.intents)
            return
        log.error(
            "%s: knowledge base refused (%d problems), the previous one stays in service",
            trigger,
            len(result.problems),
        )
        for problem in result.problems:
            log.error("  %s", problem)
