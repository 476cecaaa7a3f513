"""Two replicas behind a load balancer: two `technopolis-bot run` processes in webhook mode
sharing one redis-server and one fake Bot API. The test is the load balancer: it posts each
update, with the secret header, to replica A or B as it chooses.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import signal
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from fakes import updates
from fakes.bot_api import FakeBotAPI
from fakes.spec import check_object
from procs import STARTUP_TIMEOUT, TOKEN, reap, spawn_bot
from redis_harness import RedisServer, free_port

from bot.cli import main
from bot.misses.redis import read_stream
from bot.misses.sqlite import misses_path, read

SECRET = "replicas_Secret-42"
HEADER = "X-Telegram-Bot-Api-Secret-Token"
STOP_TIMEOUT = 10.0
THROTTLE_RATE, THROTTLE_BURST = 0.2, 5  # a token every 5 s: a short flood gets the burst only
FACT_RU = "Каков объём экспорта резидентов?"
FACT_RU_TEXT = "1,2 млрд рублей"
FACT_EN_TEXT = "1.2 billion roubles"
LINK_DOWN = "Redis unavailable, using in-process limits"
LINK_BACK = "bot.redis: Redis back"

_update_ids = itertools.count(1)


@dataclass
class Replica:
    """One bot process, its webhook and its log (a file: a pipe nobody reads would fill)."""

    name: str
    port: int
    data_dir: Path
    log_path: Path
    proc: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/tg"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@dataclass
class Cluster:
    api: FakeBotAPI
    redis: RedisServer
    a: Replica
    b: Replica
    http: aiohttp.ClientSession
    replicas: list[Replica] = field(init=False)

    def __post_init__(self) -> None:
        self.replicas = [self.a, self.b]

    async def post(self, replica: Replica, update: dict[str, Any]) -> None:
        """What Telegram (through the load balancer) does: POST the update with the secret."""
        update = {"update_id": next(_update_ids), **update}
        assert check_object("Update", update) == []
        async with self.http.post(replica.url, json=update, headers={HEADER: SECRET}) as resp:
            assert resp.status == 200, await resp.text()

    def messages(self, chat_id: int) -> list[str]:
        return [m["text"] for m in self.api.sent_messages(chat_id)]

    async def reply(self, replica: Replica, text: str, user_id: int) -> str:
        """Post a private message through `replica`; the one message the bot sends back."""
        before = len(self.api.sent_messages(user_id))
        await self.post(replica, updates.private_text(text, user_id=user_id))
        calls = await self.api.wait_for(
            "sendMessage", before + 1, predicate=lambda c: c.params["chat_id"] == user_id
        )
        return calls[before].result["text"]

    async def wait_in_logs(self, text: str, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while not all(text in r.log() for r in self.replicas):
            assert time.monotonic() < deadline, f"{text!r} not in both logs"
            await asyncio.sleep(0.1)


def replica_env(replica: Replica, redis: RedisServer) -> dict[str, str]:
    return {
        "WEBHOOK_URL": replica.url,
        "WEBHOOK_HOST": "127.0.0.1",
        "WEBHOOK_PORT": str(replica.port),
        "WEBHOOK_SECRET": SECRET,
        "REDIS_URL": redis.url,
        "DATA_DIR": str(replica.data_dir),
        "THROTTLE_RATE": str(THROTTLE_RATE),
        "THROTTLE_BURST": str(THROTTLE_BURST),
        "SHUTDOWN_TIMEOUT": "3",
        "LOG_LEVEL": "INFO",
    }


# One cluster for the module: starting two bots is most of these tests' time. Each test uses
# users of its own; the Redis outage test comes last and leaves Redis running again.
pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def cluster(
    redis_module: RedisServer, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Cluster]:
    """Replicas A and B, started together, each registered its webhook; stopped with SIGTERM
    at teardown, which must end both cleanly (exit 0, no traceback)."""
    root = tmp_path_factory.mktemp("replicas")
    replicas = []
    for name in ("a", "b"):
        (root / name).mkdir()
        replicas.append(Replica(name, free_port(), root / name / "data", root / name / "bot.log"))
    logs = [r.log_path.open("wb") for r in replicas]
    async with FakeBotAPI(token=TOKEN) as api:
        try:
            for replica, log in zip(replicas, logs, strict=True):
                replica.proc = await spawn_bot(
                    api, replica.log_path.parent, stderr=log, **replica_env(replica, redis_module)
                )
            for replica in replicas:
                await api.wait_for(
                    "setWebhook",
                    timeout=STARTUP_TIMEOUT,
                    predicate=lambda c, url=replica.url: c.params["url"] == url,
                )
            async with aiohttp.ClientSession() as http:
                yield Cluster(api, redis_module, replicas[0], replicas[1], http)
            for replica in replicas:
                assert replica.proc is not None
                replica.proc.send_signal(signal.SIGTERM)
            for replica in replicas:
                assert replica.proc is not None
                code = await asyncio.wait_for(replica.proc.wait(), STOP_TIMEOUT)
                assert code == 0, replica.log()[-3000:]
                assert "Traceback" not in replica.log(), replica.log()[-3000:]
        finally:
            for replica in replicas:
                if replica.proc is not None:
                    await reap(replica.proc)
            for log in logs:
                log.close()
    assert api.violations == [], "Bot API violations:\n" + "\n".join(api.violations)


async def test_lang_and_the_misses_log_are_one_for_both_replicas(
    cluster: Cluster, tmp_path, capsys, monkeypatch
) -> None:
    # /lang en through A holds for the next question through B.
    assert "English" in await cluster.reply(cluster.a, "/lang en", user_id=1001)
    assert FACT_EN_TEXT in await cluster.reply(cluster.b, FACT_RU, user_id=1001)
    assert FACT_RU_TEXT in await cluster.reply(cluster.b, FACT_RU, user_id=1002)  # no /lang

    # Questions it can't answer, through both: one log, whoever reads it.
    weather = ["какая погода в Москве?", "погода в москве", "Какая погода в Москве сегодня?"]
    for i, text in enumerate(weather):
        await cluster.reply(cluster.replicas[i % 2], text, user_id=1100 + i)
    deadline = time.monotonic() + 5
    while len(read_stream(cluster.redis.url)) < len(weather):
        assert time.monotonic() < deadline, "the misses did not reach the stream"
        await asyncio.sleep(0.05)
    monkeypatch.setenv("REDIS_URL", cluster.redis.url)
    assert main(["misses", "--json", "--data-dir", str(tmp_path / "empty")]) == 0
    [group] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert group["count"] == len(weather) and group["question"] in weather
    for replica in cluster.replicas:  # neither replica keeps a partial picture of its own
        assert not misses_path(replica.data_dir).exists()


async def test_a_flood_split_across_replicas_is_throttled_as_one(cluster: Cluster) -> None:
    user = 2001
    loop = asyncio.get_running_loop()

    async def flood() -> None:
        for i in range(20):  # alternating, as a round-robin load balancer would
            await cluster.post(cluster.replicas[i % 2], updates.private_text(FACT_RU, user_id=user))

    # A delivery is answered once handled, so the flood goes on while the answers are timed.
    posting = asyncio.create_task(flood())
    arrived = []
    for n in range(1, THROTTLE_BURST + 2):  # the burst's answers and one "slow down"
        await cluster.api.wait_for(
            "sendMessage", n, timeout=10, predicate=lambda c: c.params["chat_id"] == user
        )
        arrived.append(loop.time())
    await asyncio.wait_for(posting, 10)
    await asyncio.sleep(1.5)  # anything more would have come by now
    sent = cluster.messages(user)
    answers = [t for t in sent if FACT_RU_TEXT in t]
    # One bucket for both: each replica on its own would have let 2 x 5 through.
    assert len(answers) == THROTTLE_BURST, sent
    assert len(sent) == THROTTLE_BURST + 1  # and warned once, not once per replica
    # One chat's outgoing limit (3 at once, then 1/s) held across both: 6 messages take 3 s;
    # with a bucket per replica, each would have sent its 3 at once.
    assert arrived[-1] - arrived[0] >= 2.5


async def test_redis_stopping_mid_stream_loses_no_answer_and_the_bot_comes_back(
    cluster: Cluster,
) -> None:
    users = list(range(3000, 3040))
    out_of_scope = set(users[::3])  # through both replicas
    for i, user in enumerate(users):
        if i == 10:
            await cluster.redis.astop()
        text = "какая погода в Москве?" if user in out_of_scope else FACT_RU
        await cluster.post(cluster.replicas[i % 2], updates.private_text(text, user_id=user))
        await asyncio.sleep(0.03)
    await cluster.api.wait_for(
        "sendMessage", len(users), timeout=20, predicate=lambda c: c.params["chat_id"] in users
    )
    await asyncio.sleep(0.5)
    for user in users:  # every one answered, and exactly once
        [text] = cluster.messages(user)
        assert (FACT_RU_TEXT in text) == (user not in out_of_scope)
    for replica in cluster.replicas:
        assert replica.log().count(LINK_DOWN) == 1  # once per outage, not once per update
    # The misses asked during the outage went to each replica's own file meanwhile.
    for replica in cluster.replicas:
        kept = read(misses_path(replica.data_dir))
        assert kept and all(m.text == "какая погода в Москве?" for m in kept)

    await cluster.redis.astart()  # empty: it kept nothing
    await cluster.wait_in_logs(LINK_BACK)
    assert "English" in await cluster.reply(cluster.b, "/lang en", user_id=3100)
    assert FACT_EN_TEXT in await cluster.reply(cluster.a, FACT_RU, user_id=3100)
    with cluster.redis.client() as client:  # in Redis, not in a replica's memory
        assert client.keys("technopolis-bot:fsm:*:3100:3100:data")
    # The misses writers found Redis again by themselves, too.
    await cluster.wait_in_logs("misses log: Redis back")
    await cluster.reply(cluster.a, "сколько стоит аренда?", user_id=3101)
    await cluster.reply(cluster.b, "сколько стоит аренда офиса?", user_id=3102)
    deadline = time.monotonic() + 5
    while len(read_stream(cluster.redis.url)) < 2:
        assert time.monotonic() < deadline, "the misses did not reach the stream"
        await asyncio.sleep(0.05)
