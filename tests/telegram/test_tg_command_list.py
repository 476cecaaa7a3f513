"""The command list (bot/telegram/commands.py) is the one source for menus and handlers: a
command in a menu has a handler, and a handler's command is in the list or admin-only."""

from __future__ import annotations

import json

from aiogram import Router
from aiogram.filters import Command
from fakes import updates

from bot.telegram.commands import COMMANDS, GROUP_MENU, PRIVATE_MENU
from bot.telegram.routers import all_routers

ADMIN_ONLY = {"reload", "why"}  # in no menu, on purpose (routers/admin.py)


def _handled_commands(routers: list[Router]) -> set[str]:
    names: set[str] = set()
    for router in routers:
        for handler in router.message.handlers:
            for filter_ in handler.filters or ():
                if isinstance(filter_.callback, Command):
                    names |= {str(c) for c in filter_.callback.commands}
        names |= _handled_commands(list(router.sub_routers))
    return names


def test_every_listed_command_has_a_handler_and_every_handler_is_listed() -> None:
    handled = _handled_commands(all_routers())
    listed = {c.name for c in COMMANDS}
    assert listed - handled == set(), "in the menu but nobody answers it"
    assert handled - listed == ADMIN_ONLY


async def test_the_menus_telegram_gets_are_the_listed_ones_in_order(tg) -> None:
    await tg.reply(updates.private_text("/help", user_id=43))  # start-up has finished
    menus = tg.api.commands
    for scope, menu in (("all_private_chats", PRIVATE_MENU), ("all_group_chats", GROUP_MENU)):
        key = json.dumps({"type": scope}, sort_keys=True)
        for lang in ("ru", "en"):
            assert [c["command"] for c in menus[(key, lang)]] == [c.name for c in menu]
    assert "start" not in {c.name for c in GROUP_MENU} and "ask" in {c.name for c in GROUP_MENU}
