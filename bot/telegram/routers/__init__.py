"""Routers, one per kind of conversation; `all_routers()` gives them in matching order."""

from __future__ import annotations

from aiogram import Router

from bot.telegram.routers import callbacks, commands, group, inline, private


def all_routers() -> list[Router]:
    """Commands first (they win over "any text"), then groups, private chats, inline, buttons."""
    return [
        commands.build(),
        group.build(),
        private.build(),
        inline.build(),
        callbacks.build(),
    ]
