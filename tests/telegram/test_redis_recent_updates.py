"""The update_ids replicas have taken, in Redis (SET NX with an expiry), and what each
replica decides alone while Redis is down."""

from __future__ import annotations

from bot.redis.connection import RedisConnection
from bot.telegram.delivery import REDELIVERY_WINDOW, RecentUpdates

BOT_ID = 123456


def replica(links: list[RedisConnection], url: str) -> RecentUpdates:
    link = RedisConnection(url)
    links.append(link)
    return RecentUpdates(BOT_ID, link)


async def test_an_update_is_taken_once_across_replicas(redis_server, links) -> None:
    a, b = replica(links, redis_server.url), replica(links, redis_server.url)
    assert await a.claim(1) is True
    assert await a.claim(1) is False  # the same replica: its own memory
    assert await b.claim(1) is False  # the other one: Redis
    assert await b.claim(2) is True
    with redis_server.client() as client:
        ttl = client.ttl(f"technopolis-bot:update:{BOT_ID}:1")
    assert REDELIVERY_WINDOW - 5 < ttl <= REDELIVERY_WINDOW


async def test_an_update_given_back_can_be_taken_again_elsewhere(redis_server, links) -> None:
    a, b = replica(links, redis_server.url), replica(links, redis_server.url)
    assert await a.claim(3) is True
    await a.release(3)  # left unanswered at a stop: its redelivery must be handled
    assert await b.claim(3) is True


async def test_while_redis_is_down_each_replica_remembers_its_own(redis_server, links) -> None:
    a, b = replica(links, redis_server.url), replica(links, redis_server.url)
    assert await a.claim(10) is True
    await redis_server.astop()
    assert await a.claim(10) is False  # still caught: it is in A's memory
    assert await a.claim(11) is True  # no Redis: answering beats dropping it
    assert await a.claim(11) is False
    assert await b.claim(11) is True  # the documented cost: the other replica answers too
