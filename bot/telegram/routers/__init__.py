"""Routers, one per kind of conversation; `all_routers()` gives them in matching order."""

from __future__ import annotations

from aiogram import Router

from bot.telegram.routers import callbacks, commands, group, inline, private


def all_routers() -> list[Router]:
    """Commands first (they win over "any text"); then private chats, where most questions are
    asked, before groups (the two never overlap, so the order only saves a router's checks);
    inline, buttons."""
    return [
        commands.build(),
        private.build(),
        group.build(),
        inline.build(),
        callbacks.build(),
    ]
