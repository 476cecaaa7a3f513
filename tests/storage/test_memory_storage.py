"""Reading a user's settings must not leave a record behind (memory would grow per user)."""

from __future__ import annotations

from aiogram.fsm.storage.base import StorageKey

from bot.storage.memory import LeanMemoryStorage


async def test_reads_create_no_record() -> None:
    storage = LeanMemoryStorage()
    key = StorageKey(bot_id=1, chat_id=2, user_id=2)
    assert await storage.get_data(key) == {}
    assert await storage.get_state(key) is None
    assert len(storage.storage) == 0
    await storage.update_data(key, {"lang": "en"})
    assert await storage.get_data(key) == {"lang": "en"}
    assert len(storage.storage) == 1
