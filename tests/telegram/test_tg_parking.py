"""One slow update must not hold back the whole bot (polling): the offset can only move past
it and getUpdates returns at most 100 updates from the offset. A slow update with a queue
behind it is parked on disk (DATA_DIR) and the offset moves on; one still unfinished when the
bot stops is answered by the next process, from that file, and only once."""

from __future__ import annotations

import asyncio
from pathlib import Path

from fakes import updates

from bot.telegram.polling import load_done, parked_file, save_done
from bot.telegram.transport import Limits

QUESTION = "Каков объём экспорта резидентов?"
FAST = Limits(backoff=0.05, per_chat_burst=50, per_group_burst=50, global_rate=1000, global_burst=1000)  # fmt: skip
BEHIND = 200  # more than one getUpdates can return past the stuck update


async def test_a_stuck_update_is_parked_and_answered_by_the_next_process(
    launch, fake_api, tmp_path: Path
) -> None:
    tg = await launch(limits=FAST, data_dir=tmp_path)
    fake_api.fail("sendMessage", 429, retry_after=60)  # Telegram's flood wait: a minute
    fake_api.push(updates.private_text(QUESTION, user_id=9000))
    async with asyncio.timeout(10):  # until its answer got the 429
        while not any(c.method == "sendMessage" for c in fake_api.calls):
            await asyncio.sleep(0.02)
    for n in range(BEHIND):
        fake_api.push(updates.private_text(QUESTION, user_id=9001 + n))
    # Without parking only the 99 behind it in the first window could be answered this minute.
    for n in range(BEHIND):
        await tg.sent_to(9001 + n, timeout=15)
    async with asyncio.timeout(5):  # the offset moved past the stuck one (next getUpdates)...
        while fake_api.pending_updates:
            await asyncio.sleep(0.05)
    assert fake_api.sent_messages(9000) == []  # ...which is still waiting out its 429
    path = parked_file(tmp_path, tg.bot.id)
    assert path.exists()
    await tg.shutdown()
    assert path.exists()  # not finished: left on disk for the next process

    again = await launch(limits=FAST, data_dir=tmp_path)
    await again.sent_to(9000, timeout=10)
    await asyncio.sleep(0.3)
    await again.shutdown()
    assert len(fake_api.sent_messages(9000)) == 1
    assert all(len(fake_api.sent_messages(9001 + n)) == 1 for n in range(BEHIND))
    assert not path.exists()  # finished: the file is gone


def test_the_done_file_outlives_a_start_until_the_next_stop(tmp_path) -> None:
    """Read at start-up, not used up: a process killed before its stop leaves the ids for
    the one after it, which would otherwise answer them again."""
    path = tmp_path / "polling-done-1.json"
    save_done(path, {41, 42})
    assert load_done(path) == {41, 42}
    assert load_done(path) == {41, 42}  # the second start, after a crash, still has them
    save_done(path, set())  # a clean stop with nothing left to skip
    assert not path.exists() and load_done(path) == set()
