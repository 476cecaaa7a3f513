"""/metrics and /healthz: on their own port while polling, on the webhook server otherwise."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from fakes import updates
from kb_edits import QUESTION, copy_knowledge
from procs import free_port
from prometheus_client.parser import text_string_to_metric_families
from tg_harness import start_webhook

from bot.config import Settings
from bot.reload.live import LiveEngine
from bot.telegram import runners

SECRET = "metrics-test-secret"
HEADER = "X-Telegram-Bot-Api-Secret-Token"
Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def parse(text: str) -> Samples:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


async def get(url: str) -> tuple[int, str, str]:
    async with aiohttp.ClientSession() as http, http.get(url) as resp:
        return resp.status, resp.headers.get("Content-Type", ""), await resp.text()


async def until(
    url: str, check: Callable[[int, dict[str, Any]], bool], timeout: float = 10.0
) -> dict[str, Any]:
    """Poll /healthz until `check(status, body)` holds; the last body otherwise fails the test."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    status, body = 0, {}
    while loop.time() < deadline:
        try:
            status, content_type, text = await get(url)
        except aiohttp.ClientConnectionError:
            status, body = 0, {}
        else:
            body = json.loads(text) if content_type.startswith("application/json") else {}
        if check(status, body):
            return body
        await asyncio.sleep(0.05)
    raise AssertionError(f"/healthz never matched: last {status} {body}")


@pytest.fixture
def port() -> int:
    return free_port()


async def test_metrics_count_updates_answers_and_api_trouble(launch, port) -> None:
    tg = await launch(metrics_host="127.0.0.1", metrics_port=port)
    base = f"http://127.0.0.1:{port}"
    await until(f"{base}/healthz", lambda status, _: status == 200)

    await tg.reply(updates.private_text(QUESTION, user_id=1101))
    await tg.reply(updates.private_text("what is the weather in paris", user_id=1102))
    await tg.reply(updates.private_text("/help", user_id=1103))
    tg.api.push(updates.inline("экспорт", user_id=1104))
    await tg.api.wait_for("answerInlineQuery")
    tg.api.fail("sendMessage", status=429, retry_after=1)
    await tg.reply(updates.private_text(QUESTION, user_id=1105))
    tg.api.fail("sendMessage", status=502)
    await tg.reply(updates.private_text(QUESTION, user_id=1106))
    await tg.settle()

    status, content_type, text = await get(f"{base}/metrics")
    assert status == 200 and content_type.startswith("text/plain")
    got = parse(text)
    assert got[("updates_total", (("type", "message"),))] == 5
    assert got[("updates_total", (("type", "inline_query"),))] == 1
    assert got[("answers_total", (("intent", "export_volume"), ("lang", "ru")))] == 3
    assert got[("out_of_scope_total", (("lang", "en"),))] == 1
    assert got[("answer_latency_seconds_count", ())] == 4  # not /help, not the inline query
    assert got[("answer_latency_seconds_bucket", (("le", "+Inf"),))] == 4
    assert got[("telegram_api_errors_total", (("code", "429"),))] == 1
    assert got[("telegram_api_errors_total", (("code", "502"),))] == 1
    assert got[("telegram_retries_total", (("method", "sendMessage"),))] == 2
    assert got[("knowledge_reloads_total", (("result", "ok"),))] == 0


async def test_healthz_follows_polling(launch, port) -> None:
    tg = await launch(metrics_host="127.0.0.1", metrics_port=port)
    url = f"http://127.0.0.1:{port}/healthz"
    body = await until(url, lambda status, _: status == 200)
    assert body["status"] == "ok" and body["transport"] == "polling"

    tg.dp["health"].stale_after = 0.5  # instead of waiting out the real 40 s
    tg.api.fail("getUpdates", status=502, times=10_000)
    tg.api.push(updates.private_text(QUESTION, user_id=1111))  # ends the poll in progress
    body = await until(url, lambda status, _: status == 503)
    assert body["problems"] == ["no successful getUpdates recently"]

    tg.api.clear_faults()
    tg.dp["health"].stale_after = 40
    tg.api.push(updates.private_text(QUESTION, user_id=1112))  # the next poll returns at once
    await until(url, lambda status, _: status == 200)
    await tg.sent_to(1112)
    _, _, text = await get(f"http://127.0.0.1:{port}/metrics")
    assert parse(text)[("telegram_api_errors_total", (("code", "502"),))] >= 1


