"""`technopolis-bot run` as a real process: answers, then stops on SIGTERM with exit code 0."""

from __future__ import annotations

import asyncio
import signal

from fakes import updates
from fakes.bot_api import FakeBotAPI
from procs import STARTUP_TIMEOUT, TOKEN, bot_process, wait_ready

STOP_TIMEOUT = 5.0


async def test_run_answers_then_stops_cleanly_on_sigterm(process_api: FakeBotAPI, tmp_path) -> None:
    async with bot_process(process_api, tmp_path, LOG_LEVEL="INFO") as proc:
        process_api.push(
            updates.private_text("Каков объём экспорта резидентов в 2020 году?", user_id=601)
        )
        [call] = await process_api.wait_for("sendMessage", timeout=STARTUP_TIMEOUT)
        assert "1,2 млрд рублей" in call.params["text"]
        await asyncio.sleep(0.2)  # let it go back to long polling
        loop = asyncio.get_running_loop()
        sent_at = loop.time()
        proc.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(proc.communicate(), STOP_TIMEOUT)
        assert proc.returncode == 0, stderr.decode()
        assert loop.time() - sent_at < STOP_TIMEOUT
    log = stderr.decode()
    assert "answered update=message chat=private" in log
    assert TOKEN not in log and TOKEN.split(":")[1] not in log
    assert "Traceback" not in log
    assert process_api.pending_updates == []  # confirmed: a restart will not answer it again
    assert len(process_api.sent_messages(601)) == 1


async def test_sigint_stops_it_too(process_api: FakeBotAPI, tmp_path) -> None:
    async with bot_process(process_api, tmp_path, LOG_LEVEL="INFO") as proc:
        await wait_ready(process_api)
        proc.send_signal(signal.SIGINT)
        _, stderr = await asyncio.wait_for(proc.communicate(), STOP_TIMEOUT)
        assert proc.returncode == 0, stderr.decode()


async def test_a_refused_token_is_one_line_and_exit_2(process_api: FakeBotAPI, tmp_path) -> None:
    refused = "987654321:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDxxx"
    async with bot_process(process_api, tmp_path, token=refused, LOG_LEVEL="INFO") as proc:
        _, stderr = await asyncio.wait_for(proc.communicate(), STARTUP_TIMEOUT)
    assert proc.returncode == 2
    log = stderr.decode()
    assert "Telegram refused the token" in log
    assert "Traceback" not in log and refused.split(":")[1] not in log
