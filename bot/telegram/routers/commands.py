"""/start (with deep links), /help, /topics, /source, /lang, /ask — in any chat. The list of
commands and their menus is in commands.py; the admins' /reload and /why in routers/admin.py.

Command filters check `@botname`: `/ask@otherbot` does not match and is left alone.
"""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from bot.telegram.filters import AwaitedF
from bot.telegram.lang import parse_lang, store_lang
from bot.telegram.render import render_source, render_start, render_topics
from bot.telegram.responder import Responder


async def start(message: Message, command: CommandObject, responder: Responder) -> None:
    """Greeting with three example questions; `/start <intent>` answers that intent."""
    lang = responder.langs.ui
    answer = responder.engine.answer_intent(command.args.strip(), lang) if command.args else None
    if answer is not None:
        await responder.answer(message, answer)
        return
    await responder.send(message, render_start(responder.engine, lang))


async def help_(message: Message, bot: Bot, responder: Responder) -> None:
    me = await bot.me()
    await responder.say(message, "help", bot_username=me.username)


async def topics(message: Message, responder: Responder) -> None:
    await responder.send(message, render_topics(responder.engine, responder.langs.ui))


async def source(message: Message, responder: Responder) -> None:
    await responder.send(message, render_source(responder.engine, responder.langs.ui))


async def lang(
    message: Message, command: CommandObject, state: FSMContext, responder: Responder
) -> None:
    """`/lang ru|en`: kept per user; the next answers follow it whatever the question's script."""
    chosen = parse_lang(command.args)
    if chosen is None:
        await responder.say(message, "lang_usage")
        return
    await store_lang(state, chosen)
    responder.trace.lang = chosen
    await responder.say(message, "lang_set", chosen)


async def ask(message: Message, command: CommandObject, responder: Responder) -> None:
    """`/ask <question>`; a bare `/ask` in reply to a message asks that message's text."""
    question = (command.args or "").strip()
    replied = message.reply_to_message
    if not question and replied is not None and replied.text:
        question = replied.text
    if not question:
        await responder.say(message, "ask_usage")
        return
    await responder.ask(message, question)


def build() -> Router:
    router = Router(name="commands")
    # Every command starts with "/": other text skips this router with one check instead of
    # being parsed by each Command filter in turn.
    router.message.filter(AwaitedF(F.text.startswith("/")))
    router.message.register(start, CommandStart(), flags={"command": "start"})
    router.message.register(help_, Command("help"), flags={"command": "help"})
    router.message.register(topics, Command("topics"), flags={"command": "topics"})
    router.message.register(source, Command("source"), flags={"command": "source"})
    router.message.register(lang, Command("lang"), flags={"command": "lang"})
    router.message.register(ask, Command("ask"), flags={"command": "ask"})
    return router
