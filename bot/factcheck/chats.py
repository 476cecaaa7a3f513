"""Per-chat watch-mode state in the bot's FSM storage: on or off, and the corrections it made.

A chat's record lives under a key of its own (user id = chat id, destiny "factcheck"), so it
never mixes with a member's /lang choice. With RedisStorage the record is shared by every
replica; a correction is remembered there for REPEAT_WINDOW, so "the same correction at most
once per chat per hour" holds across replicas too (two replicas racing on the very same
message could both send it; the update-id guard makes that one message reach one replica).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from aiogram.fsm.storage.base import BaseStorage, StorageKey

DESTINY = "factcheck"
REPEAT_WINDOW = 3600.0  # seconds: the same correction at most once per chat per hour


def chat_key(bot_id: int, chat_id: int) -> StorageKey:
    return StorageKey(bot_id=bot_id, chat_id=chat_id, user_id=chat_id, destiny=DESTINY)


@dataclass(frozen=True, slots=True)
class ChatWatch:
    on: bool
    recent: dict[str, float]  # correction key -> when it was sent (unix time)


async def load(storage: BaseStorage, bot_id: int, chat_id: int) -> ChatWatch:
    data = await storage.get_data(chat_key(bot_id, chat_id))
    return ChatWatch(bool(data.get("on")), dict(data.get("recent") or {}))


async def switch(storage: BaseStorage, bot_id: int, chat_id: int, on: bool) -> None:
    key = chat_key(bot_id, chat_id)
    data = await storage.get_data(key)
    await storage.set_data(key, {**data, "on": on})


async def take_repeat(
    storage: BaseStorage, bot_id: int, chat_id: int, correction: str, now: float | None = None
) -> bool:
    """True (and remembered) if this correction was not sent in this chat within the window."""
    now = time.time() if now is None else now
    key = chat_key(bot_id, chat_id)
    data = await storage.get_data(key)
    recent = {k: t for k, t in (data.get("recent") or {}).items() if now - t < REPEAT_WINDOW}
    if correction in recent:
        return False
    recent[correction] = now
    await storage.set_data(key, {**data, "recent": recent})
    return True
