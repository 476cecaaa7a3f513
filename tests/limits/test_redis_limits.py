"""The shared limiter (GCRA in Redis) and the way down when Redis goes away.

Two RedisConnections to one redis-server stand for two replicas: a bucket they share is one bucket.
"""

from __future__ import annotations

import asyncio
import logging
import time

import pytest
from aiogram import Bot
from redis_harness import RedisServer, wait_link_up

from bot.config import Settings
from bot.limits.redis import BucketSpec, Decision, RedisLimiter
from bot.redis.connection import RedisConnection
from bot.redis.keys import key
from bot.redis.outage import RedisUnavailable
from bot.telegram.throttle import Throttle
from bot.telegram.transport import Limits, RequestPolicy

TOKEN = "123456:" + "AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGhI"
LINK_LOG = "bot.redis"


def limiter(links: list[RedisConnection], server: RedisServer) -> RedisLimiter:
    link = RedisConnection(server.url)
    links.append(link)
    return RedisLimiter(link)


def messages(caplog: pytest.LogCaptureFixture, text: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if text in r.getMessage()]


async def test_a_burst_then_refusals_and_only_the_first_refusal_warns(redis_server, links) -> None:
    a, b = limiter(links, redis_server), limiter(links, redis_server)
    bucket = BucketSpec("throttle:1:42", rate=0.1, burst=3)
    takes = [await (a if i % 2 else b).take(bucket) for i in range(6)]
    assert takes == [Decision(True)] * 3 + [
        Decision(False, warn=True),
        Decision(False),
        Decision(False),
    ]
    other = await a.take(BucketSpec("throttle:1:43", rate=0.1, burst=3))
    assert other.allowed  # another user has a bucket of their own


async def test_a_token_comes_back_after_its_interval(redis_server, links) -> None:
    a = limiter(links, redis_server)
    bucket = BucketSpec("throttle:1:7", rate=10.0, burst=1)  # one every 100 ms
    assert (await a.take(bucket)).allowed
    assert not (await a.take(bucket)).allowed
    await asyncio.sleep(0.12)
    assert (await a.take(bucket)) == Decision(True)  # and the warning is reset with it


async def test_reservations_from_two_replicas_queue_up_in_one_bucket(redis_server, links) -> None:
    a, b = limiter(links, redis_server), limiter(links, redis_server)
    chat = BucketSpec("chat:1:42", rate=2.0, burst=1)
    waits = [await (a if i % 2 else b).reserve([chat]) for i in range(4)]
    assert waits[0] == 0.0
    assert waits[1:] == pytest.approx([0.5, 1.0, 1.5], abs=0.05)


async def test_the_strictest_bucket_sets_the_wait(redis_server, links) -> None:
    a = limiter(links, redis_server)
    chat, group = BucketSpec("chat:1:-100", 1.0, 1), BucketSpec("group:1:-100", 0.5, 1)
    assert await a.reserve([chat, group]) == 0.0
    assert await a.reserve([chat, group]) == pytest.approx(2.0, abs=0.05)


async def test_idle_buckets_expire(redis_server, links) -> None:
    a = limiter(links, redis_server)
    await a.reserve([BucketSpec("chat:1:5", rate=2.0, burst=1)])
    await a.take(BucketSpec("throttle:1:5", rate=2.0, burst=1))
    with redis_server.client() as client:
        for name in ("chat:1:5", "throttle:1:5"):
            ttl = client.pttl(key(name))
            assert 0 < ttl <= 1600  # full again after 0.5 s, plus a second's margin


async def test_redis_down_fails_fast_is_logged_once_and_comes_back(
    redis_server, links, caplog
) -> None:
    caplog.set_level(logging.INFO, logger=LINK_LOG)
    a = limiter(links, redis_server)
    bucket = BucketSpec("throttle:1:9", rate=1.0, burst=5)
    assert (await a.take(bucket)).allowed
    await redis_server.astop()
    started = time.monotonic()
    for _ in range(50):
        with pytest.raises(RedisUnavailable):
            await a.take(bucket)
    assert time.monotonic() - started < 1.0  # no timeout per call while it is down
    assert len(messages(caplog, "Redis unavailable, using in-process limits")) == 1

    await redis_server.astart()
    await wait_link_up(a.link)
    assert (await a.take(bucket)).allowed
    assert len(messages(caplog, "Redis back")) == 1


async def test_a_bot_started_while_redis_is_down_uses_it_once_it_appears(
    redis_server, links
) -> None:
    await redis_server.astop()
    link = RedisConnection(redis_server.url)
    links.append(link)
    assert await link.check() is False
    await redis_server.astart()
    await wait_link_up(link)
    assert await link.check() is True


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, bot_token=TOKEN, **values)  # type: ignore[call-arg]


async def test_throttle_falls_back_to_in_process_buckets(redis_server, links) -> None:
    shared = limiter(links, redis_server)
    throttle = Throttle(settings(throttle_rate=0.1, throttle_burst=2), shared)
    bot = Bot(TOKEN)
    await redis_server.astop()
    takes = [await throttle._take(bot, 77) for _ in range(4)]
    assert takes == [Decision(True), Decision(True), Decision(False, warn=True), Decision(False)]
    await bot.session.close()


async def test_outgoing_limits_are_shared_and_fall_back_when_redis_is_down(
    redis_server, links
) -> None:
    limits = Limits(per_chat_rate=1.0, per_chat_burst=1)
    a = RequestPolicy(limits, limiter(links, redis_server))
    b = RequestPolicy(limits, limiter(links, redis_server))
    bot = Bot(TOKEN)
    assert await a.send_limits.delay(bot.id, 42) == 0.0
    # one chat, two replicas
    assert await b.send_limits.delay(bot.id, 42) == pytest.approx(1.0, abs=0.05)
    await redis_server.astop()
    assert await b.send_limits.delay(bot.id, 42) == 0.0  # b's own buckets: it never sent there
    assert await b.send_limits.delay(bot.id, 42) == pytest.approx(1.0, abs=0.05)
    await bot.session.close()
