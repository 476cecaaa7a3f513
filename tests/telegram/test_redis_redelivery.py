"""Webhook replicas sharing Redis answer every update exactly once: through a redelivery to
the other replica, and through a rolling restart in the middle of a burst.

Two `technopolis-bot run` processes in webhook mode, one redis-server, the fake Bot API. The
test is Telegram and the load balancer together: it delivers each update to a replica in
turn and, when a delivery is not answered 200 (503 while a replica stops, a refused
connection once it has), delivers it again to the next one, as Telegram and Caddy do.
"""

from __future__ import annotations

import asyncio
import itertools
import signal
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import aiohttp
import pytest
import pytest_asyncio
from fakes import updates
from fakes.bot_api import FakeBotAPI
from procs import STARTUP_TIMEOUT, TOKEN, reap, spawn_bot
from redis_harness import RedisServer, free_port

SECRET = "redelivery_Secret-7"
HEADER = "X-Telegram-Bot-Api-Secret-Token"
QUESTIONS = (  # three facts, three different answers: a doubled answer shows as a repeat
    "Каков объём экспорта резидентов?",
    "Во сколько стран экспортировали продукцию?",
    "Сколько компаний являются резидентами технополиса?",
)
USERS, PER_USER = 100, 3
CONNECTIONS = 40  # Telegram's default max_connections: deliveries at once
STOP_AFTER = 3.0
STOP_WITHIN = 10.0
ALL_ANSWERED_WITHIN = 60.0

pytestmark = pytest.mark.asyncio(loop_scope="module")


@dataclass
class Replica:
    name: str
    port: int
    root: Path
    proc: asyncio.subprocess.Process | None = None
    log_file: BinaryIO | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/tg"

    @property
    def log_path(self) -> Path:
        return self.root / "bot.log"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    async def start(self, api: FakeBotAPI, redis: RedisServer) -> None:
        """A fresh process on this replica's port (its log appended), ready when /healthz is."""
        self.log_file = self.log_path.open("ab")
        self.proc = await spawn_bot(
            api,
            self.root,
            stderr=self.log_file,
            WEBHOOK_URL=self.url,
            WEBHOOK_HOST="127.0.0.1",
            WEBHOOK_PORT=str(self.port),
            WEBHOOK_SECRET=SECRET,
            REDIS_URL=redis.url,
            DATA_DIR=str(self.root / "data"),
            LOG_LEVEL="INFO",
        )
        deadline = time.monotonic() + STARTUP_TIMEOUT
        async with aiohttp.ClientSession() as http:
            while True:  # /healthz is on by default in webhook mode: what Docker checks too
                try:
                    async with http.get(f"http://127.0.0.1:{self.port}/healthz") as resp:
                        if resp.status == 200:
                            return
                except aiohttp.ClientConnectionError:
                    pass
                assert time.monotonic() < deadline, f"{self.name} not healthy\n{self.log()}"
                await asyncio.sleep(0.1)

    async def stop(self) -> float:
        """SIGTERM; seconds until it exited (cleanly: asserted)."""
        assert self.proc is not None
        started = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(self.proc.wait(), STOP_WITHIN + 5)
        elapsed = time.monotonic() - started
        assert self.log_file is not None
        self.log_file.close()
        assert code == 0, self.log()[-3000:]
        assert "Traceback" not in self.log(), self.log()[-3000:]
        return elapsed


class Telegram:
    """Delivers updates to the replicas in turn, again to the next one until one says 200."""

    def __init__(self, http: aiohttp.ClientSession, replicas: list[Replica]) -> None:
        self.http = http
        self.replicas = replicas
        self._turn = itertools.cycle(range(len(replicas)))
        self.redeliveries = 0
        self.acknowledged: dict[int, str] = {}  # update_id -> the replica that said 200

    async def post(self, replica: Replica, update: dict[str, Any]) -> int:
        try:
            async with self.http.post(replica.url, json=update, headers={HEADER: SECRET}) as resp:
                return resp.status
        except aiohttp.ClientConnectionError:
            return 0

    async def deliver(self, update: dict[str, Any]) -> None:
        while True:
            replica = self.replicas[next(self._turn)]
            status = await self.post(replica, update)
            if status == 200:
                self.acknowledged[update["update_id"]] = replica.name
                return
            assert status in (0, 503), f"{replica.name} answered {status}"
            self.redeliveries += 1
            await asyncio.sleep(0.1)


