"""/start (with deep links), /help, /topics, /source, /lang, /ask — in any chat; the admins'
/reload and /why live in a sub-router (routers/admin.py), tried after these.

Command filters check `@botname`: `/ask@otherbot` does not match and is left alone.
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot.engine import AnswerEngine
from bot.misses.store import MissSink
from bot.telegram.filters import Magic
from bot.telegram.lang import Langs, parse_lang, store_lang
from bot.telegram.render import (
    render_answer,
    render_source,
    render_start,
    render_topics,
    text_reply,
)
from bot.telegram.respond import answer_question, is_group, send
from bot.telegram.routers import admin
from bot.telegram.trace import Trace


async def start(
    message: Message,
    command: CommandObject,
    bot: Bot,
    engine: AnswerEngine,
    langs: Langs,
    trace: Trace,
) -> None:
    """Greeting with three example questions; `/start <intent>` answers that intent."""
    lang = langs.ui
    trace.command("start", lang)
    answer = engine.answer_intent(command.args.strip(), lang) if command.args else None
    if answer is not None:
        trace.note(answer)
        await send(bot, message, render_answer(engine, answer, group=is_group(message)))
        return
    await send(bot, message, render_start(engine, lang))


async def help_(
    message: Message, bot: Bot, engine: AnswerEngine, langs: Langs, trace: Trace
) -> None:
    trace.command("help", langs.ui)
    me = await bot.me()
    await send(bot, message, text_reply(engine.ui(langs.ui, "help", bot_username=me.username)))


async def topics(
    message: Message, bot: Bot, engine: AnswerEngine, langs: Langs, trace: Trace
) -> None:
    trace.command("topics", langs.ui)
    await send(bot, message, render_topics(engine, langs.ui))


async def source(
    message: Message, bot: Bot, engine: AnswerEngine, langs: Langs, trace: Trace
) -> None:
    trace.command("source", langs.ui)
    await send(bot, message, render_source(engine, langs.ui))


async def lang(
    message: Message,
    command: CommandObject,
    bot: Bot,
    engine: AnswerEngine,
    langs: Langs,
    state: FSMContext,
    trace: Trace,
) -> None:
    """`/lang ru|en`: kept per user; the next answers follow it whatever the question's script."""
    chosen = parse_lang(command.args)
    if chosen is None:
        trace.command("lang", langs.ui)
        await send(bot, message, text_reply(engine.ui(langs.ui, "lang_usage")))
        return
    await store_lang(state, chosen)
    trace.command("lang", chosen)
    await send(bot, message, text_reply(engine.ui(chosen, "lang_set")))


async def ask(
    message: Message,
    command: CommandObject,
    bot: Bot,
    engine: AnswerEngine,
    langs: Langs,
    trace: Trace,
    misses: MissSink | None = None,
) -> None:
    """`/ask <question>`; a bare `/ask` in reply to a message asks that message's text."""
    question = (command.args or "").strip()
    replied = message.reply_to_message
    if not question and replied is not None and replied.text:
        question = replied.text
    if not question:
        trace.command("ask", langs.ui)
        await send(bot, message, text_reply(engine.ui(langs.ui, "ask_usage")))
        return
    await answer_question(bot, message, question, engine, langs, trace, misses)


def build() -> Router:
    router = Router(name="commands")
    # Every command starts with "/": other text skips this router with one check instead of
    # being parsed by each Command filter in turn.
    router.message.filter(Magic(F.text.startswith("/")))
    router.message.register(start, CommandStart())
    router.message.register(help_, Command("help"))
    router.message.register(topics, Command("topics"))
    router.message.register(source, Command("source"))
    router.message.register(lang, Command("lang"))
    router.message.register(ask, Command("ask"))
    router.include_router(admin.build())
    return router
