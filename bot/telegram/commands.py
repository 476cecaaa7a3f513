"""The bot's commands, listed once: which menus show each one (private chats, groups), in menu
order. The menus (menu.py) and the interface strings the loader demands (uikeys.py) are both
derived from this list.

Imports nothing from aiogram: the CLI reads it, through uikeys, before aiogram is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class BotCommandSpec:
    """One command; its menu description is the ui.yaml string `cmd_<name>`."""

    name: str
    private: bool  # in the menu of private chats (and the default menu)
    group: bool  # in the menu of group chats

    @property
    def description_key(self) -> str:
        return f"cmd_{self.name}"


# Menu order, the same in every menu a command is in.
COMMANDS: tuple[BotCommandSpec, ...] = (
    BotCommandSpec("start", private=True, group=False),
    BotCommandSpec("ask", private=False, group=True),  # in a private chat any text asks
    BotCommandSpec("check", private=True, group=True),
    BotCommandSpec("factcheck", private=False, group=True),
    BotCommandSpec("help", private=True, group=True),
    BotCommandSpec("topics", private=True, group=True),
    BotCommandSpec("source", private=True, group=True),
    BotCommandSpec("lang", private=True, group=True),
)
# In no menu: /reload and /why answer ADMIN_IDS only (routers/admin.py).

PRIVATE_MENU: tuple[BotCommandSpec, ...] = tuple(c for c in COMMANDS if c.private)
GROUP_MENU: tuple[BotCommandSpec, ...] = tuple(c for c in COMMANDS if c.group)
