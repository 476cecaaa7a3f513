"""Per-user settings (aiogram FSM storage) in Redis, and in memory while Redis is down."""

from __future__ import annotations

import time

from aiogram.fsm.storage.base import StorageKey
from redis_harness import wait_link_up

from bot.redis.connection import RedisConnection
from bot.storage.redis import FallbackStorage

BOT_ID = 123456


def user_key(user_id: int) -> StorageKey:
    return StorageKey(bot_id=BOT_ID, chat_id=user_id, user_id=user_id)  # GLOBAL_USER


def storage(links: list[RedisConnection], url: str) -> FallbackStorage:
    link = RedisConnection(url)
    links.append(link)
    return FallbackStorage(link)


async def test_what_one_replica_stores_the_other_reads(redis_server, links) -> None:
    a, b = storage(links, redis_server.url), storage(links, redis_server.url)
    await a.update_data(user_key(5), {"lang": "en"})
    assert await b.get_data(user_key(5)) == {"lang": "en"}
    assert await b.get_data(user_key(6)) == {}
    await b.set_state(user_key(5), "asking")
    assert await a.get_state(user_key(5)) == "asking"
    with redis_server.client() as client:  # namespaced by the bot, so bots can share a Redis
        assert client.get(f"technopolis-bot:fsm:{BOT_ID}:5:5:data") == b'{"lang": "en"}'


async def test_redis_down_reads_nothing_writes_stay_here_then_reach_redis(
    redis_server, links
) -> None:
    a, b = storage(links, redis_server.url), storage(links, redis_server.url)
    await a.update_data(user_key(7), {"lang": "en"})
    await redis_server.astop()  # and everything in it is gone (no persistence)

    started = time.monotonic()
    assert await a.get_data(user_key(7)) == {}  # no error: Telegram's language decides
    assert await a.get_state(user_key(7)) is None
    await a.update_data(user_key(8), {"lang": "ru"})  # /lang during the outage
    assert await a.get_data(user_key(8)) == {"lang": "ru"}  # this replica remembers it
    assert time.monotonic() - started < 1.5

    await redis_server.astart()
    await wait_link_up(a.link)
    await wait_link_up(b.link)
    assert await b.get_data(user_key(8)) == {"lang": "ru"}  # written back on recovery
    assert a._pending == {}
