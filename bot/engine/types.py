"""Values the answer engine hands to its callers (CLI, Telegram): plain data, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal, NamedTuple

Lang = Literal["ru", "en"]
LANGS: tuple[Lang, ...] = ("ru", "en")


class AnswerKind(StrEnum):
    FACT = "fact"  # a fact from the article, with sources
    CHITCHAT = "chitchat"  # greeting, thanks, help
    OUT_OF_SCOPE = "out_of_scope"  # the article does not answer it
    EMPTY = "empty"  # nothing to answer: empty text, emoji only, a bare mention


@dataclass(frozen=True, slots=True)
class Source:
    """A verbatim quote from the article and who said it (None: the article's own words)."""

    quote: str
    speaker: str | None = None  # display form, e.g. "Владимир Ефимов, заместитель мэра Москвы"


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A question the engine can answer, offered as a button or a line of text."""

    intent: str
    question: str


@dataclass(frozen=True, slots=True)
class ClaimCheck:
    """The outcome of checking a value the asker stated ("did exports grow 5 times?").

    `confirmed` None means partly: the article agrees with some of it, or only roughly.
    """

    confirmed: bool | None
    stated: tuple[str, ...]  # the values as the asker wrote them
    article: str = ""  # the article's value, as the answer words it


class Candidate(NamedTuple):
    """One intent as the matcher ranked it (a tuple, so it stores as a list anywhere)."""

    intent: str
    score: float
    coverage: float
    confidence: float
    example: str  # the intent's closest example


@dataclass(frozen=True, slots=True)
class Trace:
    """How the engine reached an answer, stage by stage: for /why, the misses log and eval."""

    reading: str  # as_written | translit | layout
    normalized: str  # the words the matcher compared, as read
    stated: tuple[str, ...]  # the values the message states, "kind:as written"
    candidates: tuple[Candidate, ...]  # the best three, the chosen one first
    threshold: float
    claim_threshold: float
    kind_threshold: float
    margin: float | None = None  # confidence ahead of the runner-up
    claim: str | None = None  # "multiplier: refuted", when a verdict was given
    evidence: str | None = None  # "claim" | "kind" | "top" | "lead": the lower bar it was held to
    bar: float | None = None  # the confidence the match needed, that evidence considered
    why_oos: str | None = None  # the rule that declined
    best: str | None = None  # the best intent of a declined message
    did_you_mean: str | None = None


@dataclass(frozen=True, slots=True)
class Answer:
    question: str
    lang: Lang
    kind: AnswerKind
    text: str  # the answer alone: plain text, no quote, no markup
    intent: str | None = None
    score: float = 0.0  # 0-100, confidence of the match
    sources: tuple[Source, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()  # "did you mean" or out-of-scope alternatives
    claim: ClaimCheck | None = None
    details: Trace | None = field(default=None, compare=False)  # None: no matching took place

    @property
    def matched(self) -> bool:
        return self.kind in (AnswerKind.FACT, AnswerKind.CHITCHAT)
