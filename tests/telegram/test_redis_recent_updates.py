"""The update_ids replicas have taken, in Redis (SET NX with an expiry), and what each
replica decides alone while Redis is down."""

from __future__ import annotations

import asyncio

from bot.redis.connection import RedisConnection
from bot.telegram.delivery import CLAIM_LEASE, REDELIVERY_WINDOW, RecentUpdates

BOT_ID = 123456


def replica(links: list[RedisConnection], url: str, **kwargs: float) -> RecentUpdates:
    link = RedisConnection(url)
    links.append(link)
    return RecentUpdates(BOT_ID, link, **kwargs)


def ttl(redis_server, update_id: int) -> int:
    with redis_server.client() as client:
        return client.ttl(f"technopolis-bot:update:{BOT_ID}:{update_id}")


async def test_an_update_is_taken_once_across_replicas(redis_server, links) -> None:
    a, b = replica(links, redis_server.url), replica(links, redis_server.url)
    assert await a.claim(1) is True
    assert await a.claim(1) is False  # the same replica: its own memory
    assert await b.claim(1) is False  # the other one: Redis
    assert await b.claim(2) is True
    assert CLAIM_LEASE - 5 < ttl(redis_server, 1) <= CLAIM_LEASE  # while it is handled
    await a.done(1)
    assert REDELIVERY_WINDOW - 5 < ttl(redis_server, 1) <= REDELIVERY_WINDOW
    assert await b.claim(1) is False


async def test_a_claim_dies_with_the_replica_that_never_finished(redis_server, links) -> None:
    """Killed while handling it (no release, no done): after the lease, a redelivery is
    handled by another replica instead of being taken for a repeat all day."""
    a = replica(links, redis_server.url, lease=0.3)
    b = replica(links, redis_server.url, lease=0.3)
    assert await a.claim(4) is True
    assert await b.claim(4) is False  # still being handled, as far as anyone knows
    await asyncio.sleep(0.5)
    assert await b.claim(4) is True


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
