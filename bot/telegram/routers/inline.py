"""Inline mode: `@bot экспорт` in any chat offers up to five answers, each ready to send.

Results depend only on the query when its script decides the language, so Telegram may cache
them for everyone; when the language comes from the user (their /lang choice or
language_code), they are marked personal.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.enums import ParseMode
from aiogram.types import (
    InlineQuery,
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    LinkPreviewOptions,
)

from bot.config import Settings
from bot.engine import Answer, AnswerEngine, AnswerKind
from bot.telegram.lang import LanguagePrefs
from bot.telegram.render import render_inline
from bot.telegram.trace import Trace

MAX_RESULTS = 5
DESCRIPTION_CHARS = 120
START_PARAMETER = "inline"


def _title(engine: AnswerEngine, answer: Answer) -> str:
    if answer.kind is AnswerKind.OUT_OF_SCOPE or answer.intent is None:
        return engine.texts(answer.lang, "out_of_scope_short")
    return engine.question_of(answer.intent, answer.lang)


def _description(text: str) -> str:
    return text if len(text) <= DESCRIPTION_CHARS else text[: DESCRIPTION_CHARS - 1] + "…"


def to_result(engine: AnswerEngine, answer: Answer) -> InlineQueryResultArticle:
    """One result; its id names the content (intent, language, claim) so it stays unique."""
    claim = "" if answer.claim is None else (":yes" if answer.claim.confirmed else ":no")
    result_id = f"{answer.intent or 'oos'}:{answer.lang}{claim}"
    return InlineQueryResultArticle(
        id=result_id,
        title=_title(engine, answer),
        description=_description(answer.text),
        input_message_content=InputTextMessageContent(
            message_text=render_inline(engine, answer),
            parse_mode=ParseMode.HTML,
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        ),
    )


async def answer_inline(
    query: InlineQuery, engine: AnswerEngine, langs: LanguagePrefs, settings: Settings, trace: Trace
) -> None:
    lang, answers = engine.offers(
        query.query, lang=langs.explicit, user_lang=langs.code_or_default, limit=MAX_RESULTS
    )
    if answers:
        trace.note(answers[0])
    trace.lang = lang
    await query.answer(
        results=[to_result(engine, a) for a in answers],
        cache_time=settings.inline_cache_time,
        is_personal=langs.explicit is not None or not engine.script_decides(query.query),
        button=InlineQueryResultsButton(
            text=engine.texts(lang, "inline_switch"), start_parameter=START_PARAMETER
        ),
    )


def build() -> Router:
    router = Router(name="inline")
    router.inline_query.register(answer_inline)
    return router
