"""Every interface string the Telegram layer reads is one the loader insists on."""

from __future__ import annotations

import re
from pathlib import Path

from bot.engine.knowledge import ENGINE_UI_KEYS
from bot.telegram.uikeys import TELEGRAM_UI_KEYS

TELEGRAM = Path(__file__).resolve().parents[2] / "bot" / "telegram"
CALL = r"""\b(?:ui|texts|text|say)\((?:[^(),"']+,\s*){0,2}["']([a-z_]+)["']"""
PICKED = r"""(?:\bkey = |\breturn )(["'][a-z_]+["'].*)"""


def test_every_key_used_in_code_is_required() -> None:
    used: set[str] = set()
    for path in TELEGRAM.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        # texts(lang, "key"), responder.text("key"), responder.say(message, "key"), ...
        used |= set(re.findall(CALL, source))
        # ...and keys picked before the call: `key = "factcheck_on" if ... else "..."`
        for picked in re.findall(PICKED, source):
            used |= set(re.findall(r"""["']([a-z]+_[a-z_]+)["']""", picked))
    assert len(used) > 30, "the patterns found few keys: they no longer match the code"
    missing = used - set(TELEGRAM_UI_KEYS) - set(ENGINE_UI_KEYS)
    assert not missing, f"add to bot/telegram/uikeys.py: {sorted(missing)}"
