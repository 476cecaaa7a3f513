"""Commands for the people in ADMIN_IDS, in private chats: /reload and /why.

Anyone else sending them gets no reply at all (the update is logged with their user id, so an
admin missing from ADMIN_IDS can find theirs): the commands are in no menu, and an answer
would only tell a stranger they exist. In groups they are not admin commands either, since
their output (knowledge problems, matching internals) is for the operator, not the chat.
"""

from __future__ import annotations

import logging

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command, Filter
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot.config import Settings
from bot.engine.texts import Texts
from bot.reload.live import LiveEngine, ReloadResult
from bot.telegram.filters import AwaitedF
from bot.telegram.reload import reload_knowledge
from bot.telegram.render import text_reply
from bot.telegram.responder import Responder
from bot.telegram.trace import Trace
from bot.telegram.why import WHY_KEY, render_why

log = logging.getLogger(__name__)

PROBLEMS_BUDGET = 3500  # characters of problem lines in a reply, under Telegram's 4096


class IsAdmin(Filter):
    """The sender's Telegram user id is in ADMIN_IDS."""

    async def __call__(self, message: Message, settings: Settings) -> bool:
        user = message.from_user
        return user is not None and user.id in settings.admin_ids


def reload_reply(texts: Texts, lang: str, result: ReloadResult) -> str:
    """The outcome: the intent count, or the problems one per line, cut to fit one message."""
    if result.ok:
        return texts(lang, "reload_ok", intents=result.intents)
    lines = [texts(lang, "reload_refused", count=len(result.problems))]
    used = len(lines[0])
    for shown, problem in enumerate(result.problems):
        line = f"• {problem}"
        if used + len(line) + 1 > PROBLEMS_BUDGET:
            lines.append(texts(lang, "reload_more", count=len(result.problems) - shown))
            break
        lines.append(line)
        used += len(line) + 1
    return "\n".join(lines)


async def reload_(
    message: Message, bot: Bot, live: LiveEngine, settings: Settings, responder: Responder
) -> None:
    """`/reload`: load the knowledge folder again; reply with the outcome."""
    user = message.from_user
    trigger = f"/reload by {user.id}" if user else "/reload"
    result = await reload_knowledge(bot, live, settings.default_lang, trigger)
    # The reply comes from the engine now in service: the new one, or the old one kept.
    texts = live.current.texts if live.current is not None else responder.texts
    reply = reload_reply(texts, responder.langs.ui, result)
    await responder.send(message, text_reply(reply))


async def why(message: Message, state: FSMContext, responder: Responder) -> None:
    """`/why`: how the admin's previous question was read, matched and given its language."""
    record = (await state.get_data()).get(WHY_KEY)
    if record is None:
        await responder.say(message, "why_none")
        return
    text = render_why(responder.texts, responder.langs.ui, record)
    await responder.send(message, text_reply(text))


async def not_admin(message: Message, responder: Responder, trace: Trace) -> None:
    """Swallowed without a reply (see the module docstring); the log says who tried."""
    name = (message.text or "").split()[0].split("@")[0].lstrip("/")
    trace.command(name, responder.langs.ui)
    trace.outcome = "ignored"
    user = message.from_user
    log.info("/%s from user %s ignored: not in ADMIN_IDS", name, user.id if user else "?")


def build() -> Router:
    router = Router(name="admin")
    router.message.filter(AwaitedF(F.chat.type == ChatType.PRIVATE, F.text.startswith("/")))
    router.message.register(reload_, Command("reload"), IsAdmin(), flags={"command": "reload"})
    router.message.register(why, Command("why"), IsAdmin(), flags={"command": "why"})
    router.message.register(not_admin, Command("reload", "why"))
    return router
