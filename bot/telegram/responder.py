"""The one object handlers answer through: the engine, the catalogue of interface strings, the
user's languages, the log line's trace and the misses log, for one update.

Handlers stay a few lines each: they pick what to say, the responder says it where it was
asked. It is built per update by the `AnswerContext` middleware (middlewares.py).
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass

from aiogram.enums import ChatType
from aiogram.types import Message

from bot.engine import Answer, AnswerEngine, Lang
from bot.engine.texts import Texts
from bot.health.metrics import Metrics
from bot.misses.record import miss_for
from bot.misses.store import MissSink
from bot.telegram.lang import LanguagePrefs
from bot.telegram.render import Reply, render_answer, render_check, text_reply
from bot.telegram.trace import Trace

# How long a reply waits for its miss to be written: a commit takes milliseconds; a stuck disk
# must not hold answers.
MISS_WAIT = 0.5


def is_group(message: Message) -> bool:
    return message.chat.type != ChatType.PRIVATE


@dataclass(slots=True)
class Responder:
    engine: AnswerEngine
    langs: LanguagePrefs
    trace: Trace
    misses: MissSink | None = None  # None until start-up opened it, and in unit tests
    metrics: Metrics | None = None

    @property
    def texts(self) -> Texts:
        return self.engine.texts

    def text(self, key: str, lang: Lang | None = None, **values: object) -> str:
        """An interface string in `lang`, else in the user's language."""
        return self.engine.texts(lang or self.langs.ui, key, **values)

    async def send(self, message: Message, reply: Reply) -> Message:
        """Into the message's chat and forum topic (aiogram's answer/reply); in groups as a
        reply to it, so a busy chat sees what is answered (kept if it is deleted meanwhile:
        allow_sending_without_reply is a default of the Bot, see factory.py)."""
        if is_group(message):
            return await message.reply(reply.html, reply_markup=reply.keyboard)
        return await message.answer(reply.html, reply_markup=reply.keyboard)

    async def say(
        self, message: Message, key: str, lang: Lang | None = None, **values: object
    ) -> Message:
        """An interface string (ui.yaml) as the reply."""
        return await self.send(message, text_reply(self.text(key, lang, **values)))

    async def answer(self, message: Message, answer: Answer) -> None:
        """An answer the engine gave: noted for the log line, rendered, sent."""
        self.trace.note(answer)
        await self.send(message, render_answer(self.engine, answer, group=is_group(message)))

    async def ask(self, message: Message, question: str) -> None:
        """Ask the engine; a poor answer goes to the misses log before the reply is sent.

        The reply waits (MISS_WAIT at most) until the writer thread has committed the miss, so
        a question whose answer reached the user is in the log even if the process is killed
        right after; the engine and the event loop never wait on the disk themselves.
        """
        answer = self.engine.answer(
            question, lang=self.langs.explicit, user_lang=self.langs.code_or_default
        )
        self.trace.note(answer)
        key = await self._log_miss(answer)
        await self.send(
            message, render_answer(self.engine, answer, group=is_group(message), miss_key=key)
        )

    async def check(self, reply_to: Message, text: str) -> None:
        """/check and a message forwarded to the bot: the verdict on each claim of `text`.

        A message with nothing the article speaks of goes to the misses log (it may be a
        claim the reader could not read), like a question the engine could not answer.
        """
        langs, engine = self.langs, self.engine
        answers = engine.check(text, lang=langs.explicit, user_lang=langs.code_or_default)
        lang = answers[0].lang if answers else engine.detect_lang(text, langs.code_or_default)
        if answers:
            self.trace.note(answers[0])
        else:
            self.trace.lang = langs.explicit or lang
            await self._log_miss(engine.answer(text, lang=lang))
        if self.metrics is not None:
            self.metrics.checked("check", verdict_outcome(answers))
        await self.send(reply_to, render_check(engine, answers, langs.explicit or lang))

    async def _log_miss(self, answer: Answer) -> str | None:
        """Queue the answer's miss, if it is one, and wait (MISS_WAIT at most) until it is
        written; its key ties a "none of these" press to it."""
        if self.misses is None:
            return None
        miss = miss_for(answer, self.engine.threshold)
        if miss is None:
            return None
        self.misses.record(miss)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.wrap_future(self.misses.written()), MISS_WAIT)
        return miss.key


def verdict_outcome(answers: list[Answer]) -> str:
    """For the metrics: the first claim's verdict, "answered" for a question, "nothing"."""
    for answer in answers:
        if answer.claim is not None:
            return {True: "confirmed", False: "refuted", None: "partly"}[answer.claim.confirmed]
    return "answered" if answers else "nothing"
