"""Interface strings the Telegram layer reads from knowledge/ui.yaml.

The loader refuses a knowledge base without them (at start-up, on /reload and SIGHUP, and in
`technopolis-bot validate`), so a missing key is a clear error, not a failed reply. Imports
nothing from aiogram: the CLI reads it before aiogram is loaded.
"""

from __future__ import annotations

from bot.telegram.commands import COMMANDS

TELEGRAM_UI_KEYS: tuple[str, ...] = (
    "ask_usage", "callback_stale", "check_usage", "check_nothing", "factcheck_on",
    "factcheck_on_blind", "factcheck_off", "factcheck_status_on", "factcheck_status_off",
    "factcheck_admins_only", "factcheck_usage", "factcheck_private", "watch_correction",
    "watch_more", "watch_off_button", "error", "help", "inline_switch", "lang_set", "lang_usage",
    "non_text", "none_of_these", "none_of_these_ack", "people_separator", "reload_more",
    "reload_ok", "reload_refused", "source", "start", "throttled", "topics",
    "why_best", "why_button", "why_claim", "why_example", "why_lang", "why_no_candidates", "why_no_runner_up",
    "why_none", "why_out_of_scope", "why_question", "why_reading", "why_runner_up",
    *(command.description_key for command in COMMANDS),
)  # fmt: skip
