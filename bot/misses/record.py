"""What goes into the misses log: a question the bot could not answer well, and which answers count.

No user id is ever part of a miss; the question text only when the log is told to keep it.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Literal

from bot.engine import Answer, AnswerKind

MissKind = Literal["out_of_scope", "low_confidence", "none_of_these"]
NONE_OF_THESE: MissKind = "none_of_these"

# An answer this close above the engine's threshold is a guess worth a curator's look.
LOW_CONFIDENCE_MARGIN = 10.0


@dataclass(frozen=True, slots=True)
class Miss:
    """One unanswered or poorly answered question (or a "none of these" press)."""

    ts: float  # Unix time
    lang: str
    kind: MissKind
    intent: str | None  # the nearest intent, even when it was not good enough
    score: float  # its confidence, 0-100
    text: str | None  # None when question text is not kept
    key: str | None = None  # ties a question to a "none of these" press on its reply


def new_key() -> str:
    """A random id for a recorded question, short enough for a button's callback data."""
    return secrets.token_urlsafe(9)  # 12 characters of A-Z a-z 0-9 _ -


def miss_kind(answer: Answer, threshold: float) -> MissKind | None:
    """Out of scope, or a fact matched barely above the threshold or with a "did you mean".

    Small talk and empty input are not questions about the article, so they are no miss.
    """
    if answer.kind is AnswerKind.OUT_OF_SCOPE:
        return "out_of_scope"
    if answer.kind is AnswerKind.FACT and (
        answer.score < threshold + LOW_CONFIDENCE_MARGIN or answer.suggestions
    ):
        return "low_confidence"
    return None


def miss_for(answer: Answer, threshold: float, now: float | None = None) -> Miss | None:
    """The record for an answer, or None when the answer was a good one."""
    kind = miss_kind(answer, threshold)
    if kind is None:
        return None
    trace = answer.details
    best = (trace.best if trace else None) if kind == "out_of_scope" else answer.intent
    return Miss(
        ts=time.time() if now is None else now,
        lang=answer.lang,
        kind=kind,
        intent=best if isinstance(best, str) else None,
        score=answer.score,
        text=answer.question,
        key=new_key(),
    )


def rejection(key: str, lang: str, now: float | None = None) -> Miss:
    """A "none of these" press on the reply to the question recorded under `key`; the writer
    copies that question's text, nearest intent and score into the row."""
    return Miss(
        ts=time.time() if now is None else now,
        lang=lang,
        kind=NONE_OF_THESE,
        intent=None,
        score=0.0,
        text=None,
        key=key,
    )
