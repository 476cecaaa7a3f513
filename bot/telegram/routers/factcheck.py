"""Fact-checking in groups: `/check` on any message, `/factcheck on|off|status` for admins, and
watch mode, which corrects a wrong figure nobody asked about.

/check works with privacy mode on (commands reach the bot); watch mode needs the group's
ordinary messages (privacy mode off, or the bot an admin), and `/factcheck on` says so when
the bot cannot see them. The verdicts are the answer engine's; the chat's state is in
bot/factcheck/.
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command, CommandObject
from aiogram.fsm.storage.base import BaseStorage
from aiogram.types import CallbackQuery, Message

from bot.engine import AnswerEngine
from bot.factcheck import chats
from bot.factcheck.admins import AdminCache
from bot.health.metrics import Metrics
from bot.misses.store import MissSink
from bot.telegram.filters import Magic
from bot.telegram.lang import Langs
from bot.telegram.render import WatchOffCallback, render_correction, text_reply
from bot.telegram.respond import check_text, is_group, send
from bot.telegram.trace import Trace

GROUPS = {ChatType.GROUP, ChatType.SUPERGROUP}
SWITCHES = {"on": True, "off": False}


def _text_of(message: Message | None) -> str:
    if message is None or message.forum_topic_created is not None:
        return ""
    return (message.text or message.caption or "").strip()


async def check(
    message: Message,
    command: CommandObject,
    bot: Bot,
    engine: AnswerEngine,
    langs: Langs,
    trace: Trace,
    metrics: Metrics | None = None,
    misses: MissSink | None = None,
) -> None:
    """`/check` as a reply reads the replied-to message (the answer replies to it, in its
    topic); `/check <text>` checks the text."""
    text = (command.args or "").strip()
    target = message
    if not text:
        text = _text_of(message.reply_to_message)
        if text and message.reply_to_message is not None:
            target = message.reply_to_message
    if not text:
        trace.command("check", langs.ui)
        await send(bot, message, text_reply(engine.ui(langs.ui, "check_usage")))
        return
    await check_text(bot, target, text, engine, langs, trace, metrics, misses)


async def forwarded(
    message: Message,
    bot: Bot,
    engine: AnswerEngine,
    langs: Langs,
    trace: Trace,
    metrics: Metrics | None = None,
    misses: MissSink | None = None,
) -> None:
    """A message forwarded to the bot in a private chat is checked, not asked."""
    await check_text(bot, message, _text_of(message), engine, langs, trace, metrics, misses)


async def factcheck(
    message: Message,
    command: CommandObject,
    bot: Bot,
    engine: AnswerEngine,
    langs: Langs,
    trace: Trace,
    fsm_storage: BaseStorage,
    admins: AdminCache,
) -> None:
    """`/factcheck on|off|status`: watch mode for this group, switched by its admins only."""
    lang = langs.ui
    trace.command("factcheck", lang)
    if not is_group(message):
        await send(bot, message, text_reply(engine.ui(lang, "factcheck_private")))
        return
    arg = (command.args or "status").strip().lower()
    chat_id = message.chat.id
    if arg == "status":
        state = await chats.load(fsm_storage, bot.id, chat_id)
        key = "factcheck_status_on" if state.on else "factcheck_status_off"
        await send(bot, message, text_reply(engine.ui(lang, key)))
        return
    if arg not in SWITCHES:
        await send(bot, message, text_reply(engine.ui(lang, "factcheck_usage")))
        return
    user = message.from_user
    if user is None or not await admins.is_admin(bot, chat_id, user.id):
        await send(bot, message, text_reply(engine.ui(lang, "factcheck_admins_only")))
        return
    await chats.switch(fsm_storage, bot.id, chat_id, SWITCHES[arg])
    if not SWITCHES[arg]:
        await send(bot, message, text_reply(engine.ui(lang, "factcheck_off")))
        return
    me = await bot.me()
    sees = me.can_read_all_group_messages or await admins.is_admin(bot, chat_id, bot.id)
    key = "factcheck_on" if sees else "factcheck_on_blind"
    await send(bot, message, text_reply(engine.ui(lang, key)))


async def watch(
    message: Message,
    bot: Bot,
    engine: AnswerEngine,
    langs: Langs,
    trace: Trace,
    fsm_storage: BaseStorage,
    metrics: Metrics | None = None,
) -> None:
    """An ordinary group message: corrected only when watch mode is on, it states a value the
    article contradicts, and this chat was not given the same correction within the hour."""
    trace.outcome = "ignored"
    state = await chats.load(fsm_storage, bot.id, message.chat.id)
    if not state.on:
        return
    answer = engine.watch(message.text or "", user_lang=langs.user_lang)
    if answer is None or answer.intent is None:
        return
    if not await chats.take_repeat(fsm_storage, bot.id, message.chat.id, answer.intent):
        return
    trace.outcome = "corrected"
    trace.note(answer)
    if metrics is not None:
        metrics.checked("watch", "refuted")
    me = await bot.me()
    await send(bot, message, render_correction(engine, answer, me.username))


async def switch_off(
    query: CallbackQuery,
    bot: Bot,
    engine: AnswerEngine,
    langs: Langs,
    trace: Trace,
    fsm_storage: BaseStorage,
    admins: AdminCache,
) -> None:
    """The "switch checking off" button under a correction: admins only."""
    trace.command("factcheck", langs.ui)
    message = query.message
    if not isinstance(message, Message) or not await admins.is_admin(
        bot, message.chat.id, query.from_user.id
    ):
        await query.answer(engine.ui(langs.ui, "factcheck_admins_only"), show_alert=True)
        return
    await chats.switch(fsm_storage, bot.id, message.chat.id, False)
    await query.answer(engine.ui(langs.ui, "factcheck_off"))


def build() -> Router:
    """/check, /factcheck, the "switch off" button, and messages forwarded to the bot in a
    private chat (placed before the private router, which would take them as questions)."""
    router = Router(name="factcheck")
    router.message.register(check, Magic(F.text.startswith("/")), Command("check"))
    router.message.register(factcheck, Magic(F.text.startswith("/")), Command("factcheck"))
    router.message.register(
        forwarded, Magic(F.chat.type == ChatType.PRIVATE, F.forward_origin, F.text | F.caption)
    )
    router.callback_query.register(switch_off, WatchOffCallback.filter())
    return router


def build_watch() -> Router:
    """Watch mode: group messages nothing else took (placed after the group router, which
    answers mentions of the bot and replies to it)."""
    router = Router(name="factcheck-watch")
    router.message.register(
        watch,
        Magic(
            F.chat.type.in_(GROUPS),
            F.text,
            ~F.text.startswith("/"),
            ~F.forward_origin,  # channel posts and other forwards: only when /check'ed
            ~F.via_bot,  # our own inline answers, and other bots'
            ~F.from_user.is_bot,
        ),
    )
    return router
