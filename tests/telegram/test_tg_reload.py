"""Reloading the knowledge base without a restart: /reload for admins, and SIGHUP."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from pathlib import Path

import pytest
from fakes import updates
from fakes.bot_api import FakeBotAPI
from fakes.telegram_html import html_to_text
from kb_edits import (
    NEW_ANSWER,
    OLD_ANSWER,
    QUESTION,
    break_quote,
    copy_knowledge,
    fix_quote,
    new_answer,
)

from bot.config import Settings
from bot.engine import AnswerEngine
from bot.reload.live import LiveEngine
from bot.telegram.middlewares import AnswerContext
from bot.telegram.render import MAX_TEXT
from bot.telegram.trace import Trace

ADMIN = 777
STRANGER = 778


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    return copy_knowledge(tmp_path / "knowledge")


@pytest.fixture
async def tg(launch, kb):
    return await launch(engine_=AnswerEngine.load(kb), knowledge_dir=kb, admin_ids=f"{ADMIN}")


async def ask(tg, user_id: int, text: str = QUESTION) -> str:
    call = await tg.reply(updates.private_text(text, user_id=user_id))
    return html_to_text(call.params["text"])


async def test_an_admin_reloads_and_the_next_answers_come_from_the_new_base(tg, kb) -> None:
    assert OLD_ANSWER in await ask(tg, 501)
    new_answer(kb)
    assert OLD_ANSWER in await ask(tg, 501)  # nothing changes until asked to
    menus = len(tg.api.delivered("setMyCommands"))

    reply = await ask(tg, ADMIN, "/reload")
    engine = tg.dp["live"].current
    assert reply == engine.texts("ru", "reload_ok", intents=len(engine.kb.intents))
    assert NEW_ANSWER in await ask(tg, 501)
    # the command menus are registered again, from the new ui.yaml
    assert len(tg.api.delivered("setMyCommands")) == menus + 5


async def test_a_broken_base_is_refused_with_its_problems_and_the_old_one_serves(
    tg, kb, caplog
) -> None:
    caplog.set_level(logging.INFO, logger="bot.reload.live")
    new_answer(kb)
    break_quote(kb)
    reply = await ask(tg, ADMIN, "/reload")
    lines = reply.splitlines()
    assert lines[0].startswith("База знаний не принята, работает прежняя.")
    problem = next(line for line in lines if "export_volume" in line)
    assert "not verbatim article text" in problem
    assert "<b>прошлого</b>" in problem  # escaped on the way out, shown as written
    assert OLD_ANSWER in await ask(tg, 502)
    assert "knowledge base refused" in caplog.text and "export_volume" in caplog.text

    fix_quote(kb)
    reply = await ask(tg, ADMIN, "/reload")
    assert reply.startswith("База знаний перезагружена")
    assert NEW_ANSWER in await ask(tg, 502)


async def test_a_long_list_of_problems_is_cut_to_one_message(tg, kb) -> None:
    (kb / "article.ru.txt").write_text("nothing\n", encoding="utf-8")  # every quote goes astray
    call = await tg.reply(updates.private_text("/reload", user_id=ADMIN, language_code="en"))
    text = html_to_text(call.params["text"])
    assert len(text) < MAX_TEXT
    assert text.startswith("Knowledge base refused")
    assert "more (all of them are in the log)" in text.splitlines()[-1]


async def test_a_stranger_gets_no_reply_and_nothing_is_reloaded(tg, kb, caplog) -> None:
    caplog.set_level(logging.INFO, logger="bot.telegram")
    new_answer(kb)
    tg.api.push(updates.private_text("/reload", user_id=STRANGER))
    tg.api.push(updates.private_text("/why", user_id=STRANGER))
    await tg.settle()
    assert tg.api.sent_messages(STRANGER) == []
    assert OLD_ANSWER in await ask(tg, STRANGER)
    assert f"/reload from user {STRANGER} ignored: not in ADMIN_IDS" in caplog.text
    assert "ignored update=message chat=private" in caplog.text


async def test_with_no_admin_ids_nobody_may_reload(launch, kb) -> None:
    tg = await launch(engine_=AnswerEngine.load(kb), knowledge_dir=kb)
    new_answer(kb)
    tg.api.push(updates.private_text("/reload", user_id=ADMIN))
    await tg.settle()
    assert tg.api.sent_messages(ADMIN) == []
    assert OLD_ANSWER in await ask(tg, ADMIN)


async def test_admin_commands_are_not_taken_in_groups(tg, kb) -> None:
    new_answer(kb)
    tg.api.push(updates.group_text("/reload@technopolis_test_bot", user_id=ADMIN))
    await tg.settle()
    assert tg.api.sent_messages(-100500) == []
    assert OLD_ANSWER in await ask(tg, ADMIN)


async def test_an_answer_in_flight_finishes_on_the_engine_it_started_with(tg, kb) -> None:
    tg.api.fail("sendMessage", status=429, retry_after=1)  # holds the answer in flight
    tg.api.push(updates.private_text(QUESTION, user_id=503))
    while not any(c.method == "sendMessage" for c in tg.api.calls):
        await asyncio.sleep(0.01)
    assert tg.dp["inflight"].active == 1
    new_answer(kb)
    assert (await tg.dp["live"].reload()).ok
    assert tg.dp["inflight"].active == 1  # the reload did not wait for it, nor cut it short
    [call] = await tg.sent_to(503)
    assert OLD_ANSWER in html_to_text(call.params["text"])
    assert NEW_ANSWER in await ask(tg, 504)


async def test_the_engine_is_read_once_per_update(engine) -> None:
    """A handler sees the engine its update started with, even if a reload lands meanwhile."""
    holder = LiveEngine(engine)
    replacement = object()
    swapped = asyncio.Event()

    async def handler(event, data):
        holder.current = replacement  # a reload finishing while this update is handled
        swapped.set()
        await asyncio.sleep(0)
        return data["engine"]

    context = AnswerContext(holder, Settings(_env_file=None))
    data: dict[str, object] = {"trace": Trace("message", "private")}
    assert await context(handler, object(), data) is engine
    assert swapped.is_set()
    again = {"trace": Trace("message", "private")}
    assert await context(lambda e, d: _engine_of(d), object(), again) is replacement


async def _engine_of(data: dict[str, object]) -> object:
    return data["engine"]


# ---------------------------------------------------------------------- SIGHUP, a real process

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
STARTUP_TIMEOUT = 20.0


class LogLines:
    """Reads a process's stderr line by line, so a test can wait for a given line."""

    def __init__(self, stream: asyncio.StreamReader) -> None:
        self.stream = stream
        self.lines: list[str] = []

    async def wait_for(self, needle: str, timeout: float = 10.0) -> str:
        async def scan() -> str:
            while True:
                raw = await self.stream.readline()
                if not raw:
                    raise AssertionError(f"{needle!r} never logged:\n" + "".join(self.lines))
                line = raw.decode()
                self.lines.append(line)
                if needle in line:
                    return line

        return await asyncio.wait_for(scan(), timeout)


