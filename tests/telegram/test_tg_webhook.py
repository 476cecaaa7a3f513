"""Webhook mode in-process: the real server on a free loopback port, secret token enforced."""

from __future__ import annotations

import asyncio
import socket

import aiohttp
from fakes import updates
from tg_harness import TEST_LIMITS, make_settings

from bot.telegram.app import build_bot, build_dispatcher
from bot.telegram.webhook import run_webhook

SECRET = "s3cret_Token-for-tests"
HEADER = "X-Telegram-Bot-Api-Secret-Token"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def wait_listening(port: int, timeout: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            if loop.time() > deadline:
                raise
            await asyncio.sleep(0.02)
        else:
            writer.close()
            await writer.wait_closed()
            return


async def test_webhook_registers_itself_and_refuses_requests_without_the_secret(
    fake_api, engine
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/hook"
    settings = make_settings(
        fake_api,
        webhook_url=url,
        webhook_host="127.0.0.1",
        webhook_port=port,
        webhook_secret=SECRET,
    )
    bot, dp, stop = (
        build_bot(settings, TEST_LIMITS),
        build_dispatcher(settings, engine),
        asyncio.Event(),
    )
    server = asyncio.create_task(run_webhook(bot, dp, settings, stop))
    try:
        await fake_api.wait_for("setWebhook")
        await wait_listening(port)
        assert fake_api.webhook["url"] == url
        assert fake_api.webhook["secret_token"] == SECRET

        update = {"update_id": 9001, **updates.private_text("Каков объём экспорта?", user_id=501)}
        async with aiohttp.ClientSession() as http:
            for headers in ({}, {HEADER: "wrong"}):
                async with http.post(url, json=update, headers=headers) as resp:
                    assert resp.status == 401
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
