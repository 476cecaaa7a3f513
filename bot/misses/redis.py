"""The misses log in a Redis stream, so replicas sharing REDIS_URL keep one picture.

Same interface and promises as MissLog (bot/misses/sqlite.py): `record` only queues, a thread of
its own does the writing (each batch one MULTI/EXEC of XADDs, so a batch is in the stream
whole or not at all), `flush` and `close` wait for it. `XADD ... MAXLEN ~` caps the stream's
length (approximately, which costs nothing), `XTRIM MINID` applies MISSES_RETENTION_DAYS
exactly at start and once a day. While Redis is unreachable the records go to the local
SQLite log (DATA_DIR/misses.sqlite3) instead, and `technopolis-bot misses` reads both
(bot/misses/store.py). A "none of these" press is stored bare, with its question's key:
the reader joins it to the question.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import redis

from bot.misses.record import Miss
from bot.misses.sqlite import DAY, PURGE_EVERY, MissLog
from bot.misses.writer import MissWriter, Stop, misses_in
from bot.redis.connection import ERRORS, client_options
from bot.redis.keys import key
from bot.redis.outage import Outage

log = logging.getLogger(__name__)

STREAM = key("misses")
STREAM_MAXLEN = 100_000  # entries kept at most (approximately), whatever the retention
READ_PAGE = 5_000
_KINDS = frozenset({"out_of_scope", "low_confidence", "none_of_these"})


def encode(miss: Miss) -> dict[str, str]:
    """A stream entry's fields (strings; absent for None)."""
    fields = {"ts": repr(miss.ts), "lang": miss.lang, "kind": miss.kind, "score": repr(miss.score)}
    for name in ("intent", "text", "key"):
        value = getattr(miss, name)
        if value is not None:
            fields[name] = value
    return fields


def decode(fields: dict[bytes, bytes]) -> Miss | None:
    """The Miss in a stream entry; None for an entry this version can't read."""
    f = {k.decode(): v.decode("utf-8", "replace") for k, v in fields.items()}
    try:
        kind = f["kind"]
        if kind not in _KINDS:
            return None
        return Miss(
            ts=float(f["ts"]),
            lang=f["lang"],
            kind=kind,  # type: ignore[arg-type]
            intent=f.get("intent"),
            score=float(f["score"]),
            text=f.get("text"),
            key=f.get("key"),
        )
    except (KeyError, ValueError):
        return None


class MissStream(MissWriter):
    """Appends misses to the Redis stream at `url`; to the SQLite log at `fallback_path`
    while Redis is unreachable. `retention_days` and `keep_text` as for MissLog."""

    thread_name = "misses-stream"

    def __init__(
        self,
        url: str,
        fallback_path: Path,
        retention_days: int = 30,
        *,
        keep_text: bool = True,
        client: redis.Redis | None = None,
    ) -> None:
        super().__init__(keep_text=keep_text)
        self.url = url
        self.fallback_path = Path(fallback_path)
        self.retention_days = retention_days
        where = str(self.fallback_path).replace("%", "%%")
        self.outage = Outage(
            f"misses log: Redis unavailable, writing to {where} until it is back (%s)",
            "misses log: Redis back after %.1fs",
        )
        self._client = client
        self._fallback: MissLog | None = None
        self._start()

    # -- the writer thread -------------------------------------------------------

    def _run(self) -> None:
        client = self._client or redis.Redis.from_url(self.url, **client_options(sync=True))
        try:
            self._loop(client)
        finally:
            if self._fallback is not None:
                self._fallback.close()
            if self._client is None:
                client.close()

    def _loop(self, client: redis.Redis) -> None:
        next_purge = time.monotonic()  # at start, then once a day
        while True:
            next_purge = self._upkeep(client, next_purge)
            wake = self.outage.retry_at if self.outage.down else next_purge
            batch = self._next_batch(max(0.05, wake - time.monotonic()))
            if batch is None:
                return
            if batch:
                self._handle(client, batch)

    def _upkeep(self, client: redis.Redis, next_purge: float) -> float:
        """Look for Redis while it is down, apply the retention when due; the next purge time."""
        if self.outage.down and self.outage.due():
            self._ping(client)  # finds Redis again with no miss to write
        if not self.outage.down and next_purge <= time.monotonic() and self._purge(client):
            return time.monotonic() + PURGE_EVERY
        return next_purge

    def _handle(self, client: redis.Redis, batch: list[Miss | threading.Event | Stop]) -> None:
        """Write a batch; a flush waits for the fallback log's own writer too."""
        self._write(client, misses_in(batch))
        if self._fallback is not None and any(isinstance(i, threading.Event) for i in batch):
            self._fallback.flush()
        self._settle(batch)

    def _write(self, client: redis.Redis, misses: list[Miss]) -> None:
        if not misses:
            return
        if self.outage.due():
            try:
                pipe = client.pipeline(transaction=True)
                for miss in misses:
                    pipe.xadd(STREAM, encode(miss), maxlen=STREAM_MAXLEN, approximate=True)  # type: ignore[arg-type]
                pipe.execute()
            except ERRORS as exc:
                self.outage.failed(exc)
            else:
                self.outage.recovered()
                return
        fallback = self._fallback_log()
        for miss in misses:
            fallback.record(miss)

    def _ping(self, client: redis.Redis) -> None:
        try:
            client.ping()
        except ERRORS as exc:
            self.outage.failed(exc)
        else:
            self.outage.recovered()

    def _fallback_log(self) -> MissLog:
        """Opened on the first outage only: with Redis up, no file is created."""
        if self._fallback is None:
            self._fallback = MissLog(
                self.fallback_path, self.retention_days, keep_text=self.keep_text
            )
        return self._fallback

    def _purge(self, client: redis.Redis) -> bool:
        """Entries older than the retention go (exact: a daily trim can afford it)."""
        if self.retention_days <= 0:
            return True
        cutoff_ms = int((time.time() - self.retention_days * DAY) * 1000)
        try:
            client.xtrim(STREAM, minid=f"{cutoff_ms}-0", approximate=False)
        except ERRORS as exc:
            self.outage.failed(exc)
            return False
        self.outage.recovered()
        return True


def read_stream(url: str, client: redis.Redis | None = None) -> list[Miss]:
    """Every miss in the stream, oldest first; raises a redis error when Redis can't answer."""
    own = client is None
    client = client or redis.Redis.from_url(url, **client_options(sync=True))
    found: list[Miss] = []
    start = "-"
    try:
        while True:
            entries: list[tuple[bytes, dict[bytes, bytes]]] = client.xrange(
                STREAM, min=start, max="+", count=READ_PAGE
            )  # type: ignore[assignment]
            found.extend(m for _, fields in entries if (m := decode(fields)) is not None)
            if len(entries) < READ_PAGE:
                return found
            start = "(" + entries[-1][0].decode()
    finally:
        if own:
            client.close()
