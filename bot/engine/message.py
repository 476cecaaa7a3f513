"""A message as the engine reads it: its reading, language, the values it states, and whether
it asks for a verdict ("экспорт втрое вырос, так?") or asks a question ("во сколько раз?")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.engine.claims import Stated
from bot.engine.figures import Figure
from bot.engine.models import Chatter, ChatterKind
from bot.engine.normalize import Asides, Reading
from bot.engine.types import LANGS, Lang

# Where a long message's clauses part: sentence ends, semicolons, line breaks, and emoji,
# which end a sentence in chat as often as a full stop ("…next month 🎓 which sites…").
_EMOJI = r"[\U0001F300-\U0001FAFF\u2600-\u27BF]+\s*"
_CLAUSE = re.compile(rf"(?<=[.!?;…])\s+|{_EMOJI}|\n+")
# Finer, for watch mode: also commas, dashes and emoji ("…на 12 млрд рублей, препод аж
# прослезился 😂 кто записал дз?"): a claim said in passing is often one such stretch.
# a dash before "это" is a copula, not a break: "микроэлектроника — это 80% экспорта"
_DASH = r"\s+[—–-]\s+(?!это\s)"
_STRETCH_NO_DASH = (
    rf"(?<=[.!?;…,])\s+|{_EMOJI}|\n+"
    # a run-on without punctuation parts where a new thought starts ("…за рубеж а у нас в школе");
    # not inside a number in words ("one hundred and eighty")
    r"|(?<!hundred)(?<!thousand)\s+(?=(?:а|но|and|but|anyway|btw)\s)"
)
_STRETCH = re.compile(rf"{_DASH}|{_STRETCH_NO_DASH}")
_STRETCH_KEEPING_DASHES = re.compile(_STRETCH_NO_DASH)
_HAS_DASH = re.compile(_DASH)
# ... and, in a long message, a colon after context: "Помогите аргументом: в какое количество…"
_CLAUSE_OR_COLON = re.compile(rf"(?<=[.!?;:…])\s+|{_EMOJI}|\n+")
LONG_MESSAGE_WORDS = 14
MAX_STRETCHES = 12
WINDOW_WORDS = 12
MAX_CLAUSES = 8  # Telegram allows 4,096 characters; the question is rarely past the 8th clause


@dataclass(frozen=True, slots=True)
class Message:
    cleaned: str
    reading: Reading
    lang: Lang
    figures: list[Figure]  # every number, years included (the year rule reads them)
    stated: tuple[Stated, ...]  # typed values, for the claim check
    claims: bool  # states something to check: no question word, or a tag asks for a verdict
    tagged: bool  # a question tag ("так?", "right?")
    asks_for: frozenset[str] = frozenset()  # the kinds of answer its question words ask for
    asks: bool = False  # has a question word
    opens_asking: bool = False  # a question word among its first two words ("who said…")
    # Values a statement beside the message's question gives ("How many countries? Dave
    # says like five."): checked against the fact the question is about, no evidence of it.
    aside: tuple[Stated, ...] = ()

    def states(self, kind: str) -> bool:
        """It states a value of this kind ("product", "place", …)."""
        return any(s.kind == kind for s in self.stated)

    def stretches(self, min_words: int = 3) -> list[str]:
        """The message in stretches between commas, dashes and emoji, each of `min_words`
        words or more, for finding a claim said in passing."""
        parts = _parts(_STRETCH, self.cleaned)
        if len(parts) < 2:
            return []  # a whole is no part
        return [p for p in parts if len(p.split()) >= min_words][:MAX_STRETCHES]

    def dashed(self) -> list[str]:
        """Stretches with a dash inside kept whole, when the message has other stretches too:
        "экспорт за 2020 — восемьсот лямов" says what the value is of before the dash."""
        parts = _parts(_STRETCH_KEEPING_DASHES, self.cleaned)
        if len(parts) < 2:
            return []
        return [p for p in parts if _HAS_DASH.search(p)][:MAX_STRETCHES]

    def windows(self, size: int = WINDOW_WORDS) -> list[str]:
        """Overlapping runs of `size` words of each long stretch said without punctuation ("мам
        ну я же говорю компании из технополиса увеличили экспорт в пять раз это по новостям
        было купи хлеба"): a claim in a run-on is a few words of it."""
        runs = [p.split() for p in (_parts(_STRETCH, self.cleaned) or [self.cleaned])]
        step = size // 2
        out = [
            " ".join(run[i : i + size])
            for run in runs
            if len(run) > LONG_MESSAGE_WORDS
            for i in range(0, len(run) - step, step)
        ]
        return out[:MAX_STRETCHES]

    def questions(self) -> list[str]:
        """A long message's clauses that ask ("…?"); none for a short message."""
        return [c for c in self.clauses() if "?" in c]

    def sentences(self) -> list[str]:
        """The message's sentences as written, when it has more than one."""
        return _several(_parts(_CLAUSE, self.cleaned))

    def clauses(self, min_words: int = LONG_MESSAGE_WORDS) -> list[str]:
        """A long message's clauses, for scoring each alone: the question is often one of them.

        With `min_words` 0 (/check: "экспорт: 300 лямов" is one claim) colons do not part.
        """
        if len(self.reading.text.split()) < min_words:
            return []
        return _several(_parts(_CLAUSE_OR_COLON if min_words else _CLAUSE, self.reading.text))


def _parts(pattern: re.Pattern[str], text: str) -> list[str]:
    return [p.strip() for p in pattern.split(text) if p.strip()]


def _several(parts: list[str]) -> list[str]:
    """The first MAX_CLAUSES parts, or none when there is only one: a whole is no part."""
    return parts[:MAX_CLAUSES] if len(parts) > 1 else []


@dataclass(frozen=True, slots=True)
class Decline:
    """Why the engine says "the article doesn't say": `why` for /why, `text` to say it instead."""

    why: str
    text: str | None = None


def _words(*kinds: ChatterKind) -> frozenset[str]:
    return frozenset(w.lower() for kind in kinds for lang in LANGS for w in getattr(kind, lang))


def _by_lang(*kinds: ChatterKind) -> dict[str, frozenset[str]]:
    return {
        lang: frozenset(w.lower() for kind in kinds for w in getattr(kind, lang)) for lang in LANGS
    }


@dataclass(frozen=True, slots=True)
class ChatterWords:
    """knowledge/chatter.yaml as the reader uses it."""

    asks: frozenset[str]  # question words
    tags: frozenset[str]  # question tags: a claim asks for a verdict
    opening_tags: frozenset[str]  # ... only as a message opens ("правда ли, что…")
    opening_asks: frozenset[str]  # question words only as a message opens ("как доехать…")
    reported: frozenset[str]  # reported speech ("пишут", "Dave says")
    own: frozenset[str]  # the speaker's own organisation ("у нас на предприятии", "our plant")
    others: frozenset[str]  # another one's, before one of `companies` ("a neighbour company")
    companies: frozenset[str]
    # "если бы…", "if … would": both in a message make it a what-if, no claim
    conditional: frozenset[str]
    irrealis: frozenset[str]
    conditional_fillers: frozenset[str]  # "если честно", "если что": no what-if
    asks_for: dict[str, frozenset[str]]  # answer kind -> the question words that ask for it
    when: frozenset[str]  # question words that ask for a date
    price: frozenset[str]  # words that ask for a price: the article gives none
    how_much: frozenset[str]  # ... and a how-much word before a verb of costing ("сколько стоит")
    costs: frozenset[str]
    speech: frozenset[str]  # verbs of saying: "кто сказал…" asks for a fact's speaker
    speakers: frozenset[str]  # who speaks: "какой чиновник озвучил…" asks for one too
    # Dropped even where an example uses the word: reported speech, tags, context, hedges,
    # and the speaker's own ("наши штуки": whose the things are is no topic).
    dropped: dict[str, frozenset[str]]
    # Dropped only where the knowledge base lacks the word (the greeting intent has "привет").
    filler: dict[str, frozenset[str]]
    meta: frozenset[str]  # the article and its figures in general: no fact's topic
    # what marks a stretch of a message as about the asker, and what opens a new stretch
    asides: Asides

    @classmethod
    def of(cls, chat: Chatter) -> ChatterWords:
        return cls(
            asks=_words(chat.asks, chat.asks_title),
            tags=_words(chat.tags),
            opening_tags=_words(chat.opening_tags),
            opening_asks=_words(chat.opening_asks),
            reported=_words(chat.reported),
            own=_words(chat.own),
            others=_words(chat.others),
            companies=_words(chat.companies),
            conditional=_words(chat.conditional),
            irrealis=_words(chat.irrealis),
            conditional_fillers=_words(chat.conditional_fillers),
            asks_for={
                "person": _words(chat.asks_person),
                "place": _words(chat.asks_place),
                "product": _words(chat.asks_product),
                "share": _words(chat.asks_share),
                "multiplier": _words(chat.asks_multiplier),
                "reason": _words(chat.asks_reason),
                "area": _words(chat.asks_area),
                "money": _words(chat.asks_money),
            },
            when=_words(chat.when),
            price=_words(chat.price),
            how_much=_words(chat.how_much),
            costs=_words(chat.costs),
            speech=_words(chat.speech),
            speakers=_words(chat.speakers),
            dropped=_by_lang(
                chat.reported, chat.tags, chat.opening_tags, chat.context, chat.hedges, chat.own
            ),
            filler=_by_lang(chat.greetings),
            meta=_words(chat.meta),
            asides=Asides(
                markers=_words(chat.context),
                asks=_words(chat.asks),
                openers=_words(chat.clause_openers),
            ),
        )
