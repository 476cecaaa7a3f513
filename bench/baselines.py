"""What a first try at matching looks like, to compare the project's matcher against.

Both baselines pick the best single example string over every intent's Russian and English
strings (the same question + examples the engine indexes) and answer with that intent.
They have no language detection: they answer in the question's script (Cyrillic -> ru, else
en), so a Russian question typed in Latin letters gets an English answer.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod

from rapidfuzz import fuzz, process

from bot.engine import LANGS, Answer, AnswerKind, KnowledgeBase, Lang

_CYRILLIC = re.compile(r"[а-яё]", re.I)


def script_lang(text: str) -> Lang:
    """The only language signal a baseline has: the alphabet the question is written in."""
    return "ru" if _CYRILLIC.search(text) else "en"


def example_strings(kb: KnowledgeBase) -> tuple[list[str], list[str]]:
    """Lowercased question + example strings of every intent in both languages, and their intents."""
    texts: list[str] = []
    intents: list[str] = []
    for iid, intent in kb.intents.items():
        for lang in LANGS:
            for text in [getattr(intent.question, lang), *getattr(intent.examples, lang)]:
                texts.append(text.lower())
                intents.append(iid)
    return texts, intents


class Baseline(ABC):
    """Best example wins; below `threshold` the question is declined as out of scope."""

    name: str
    score_format: str = "{:.1f}"

    def __init__(self, kb: KnowledgeBase, threshold: float = 0.0) -> None:
        self.kb = kb
        self.threshold = threshold
        self.texts, self.intents = example_strings(kb)

    @abstractmethod
    def best(self, text: str) -> tuple[str | None, float]:
        """The intent of the closest example and its score (higher is closer)."""

    def answer(self, text: str, *, text_lang: Lang | None = None) -> Answer:
        """Answer like the engine would; `text_lang` picks the answer text's language.

        `Answer.lang` is always the script's language: that is what the baseline would send.
        """
        lang = script_lang(text)
        iid, score = self.best(text)
        if iid is None or score < self.threshold:
            return Answer(
                question=text, lang=lang, kind=AnswerKind.OUT_OF_SCOPE, text="", score=score
            )
        intent = self.kb.intents[iid]
        return Answer(
            question=text,
            lang=lang,
            kind=AnswerKind.FACT if intent.kind == "fact" else AnswerKind.CHITCHAT,
            text=getattr(intent.answer, text_lang or lang),
            intent=iid,
            score=score,
        )


class WRatioBaseline(Baseline):
    """rapidfuzz WRatio of the lowercased question against each lowercased example (0-100)."""

    name = "WRatio"

    def best(self, text: str) -> tuple[str | None, float]:
        found = process.extractOne(text.lower(), self.texts, scorer=fuzz.WRatio)
        if found is None:
            return None, 0.0
        _, score, index = found
        return self.intents[index], float(score)


class TfidfBaseline(Baseline):
    """Cosine similarity of TF-IDF character 2-4-grams (char_wb), fitted on the examples (0-1)."""

    name = "TF-IDF"
    score_format = "{:.3f}"

    def __init__(self, kb: KnowledgeBase, threshold: float = 0.0) -> None:
        super().__init__(kb, threshold)
        # Imported here: scikit-learn is a bench-only dependency and slow to import.
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4))
        self.matrix = self.vectorizer.fit_transform(self.texts)  # rows are L2-normalized

    def best(self, text: str) -> tuple[str | None, float]:
        query = self.vectorizer.transform([text.lower()])
        sims = (self.matrix @ query.T).toarray().ravel()
        index = int(sims.argmax())
        return self.intents[index], float(sims[index])
