"""aiogram FSM storage in Redis that degrades to process memory while Redis is down.

Per-user settings (/lang, an admin's /why record) live in aiogram's RedisStorage, so every
replica sees them. During an outage reads find what this replica wrote meanwhile, or
nothing (the user's Telegram language then decides, as for a user who never chose), and
writes are kept here; when Redis is back they are written to it before it is used again,
so a /lang sent during the outage is not forgotten (last writer wins).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, StateType, StorageKey
from aiogram.fsm.storage.redis import RedisStorage
from redis.asyncio import Redis

from bot.redis.connection import RedisConnection
from bot.redis.keys import PREFIX
from bot.redis.outage import RedisUnavailable


@dataclass
class _PendingWrite:
    """What was written for one key while Redis was down, still to be written to it."""

    state: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    state_set: bool = False
    data_set: bool = False


class FallbackStorage(BaseStorage):
    """RedisStorage through a RedisConnection, with the in-process fallback described above."""

    def __init__(self, link: RedisConnection) -> None:
        self.link = link
        # with_bot_id: several bots may share one Redis without mixing their users' settings
        builder = DefaultKeyBuilder(prefix=f"{PREFIX}:fsm", with_bot_id=True)
        self.redis = RedisStorage(link.client, key_builder=builder)
        self._pending: dict[StorageKey, _PendingWrite] = {}
        link.on_recovery(self._write_back)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        value = state.state if isinstance(state, State) else state
        try:
            await self.link.call(lambda _: self.redis.set_state(key, value))
        except RedisUnavailable:
            pending = self._pending.setdefault(key, _PendingWrite())
            pending.state, pending.state_set = value, True

    async def get_state(self, key: StorageKey) -> str | None:
        try:
            return await self.link.call(lambda _: self.redis.get_state(key))
        except RedisUnavailable:
            pending = self._pending.get(key)
            return pending.state if pending else None

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        try:
            await self.link.call(lambda _: self.redis.set_data(key, data))
        except RedisUnavailable:
            pending = self._pending.setdefault(key, _PendingWrite())
            pending.data, pending.data_set = dict(data), True

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        try:
            return await self.link.call(lambda _: self.redis.get_data(key))
        except RedisUnavailable:
            pending = self._pending.get(key)
            return dict(pending.data) if pending else {}

    async def _write_back(self, _: Redis) -> None:
        """Hand what was kept during the outage to Redis (the link is still marked down)."""
        while self._pending:
            key = next(iter(self._pending))
            pending = self._pending.pop(key)  # a write meanwhile makes a new entry, handled next
            try:
                if pending.state_set:
                    await self.redis.set_state(key, pending.state)
                if pending.data_set:
                    await self.redis.set_data(key, pending.data)
            except BaseException:
                self._pending.setdefault(key, pending)
                raise

    async def close(self) -> None:
        """The link belongs to whoever made it (it outlives the dispatcher's shutdown)."""
