"""Who may switch watch mode: the chat's administrators, asked with getChatMember, cached briefly.

A minute of cache spares the Bot API a call per /factcheck and per "switch off" press, and a
demoted admin loses the right within that minute.
"""

from __future__ import annotations

import time

from aiogram import Bot

ADMIN_STATUSES = frozenset({"creator", "administrator"})
CACHE_SECONDS = 60.0
MAX_ENTRIES = 10_000


class AdminCache:
    def __init__(self, ttl: float = CACHE_SECONDS) -> None:
        self.ttl = ttl
        self._seen: dict[tuple[int, int], tuple[float, bool]] = {}

    async def is_admin(self, bot: Bot, chat_id: int, user_id: int) -> bool:
        now = time.monotonic()
        hit = self._seen.get((chat_id, user_id))
        if hit is not None and now - hit[0] < self.ttl:
            return hit[1]
        member = await bot.get_chat_member(chat_id=chat_id, user_id=user_id)
        admin = member.status in ADMIN_STATUSES
        if len(self._seen) >= MAX_ENTRIES:  # a bound on memory, not a policy: start afresh
            self._seen.clear()
        self._seen[(chat_id, user_id)] = (now, admin)
        return admin
