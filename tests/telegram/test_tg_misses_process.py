"""The misses log survives the process: killed mid-stream (SIGKILL) or stopped (SIGTERM).

`technopolis-bot run` answers a stream of out-of-scope questions from many users while the
test reads what reached the fake Bot API; the SQLite file is then reopened and checked.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

from fakes import updates
from fakes.bot_api import FakeBotAPI
from procs import STARTUP_TIMEOUT, bot_process, wait_ready

from bot.misses.sqlite import misses_path, read

STOP_TIMEOUT = 10.0
QUESTIONS = 200
FIRST_USER = 70_000
PACE = 0.005  # seconds between pushed questions: a steady stream, not one batch


def question(i: int) -> str:
    return f"сколько стоит билет в цирк номер {i}?"  # out of scope, one per user


async def stream(api: FakeBotAPI) -> None:
    for i in range(QUESTIONS):
        api.push(updates.private_text(question(i), user_id=FIRST_USER + i))
        await asyncio.sleep(PACE)


def delivered(api: FakeBotAPI) -> set[str]:
    """The questions whose answer reached the (fake) Telegram."""
    chats = {c.params["chat_id"] for c in api.delivered("sendMessage") if c.ok}
    return {question(chat - FIRST_USER) for chat in chats}


async def until_delivered(api: FakeBotAPI, count: int) -> None:
    await api.wait_for("sendMessage", count, timeout=STARTUP_TIMEOUT)


@contextlib.asynccontextmanager
async def running(api: FakeBotAPI, tmp_path: Path) -> AsyncIterator[asyncio.subprocess.Process]:
    settings = {"DATA_DIR": str(tmp_path / "data"), "THROTTLE_RATE": "0", "LOG_LEVEL": "WARNING"}
    async with bot_process(api, tmp_path, **settings) as proc:
        await wait_ready(api)
        pusher = asyncio.create_task(stream(api))
        try:
            yield proc
        finally:
            pusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await pusher


async def test_sigkill_mid_stream_loses_no_delivered_answer(
    process_api: FakeBotAPI, tmp_path: Path
) -> None:
    """Each miss is queued before its answer is sent and committed within milliseconds, so
    what the user saw is in the database even though the process never got to shut down."""
    async with running(process_api, tmp_path) as proc:
        await until_delivered(process_api, 40)
        proc.send_signal(signal.SIGKILL)
        await proc.wait()
    sent = delivered(process_api)
    assert 40 <= len(sent) < QUESTIONS, "the kill should land mid-stream"

    db = misses_path(tmp_path / "data")
    with contextlib.closing(sqlite3.connect(db)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = [m.text for m in read(db)]
    assert len(stored) == len(set(stored))
    missing = sent - set(stored)
    assert not missing, f"{len(missing)} delivered answer(s) not in the misses log"


async def test_sigterm_keeps_every_miss_answered_before_the_stop(
    process_api: FakeBotAPI, tmp_path: Path
) -> None:
    async with running(process_api, tmp_path) as proc:
        await until_delivered(process_api, 40)
        proc.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(proc.communicate(), STOP_TIMEOUT)
        assert proc.returncode == 0, stderr.decode()
    assert "Traceback" not in stderr.decode()
    db = misses_path(tmp_path / "data")
    assert not Path(f"{db}-wal").exists()  # checkpointed and closed on the way out
    sent = delivered(process_api)
    stored = {m.text for m in read(db)}
    assert sent <= stored
