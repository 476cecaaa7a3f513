"""Suggestion buttons: pressing one answers that question in the chat."""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.types import CallbackQuery, Message

from bot.engine import AnswerEngine
from bot.telegram.lang import Langs, parse_lang
from bot.telegram.render import AskCallback, render_answer
from bot.telegram.respond import is_group, send
from bot.telegram.trace import Trace


async def ask(
    query: CallbackQuery,
    callback_data: AskCallback,
    bot: Bot,
    engine: AnswerEngine,
    langs: Langs,
    trace: Trace,
) -> None:
    """Answer the button's intent, in the user's /lang choice or else the button's language."""
    lang = langs.explicit or parse_lang(callback_data.lang) or langs.ui
    answer = engine.answer_intent(callback_data.intent, lang)
    message = query.message
    if answer is None or not isinstance(message, Message):
        trace.lang = lang
        await query.answer(engine.ui(lang, "callback_stale"))
        return
    trace.note(answer)
    await query.answer()
    await send(bot, message, render_answer(engine, answer, group=is_group(message)))


async def unknown(query: CallbackQuery) -> None:
    """Data from an older version of the bot: stop the button's spinner, nothing else."""
    await query.answer()


def build() -> Router:
    router = Router(name="callbacks")
    router.callback_query.register(ask, AskCallback.filter())
    router.callback_query.register(unknown)
    return router