@dataclass
class Cluster:
    api: FakeBotAPI
    redis: RedisServer
    a: Replica
    b: Replica


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def cluster(
    redis_module: RedisServer, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Cluster]:
    root = tmp_path_factory.mktemp("redelivery")
    a = Replica("a", free_port(), root / "a")
    b = Replica("b", free_port(), root / "b")
    for replica in (a, b):
        replica.root.mkdir()
    async with FakeBotAPI(token=TOKEN) as api:
        try:
            await asyncio.gather(a.start(api, redis_module), b.start(api, redis_module))
            yield Cluster(api, redis_module, a, b)
            for replica in (a, b):
                await replica.stop()
        finally:
            for replica in (a, b):
                if replica.proc is not None:
                    await reap(replica.proc)
    assert api.violations == [], "Bot API violations:\n" + "\n".join(api.violations)


_update_ids = itertools.count(50_001)


def question(user_id: int, text: str = QUESTIONS[0]) -> dict[str, Any]:
    return {"update_id": next(_update_ids), **updates.private_text(text, user_id=user_id)}


async def test_an_update_delivered_to_each_replica_is_answered_once(cluster: Cluster) -> None:
    one, both = question(901), question(902)
    async with aiohttp.ClientSession() as http:
        telegram = Telegram(http, [cluster.a, cluster.b])
        assert await telegram.post(cluster.a, one) == 200
        assert await telegram.post(cluster.b, one) == 200  # the redelivery: taken already
        assert await telegram.post(cluster.a, one) == 200  # and again to the first one
        statuses = await asyncio.gather(
            telegram.post(cluster.a, both), telegram.post(cluster.b, both)
        )
        assert statuses == [200, 200]
    await asyncio.sleep(0.5)  # a second answer would have come by now
    assert len(cluster.api.sent_messages(901)) == 1
    assert len(cluster.api.sent_messages(902)) == 1
    with cluster.redis.client() as client:  # remembered in Redis, with an expiry
        ttl = client.ttl(f"technopolis-bot:update:{TOKEN.split(':')[0]}:{one['update_id']}")
        assert 23 * 3600 < ttl <= 25 * 3600


async def test_a_replica_restarted_mid_burst_loses_and_doubles_nothing(
    cluster: Cluster,
) -> None:
    """300 questions (100 users x 3) at Telegram's 40 connections; A gets SIGTERM 3 s in,
    and a fresh A comes up on its port once it has exited, as a rolling deploy does."""
    api = cluster.api
    users = range(910_001, 910_001 + USERS)
    burst = [question(u, QUESTIONS[r]) for r in range(PER_USER) for u in users]
    before = len(api.sent_messages())
    async with aiohttp.ClientSession() as http:
        telegram = Telegram(http, [cluster.a, cluster.b])
        slots = asyncio.Semaphore(CONNECTIONS)

        async def deliver(update: dict[str, Any]) -> None:
            async with slots:
                await telegram.deliver(update)

        deliveries = asyncio.gather(*(deliver(u) for u in burst))
        await asyncio.sleep(STOP_AFTER)
        answered_at_stop = len(api.sent_messages()) - before
        stop_time = await cluster.a.stop()
        await cluster.a.start(api, cluster.redis)
        await asyncio.wait_for(deliveries, ALL_ANSWERED_WITHIN)
    await api.wait_for("sendMessage", before + len(burst), timeout=ALL_ANSWERED_WITHIN)
    await asyncio.sleep(1.5)  # anything doubled would have come by now
    wrong = {}
    for user in users:
        texts = [m["text"] for m in api.sent_messages(user)]
        if len(texts) != PER_USER or len(set(texts)) != PER_USER:
            wrong[user] = texts
    assert not wrong, f"{len(wrong)} chat(s) not answered once per question: {list(wrong.items())[:2]}"  # fmt: skip
    assert len(api.sent_messages()) - before == len(burst)
    assert 0 < answered_at_stop < len(burst), "the stop must come in the middle of the burst"
    assert telegram.redeliveries > 0, "no delivery reached A while it was stopping"
    assert stop_time < STOP_WITHIN, f"A took {stop_time:.1f}s to stop"
    by_replica = {name: list(telegram.acknowledged.values()).count(name) for name in ("a", "b")}
    print(
        f"answered {answered_at_stop} before the stop; A stopped in {stop_time:.1f}s; "
        f"{telegram.redeliveries} redeliveries; acknowledged by {by_replica}"
    )
