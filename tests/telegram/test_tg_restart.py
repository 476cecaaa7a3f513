"""A restart under backlog, as a deploy does it: `technopolis-bot run` (a real process) long
polls the fake Bot API with 300 questions queued, gets SIGTERM 3 s in while the outgoing
limit (30 messages a second, as shipped) keeps replies waiting, and a fresh process takes
over. Every question must be answered exactly once, and the first process must stop within
10 s.
"""

from __future__ import annotations

import asyncio
import signal
import time
from collections import Counter
from pathlib import Path

from fakes import updates
from fakes.bot_api import FakeBotAPI
from procs import STARTUP_TIMEOUT, bot_process, wait_ready

QUESTIONS = (  # three facts, three different answers: a doubled answer shows as a repeat
    "Каков объём экспорта резидентов?",
    "Во сколько стран экспортировали продукцию?",
    "Сколько компаний являются резидентами технополиса?",
)
STOP_WITHIN = 10.0
RUN_BEFORE_STOP = 3.0
ALL_ANSWERED_WITHIN = 60.0
QUIET_AFTER = 1.5  # nothing more may arrive once every question was answered


def queue_backlog(api: FakeBotAPI, users: int, per_user: int, first_user: int) -> dict[int, int]:
    """`users` x `per_user` private questions, interleaved as they would arrive; per chat,
    how many were asked."""
    asked: dict[int, int] = {}
    for round_ in range(per_user):
        for n in range(users):
            user_id = first_user + n
            api.push(updates.private_text(QUESTIONS[round_ % len(QUESTIONS)], user_id=user_id))
            asked[user_id] = asked.get(user_id, 0) + 1
    return asked


def answers(api: FakeBotAPI, chats: dict[int, int]) -> dict[int, list[str]]:
    sent: dict[int, list[str]] = {chat: [] for chat in chats}
    for message in api.sent_messages():
        chat = message["chat"]["id"]
        if chat in sent:
            sent[chat].append(message["text"])
    return sent


async def stop_and_time(proc: asyncio.subprocess.Process) -> tuple[float, str]:
    started = time.monotonic()
    proc.send_signal(signal.SIGTERM)
    _, stderr = await asyncio.wait_for(proc.communicate(), STOP_WITHIN + 5)
    elapsed = time.monotonic() - started
    log = stderr.decode(errors="replace")
    assert proc.returncode == 0, log[-3000:]
    assert "Traceback" not in log, log[-3000:]
    return elapsed, log


async def restart_under_backlog(
    api: FakeBotAPI, tmp_path: Path, chats: dict[int, int], **settings: str
) -> tuple[float, int, str]:
    """Run, stop 3 s in, run again until all is answered; (stop time, answered by the first
    process, its log)."""
    total = sum(chats.values())
    async with bot_process(api, tmp_path, LOG_LEVEL="INFO", **settings) as first:
        await wait_ready(api)
        await asyncio.sleep(RUN_BEFORE_STOP)
        stop_time, log = await stop_and_time(first)
    answered_first = len(api.sent_messages())
    assert 0 < answered_first < total, f"the test needs a backlog at the stop ({answered_first})"
    menus = len(api.delivered("setMyCommands"))
    async with bot_process(api, tmp_path, LOG_LEVEL="INFO", **settings) as second:
        await api.wait_for("setMyCommands", menus + 4, timeout=STARTUP_TIMEOUT)
        await api.wait_for("sendMessage", total, timeout=ALL_ANSWERED_WITHIN)
        await asyncio.sleep(QUIET_AFTER)
        await stop_and_time(second)
    sent = answers(api, chats)
    wrong = {chat: texts for chat, texts in sent.items() if len(texts) != chats[chat]}
    assert not wrong, f"{len(wrong)} chat(s) not answered once per question, e.g. {list(wrong.items())[:2]}"  # fmt: skip
    assert len(api.sent_messages()) == total
    assert api.pending_updates == []
    return stop_time, answered_first, log


async def test_a_restart_under_backlog_answers_every_question_once(
    process_api: FakeBotAPI, tmp_path: Path
) -> None:
    """100 users ask three questions each (300), at the shipped 30 messages a second."""
    chats = queue_backlog(process_api, users=100, per_user=3, first_user=700_001)
    stop_time, answered_first, _ = await restart_under_backlog(process_api, tmp_path, chats)
    for texts in answers(process_api, chats).values():
        assert len(set(texts)) == len(QUESTIONS), texts  # three different answers, none twice
    assert stop_time < STOP_WITHIN, f"stopping took {stop_time:.1f}s"
    print(f"first process answered {answered_first}/300, stopped in {stop_time:.1f}s")


async def test_a_backlog_in_few_chats_is_given_back_not_lost(
    process_api: FakeBotAPI, tmp_path: Path
) -> None:
    """4 users ask 20 questions each, throttling off: one message a second per chat keeps most
    of them waiting past the stop deadline. Those are left unanswered for the next process,
    and those answered after one left behind (the offset cannot confirm them) are skipped."""
    chats = queue_backlog(process_api, users=4, per_user=20, first_user=710_001)
    stop_time, answered_first, log = await restart_under_backlog(
        process_api, tmp_path, chats, THROTTLE_RATE="0", SHUTDOWN_TIMEOUT="3"
    )
    assert "left for the next process" in log, log[-2000:]
    counts = Counter(len(t) for t in answers(process_api, chats).values())
    assert counts == Counter({20: 4})
    assert stop_time < STOP_WITHIN, f"stopping took {stop_time:.1f}s"
    print(f"first process answered {answered_first}/80, stopped in {stop_time:.1f}s")