async def test_healthz_is_503_until_a_knowledge_base_is_loaded(
    launch, port, tmp_path: Path, caplog
) -> None:
    caplog.set_level(logging.INFO, logger="bot.telegram.updates")
    holder = LiveEngine(None, copy_knowledge(tmp_path / "knowledge"))
    tg = await launch(engine_=holder, metrics_host="127.0.0.1", metrics_port=port)
    url = f"http://127.0.0.1:{port}/healthz"
    body = await until(url, lambda _, body: body.get("problems") == ["knowledge base not loaded"])
    assert body["status"] == "unhealthy"
    tg.api.push(updates.private_text(QUESTION, user_id=1121))
    await tg.settle()
    assert tg.api.sent_messages(1121) == []  # nothing to answer from
    assert "skipped update=message" in caplog.text

    assert (await holder.reload()).ok
    await until(url, lambda status, _: status == 200)
    assert (
        "1,2 млрд рублей"
        in (await tg.reply(updates.private_text(QUESTION, user_id=1122))).params["text"]
    )


async def test_the_metrics_server_stops_with_the_bot(launch, port) -> None:
    tg = await launch(metrics_host="127.0.0.1", metrics_port=port)
    await until(f"http://127.0.0.1:{port}/healthz", lambda status, _: status == 200)
    await tg.shutdown()
    with pytest.raises(aiohttp.ClientConnectionError):
        await get(f"http://127.0.0.1:{port}/healthz")


def test_a_taken_metrics_port_is_one_line_and_exit_2(monkeypatch, caplog, engine) -> None:
    monkeypatch.setattr(runners, "setup_logging", lambda settings: None)
    caplog.set_level(logging.ERROR, logger="bot.telegram.runners")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            bot_token="123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
            telegram_api_url="http://127.0.0.1:9",
            metrics_host="127.0.0.1",
            metrics_port=port,
        )
        assert runners.run_bot(settings, engine) == runners.EXIT_BAD_SETTINGS
    assert f"metrics server: cannot listen on 127.0.0.1:{port}" in caplog.text


async def run_hook(
    fake_api, engine, **overrides: Any
) -> tuple[str, asyncio.Event, asyncio.Task[None]]:
    url, stop, task = await start_webhook(fake_api, engine, SECRET, **overrides)
    return url.removesuffix("/telegram/hook"), stop, task


async def test_webhook_mode_serves_both_on_the_webhook_server(fake_api, engine) -> None:
    # METRICS_PORT switches them on; its number is unused in webhook mode
    base, stop, server = await run_hook(fake_api, engine, metrics_port=9)
    try:
        body = await until(f"{base}/healthz", lambda status, _: status == 200)
        assert body == {"transport": "webhook", "webhook_registered": True, "status": "ok"}
        update = {"update_id": 9101, **updates.private_text(QUESTION, user_id=1131)}
        async with (
            aiohttp.ClientSession() as http,
            http.post(f"{base}/telegram/hook", json=update, headers={HEADER: SECRET}) as resp,
        ):
            assert resp.status == 200
        await fake_api.wait_for("sendMessage")
        status, _, text = await get(f"{base}/metrics")
        got = parse(text)
        assert status == 200
        assert got[("updates_total", (("type", "message"),))] == 1
        assert got[("answers_total", (("intent", "export_volume"), ("lang", "ru")))] == 1
    finally:
        stop.set()
        await asyncio.wait_for(server, 10)


async def test_webhook_without_metrics_port_serves_health_but_not_metrics(fake_api, engine) -> None:
    """/healthz is on by default in webhook mode (the Docker HEALTHCHECK and a load balancer
    need it with no setting); /metrics stays off without METRICS_PORT."""
    base, stop, server = await run_hook(fake_api, engine)
    try:
        body = await until(f"{base}/healthz", lambda status, _: status == 200)
        assert body == {"transport": "webhook", "webhook_registered": True, "status": "ok"}
        assert (await get(f"{base}/metrics"))[0] == 404
    finally:
        stop.set()
        await asyncio.wait_for(server, 10)
