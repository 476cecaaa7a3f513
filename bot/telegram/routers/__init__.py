"""Routers, one per kind of conversation; `all_routers()` gives them in matching order."""

from __future__ import annotations

from aiogram import Router

from bot.telegram.routers import admin, callbacks, commands, factcheck, group, inline, private


def all_routers() -> list[Router]:
    """Commands first (they win over "any text"; the admins' after everyone's), fact-check
    commands and forwarded messages
    next; then private chats, where most questions are asked, before groups (the two never
    overlap, so the order only saves a router's checks); watch mode after groups, for the
    group messages nobody addressed to the bot; inline, buttons."""
    return [
        commands.build(),
        admin.build(),
        factcheck.build(),
        private.build(),
        group.build(),
        factcheck.build_watch(),
        inline.build(),
        callbacks.build(),
    ]
