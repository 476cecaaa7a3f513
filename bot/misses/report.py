"""`technopolis-bot misses`: unanswered questions grouped by similarity, biggest groups first.

A curator reads the groups to decide what the knowledge base should learn next: how often a
question came, how it was worded, and which intent came nearest (a new example for it, or a
new intent, is the fix).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from rapidfuzz import fuzz, process

from bot.engine import AnswerEngine
from bot.engine.normalize import clean
from bot.misses.record import NONE_OF_THESE, Miss

SIMILARITY = 80  # rapidfuzz token_set_ratio on normalized text to join a group
MAX_EXAMPLES = 3
QUESTION_WIDTH = 70
NO_TEXT = "(text not kept)"
_SINCE = re.compile(r"^\s*(\d+)\s*([dhm])\s*$", re.I)
_UNIT = {"d": 86400, "h": 3600, "m": 60}

Normalize = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class Group:
    """Similar unanswered questions, counted once each."""

    count: int
    none_of_these: int  # of those, how many a user also rejected every suggestion for
    question: str | None  # the most common wording; None when text was not kept
    examples: tuple[str, ...]  # other wordings, most common first
    langs: tuple[str, ...]
    intent: str | None  # the nearest intent most of them had
    score: float  # their mean score
    last_seen: float

    def as_json(self) -> str:
        return json.dumps(
            {
                "count": self.count,
                "none_of_these": self.none_of_these,
                "question": self.question,
                "examples": list(self.examples),
                "langs": list(self.langs),
                "intent": self.intent,
                "score": self.score,
                "last_seen": datetime.fromtimestamp(self.last_seen).isoformat(timespec="seconds"),
            },
            ensure_ascii=False,
        )


def parse_since(value: str) -> float:
    """`7d`, `24h`, `30m` -> seconds; ValueError otherwise (argparse shows it)."""
    match = _SINCE.match(value)
    if not match:
        raise ValueError(f"{value!r}: expected a number and d, h or m, e.g. 7d")
    return int(match[1]) * _UNIT[match[2].lower()]


def plain_normalize(text: str) -> str:
    return " ".join(text.lower().replace("ё", "е").split())


def engine_normalize(engine: AnswerEngine) -> Normalize:
    """The engine's reading (spelling, layout, synonyms, stems, no stop words), so wordings
    that the matcher would take for the same question land in the same group."""

    def normalize(text: str) -> str:
        tokens = engine.normalizer.read(clean(text)).tokens
        return " ".join(t.stem for t in tokens) or plain_normalize(text)

    return normalize


def questions(misses: Iterable[Miss]) -> list[tuple[Miss, bool]]:
    """Each question once, with whether a user pressed "none of these" under its reply."""
    misses = list(misses)
    rejected = {m.key for m in misses if m.kind == NONE_OF_THESE and m.key}
    asked = {m.key for m in misses if m.kind != NONE_OF_THESE and m.key}
    out = []
    for m in misses:
        if m.kind != NONE_OF_THESE:
            out.append((m, m.key in rejected))
        elif m.key not in asked:  # its question is older than the window, or was lost
            out.append((m, True))
    return out


def _clusters(texts: Sequence[str], normalize: Normalize) -> dict[str, int]:
    """Greedy clustering: each normalized wording, most frequent first, joins the first group
    whose founding wording is similar enough, else founds a new one."""
    norms = {t: normalize(t) for t in set(texts)}
    freq = Counter(norms[t] for t in texts)
    founders: list[str] = []
    cluster_of: dict[str, int] = {}
    for norm, _ in freq.most_common():
        found = process.extractOne(
            norm, founders, scorer=fuzz.token_set_ratio, score_cutoff=SIMILARITY
        )
        if found is None:
            cluster_of[norm] = len(founders)
            founders.append(norm)
        else:
            cluster_of[norm] = found[2]
    return {t: cluster_of[norms[t]] for t in norms}


def _ranked(values: Iterable[str]) -> list[str]:
    """Each value once, the most common first."""
    return [value for value, _ in Counter(values).most_common()]


def _group(members: list[tuple[Miss, bool]]) -> Group:
    misses = [m for m, _ in members]
    wordings = _ranked(" ".join(m.text.split()) for m in misses if m.text)
    intents = _ranked(m.intent for m in misses if m.intent)
    return Group(
        count=len(misses),
        none_of_these=sum(rejected for _, rejected in members),
        question=next(iter(wordings), None),
        examples=tuple(wordings[1 : 1 + MAX_EXAMPLES]),
        langs=tuple(sorted({m.lang for m in misses})),
        intent=next(iter(intents), None),
        score=round(sum(m.score for m in misses) / len(misses), 1),
        last_seen=max(m.ts for m in misses),
    )


def group(misses: Iterable[Miss], top: int = 20, normalize: Normalize | None = None) -> list[Group]:
    """The `top` biggest groups of similar questions.

    Questions recorded without text (LOG_QUESTIONS=false) are grouped by their nearest intent.
    """
    normalize = normalize or plain_normalize
    asked = questions(misses)
    texts = [m.text for m, _ in asked if m.text]
    cluster = _clusters(texts, normalize)
    buckets: dict[tuple[str, object], list[tuple[Miss, bool]]] = {}
    for m, rejected in asked:
        key = ("text", cluster[m.text]) if m.text else ("intent", m.intent)
        buckets.setdefault(key, []).append((m, rejected))
    groups = [_group(members) for members in buckets.values()]
    groups.sort(key=lambda g: (-g.count, -g.none_of_these, -g.last_seen))
    return groups[:top]


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def format_table(groups: Sequence[Group], total: int, since: str) -> str:
    """The curator's view: one block per group, its other wordings indented below it."""
    header = (
        f"Unanswered questions in the last {since}: {total}, "
        f"in {len(groups)} group{'s' if len(groups) != 1 else ''} shown."
    )
    nearest = [f"{g.intent or '-'} ({g.score:.1f})" for g in groups]
    width = max([len("nearest intent (score)"), *map(len, nearest)])
    lines = [
        header,
        "",
        f"{'count':>5}  {'none':>4}  {'nearest intent (score)':<{width}}  {'langs':<5}  question",
    ]
    indent = " " * (5 + 2 + 4 + 2 + width + 2 + 5 + 2)
    for g, near in zip(groups, nearest, strict=True):
        question = _cut(g.question or NO_TEXT, QUESTION_WIDTH)
        langs = ",".join(g.langs)
        lines.append(f"{g.count:>5}  {g.none_of_these:>4}  {near:<{width}}  {langs:<5}  {question}")
        lines.extend(f"{indent}· {_cut(e, QUESTION_WIDTH - 2)}" for e in g.examples)
    lines.append("")
    lines.append('"none": how many of them a user answered with "None of these".')
    return "\n".join(lines)
