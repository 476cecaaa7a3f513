"""Long polling that never acknowledges an update it has not finished.

aiogram's `start_polling` moves the getUpdates offset past every update it has fetched, then
handles them as tasks; an update still waiting for its reply at a stop (the outgoing limit
of 30 messages a second makes a backlog wait) was acknowledged and dropped: lost. Here:

- at most `in_flight_limit` updates are handled at once; the rest stay in Telegram's queue;
- the offset sent with each getUpdates is the first update taken and not yet finished
  (answered, ignored, or failed after its retries), so Telegram keeps everything from there;
- on a stop no more is fetched, updates in flight get until SHUTDOWN_TIMEOUT (an update that
  could not send its first message by then is given back, unanswered: delivery.py), the
  offset is confirmed one last time, and the rest stays queued for the next process;
- Telegram's offset can only confirm a prefix, so updates finished *after* one given back
  are written to DATA_DIR/polling-done-<bot id>.json; the next process skips them instead
  of answering them again.
- One slow update (a long flood wait, a minute of 5xx retries) must not hold the whole bot:
  the offset can only move past it, and getUpdates returns at most 100 updates from the
  offset. When one has been in flight for PARK_AFTER seconds with a full queue behind it, it
  is *parked*: written (fsync) to DATA_DIR/polling-parked-<bot id>.json, then the offset
  moves past it. It is still handled by this process; a parked update that did not finish
  before the process ended is handled by the next one, from that file. This is the only
  case the offset passes an unfinished update, and only once it is on disk.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.dispatcher.dispatcher import DEFAULT_BACKOFF_CONFIG
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.methods import GetUpdates
from aiogram.types import Update
from aiogram.utils.backoff import Backoff

from bot.telegram.delivery import GivenBack, Stopping, finish_in_flight, handle_update

log = logging.getLogger(__name__)

LONG_POLL = 10  # seconds a getUpdates waits for news when nothing is in flight (aiogram's)
BATCH = 100  # updates per getUpdates: Telegram's maximum
# Longest wait between polls while the queue holds only updates already taken: an update
# arriving meanwhile waits this long at most (a long poll cannot wait for *new* updates while
# unconfirmed ones are queued: it returns those at once).
PAUSE = 0.1
ROOM_WAIT = 0.1  # longest wait for a quarter of the room once the limit is reached
MIN_GAP = 0.02  # shortest gap between two such polls in a row: not one poll per finished update
CONFIRM_TIMEOUT = 2.0  # the last getUpdates, confirming the offset at a stop
KEEP_DONE = 24 * 3600  # Telegram keeps an unconfirmed update this long
PARK_AFTER = 0.5  # seconds in flight, with the queue full behind it, before an update is parked


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        path.unlink()


def _write_whole(path: Path, content: dict[str, Any], *, sync: bool = False) -> None:
    """A crash leaves the old file or the new one, never half of one (written aside, then
    renamed over it); `sync` makes it survive a power cut too (fsync before the rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    body = json.dumps(content)
    with tmp.open("w", encoding="utf-8") as fh:
        fh.write(body)
        if sync:
            fh.flush()
            os.fsync(fh.fileno())
    os.replace(tmp, path)


def done_file(data_dir: Path, bot_id: int) -> Path:
    return data_dir / f"polling-done-{bot_id}.json"


def load_done(path: Path) -> set[int]:
    """Update ids the previous process finished but could not confirm.

    The file stays until this process's stop rewrites it (with those not seen again), so a
    crash before then does not get them answered twice. A file older than Telegram's 24
    hours of keeping updates names none that can come back.
    """
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
        ids = set(saved["done"]) if time.time() - saved["written"] < KEEP_DONE else set()
    except (OSError, ValueError, KeyError, TypeError):
        return set()
    return {i for i in ids if isinstance(i, int)}


def save_done(path: Path, ids: set[int]) -> None:
    """Best effort: without the file the next process answers these again, which beats
    failing the stop."""
    if not ids:
        _remove(path)
        return
    try:
        _write_whole(path, {"written": time.time(), "done": sorted(ids)})
    except OSError as exc:
        log.warning(
            "cannot keep the finished update ids in %s (%s): they may be answered again",
            path,
            exc,
        )


def parked_file(data_dir: Path, bot_id: int) -> Path:
    return data_dir / f"polling-parked-{bot_id}.json"


def load_parked(path: Path) -> dict[int, dict[str, Any]]:
    """The updates a previous process parked and did not finish, by update_id."""
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
        if time.time() - saved["written"] >= KEEP_DONE:
            return {}
        return {int(raw["update_id"]): raw for raw in saved["updates"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def save_parked(path: Path, parked: dict[int, dict[str, Any]]) -> None:
    """On disk (fsync'd) before the offset moves past them, or it raises OSError: once the
    offset has passed them, this file is their only copy."""
    if not parked:
        _remove(path)
        return
    _write_whole(path, {"written": time.time(), "updates": list(parked.values())}, sync=True)


@dataclass
class _InFlight:
    update: Update  # kept to be parked if it takes too long
    task: asyncio.Task[None]
    since: float  # loop time it started


class _FetchBackoff:
    """The getUpdates retry of aiogram's `Dispatcher._listen_updates` (its delays and log
    lines), except that a stop cuts the wait short."""

    def __init__(self, stop: asyncio.Event) -> None:
        self.stop = stop
        self.backoff = Backoff(config=DEFAULT_BACKOFF_CONFIG)
        self.failing = False

    async def failed(self, exc: Exception) -> None:
        self.failing = True
        log.error("Failed to fetch updates - %s: %s", type(exc).__name__, exc)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stop.wait(), next(self.backoff))

    def succeeded(self) -> None:
        if self.failing:
            log.info("Connection established (tryings = %d)", self.backoff.counter)
            self.backoff.reset()
            self.failing = False


class Poller:
    """getUpdates in a loop; each update is handled in a task of its own (see the module doc)."""

    def __init__(
        self,
        bot: Bot,
        dp: Dispatcher,
        stopping: Stopping,
        *,
        capacity: int,
        allowed_updates: list[str],
        done_path: Path | None = None,
        parked_path: Path | None = None,
    ) -> None:
        self.bot, self.dp, self.stopping = bot, dp, stopping
        self.capacity = capacity
        self.allowed_updates = allowed_updates
        self.done_path = done_path
        # Finished by the previous process, not confirmed: skipped if Telegram sends them.
        self.skip = load_done(done_path) if done_path is not None else set()
        self.parked_path = parked_path
        # Parked (see the module doc) and not finished yet: the raw updates, on disk.
        self.parked = load_parked(parked_path) if parked_path is not None else {}
        self.skip |= set(self.parked)  # handled from the file, not again if Telegram has it
        # Taken and not yet confirmed, in update_id order: False while in flight or given
        # back, True once finished.
        self.taken: dict[int, bool] = {}
        self.in_flight: dict[int, _InFlight] = {}
        self.given_back: set[int] = set()
        self._finished = asyncio.Event()
        self._finishes = 0  # counts finished updates: a wait starts from a count, never misses one
        self._idle_polls = 0  # polls in a row that brought nothing new while updates were taken
        # What feed_update adds to dp.workflow_data (which it merges itself) for each update:
        # a copy of that data here would hide what start-up puts there later (the misses log).
        self._feed_data: dict[str, Any] = {"bots": [bot]}

    @property
    def workflow_data(self) -> dict[str, Any]:
        """For the start-up and shutdown hooks, as aiogram's start_polling passes it: read
        when the hooks run, not when the poller was built."""
        data = {"dispatcher": self.dp, "bots": [self.bot], **self.dp.workflow_data}
        data.pop("bot", None)
        return data

    # ---------------------------------------------------------------- the offset

    def offset(self) -> int | None:
        """The first update taken and not finished, or the one after the last taken; Telegram
        drops everything before it."""
        for update_id, finished in self.taken.items():
            if not finished and update_id not in self.parked:
                return update_id
        return max(self.taken) + 1 if self.taken else None

    def _confirmed(self, offset: int | None) -> None:
        """Telegram has dropped every update before `offset`: forget them."""
        if offset is None:
            return
        for update_id in [u for u in self.taken if u < offset]:
            del self.taken[update_id]

    # ---------------------------------------------------------------- handling

    def _take(self, update: Update) -> None:
        update_id = update.update_id
        self.taken[update_id] = False
        if update_id in self.skip:  # finished by the previous process
            self.skip.discard(update_id)
            self.taken[update_id] = True
            log.info("update %d was handled before the restart: skipped", update_id)
            return
        self._start(update)

    def _start(self, update: Update) -> None:
        since = asyncio.get_running_loop().time()
        task = asyncio.create_task(self._handle(update))
        self.in_flight[update.update_id] = _InFlight(update, task, since)

    def _resume_parked(self) -> None:
        """The updates the previous process parked and did not finish: handled first."""
        for update_id, raw in list(self.parked.items()):
            try:
                update = Update.model_validate(raw, context={"bot": self.bot})
            except ValueError:
                log.warning("parked update %d unreadable: dropped", update_id)
                del self.parked[update_id]
                continue
            log.info("update %d parked by the previous process: handling it", update_id)
            self._start(update)

    def _stuck(self) -> list[int]:
        """The updates holding the offset back for PARK_AFTER seconds, in update_id order."""
        now = asyncio.get_running_loop().time()
        return [u for u, finished in self.taken.items() if not finished and self._overdue(u, now)]

    def _overdue(self, update_id: int, now: float) -> bool:
        flight = self.in_flight.get(update_id)
        return (
            flight is not None and update_id not in self.parked and now - flight.since >= PARK_AFTER
        )

    def _park(self) -> bool:
        """Park the stuck updates; False if there are none or they could not be written (then
        the offset waits for them, as it would without parking)."""
        if self.parked_path is None:
            return False
        stuck = self._stuck()
        if not stuck:
            return False
        for update_id in stuck:
            self.parked[update_id] = self.in_flight[update_id].update.model_dump(
                mode="json", by_alias=True, exclude_unset=True
            )
        try:
            save_parked(self.parked_path, self.parked)
        except OSError as exc:
            for update_id in stuck:
                del self.parked[update_id]
            log.warning("cannot park updates in %s (%s): the offset waits", self.parked_path, exc)
            return False
        log.info("%d slow update(s) parked so the queue behind them moves on", len(stuck))
        return True

    def _unpark(self, update_id: int) -> None:
        if self.parked.pop(update_id, None) is not None and self.parked_path is not None:
            try:
                save_parked(self.parked_path, self.parked)
            except OSError as exc:  # it stays in the old file: handled again after a restart
                log.warning("cannot rewrite %s (%s)", self.parked_path, exc)

    async def _handle(self, update: Update) -> None:
        update_id = update.update_id
        finished = False  # cut short at a stop (cancelled): not finished, handled again later
        try:
            response = await handle_update(
                self.dp, self.bot, update, self.stopping, self._feed_data
            )
            if response is UNHANDLED:
                log.debug("update %d not handled (nothing is sent for it)", update_id)
            finished = True
        except GivenBack:
            self.given_back.add(update_id)
        except Exception:  # a bug below the middlewares: never retried forever
            finished = True
            log.exception("update %d failed", update_id)
        finally:
            self._settle(update_id, finished)

    def _settle(self, update_id: int, finished: bool) -> None:
        """Out of flight: the offset may pass it only if `finished` (else it stays queued)."""
        self.in_flight.pop(update_id, None)
        if update_id in self.taken:
            self.taken[update_id] = finished
        if finished:
            self._unpark(update_id)
        self._finishes += 1
        self._finished.set()

    async def _wait_finished(self, timeout: float, seen: int | None = None) -> None:
        """Until an update finishes (one since the count `seen`, if given), or `timeout`."""
        if seen is not None and self._finishes != seen:
            return
        self._finished.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._finished.wait(), timeout)

    # ---------------------------------------------------------------- the loop

    async def run(self, stop: asyncio.Event) -> None:
        """Poll until `stop` is set; the caller then calls `finish`."""
        stopped = asyncio.create_task(stop.wait())
        backoff = _FetchBackoff(stop)
        self._resume_parked()
        try:
            while not stop.is_set():
                if len(self.in_flight) >= self.capacity:
                    await self._wait_room(stopped)
                    continue
                seen = self._finishes
                updates = await self._fetch(stopped, backoff)
                if updates is not None:
                    await self._take_batch(updates, seen)
        finally:
            stopped.cancel()

    async def _wait_room(self, stopped: asyncio.Task[Any]) -> None:
        """Full: wait until a quarter of the room is free, or ROOM_WAIT passed and some is,
        so a backlog is fetched in batches rather than one poll per finished update."""
        loop = asyncio.get_running_loop()
        until = loop.time() + ROOM_WAIT
        while not stopped.done() and len(self.in_flight) > self.capacity * 3 // 4:
            if len(self.in_flight) < self.capacity and loop.time() >= until:
                return
            finished = asyncio.create_task(self._wait_finished(ROOM_WAIT))
            await asyncio.wait({finished, stopped}, return_when=asyncio.FIRST_COMPLETED)
            finished.cancel()

    async def _fetch(
        self, stopped: asyncio.Task[Any], backoff: _FetchBackoff
    ) -> list[Update] | None:
        """One getUpdates (a long poll only while nothing is taken). None if the stop came
        first (what it would have brought stays queued) or it failed (after the backoff)."""
        poll = asyncio.create_task(self._get_updates(0 if self.taken else LONG_POLL))
        await asyncio.wait({poll, stopped}, return_when=asyncio.FIRST_COMPLETED)
        if not poll.done():
            poll.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await poll
            return None
        try:
            updates = poll.result()
        except Exception as exc:
            await backoff.failed(exc)
            return None
        backoff.succeeded()
        return updates

    async def _get_updates(self, timeout: int) -> list[Update]:
        offset = self.offset()
        method = GetUpdates(
            offset=offset, limit=BATCH, timeout=timeout, allowed_updates=self.allowed_updates
        )
        kwargs = {}
        if self.bot.session.timeout:  # wait longer than the long poll itself (as aiogram)
            kwargs["request_timeout"] = int(self.bot.session.timeout + timeout)
        updates = await self.bot(method, **kwargs)
        self._confirmed(offset)
        return updates

    async def _take_batch(self, updates: list[Update], seen: int) -> None:
        """Start the new updates there is room for; the others stay in Telegram's queue."""
        fresh = [u for u in updates if u.update_id not in self.taken]
        for update in fresh[: self.capacity - len(self.in_flight)]:
            self._take(update)
        if fresh or not self.taken:
            self._idle_polls = 0
            return
        # Only updates already taken came back. A full batch means more are queued behind
        # them: a slow one holds the offset, park it.
        if len(updates) >= BATCH and self._park():
            return
        await self._pause_before_repoll(seen)

    async def _pause_before_repoll(self, seen: int) -> None:
        """The queue holds only what is taken already: poll again once one of them finished
        (the offset may move), or after PAUSE; MIN_GAP keeps it from one poll per update."""
        if self._idle_polls:
            await asyncio.sleep(MIN_GAP)
        self._idle_polls += 1
        if self.in_flight:
            await self._wait_finished(PAUSE, seen)

    # ---------------------------------------------------------------- the stop

    async def finish(self, timeout: float) -> None:
        """At a stop: let updates in flight finish (or give themselves back) within `timeout`,
        confirm the offset, and keep what Telegram's offset cannot express."""
        self.stopping.begin()
        await finish_in_flight([flight.task for flight in self.in_flight.values()], timeout)
        if self.given_back:
            log.info("shutdown: %d update(s) left for the next process", len(self.given_back))
        await self._confirm_offset()
        self._keep_parked()
        self._keep_done()

    async def _confirm_offset(self) -> None:
        """The last getUpdates, so Telegram drops what was finished; an unreachable API only
        means the next process confirms it (the done-file keeps it from being answered again)."""
        offset = self.offset()
        if offset is None:
            return
        method = GetUpdates(offset=offset, limit=1, timeout=0, allowed_updates=self.allowed_updates)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.bot(method), CONFIRM_TIMEOUT)
            self._confirmed(offset)

    def _keep_parked(self) -> None:
        if self.parked_path is None or not self.parked:
            return
        log.info("shutdown: %d parked update(s) left for the next process", len(self.parked))
        with contextlib.suppress(OSError):
            save_parked(self.parked_path, self.parked)

    def _keep_done(self) -> None:
        """What the offset could not confirm: finished after one given back, or all of them if
        the last getUpdates failed. The next process skips these."""
        if self.done_path is None:
            return
        done = {u for u, finished in self.taken.items() if finished}
        save_done(self.done_path, done | self.skip)
