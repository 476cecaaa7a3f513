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
from aiogram.utils.callback_answer import CallbackAnswer

from bot.factcheck import chats
from bot.factcheck.admins import AdminCache
from bot.telegram.filters import GROUP_CHATS, AwaitedF
from bot.telegram.render import WatchOffCallback, render_correction
from bot.telegram.responder import Responder, is_group

SWITCHES = {"on": True, "off": False}


def _text_of(message: Message | None) -> str:
    if message is None or message.forum_topic_created is not None:
        return ""
    return (message.text or message.caption or "").strip()


async def check(message: Message, command: CommandObject, responder: Responder) -> None:
    """`/check` as a reply reads the replied-to message (the answer replies to it, in its
    topic); `/check <text>` checks the text."""
    text = (command.args or "").strip()
    target = message
    if not text:
        text = _text_of(message.reply_to_message)
        if text and message.reply_to_message is not None:
            target = message.reply_to_message
    if not text:
        await responder.say(message, "check_usage")
        return
    await responder.check(target, text)


async def forwarded(message: Message, responder: Responder) -> None:
    """A message forwarded to the bot in a private chat is checked, not asked."""
    await responder.check(message, _text_of(message))


async def factcheck(
    message: Message,
    command: CommandObject,
    bot: Bot,
    responder: Responder,
    fsm_storage: BaseStorage,
    admins: AdminCache,
) -> None:
    """`/factcheck on|off|status`: watch mode for this group, switched by its admins only."""
    arg = (command.args or "status").strip().lower()
    if not is_group(message):
        key = "factcheck_private"
    elif arg == "status":
        state = await chats.load(fsm_storage, bot.id, message.chat.id)
        key = "factcheck_status_on" if state.on else "factcheck_status_off"
    elif arg not in SWITCHES:
        key = "factcheck_usage"
    else:
        key = await _switch(message, bot, SWITCHES[arg], fsm_storage, admins)
    await responder.say(message, key)


async def _switch(
    message: Message, bot: Bot, on: bool, fsm_storage: BaseStorage, admins: AdminCache
) -> str:
    """Switch watch mode if the sender is an admin; the reply's key says what happened.

    Switched on, it says whether the bot can see the group's messages at all (privacy mode
    off, or the bot an admin), since watch mode is blind otherwise.
    """
    chat_id, user = message.chat.id, message.from_user
    if user is None or not await admins.is_admin(bot, chat_id, user.id):
        return "factcheck_admins_only"
    await chats.switch(fsm_storage, bot.id, chat_id, on)
    if not on:
        return "factcheck_off"
    me = await bot.me()
    sees = me.can_read_all_group_messages or await admins.is_admin(bot, chat_id, bot.id)
    return "factcheck_on" if sees else "factcheck_on_blind"


async def watch(
    message: Message, bot: Bot, responder: Responder, fsm_storage: BaseStorage
) -> None:
    """An ordinary group message: corrected only when watch mode is on, it states a value the
    article contradicts, and this chat was not given the same correction within the hour."""
    trace = responder.trace
    trace.outcome = "ignored"
    state = await chats.load(fsm_storage, bot.id, message.chat.id)
    if not state.on:
        return
    answer = responder.engine.watch(
        message.text or "", user_lang=responder.langs.code_or_default
    )
    if answer is None or answer.intent is None:
        return
    if not await chats.take_repeat(fsm_storage, bot.id, message.chat.id, answer.intent):
        return
    trace.outcome = "corrected"
    trace.note(answer)
    if responder.metrics is not None:
        responder.metrics.checked("watch", "refuted")
    me = await bot.me()
    await responder.send(message, render_correction(responder.engine, answer, me.username))


async def switch_off(
    query: CallbackQuery,
    bot: Bot,
    callback_answer: CallbackAnswer,
    responder: Responder,
    fsm_storage: BaseStorage,
    admins: AdminCache,
) -> None:
    """The "switch checking off" button under a correction: admins only."""
    message = query.message
    if not isinstance(message, Message) or not await admins.is_admin(
        bot, message.chat.id, query.from_user.id
    ):
        callback_answer.text = responder.text("factcheck_admins_only")
        callback_answer.show_alert = True
        return
    await chats.switch(fsm_storage, bot.id, message.chat.id, False)
    callback_answer.text = responder.text("factcheck_off")


def build() -> Router:
    """/check, /factcheck, the "switch off" button, and messages forwarded to the bot in a
    private chat (placed before the private router, which would take them as questions)."""
    router = Router(name="factcheck")
    router.message.register(
        check, AwaitedF(F.text.startswith("/")), Command("check"), flags={"command": "check"}
    )
    router.message.register(
        factcheck,
        AwaitedF(F.text.startswith("/")),
        Command("factcheck"),
        flags={"command": "factcheck"},
    )
    router.message.register(
        forwarded,
        AwaitedF(F.chat.type == ChatType.PRIVATE, F.forward_origin, F.text | F.caption),
        flags={"command": "check"},
    )
    router.callback_query.register(
        switch_off, WatchOffCallback.filter(), flags={"command": "factcheck"}
    )
    return router


def build_watch() -> Router:
    """Watch mode: group messages nothing else took (placed after the group router, which
    answers mentions of the bot and replies to it)."""
    router = Router(name="factcheck-watch")
    router.message.register(
        watch,
        AwaitedF(
            F.chat.type.in_(GROUP_CHATS),
            F.text,
            ~F.text.startswith("/"),
            ~F.forward_origin,  # channel posts and other forwards: only when /check'ed
            ~F.via_bot,  # our own inline answers, and other bots'
            ~F.from_user.is_bot,
        ),
    )
    return router
