"""Scoring a normalized question against every intent's examples.

An example's score mixes an IDF-weighted word overlap (Dice, with partial credit for words
of one family) with rapidfuzz's token_sort_ratio on stems and on words as written; an
intent's score blends its best example's with how typical the question's words are of the
intent. A second figure, coverage, says how much of the question (by weight) the intent's
vocabulary accounts for: a question about something the intent does not mention ("what
does MIET teach") has known words but low coverage. A word counts against an intent that
lacks it by how rare it is: a stated value and a word about the article in general not at
all, a common word ("относительно", "someone") less than a rare one ("аренда").
Confidence = score x coverage, and the engine declines below a threshold calibrated on
question files (bench/ shows the sweep).
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.engine.normalize import Token


@dataclass(frozen=True, slots=True)
class Example:
    intent: str
    text: str
    stems: tuple[str, ...]
    joined: str  # sorted stems
    surface: str  # sorted words as written: inflection tells "сколько резидентов" from "резиденты"
    weight: float


@dataclass(frozen=True, slots=True)
class Scored:
    intent: str
    score: float  # 0-100: how well the best example matches
    coverage: float  # 0-1: share of the question's weight the intent's vocabulary explains
    example: str  # the best example, for /why and eval reports
    coverage_power: float = 1.0  # MatchParams.coverage_power

    @property
    def confidence(self) -> float:
        return self.score * self.coverage**self.coverage_power


@dataclass(frozen=True, slots=True)
class MatchParams:
    overlap_weight: float = 0.65  # the rest is token_sort_ratio
    surface_weight: float = 0.3  # share of token_sort_ratio taken on words as written, not stems
    example_weight: float = 0.7  # the rest is the intent-level profile score
    shortlist: int = 24  # examples that get the (costlier) token_sort_ratio
    related_credit: float = 0.6  # a stem that is a prefix of another ("экспорт", "экспортирова")
    min_prefix: int = 5
    coverage_power: float = 1.0  # how hard words the intent does not explain pull confidence down
    # A word the knowledge base lacks weighs this times its rarest word: it is most often
    # what the question is really about ("address", "salary").
    unknown_factor: float = 1.5
    # ... scaled down by how common the word is in the language: from full weight at zipf
    # `rare_zipf` and below (unseen words too) to `common_share` of it at `common_zipf`.
    rare_zipf: float = 3.5
    common_zipf: float = 6.5
    common_share: float = 0.3
    # A known word the intent lacks counts against it scaled the same way, down to this share.
    known_common_share: float = 0.5
    # A scale word in a stated amount ("300 миллионов") weighs this share of its IDF.
    amount_share: float = 0.7
    # An unknown word in a stretch about the asker ("я еду в маршрутке") weighs this share.
    aside_share: float = 0.15


class IntentIndex:
    """Inverted index from stems to examples, with IDF weights over intents."""

    def __init__(
        self,
        examples: dict[str, list[tuple[str, tuple[Token, ...]]]],
        vocab: dict[str, set[str]],
        params: MatchParams | None = None,
        neutral: frozenset[str] = frozenset(),
        amounts: frozenset[str] = frozenset(),
    ) -> None:
        self.params = params or MatchParams()
        # Stems of scale and unit words ("миллионов", "гектаров"): in a stated amount they say
        # how much, not of what, and do not vote for the intents whose examples use them.
        self.amounts = amounts
        # Stems about the conversation, not a topic ("статья", "привет"): they do not count
        # against an intent that lacks them, as a stated value does not.
        self.neutral = neutral
        self.idf = _idf(vocab)
        self.unknown_weight = math.log(1 + len(vocab)) * self.params.unknown_factor
        self.intent_vocab = {iid: frozenset(stems) for iid, stems in vocab.items()}
        # How characteristic a stem is of an intent: the share of its examples that use it.
        self.profile = {iid: _profile(items) for iid, items in examples.items()}
        self.examples: list[Example] = []
        postings = self._index_examples(examples)
        self.related = self._related_stems(sorted(postings), self.params.min_prefix)
        self.example_weights = [ex.weight for ex in self.examples]
        # Per stem: the examples that have it, then those that only have a word of its
        # family (each once), so scoring a question is two flat loops per word.
        self.families = {
            stem: (tuple(exact), self._family_only(stem, exact, postings))
            for stem, exact in postings.items()
        }

    def _index_examples(
        self, examples: dict[str, list[tuple[str, tuple[Token, ...]]]]
    ) -> dict[str, list[int]]:
        """Fills `self.examples`; returns the postings, stem -> the examples that have it."""
        postings: dict[str, list[int]] = defaultdict(list)
        for iid, items in examples.items():
            for text, toks in items:
                uniq = tuple(dict.fromkeys(t.stem for t in toks))
                if not uniq:
                    continue
                for s in uniq:
                    postings[s].append(len(self.examples))
                surface = " ".join(sorted(t.surface for t in toks))
                weight = sum(self.stem_weight(s) for s in uniq)
                self.examples.append(
                    Example(iid, text, uniq, " ".join(sorted(uniq)), surface, weight)
                )
        return postings

    def _family_only(
        self, stem: str, exact: list[int], postings: dict[str, list[int]]
    ) -> tuple[int, ...]:
        """Examples that lack `stem` but have a word of its family, each once."""
        seen = set(exact)
        near: list[int] = []
        for r in self.related.get(stem, ()):
            for idx in postings[r]:
                if idx not in seen:
                    seen.add(idx)
                    near.append(idx)
        return tuple(near)

    @staticmethod
    def _related_stems(stems: list[str], min_len: int) -> dict[str, tuple[str, ...]]:
        """Stems of one word family: one is a prefix of the other (Snowball keeps derivations apart)."""
        related: dict[str, list[str]] = defaultdict(list)
        for i, short in enumerate(stems):
            if len(short) < min_len:
                continue
            j = bisect.bisect_right(stems, short, i)
            while j < len(stems) and stems[j].startswith(short):
                related[short].append(stems[j])
                related[stems[j]].append(short)
                j += 1
        return {k: tuple(v) for k, v in related.items()}

    def stem_weight(self, stem: str) -> float:
        """A known stem's IDF; a stem no intent has weighs like the rarest one, and more."""
        return self.idf.get(stem, self.unknown_weight)

    def token_weight(self, tok: Token) -> float:
        """How much a question's word counts: years none, stated values only as the topic's."""
        if tok.year:
            return 0.0
        if tok.figure:
            # a stated value; the claim check reads it
            share = self.params.amount_share if tok.stem in self.amounts else 1.0
            return share * self.idf.get(tok.stem, 0.0)
        if tok.stem in self.idf:
            return self.idf[tok.stem]
        # unknown, or known only from the article's text, which no intent uses: by frequency
        share = self.params.common_share
        weight = self.unknown_weight * (1.0 - (1.0 - share) * self._commonness(tok.zipf))
        return weight * self.params.aside_share if tok.aside else weight

    def _commonness(self, zipf: float) -> float:
        """0 for a rare word (zipf `rare_zipf` or below), rising to 1 at `common_zipf`."""
        p = self.params
        return min(1.0, max(0.0, (zipf - p.rare_zipf) / (p.common_zipf - p.rare_zipf)))

    def score(self, tokens: tuple[Token, ...]) -> list[Scored]:
        """Every intent that shares a word with the question, best first."""
        q_weights: dict[str, float] = {}
        for t in tokens:
            q_weights[t.stem] = max(q_weights.get(t.stem, 0.0), self.token_weight(t))
        q_total = sum(q_weights.values())
        if q_total <= 0:
            return []  # no words, or only words that weigh nothing: a year alone, say
        dice = self._dice(q_weights, q_total)
        if not dice:
            return []
        best, exact = self._best_examples(tokens, q_weights, dice)
        relief = self._relief(tokens, q_weights)
        power = self.params.coverage_power
        share = self.params.example_weight
        out = []
        for iid, (example_score, text) in best.items():
            vocab = self.intent_vocab[iid]
            covered, typical = self._explained(vocab, self.profile[iid], q_weights)
            total = q_total - sum(w for s, w in relief.items() if s not in vocab)
            total = max(total, 1e-9)
            if iid in exact:
                combined = 100.0
            else:
                combined = share * example_score + (1 - share) * 100 * (typical / q_total)
            out.append(Scored(iid, combined, min(1.0, covered / total), text, power))
        out.sort(key=lambda r: r.confidence, reverse=True)
        return out

    def _relief(self, tokens: tuple[Token, ...], q_weights: dict[str, float]) -> dict[str, float]:
        """Per stem, how much of its weight does not count against an intent that lacks it.

        All of it for a stated value (the claim check's business, not a topic) and for a
        neutral word ("статья", "привет"); for a common known word ("относительно", "live"),
        a share by its frequency in the language, as for an unknown word.
        """
        p = self.params
        out = {s: q_weights[s] for s in q_weights.keys() & self.neutral}
        for t in tokens:
            if t.figure or (t.aside and t.known):
                out[t.stem] = q_weights[t.stem]
            elif t.known and not t.year and t.zipf > p.rare_zipf and t.stem not in out:
                ramp = self._commonness(t.zipf)
                out[t.stem] = q_weights[t.stem] * (1.0 - p.known_common_share) * ramp
        return out

    def _dice(self, q_weights: dict[str, float], q_total: float) -> dict[int, float]:
        """Weighted Dice overlap of the question with every example that shares a word."""
        shared: dict[int, float] = defaultdict(float)
        credit = self.params.related_credit
        for s, wt in q_weights.items():
            exact, near = self.families.get(s, ((), ()))
            for idx in exact:
                shared[idx] += wt
            partial = credit * wt
            for idx in near:
                shared[idx] += partial
        weights = self.example_weights
        return {idx: 2 * sh / (q_total + weights[idx]) for idx, sh in shared.items()}

    def _best_examples(
        self, tokens: tuple[Token, ...], q_weights: dict[str, float], dice: dict[int, float]
    ) -> tuple[dict[str, tuple[float, str]], set[str]]:
        """Per intent, its best shortlisted example's score and text; and the intents one of
        whose examples is the question word for word (the curator wrote it down for them).

        Only the shortlist by overlap gets token_sort_ratio, the costlier measure.
        """
        # a full sort beats heapq.nlargest here: a few hundred examples, C-level key
        shortlist = sorted(dice, key=dice.__getitem__, reverse=True)[: self.params.shortlist]
        q_joined = " ".join(sorted(q_weights))
        q_surface = " ".join(sorted(t.surface for t in tokens))
        overlap_share = self.params.overlap_weight
        surface_share = self.params.surface_weight
        best: dict[str, tuple[float, str]] = {}
        exact: set[str] = set()
        for idx in shortlist:
            ex = self.examples[idx]
            # token_sort_ratio on words already sorted and joined: plain ratio, half the cost
            ratio = (1 - surface_share) * fuzz.ratio(
                q_joined, ex.joined
            ) + surface_share * fuzz.ratio(q_surface, ex.surface)
            s = 100 * overlap_share * dice[idx] + (1 - overlap_share) * ratio
            if ex.surface == q_surface:
                exact.add(ex.intent)
            if s > best.get(ex.intent, (-1.0, ""))[0]:
                best[ex.intent] = (s, ex.text)
        return best, exact

    def _explained(
        self, vocab: frozenset[str], profile: dict[str, float], q_weights: dict[str, float]
    ) -> tuple[float, float]:
        """The question's weight an intent's vocabulary covers, and how typical of its
        examples (`profile`) the question's words are; both weighted, not yet divided."""
        related = self.related
        credit = self.params.related_credit
        covered = 0.0
        typical = 0.0
        for st, wt in q_weights.items():
            family = related.get(st, ())
            if st in vocab:
                covered += wt
            elif any(r in vocab for r in family):
                covered += credit * wt
            p = profile.get(st, 0.0) or credit * max(
                (profile.get(r, 0.0) for r in family), default=0.0
            )
            typical += wt * min(1.0, 2 * p)
        return covered, typical


def _idf(vocab: dict[str, set[str]]) -> dict[str, float]:
    """Inverse document frequency over intents (each intent's vocabulary is a document)."""
    df: dict[str, int] = defaultdict(int)
    for stems in vocab.values():
        for s in stems:
            df[s] += 1
    n = len(vocab)
    return {s: math.log(1 + n / d) for s, d in df.items()}


def _profile(items: list[tuple[str, tuple[Token, ...]]]) -> dict[str, float]:
    """Per stem, the share of an intent's examples that use it."""
    counts: dict[str, int] = defaultdict(int)
    for _, toks in items:
        for st in {t.stem for t in toks}:
            counts[st] += 1
    return {st: c / max(1, len(items)) for st, c in counts.items()}
