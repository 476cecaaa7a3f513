"""Sending a rendered reply where the question was asked, and the ask -> answer -> send path
that private chats, groups and /ask share.
"""

from __future__ import annotations

from aiogram import Bot
from aiogram.enums import ChatType
from aiogram.types import Message, ReplyParameters

from bot.engine import AnswerEngine
from bot.telegram.lang import Langs
from bot.telegram.render import Reply, render_answer
from bot.telegram.trace import Trace


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
    bot: Bot, message: Message, question: str, engine: AnswerEngine, langs: Langs, trace: Trace
) -> None:
    """Ask the engine, note the outcome for the log line, send the rendered answer."""
    answer = engine.answer(question, lang=langs.explicit, user_lang=langs.user_lang)
    trace.note(answer)
    await send(bot, message, render_answer(engine, answer, group=is_group(message)))
