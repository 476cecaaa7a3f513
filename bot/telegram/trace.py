"""The record behind the one log line each handled update gets."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field

from bot.engine import Answer


@dataclass
class Trace:
    """What one update did; handlers fill it through `note`, the UpdateLog middleware logs it.

    The question text is only written when settings.log_questions allows it.
    """

    update: str
    chat: str | None
    started: float = field(default_factory=time.perf_counter)
    outcome: str = "answered"
    lang: str | None = None
    kind: str | None = None
    intent: str | None = None
    score: float | None = None
    question: str | None = None
    error: str | None = None
    # the Answer itself, so /why can explain an admin's last question afterwards
    answer: Answer | None = field(default=None, repr=False)

    def note(self, answer: Answer) -> None:
        self.answer = answer
        self.lang = answer.lang
        self.kind = answer.kind.value
        self.intent = answer.intent
        self.score = answer.score
        self.question = answer.question

    def command(self, name: str, lang: str) -> None:
        self.kind, self.intent, self.lang = "command", f"/{name}", lang

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def line(self, with_question: bool) -> str:
        ms = round(self.elapsed() * 1000)
        fields: dict[str, object] = {
            "update": self.update,
            "chat": self.chat,
            "lang": self.lang,
            "kind": self.kind,
            "intent": self.intent,
            "score": self.score,
            "ms": ms,
            "error": self.error,
        }
        if with_question and self.question is not None:
            fields["question"] = json.dumps(self.question, ensure_ascii=False)
        pairs = " ".join(f"{k}={v}" for k, v in fields.items() if v is not None)
        return f"{self.outcome} {pairs}"
