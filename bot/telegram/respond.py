"""Sending a rendered reply where the question was asked, and the ask -> answer -> send path
that private chats, groups and /ask share (it also records misses, see bot/misses/sqlite.py);
likewise the check -> verdicts -> send path of /check and forwarded messages.
"""

from __future__ import annotations

import asyncio

from aiogram import Bot, Dispatcher
from aiogram.enums import ChatType
from aiogram.types import Message, ReplyParameters

from bot.config import Settings
from bot.engine import Answer, AnswerEngine
from bot.health.metrics import Metrics
from bot.misses.record import miss_for
from bot.misses.store import MissSink, open_misses
from bot.telegram.lang import Langs
from bot.telegram.render import Reply, render_answer, render_check
from bot.telegram.trace import Trace

MISSES_KEY = "misses"  # the MissSink in the dispatcher's workflow data, handlers' `misses`


def is_group(message: Message) -> bool:
    return message.chat.type != ChatType.PRIVATE


async def send(bot: Bot, message: Message, reply: Reply) -> Message:
    """Into the message's chat; in groups as a reply to it, in the same forum topic."""
    return await bot.send_message(
        chat_id=message.chat.id,
        text=reply.html,
        reply_markup=reply.keyboard,
        message_thread_id=message.message_thread_id if message.is_topic_message else None,
        reply_parameters=(
            ReplyParameters(message_id=message.message_id, allow_sending_without_reply=True)
            if is_group(message)
            else None
        ),
    )


async def answer_question(
    bot: Bot,
    message: Message,
    question: str,
    engine: AnswerEngine,
    langs: Langs,
    trace: Trace,
    misses: MissSink | None = None,
) -> None:
    """Ask the engine, note the outcome for the log line, send the rendered answer.

    A miss is queued before the reply is sent (queueing never waits on the disk), so a
    question whose answer reached the user is in the misses log unless the process died in
    the milliseconds the writer needs to commit it.
    """
    answer = engine.answer(question, lang=langs.explicit, user_lang=langs.user_lang)
    trace.note(answer)
    key = None
    if misses is not None and (miss := miss_for(answer, engine.threshold)) is not None:
        misses.record(miss)
        key = miss.key
    reply = render_answer(engine, answer, group=is_group(message), miss_key=key)
    await send(bot, message, reply)


def install_miss_log(dp: Dispatcher, settings: Settings) -> None:
    """Open the misses log when the bot starts (`dp["misses"]`); flush and close it on stop.

    Call it after the other shutdown hooks are registered: hooks run in order, so the log
    is closed only once the answers still in flight have been sent (and recorded).
    """

    async def open_log() -> None:
        dp[MISSES_KEY] = open_misses(settings)  # SQLite, or the Redis stream with REDIS_URL

    async def close_log() -> None:
        misses: MissSink | None = dp.workflow_data.pop(MISSES_KEY, None)
        if misses is not None:
            await asyncio.to_thread(misses.close, settings.shutdown_timeout)

    dp.startup.register(open_log)
    dp.shutdown.register(close_log)


def verdict_outcome(answers: list[Answer]) -> str:
    """For the metrics: the first claim's verdict, "answered" for a question, "nothing"."""
    for answer in answers:
        if answer.claim is not None:
            return {True: "confirmed", False: "refuted", None: "partly"}[answer.claim.confirmed]
    return "answered" if answers else "nothing"


async def check_text(
    bot: Bot,
    reply_to: Message,
    text: str,
    engine: AnswerEngine,
    langs: Langs,
    trace: Trace,
    metrics: Metrics | None,
    misses: MissSink | None = None,
) -> None:
    """/check and a message forwarded to the bot: the verdict on each claim of `text`.

    A message with nothing the article speaks of goes to the misses log (it may be a claim
    the reader could not read), like a question the engine could not answer.
    """
    answers = engine.check(text, lang=langs.explicit, user_lang=langs.user_lang)
    lang = answers[0].lang if answers else engine.detect_lang(text, langs.user_lang)
    if answers:
        trace.note(answers[0])
    else:
        trace.command("check", langs.explicit or lang)
    if not answers and misses is not None:
        miss = miss_for(engine.answer(text, lang=lang), engine.threshold)
        if miss is not None:
            misses.record(miss)
    if metrics is not None:
        metrics.checked("check", verdict_outcome(answers))
    await send(bot, reply_to, render_check(engine, answers, langs.explicit or lang))
