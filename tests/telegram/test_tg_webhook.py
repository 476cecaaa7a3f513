"""Webhook mode in-process: the real server on a free loopback port, secret token enforced."""

from __future__ import annotations

import asyncio

import aiohttp
from fakes import updates
from tg_harness import start_webhook

SECRET = "s3cret_Token-for-tests"
HEADER = "X-Telegram-Bot-Api-Secret-Token"


async def test_webhook_registers_itself_and_refuses_requests_without_the_secret(
    fake_api, engine
) -> None:
    url, stop, server = await start_webhook(fake_api, engine, SECRET)
    try:
        assert fake_api.webhook["url"] == url
        assert fake_api.webhook["secret_token"] == SECRET

        update = {"update_id": 9001, **updates.private_text("Каков объём экспорта?", user_id=501)}
        async with aiohttp.ClientSession() as http:
            for headers in ({}, {HEADER: "wrong"}):
                async with http.post(url, json=update, headers=headers) as resp:
                    assert resp.status == 401
            for body in ("not json", '{"message": {}}'):  # not an Update: refused, not a 500
                async with http.post(url, data=body, headers={HEADER: SECRET}) as resp:
                    assert resp.status == 400
            await asyncio.sleep(0.1)
            assert fake_api.sent_messages(501) == []

            async with http.post(url, json=update, headers={HEADER: SECRET}) as resp:
                assert resp.status == 200
        [call] = await fake_api.wait_for("sendMessage")
        assert "1,2 млрд рублей" in call.params["text"]
    finally:
        stop.set()
        await asyncio.wait_for(server, 10)
    assert len(fake_api.sent_messages(501)) == 1
