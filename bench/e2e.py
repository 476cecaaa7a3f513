"""End to end: private-chat updates through a real bot process and the fake Bot API server.

The fake (tests/fakes) runs in this process on loopback; the bot is a subprocess that long-
polls it, exactly as it would poll Telegram. Every update comes from a different user in
their own private chat, so per-user throttling and per-chat send limits never hold an answer
back: the run measures the bot, not its limits. Latency is from the moment an update is
queued on the server (push) to the moment the matching sendMessage reaches the server.

Four processes, each against a fresh server:
- `technopolis-bot run` as shipped: start-up, and throughput under its 30 msg/s send limit;
- the same command with that global limit lifted (bench/bot_runner.py): the throughput run;
- a minimal aiogram echo bot (bench/echo_bot.py) the same way: the framework's floor;
- that echo bot set up like the bot (`--like-bot`: its session and garbage-collector
  settings): what the bot's own work costs once everything around it is the same, since
  those savings would help the echo bot too.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

from bench.speed import clean_env, cli, percentile

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fakes.bot_api import Call, FakeBotAPI  # noqa: E402
from fakes.updates import private_text  # noqa: E402

# The bot refuses a token that does not look like BotFather's.
TOKEN = "123456:" + "b" * 35
# bot.telegram.transport.Limits.global_rate; not imported: aiogram would load into this process.
SHIPPED_GLOBAL_RATE = 30.0
STARTUP_TIMEOUT = 60.0
IDLE_TIMEOUT = 10.0
STOP_TIMEOUT = 20.0
FIRST_USER = 10_000_000


class E2EError(RuntimeError):
    pass


@dataclass
class Run:
    """One bot process under load."""

    label: str
    startup_s: float  # process start to the answer to an update pushed before it
    idle_updates: int
    idle_p50_ms: float | None  # one update at a time
    idle_p99_ms: float | None
    load_updates: int
    concurrency: int
    answered: int
    throughput: float  # updates answered per second under load
    load_p50_ms: float
    load_p99_ms: float
    cpu_ms_per_update: float  # the bot process's user + system CPU during the load phase
    server_cpu_ms_per_update: float  # this process (the fake server) in the same phase
    peak_rss_mb: float
    rss_mb: float  # at the end of the load phase
    failed_sends: int  # sendMessage calls the server refused
    violations: int  # calls real Telegram would reject
    log_warnings: int  # WARNING/ERROR lines the process logged


class _CallLog(list[Call]):
    """FakeBotAPI.calls that reports each call as it is recorded, for arrival times."""

    def __init__(self, on_call: Callable[[Call], None]) -> None:
        super().__init__()
        self._on_call = on_call

    def append(self, call: Call) -> None:
        super().append(call)
        self._on_call(call)


class _Tracker:
    """Push time per private chat, and when its first answer arrived."""

    def __init__(self, fake: FakeBotAPI) -> None:
        self.fake = fake
        self.pushed: dict[int, float] = {}
        self.answered: dict[int, float] = {}
        self.failed = 0
        self.changed = asyncio.Event()
        fake.calls = _CallLog(self._on_call)

    def _on_call(self, call: Call) -> None:
        if call.method != "sendMessage":
            return
        if not call.ok:
            self.failed += 1
            return
        chat = int(call.params["chat_id"])
        if chat in self.pushed and chat not in self.answered:
            self.answered[chat] = time.perf_counter()
            self.changed.set()

    def push(self, update: dict[str, Any]) -> None:
        self.fake.push(update)
        self.pushed[_chat(update)] = time.perf_counter()

    def latency_ms(self, chats: list[int]) -> list[float]:
        return [1000 * (self.answered[c] - self.pushed[c]) for c in chats if c in self.answered]

    async def wait(self, proc: asyncio.subprocess.Process, deadline: float) -> None:
        """Until something was answered (the caller re-checks); fail if the bot died or hung."""
        if proc.returncode is not None:
            raise E2EError(f"the bot exited with {proc.returncode}")
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            raise E2EError("timed out waiting for answers")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.changed.wait(), min(remaining, 0.5))

    async def answer_to(
        self, update: dict[str, Any], proc: asyncio.subprocess.Process, timeout: float
    ) -> None:
        """Until `update` got its answer."""
        deadline = time.perf_counter() + timeout
        while _chat(update) not in self.answered:
            self.changed.clear()
            await self.wait(proc, deadline)


def _chat(update: dict[str, Any]) -> int:
    chat_id: int = update["message"]["chat"]["id"]
    return chat_id


def _updates(questions: list[tuple[str, str]], first_user: int, count: int) -> list[dict[str, Any]]:
    """`count` private messages, each from a new user, cycling through (text, lang) questions."""
    updates = []
    for i in range(count):
        text, lang = questions[i % len(questions)]
        updates.append(private_text(text, user_id=first_user + i, language_code=lang))
    return updates


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident set (VmHWM) on Linux; its current RSS elsewhere."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return psutil.Process(pid).memory_info().rss / 2**20


def _cpu_s(pid: int) -> float:
    times = psutil.Process(pid).cpu_times()
    return times.user + times.system


async def _stop(proc: asyncio.subprocess.Process) -> None:
    if proc.returncode is None:
        proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(proc.wait(), STOP_TIMEOUT)
        except TimeoutError:
            proc.kill()
            await proc.wait()


async def run_process(
    label: str,
    cmd: list[str],
    questions: list[tuple[str, str]],
    idle: int,
    load: int,
    concurrency: int,
    load_timeout: float,
) -> Run:
    """Start `cmd` against a fresh fake server, time its start-up, then load it."""
    fake = FakeBotAPI(token=TOKEN)
    await fake.start()
    try:
        return await _measure(fake, label, cmd, questions, idle, load, concurrency, load_timeout)
    finally:
        await fake.stop()


async def _measure(
    fake: FakeBotAPI,
    label: str,
    cmd: list[str],
    questions: list[tuple[str, str]],
    idle: int,
    load: int,
    concurrency: int,
    load_timeout: float,
) -> Run:
    tracker = _Tracker(fake)
    first = _updates(questions, FIRST_USER, 1)[0]
    idle_updates = _updates(questions, FIRST_USER + 1, idle)
    load_updates = _updates(questions, FIRST_USER + 1 + idle, load)
    env = clean_env(
        BOT_TOKEN=TOKEN,
        TELEGRAM_API_URL=fake.url,
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    # cwd: a directory without the repository's .env, which would override the defaults
    with tempfile.TemporaryDirectory(prefix="bench-") as cwd:
        log_path = Path(cwd) / "bot.log"
        with log_path.open("wb") as log:
            tracker.push(first)
            start = time.perf_counter()
            proc = await asyncio.create_subprocess_exec(
                *cmd, cwd=cwd, env=env, stdin=asyncio.subprocess.DEVNULL, stdout=log, stderr=log
            )
            try:
                await tracker.answer_to(first, proc, STARTUP_TIMEOUT)
                startup = tracker.answered[_chat(first)] - start
                for update in idle_updates:
                    tracker.push(update)
                    await tracker.answer_to(update, proc, IDLE_TIMEOUT)
                cpu_before, server_before = _cpu_s(proc.pid), time.process_time()
                load_start = time.perf_counter()
                await _closed_loop(tracker, proc, load_updates, concurrency, load_timeout)
                cpu = _cpu_s(proc.pid) - cpu_before
                server_cpu = time.process_time() - server_before
                rss = peak_rss_mb(proc.pid)
                rss_now = psutil.Process(proc.pid).memory_info().rss / 2**20
            except E2EError as exc:
                tail = log_path.read_text(errors="replace").splitlines()[-15:]
                raise E2EError(f"{label}: {exc}; its log ends:\n  " + "\n  ".join(tail)) from None
            finally:
                await _stop(proc)
        logged = log_path.read_text(errors="replace").splitlines()
    idle_ms = tracker.latency_ms([_chat(u) for u in idle_updates])
    load_chats = [_chat(u) for u in load_updates]
    load_ms = tracker.latency_ms(load_chats)
    last = max(tracker.answered[c] for c in load_chats)
    return Run(
        label=label,
        startup_s=startup,
        idle_updates=idle,
        idle_p50_ms=statistics.median(idle_ms) if idle_ms else None,
        idle_p99_ms=percentile(idle_ms, 99) if idle_ms else None,
        load_updates=load,
        concurrency=concurrency,
        answered=len(load_ms),
        throughput=len(load_ms) / (last - load_start),
        load_p50_ms=statistics.median(load_ms),
        load_p99_ms=percentile(load_ms, 99),
        cpu_ms_per_update=1000 * cpu / load,
        server_cpu_ms_per_update=1000 * server_cpu / load,
        peak_rss_mb=rss,
        rss_mb=rss_now,
        failed_sends=tracker.failed,
        violations=len(fake.violations),
        log_warnings=sum(" WARNING " in line or " ERROR " in line for line in logged),
    )


async def _closed_loop(
    tracker: _Tracker,
    proc: asyncio.subprocess.Process,
    updates: list[dict[str, Any]],
    concurrency: int,
    timeout: float,
) -> None:
    """Keep `concurrency` questions waiting for an answer until every update is answered."""
    chats = [_chat(u) for u in updates]
    deadline = time.perf_counter() + timeout
    sent = done = 0
    while True:
        tracker.changed.clear()
        while done < sent and chats[done] in tracker.answered:
            done += 1
        # Answers can come out of order: count the ones not yet answered among those sent.
        waiting = sum(c not in tracker.answered for c in chats[done:sent])
        if done == len(updates):
            return
        while sent < len(updates) and waiting < concurrency:
            tracker.push(updates[sent])
            sent += 1
            waiting += 1
        await tracker.wait(proc, deadline)


@dataclass
class E2E:
    shipped: Run  # `technopolis-bot run` as is: start-up, throughput at its send limit
    bot: Run  # the same with the global send limit lifted
    echo: Run  # the floor: a minimal aiogram echo bot
    echo_like_bot: Run  # the echo bot set up like the bot
    # Throughput ratios bot/echo and bot/echo-set-up-like-the-bot, one pair per round; the
    # runs above are the round with the median first ratio.
    rounds: list[tuple[float, float]]
    shipped_limit: float = SHIPPED_GLOBAL_RATE


async def _e2e(
    questions: list[tuple[str, str]],
    updates: int,
    idle: int,
    shipped_updates: int,
    rounds: int,
) -> E2E:
    """The shipped run once, then `rounds` rounds of bot, echo bot, echo bot set up like the
    bot, back to back: a shared machine drifts, and a round's three runs see the same
    drift, so ratios are taken within a round."""
    concurrency = 100  # aiogram's getUpdates batch and its session's connection pool
    py = sys.executable
    shipped = await run_process(
        "technopolis-bot run",
        [cli(), "run", "--require-token"],
        questions,
        0,
        shipped_updates,
        concurrency,
        60 + shipped_updates / 20,
    )
    commands = [
        ("technopolis-bot run (global limit lifted)", [py, "-m", "bench.bot_runner"]),
        ("echo bot", [py, "-m", "bench.echo_bot"]),
        ("echo bot set up like the bot", [py, "-m", "bench.echo_bot", "--like-bot"]),
    ]
    done: list[tuple[Run, Run, Run]] = []
    for _ in range(rounds):
        bot, echo, like = [
            await run_process(label, cmd, questions, idle, updates, concurrency, 240)
            for label, cmd in commands
        ]
        done.append((bot, echo, like))
    ratios = [(b.throughput / e.throughput, b.throughput / k.throughput) for b, e, k in done]
    order = sorted(range(len(done)), key=lambda i: ratios[i][0])
    bot, echo, like = done[order[len(order) // 2]]
    return E2E(shipped, bot, echo, like, ratios)


def e2e(
    questions: list[tuple[str, str]],
    updates: int,
    idle: int,
    shipped_updates: int,
    rounds: int = 1,
) -> E2E:
    return asyncio.run(_e2e(questions, updates, idle, shipped_updates, rounds))
