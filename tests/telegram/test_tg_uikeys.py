"""Every interface string the Telegram layer reads is one the loader insists on."""

from __future__ import annotations

import re
from pathlib import Path

from bot.engine.knowledge import ENGINE_UI_KEYS
from bot.telegram.uikeys import TELEGRAM_UI_KEYS

TELEGRAM = Path(__file__).resolve().parents[2] / "bot" / "telegram"


def test_every_key_used_in_code_is_required() -> None:
    used: set[str] = set()
    for path in TELEGRAM.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""\bui\((?:[^(),]+,\s*)?["']([a-z_]+)["']""", source))
    assert used, "the pattern found no ui() calls: it no longer matches the code"
    missing = used - set(TELEGRAM_UI_KEYS) - set(ENGINE_UI_KEYS)
    assert not missing, f"add to bot/telegram/uikeys.py: {sorted(missing)}"
