"""The answer path's side of the misses log: `record` only queues, a thread of its own writes.

Shared by the SQLite log (sqlite.py) and the Redis stream (redis.py): the same promises
(never block, never raise, bounded memory, flush and close wait for the writer) in one place.
"""

from __future__ import annotations

import logging
import queue
import threading
from concurrent.futures import Future
from dataclasses import replace
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from bot.misses.record import Miss

log = logging.getLogger(__name__)

MAX_TEXT = 1000  # characters of a question kept; longer ones are cut
MAX_PENDING = 10_000  # queued records beyond this are dropped (the disk is stuck), not held
BATCH = 256  # records written together at most


class Stop:
    """Queue marker: write what is left, then the writer thread ends."""


STOP = Stop()


# what the writer thread takes: a record, a flush's event, an answer's wait (written), the stop
Item: TypeAlias = "Miss | threading.Event | Future[None] | Stop"


class MissWriter:
    """Subclasses start the thread with `_start()` and implement `_run()`, which reads
    `_next_batch()` until it returns None and hands each batch to `_settle()`.
    """

    thread_name = "misses-writer"

    def __init__(self, *, keep_text: bool = True) -> None:
        self.keep_text = keep_text
        self.dropped = 0
        self._queue: queue.SimpleQueue[Item] = queue.SimpleQueue()
        self._closed = False
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name=self.thread_name, daemon=True)

    def _start(self) -> None:
        self._thread.start()

    def _run(self) -> None:
        raise NotImplementedError

    # -- the answer path: never blocks, never raises ---------------------------

    def record(self, miss: Miss) -> None:
        """Queue `miss` for writing and return at once."""
        if self._closed or not self._thread.is_alive():
            self.dropped += 1
            return
        if self._queue.qsize() >= MAX_PENDING:
            self.dropped += 1
            if self.dropped == 1 or self.dropped % 1000 == 0:
                log.warning("misses log: writer is behind, %d record(s) dropped", self.dropped)
            return
        text = miss.text[:MAX_TEXT] if self.keep_text and miss.text is not None else None
        self._queue.put(replace(miss, text=text))

    def written(self) -> Future[None]:
        """Done once everything recorded so far is written, so a reply can wait for its miss
        (bounded: the answer path never waits on a stuck disk for long); done at once when
        nothing will be written."""
        done: Future[None] = Future()
        if self._closed or not self._thread.is_alive():
            done.set_result(None)
        else:
            self._queue.put(done)
        return done

    # -- shutdown and tests ------------------------------------------------------

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until everything recorded so far is written; False on timeout."""
        if not self._thread.is_alive():
            return self._queue.empty()
        done = threading.Event()
        self._queue.put(done)
        return done.wait(timeout)

    def close(self, timeout: float = 5.0) -> bool:
        """Write what is queued, stop the thread."""
        if not self._closed:
            self._closed = True
            self._queue.put(STOP)
        self._thread.join(timeout)
        return not self._thread.is_alive()

    # -- the writer thread -------------------------------------------------------

    def _next_batch(self, timeout: float) -> list[Item] | None:
        """Up to BATCH queued items: [] when `timeout` passed with none, None once stopped
        and drained (the writer should then finish)."""
        try:
            if self._stopping:
                first = self._queue.get_nowait()
            else:
                first = self._queue.get(timeout=max(0.0, timeout))
        except queue.Empty:
            return None if self._stopping else []
        batch = [first]
        while len(batch) < BATCH:
            try:
                batch.append(self._queue.get_nowait())
            except queue.Empty:
                break
        return batch

    def _settle(self, batch: list[Item]) -> None:
        """After a batch is written: wake who flushed, and note a stop request."""
        for item in batch:
            if isinstance(item, threading.Event):
                item.set()
            elif isinstance(item, Future) and not item.done():
                item.set_result(None)
        self._stopping = self._stopping or any(isinstance(item, Stop) for item in batch)


def misses_in(batch: list[Item]) -> list[Miss]:
    return [item for item in batch if not isinstance(item, threading.Event | Future | Stop)]