async def test_sighup_reloads_a_running_bot(tmp_path: Path) -> None:
    kb = copy_knowledge(tmp_path / "knowledge")
    async with FakeBotAPI(token=TOKEN) as api:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(tmp_path),
            "BOT_TOKEN": TOKEN,
            "TELEGRAM_API_URL": api.url,
            "KNOWLEDGE_DIR": str(kb),
            "LOG_LEVEL": "INFO",
            "PYTHONUNBUFFERED": "1",
        }
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            *("-m", "bot", "run", "--require-token"),
            cwd=tmp_path,
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        assert proc.stderr is not None
        log = LogLines(proc.stderr)

        async def answer(user_id: int) -> str:
            api.push(updates.private_text(QUESTION, user_id=user_id))
            [call] = await api.wait_for(
                "sendMessage",
                timeout=STARTUP_TIMEOUT,
                predicate=lambda c: c.params["chat_id"] == user_id,
            )
            return html_to_text(call.params["text"])

        try:
            assert OLD_ANSWER in await answer(601)

            new_answer(kb)
            proc.send_signal(signal.SIGHUP)
            await log.wait_for("SIGHUP: knowledge base reloaded")
            assert NEW_ANSWER in await answer(602)

            break_quote(kb)
            proc.send_signal(signal.SIGHUP)
            await log.wait_for("SIGHUP: knowledge base refused")
            problem = await log.wait_for("export_volume")
            assert "not verbatim article text" in problem
            assert NEW_ANSWER in await answer(603)  # the last good base still serves

            proc.send_signal(signal.SIGTERM)
            rest, _ = await asyncio.wait_for(
                asyncio.gather(proc.stderr.read(), proc.wait()), timeout=10
            )
            assert proc.returncode == 0, "".join(log.lines) + rest.decode()
        finally:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
    output = "".join(log.lines) + rest.decode()
    assert "Traceback" not in output
    assert api.violations == []
