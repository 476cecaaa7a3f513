"""The answer engine: question text in, Answer out (normalize -> match -> compose).

It knows nothing of Telegram; the CLI and the bot both call `answer()`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from bot.engine.figures import Figure, FigureReader, contains_figure
from bot.engine.knowledge import KnowledgeBase, load_knowledge
from bot.engine.matcher import IntentIndex, MatchParams, Scored
from bot.engine.models import Intent
from bot.engine.normalize import Normalizer, Reading, Token, clean, stem
from bot.engine.types import LANGS, Answer, AnswerKind, ClaimCheck, Lang, Source, Suggestion

# Calibrated on the development and held-out question files: see bench/threshold.py.
THRESHOLD = 38.0
# A runner-up this close to the best answer is offered as "did you mean".
AMBIGUITY_MARGIN = 6.0
MAX_SUGGESTIONS = 3

RU_LANGUAGE_CODES = ("ru", "uk", "be", "kk", "ky", "uz", "tg", "hy", "az")


def lang_from_code(code: str | None) -> Lang | None:
    """Telegram's language_code to the answer language; None when unknown."""
    if not code:
        return None
    return "ru" if code.lower().split("-")[0] in RU_LANGUAGE_CODES else "en"


class AnswerEngine:
    def __init__(
        self, kb: KnowledgeBase, params: MatchParams | None = None, threshold: float = THRESHOLD
    ) -> None:
        self.kb = kb
        self.threshold = threshold
        self.reader = FigureReader(kb.lexicon)
        vocab_texts: list[str] = [kb.article_text]
        for intent in kb.intents.values():
            for lang in LANGS:
                vocab_texts += getattr(intent.examples, lang)
                vocab_texts += [getattr(intent.answer, lang), getattr(intent.question, lang)]
        base = Normalizer(kb.lexicon, ())
        words = {w for t in vocab_texts for w in base.vocabulary_words(t)}
        self.normalizer = Normalizer(
            kb.lexicon,
            words,
            implicit=[str(kb.article.year)],
            number_words=self.reader.word_pattern,
        )
        self.qualified = [
            (
                re.compile(q.term, re.I),
                {self.normalizer.canon.get(stem(w), stem(w)) for w in q.qualifiers},
            )
            for q in kb.lexicon.qualified_terms
        ]
        examples: dict[str, list[tuple[str, tuple[Token, ...]]]] = {}
        vocab: dict[str, set[str]] = {}
        for iid, intent in kb.intents.items():
            items = []
            stems: set[str] = set()
            for lang in LANGS:
                for ex in [getattr(intent.question, lang), *getattr(intent.examples, lang)]:
                    toks = self.normalizer.read(clean(ex)).tokens
                    items.append((ex, toks))
                    stems.update(t.stem for t in toks)
                for extra in (getattr(intent.question, lang), getattr(intent.answer, lang)):
                    stems.update(t.stem for t in self.normalizer.read(clean(extra)).tokens)
            examples[iid] = items
            vocab[iid] = stems
        self.index = IntentIndex(examples, vocab, params)
        self.entities = self._entities(vocab)
        self.article_years = {f.value for f in kb.article_figures if f.is_year}

    def _entities(self, vocab: dict[str, set[str]]) -> frozenset[str]:
        """Names the knowledge base knows (sites, people, regions), as stems.

        A name a question mentions must be one the chosen intent talks about: "Angstrem's
        revenue" names a site, but no intent that mentions Angstrem gives revenue.
        """
        texts = [self.kb.article_text]
        for intent in self.kb.intents.values():
            texts += [intent.answer.ru, intent.answer.en]
        names: set[str] = set()
        lower: set[str] = set()
        for text in texts:
            for sentence in re.split(r"[.!?]\s+|\n|//", text):
                for word in re.findall(r"[^\W\d_]{2,}", sentence)[1:]:
                    (names if word[:1].isupper() else lower).add(
                        stem(word.lower().replace("ё", "е"))
                    )
        names -= lower
        common = {s for s in names if sum(s in v for v in vocab.values()) > len(vocab) / 3}
        return frozenset(names - common)

    @classmethod
    def load(
        cls, knowledge_dir: Path | None = None, *, required_ui_keys: Iterable[str] = ()
    ) -> AnswerEngine:
        """Raises KnowledgeError when the knowledge base is broken."""
        return cls(load_knowledge(knowledge_dir, required_ui_keys))

    # -- public API ----------------------------------------------------------

    def ui(self, lang: Lang, key: str, **values: object) -> str:
        text = getattr(self.kb.ui, lang)[key]
        return text.format(**values) if values else text

    def detect_lang(self, text: str, user_lang: str | None = None) -> Lang:
        reading = self.normalizer.read(clean(text))
        return self._lang(reading, None, user_lang)

    def answer(
        self, text: str, *, lang: Lang | None = None, user_lang: str | None = None
    ) -> Answer:
        """Answer a question; `lang` is an explicit choice, `user_lang` Telegram's language_code."""
        cleaned = clean(text or "")
        reading = self.normalizer.read(cleaned)
        out_lang = self._lang(reading, lang, user_lang)
        if not any(ch.isalnum() for ch in cleaned):
            return Answer(
                question=text,
                lang=out_lang,
                kind=AnswerKind.EMPTY,
                text=self.ui(out_lang, "empty"),
                suggestions=self._featured(out_lang),
            )
        figures = self.reader.read(reading.text if reading.how != "as_written" else cleaned)
        scored = self.index.score(reading.tokens)
        details: dict[str, object] = {
            "reading": reading.how,
            "normalized": " ".join(t.surface for t in reading.tokens),
            # (intent, score, coverage, confidence, best example), best first: for /why and eval
            "candidates": [
                (
                    s.intent,
                    round(s.score, 1),
                    round(s.coverage, 2),
                    round(s.confidence, 1),
                    s.example,
                )
                for s in scored[:3]
            ],
            "threshold": self.threshold,
        }
        if len(scored) > 1:
            details["margin"] = round(scored[0].confidence - scored[1].confidence, 1)
        unknown_years = [f for f in figures if f.is_year and f.value not in self.article_years]
        if unknown_years:
            details["why_oos"] = "year"
            return self._out_of_scope(
                text,
                out_lang,
                scored,
                details,
                self.ui(out_lang, "out_of_scope_year", year=unknown_years[0].raw),
            )
        best = scored[0] if scored else None
        if best is None:
            details["why_oos"] = "no shared words"
            return self._out_of_scope(text, out_lang, scored, details)
        intent = self.kb.intents[best.intent]
        names = [t.surface for t in reading.tokens if t.proper and not t.known]
        if names:
            details["why_oos"] = f"unknown name: {names[0]}"
            return self._out_of_scope(text, out_lang, scored, details)
        foreign = [
            t.surface
            for t in reading.tokens
            if t.stem in self.entities and t.stem not in self.index.intent_vocab[best.intent]
        ]
        if foreign:
            details["why_oos"] = f"{foreign[0]} is not what {best.intent} is about"
            return self._out_of_scope(text, out_lang, scored, details)
        stems = {t.stem for t in reading.tokens}
        bare = [
            t.surface
            for t in reading.tokens
            for term, quals in self.qualified
            if term.fullmatch(t.surface) and not stems & quals
        ]
        if bare:
            details["why_oos"] = f"{bare[0]} without its qualifier"
            return self._out_of_scope(text, out_lang, scored, details)
        if best.confidence < self.threshold:
            details["why_oos"] = "low confidence"
            return self._out_of_scope(text, out_lang, scored, details)
        stray = [
            f
            for f in figures
            if not f.is_year and not contains_figure(list(self.kb.article_figures), f)
        ]
        if intent.kind == "chitchat" and stray:
            details["why_oos"] = "figure outside the article"
            return self._out_of_scope(text, out_lang, scored, details)
        claim = self._claim(intent, figures)
        suggestions: tuple[Suggestion, ...] = ()
        if len(scored) > 1 and scored[1].confidence >= max(
            self.threshold, best.confidence - AMBIGUITY_MARGIN
        ):
            suggestions = (self._suggestion(scored[1].intent, out_lang),)
            details["did_you_mean"] = scored[1].intent
        return self._compose(text, intent, out_lang, best, claim, suggestions, details)

    def answer_intent(self, intent_id: str, lang: Lang) -> Answer | None:
        """The answer to a known intent, for buttons and deep links."""
        intent = self.kb.intents.get(intent_id)
        if intent is None:
            return None
        q = getattr(intent.question, lang)
        return self._compose(q, intent, lang, Scored(intent_id, 100.0, 1.0, q), None, (), {})

    def topics(self, lang: Lang) -> list[Suggestion]:
        return [self._suggestion(i.id, lang) for i in self.kb.intents.values() if i.kind == "fact"]

    def related(self, intent_id: str | None, lang: Lang) -> list[Suggestion]:
        """What a person who asked this intent usually asks next (the intent's `related`)."""
        intent = self.kb.intents.get(intent_id or "")
        return [self._suggestion(i, lang) for i in intent.related] if intent else []

    def featured(self, lang: Lang) -> list[Suggestion]:
        return list(self._featured(lang))

    # -- composing -----------------------------------------------------------

    def _lang(self, reading: Reading, explicit: Lang | None, user_lang: str | None) -> Lang:
        if explicit in LANGS:
            return explicit
        if reading.how in ("translit",) or (
            reading.how == "layout" and reading.script_lang == "ru"
        ):
            return "ru"
        if reading.script_lang is not None:
            return reading.script_lang
        return lang_from_code(user_lang) or "ru"

    def _claim(self, intent: Intent, figures: list[Figure]) -> ClaimCheck | None:
        """Confirmed when the intent states every figure the asker gives, refuted otherwise."""
        stated = [f for f in figures if not f.is_year]
        if intent.kind != "fact" or not stated:
            return None
        own = list(self.kb.figures.get(intent.id, ()))
        if not own:
            return None
        confirmed = all(contains_figure(own, f) for f in stated)
        return ClaimCheck(confirmed=confirmed, stated=tuple(f.raw for f in stated))

    def _sources(self, intent: Intent, lang: Lang) -> tuple[Source, ...]:
        out = []
        for src in intent.sources:
            speaker = None
            if src.speaker:
                person = self.kb.article.people[src.speaker]
                speaker = self.ui(
                    lang,
                    "quote_by",
                    name=getattr(person.name, lang),
                    role=getattr(person.role, lang),
                )
            out.append(Source(quote=" ".join(src.quote.split()), speaker=speaker))
        return tuple(out)

    def _suggestion(self, intent_id: str, lang: Lang) -> Suggestion:
        return Suggestion(intent_id, getattr(self.kb.intents[intent_id].question, lang))

    def _featured(self, lang: Lang) -> tuple[Suggestion, ...]:
        return tuple(self._suggestion(i, lang) for i in self.kb.article.featured[:MAX_SUGGESTIONS])

    def _compose(
        self,
        question: str,
        intent: Intent,
        lang: Lang,
        best: Scored,
        claim: ClaimCheck | None,
        suggestions: tuple[Suggestion, ...],
        details: dict[str, object],
    ) -> Answer:
        text = getattr(intent.answer, lang)
        if claim is not None:
            text = (
                f"{self.ui(lang, 'claim_confirmed' if claim.confirmed else 'claim_refuted')} {text}"
            )
        kind = AnswerKind.FACT if intent.kind == "fact" else AnswerKind.CHITCHAT
        if kind is AnswerKind.CHITCHAT and not suggestions:
            suggestions = self._featured(lang)
        return Answer(
            question=question,
            lang=lang,
            kind=kind,
            text=text,
            intent=intent.id,
            score=round(min(100.0, best.confidence), 1),
            sources=self._sources(intent, lang),
            suggestions=suggestions,
            claim=claim,
            details=details,
        )

    def _out_of_scope(
        self,
        question: str,
        lang: Lang,
        scored: list[Scored],
        details: dict[str, object],
        text: str | None = None,
    ) -> Answer:
        near = [s.intent for s in scored if self.kb.intents[s.intent].kind == "fact"][
            :MAX_SUGGESTIONS
        ]
        for iid in self.kb.article.featured:
            if len(near) >= MAX_SUGGESTIONS:
                break
            if iid not in near:
                near.append(iid)
        best = scored[0].confidence if scored else 0.0
        details["best"] = scored[0].intent if scored else None
        return Answer(
            question=question,
            lang=lang,
            kind=AnswerKind.OUT_OF_SCOPE,
            text=text or self.ui(lang, "out_of_scope"),
            score=round(best, 1),
            suggestions=tuple(self._suggestion(i, lang) for i in near),
            details=details,
        )
