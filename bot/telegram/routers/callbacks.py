"""Buttons: a suggestion answers that question in the chat; "none of these" is recorded.

Every press is answered (the button's spinner stopped) by aiogram's CallbackAnswerMiddleware
after the handler; a handler only sets the text to show (`callback_answer`).
"""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.callback_answer import CallbackAnswer

from bot.engine import Lang
from bot.misses.record import NONE_OF_THESE, rejection
from bot.telegram.lang import parse_lang
from bot.telegram.render import AskCallback, NoneCallback
from bot.telegram.responder import Responder


def _lang(responder: Responder, button_lang: str) -> Lang:
    """The user's /lang choice, else the language the button was offered in."""
    return responder.langs.explicit or parse_lang(button_lang) or responder.langs.ui


async def ask(
    query: CallbackQuery,
    callback_data: AskCallback,
    callback_answer: CallbackAnswer,
    responder: Responder,
) -> None:
    """Answer the button's intent in the chat the button is in."""
    lang = _lang(responder, callback_data.lang)
    answer = responder.engine.answer_intent(callback_data.intent, lang)
    message = query.message
    if answer is None or not isinstance(message, Message):
        responder.trace.lang = lang
        callback_answer.text = responder.text("callback_stale", lang)
        return
    await responder.answer(message, answer)


async def none_of_these(
    query: CallbackQuery, callback_data: NoneCallback, responder: Responder
) -> None:
    """The user says no suggestion fits: record it against their question, say so.

    The button carries the question's key in the misses log, whose writer copies the
    question's text, nearest intent and score into the new row; so this works the same
    after a restart, and nothing about the question is held in memory.
    """
    lang = _lang(responder, callback_data.lang)
    responder.trace.lang, responder.trace.kind = lang, NONE_OF_THESE
    if responder.misses is not None:
        responder.misses.record(rejection(callback_data.key, lang))
    if isinstance(query.message, Message):
        await responder.say(query.message, "none_of_these_ack", lang)


async def unknown(query: CallbackQuery) -> None:
    """Data from an older version of the bot: the spinner stops, nothing else happens."""


def build() -> Router:
    router = Router(name="callbacks")
    router.callback_query.register(ask, AskCallback.filter())
    router.callback_query.register(none_of_these, NoneCallback.filter())
    router.callback_query.register(unknown)
    return router
