"""Buttons: a suggestion answers that question in the chat; "none of these" is recorded."""

from __future__ import annotations

import time

from aiogram import Bot, Router
from aiogram.types import CallbackQuery, Message

from bot.engine import AnswerEngine
from bot.misses.record import NONE_OF_THESE, Miss
from bot.misses.store import MissSink
from bot.telegram.lang import Langs, parse_lang
from bot.telegram.render import AskCallback, NoneCallback, render_answer, text_reply
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


async def none_of_these(
    query: CallbackQuery,
    callback_data: NoneCallback,
    bot: Bot,
    engine: AnswerEngine,
    langs: Langs,
    trace: Trace,
    misses: MissSink | None = None,
) -> None:
    """The user says no suggestion fits: record it against their question, say so.

    The button carries the question's key in the misses log, whose writer copies the
    question's text, nearest intent and score into the new row; so this works the same
    after a restart, and nothing about the question is held in memory.
    """
    lang = langs.explicit or parse_lang(callback_data.lang) or langs.ui
    trace.lang, trace.kind = lang, NONE_OF_THESE
    if misses is not None:
        misses.record(
            Miss(
                ts=time.time(),
                lang=lang,
                kind=NONE_OF_THESE,
                intent=None,
                score=0.0,
                text=None,  # the writer takes the question's own from its row
                key=callback_data.key,
            )
        )
    await query.answer()
    message = query.message
    if isinstance(message, Message):
        await send(bot, message, text_reply(engine.ui(lang, "none_of_these_ack")))


async def unknown(query: CallbackQuery) -> None:
    """Data from an older version of the bot: stop the button's spinner, nothing else."""
    await query.answer()


def build() -> Router:
    router = Router(name="callbacks")
    router.callback_query.register(ask, AskCallback.filter())
    router.callback_query.register(none_of_these, NoneCallback.filter())
    router.callback_query.register(unknown)
    return router
