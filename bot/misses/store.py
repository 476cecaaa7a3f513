"""Where the misses log lives: the SQLite file, or the Redis stream shared by replicas.

`open_misses` picks the writer from the settings (both have MissLog's interface); `read_misses`
is what `technopolis-bot misses` reads: the stream when REDIS_URL is set, plus the local
SQLite file (records from before Redis, or written while it was down), merged.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Protocol

from bot.config import Settings
from bot.misses.record import NONE_OF_THESE, Miss
from bot.misses.sqlite import MissLog, misses_path, read
from bot.redis.keys import redact_url


class MissSink(Protocol):
    """What the handlers record misses into (MissLog, MissStream)."""

    dropped: int

    def record(self, miss: Miss) -> None: ...

    def written(self) -> Future[None]: ...

    def flush(self, timeout: float = 5.0) -> bool: ...

    def close(self, timeout: float = 5.0) -> bool: ...


def open_misses(settings: Settings) -> MissSink:
    """The Redis stream when REDIS_URL is set (SQLite only as its fallback), else SQLite."""
    path = misses_path(settings.data_dir)
    if settings.redis_url:
        from bot.misses.redis import MissStream  # redis-py is loaded only with REDIS_URL

        return MissStream(
            settings.redis_url,
            path,
            settings.misses_retention_days,
            keep_text=settings.misses_keep_text,
        )
    return MissLog(path, settings.misses_retention_days, keep_text=settings.misses_keep_text)


@dataclass
class MissesRead:
    """What `read_misses` found, and where it looked."""

    misses: list[Miss]
    sources: list[str]
    problems: list[str] = field(default_factory=list)


def read_misses(data_dir: Path, redis_url: str | None, since: float | None = None) -> MissesRead:
    """Misses at or after `since` from the stream (if `redis_url`) and the SQLite file.

    An unreachable Redis is reported in `problems`, and the file is still read.
    """
    path = misses_path(data_dir)
    sources = [str(path)]
    parts = [read(path)]
    problems = []
    if redis_url:
        from bot.misses.redis import read_stream
        from bot.redis.connection import ERRORS

        sources.insert(0, f"Redis {redact_url(redis_url)}")
        try:
            parts.append(read_stream(redis_url))
        except ERRORS as exc:
            problems.append(
                f"Redis at {redact_url(redis_url)} unavailable ({type(exc).__name__}): "
                f"only {path} was read"
            )
    found = [m for m in merge(*parts) if since is None or m.ts >= since]
    return MissesRead(found, sources, problems)


def merge(*sources: Iterable[Miss]) -> list[Miss]:
    """One log from several, oldest first: each record once, each "none of these" press
    once per question and filled in from its question (as the SQLite writer does)."""
    everything = sorted((m for source in sources for m in source), key=lambda m: m.ts)
    asked = _questions_by_key(everything)
    return [_filled_in(m, asked) for m in _once(everything)]


def _questions_by_key(misses: Iterable[Miss]) -> dict[str, Miss]:
    """The first question recorded under each key (what a "none of these" press refers to)."""
    asked: dict[str, Miss] = {}
    for m in misses:
        if m.kind != NONE_OF_THESE and m.key is not None:
            asked.setdefault(m.key, m)
    return asked


def _once(misses: Iterable[Miss]) -> Iterator[Miss]:
    """Each keyed record once: the same record in both places, or a second press, is left out."""
    seen: set[tuple[str, str]] = set()
    for m in misses:
        if m.key is not None:
            if (m.kind, m.key) in seen:
                continue
            seen.add((m.kind, m.key))
        yield m


def _filled_in(m: Miss, asked: dict[str, Miss]) -> Miss:
    """A "none of these" press with its question's language, nearest intent, score and text."""
    q = asked.get(m.key) if m.kind == NONE_OF_THESE and m.key is not None else None
    if q is None:
        return m
    return replace(m, lang=q.lang, intent=q.intent, score=q.score, text=q.text)
