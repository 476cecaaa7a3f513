"""Webhook mode answers each update exactly once: a redelivery is not answered again, a 200
means the update was handled, and a stop makes new deliveries retry elsewhere (the real
server on loopback, the fake Bot API behind it)."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
from fakes import updates
from fakes.bot_api import FakeBotAPI
from tg_harness import start_webhook

SECRET = "once_Secret-42"
HEADER = "X-Telegram-Bot-Api-Secret-Token"
QUESTION = "Каков объём экспорта резидентов?"


async def post(http: aiohttp.ClientSession, url: str, update: dict[str, Any]) -> int:
    async with http.post(url, json=update, headers={HEADER: SECRET}) as resp:
        return resp.status


async def test_the_same_update_posted_twice_is_answered_once(fake_api: FakeBotAPI, engine) -> None:
    url, stop, server = await start_webhook(fake_api, engine, SECRET)
    update = {"update_id": 7001, **updates.private_text(QUESTION, user_id=801)}
    concurrent = {"update_id": 7002, **updates.private_text(QUESTION, user_id=802)}
    try:
        async with aiohttp.ClientSession() as http:
            assert await post(http, url, update) == 200
            # The 200 came once the answer was sent, not before.
            assert len(fake_api.sent_messages(801)) == 1
            assert await post(http, url, update) == 200  # a redelivery: acknowledged, not handled
            statuses = await asyncio.gather(*(post(http, url, concurrent) for _ in range(3)))
            assert statuses == [200, 200, 200]
        await asyncio.sleep(0.3)  # a second answer would have come by now
    finally:
        stop.set()
        await asyncio.wait_for(server, 10)
    assert len(fake_api.sent_messages(801)) == 1
    assert len(fake_api.sent_messages(802)) == 1


async def test_a_stop_finishes_what_got_200_and_turns_new_deliveries_away(
    fake_api: FakeBotAPI, engine
) -> None:
    """An update in flight (its answer waiting out a 429) is answered and gets its 200 after
    the stop began; a delivery arriving then on a connection the proxy kept open gets 503, so
    Telegram delivers it again later, to the next process or another replica."""
    url, stop, server = await start_webhook(fake_api, engine, SECRET)
    base = url.removesuffix("/telegram/hook")
    held = {"update_id": 7101, **updates.private_text(QUESTION, user_id=811)}
    late = {"update_id": 7102, **updates.private_text(QUESTION, user_id=812)}
    try:
        async with aiohttp.ClientSession() as proxy, aiohttp.ClientSession() as other:
            async with other.get(f"{base}/healthz") as resp:  # a kept-alive connection
                assert resp.status == 200
            fake_api.fail("sendMessage", 429, retry_after=2)
            first = asyncio.create_task(post(proxy, url, held))
            while not any(c.method == "sendMessage" for c in fake_api.calls):
                await asyncio.sleep(0.02)
            stop.set()
            await asyncio.sleep(0.1)
            assert await post(other, url, late) == 503
            assert await asyncio.wait_for(first, 10) == 200
            assert len(fake_api.sent_messages(811)) == 1
    finally:
        stop.set()
        await asyncio.wait_for(server, 10)
    assert fake_api.sent_messages(812) == []
