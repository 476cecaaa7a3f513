"""`technopolis-bot run` as a real process: answers, then stops on SIGTERM with exit code 0."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fakes import updates
from fakes.bot_api import FakeBotAPI

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"  # well-formed, as BotFather gives it
STARTUP_TIMEOUT = 20.0
STOP_TIMEOUT = 5.0


@pytest.fixture
async def api() -> AsyncIterator[FakeBotAPI]:
    async with FakeBotAPI(token=TOKEN) as fake:
        yield fake
    assert fake.violations == []


async def start_bot(
    api: FakeBotAPI, tmp_path: Path, token: str = TOKEN
) -> asyncio.subprocess.Process:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "BOT_TOKEN": token,
        "TELEGRAM_API_URL": api.url,
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
    }
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        "--require-token",
        cwd=tmp_path,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def test_run_answers_then_stops_cleanly_on_sigterm(api, tmp_path) -> None:
    proc = await start_bot(api, tmp_path)
    try:
        api.push(updates.private_text("Каков объём экспорта резидентов в 2020 году?", user_id=601))
        [call] = await api.wait_for("sendMessage", timeout=STARTUP_TIMEOUT)
        assert "1,2 млрд рублей" in call.params["text"]
        await asyncio.sleep(0.2)  # let it go back to long polling
        loop = asyncio.get_running_loop()
        sent_at = loop.time()
        proc.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(proc.communicate(), STOP_TIMEOUT)
        assert proc.returncode == 0, stderr.decode()
        assert loop.time() - sent_at < STOP_TIMEOUT
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    log = stderr.decode()
    assert "answered update=message chat=private" in log
    assert TOKEN not in log and TOKEN.split(":")[1] not in log
    assert "Traceback" not in log
    assert api.pending_updates == []  # confirmed: a restart will not answer it again
    assert len(api.sent_messages(601)) == 1


async def test_sigint_stops_it_too(api, tmp_path) -> None:
    proc = await start_bot(api, tmp_path)
    try:
        await api.wait_for("setMyCommands", 4, timeout=STARTUP_TIMEOUT)
        proc.send_signal(signal.SIGINT)
        _, stderr = await asyncio.wait_for(proc.communicate(), STOP_TIMEOUT)
        assert proc.returncode == 0, stderr.decode()
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


async def test_a_refused_token_is_one_line_and_exit_2(api, tmp_path) -> None:
    proc = await start_bot(api, tmp_path, token="987654321:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDxxx")
    try:
        _, stderr = await asyncio.wait_for(proc.communicate(), STARTUP_TIMEOUT)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.returncode == 2
    log = stderr.decode()
    assert "Telegram refused the token" in log
    assert "Traceback" not in log and "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDxxx" not in log
