"""Question text -> weighted word stems the matcher compares, and the language it is written in.

Steps: clean (Unicode, control characters, a leading mention or /ask); read the script, and for
Latin or Cyrillic text that looks like the other language typed on the wrong keyboard layout or
transliterated, convert it; split into words; drop stop words; map synonyms; correct spelling
against the knowledge base's own vocabulary; stem (Snowball).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

import snowballstemmer
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from bot.engine import scripts
from bot.engine.dictionary import is_english_word
from bot.engine.frequency import WordFrequency
from bot.engine.models import Lexicon
from bot.engine.types import Lang

_CONTROL = re.compile(
    r"[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]"
)
_LEADING = re.compile(r"^\s*(?:/ask(?:@\w+)?\b|@\w+[,:]?)\s*", re.I)
_MENTION = re.compile(r"(?<!\w)@\w{3,}")
_URL = re.compile(r"https?://\S+|www\.\S+", re.I)
_ORDINAL = re.compile(r"(\d)[-‐](?:го|й|я|е|м|х|ю|ый|ой|ий|ая|ое|ые|ых|ом|ти|ми)(?!\w)", re.I)
_YEAR = re.compile(r"(?:19|20)\d\d")
_WORD = re.compile(r"\d+(?:[.,]\d+)?|[^\W\d_]+", re.U)

REAL_WORD = 2.5  # zipf: a word this common is a word of its language, not a typing accident
REAL_WORD_NOT_TYPO = 4.0  # ... and this common (once in 100,000 words), never "corrected"
_STEMMERS = {"ru": snowballstemmer.stemmer("russian"), "en": snowballstemmer.stemmer("english")}


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball stem by the word's own script, so mixed-language questions work."""
    lang = "ru" if scripts.CYRILLIC_RE.search(word) else "en"
    return _STEMMERS[lang].stemWord(word)


def clean(text: str) -> str:
    """Unicode-normalize and strip what is not the question: control characters, mentions, /ask."""
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL.sub(" ", text)
    prev = None
    while prev != text:
        prev, text = text, _LEADING.sub("", text, count=1)
    text = _URL.sub(" ", text)
    text = _ORDINAL.sub(r"\1", text)  # "2019-го", "10-й": the number, not a word "го"
    return _MENTION.sub(" ", text).strip()


@dataclass(frozen=True, slots=True)
class Token:
    stem: str
    surface: str  # the word as read (after conversion, synonyms and correction)
    known: bool  # in the knowledge base's vocabulary (possibly after correction)
    corrected: bool = False
    proper: bool = False  # capitalized inside a sentence: a name
    figure: bool = False  # a stated value (number, place, person): the claim check reads it
    year: bool = False
    zipf: float = 0.0  # for an unknown word: how common it is in the language at large (0: unseen)


@dataclass(frozen=True, slots=True)
class Reading:
    """One way of reading the question: as written, transliterated, or on the wrong layout."""

    text: str
    script_lang: Lang | None  # the language its script says, None for no letters
    how: str  # "as_written" | "translit" | "layout"
    tokens: tuple[Token, ...]
    fit: float  # share of words recognized: stop words, the knowledge base's words, real words


class Normalizer:
    """Knows the vocabulary of the knowledge base, so it can correct and recognize words."""

    def __init__(
        self,
        lexicon: Lexicon,
        vocabulary: Iterable[str],
        implicit: Iterable[str] = (),
        number_words: re.Pattern[str] | None = None,
        chatter: dict[str, frozenset[str]] | None = None,
        filler: dict[str, frozenset[str]] | None = None,
        frequency: WordFrequency | None = None,
    ) -> None:
        self.number_words = number_words
        # Words around the question ("в чате пишут", "fr?"): dropped unless the knowledge base
        # uses them itself, so they neither pull coverage down nor look like an unknown name.
        self.chatter = chatter or {"ru": frozenset(), "en": frozenset()}
        self.filler = filler or {"ru": frozenset(), "en": frozenset()}  # only when unknown
        self.frequency = frequency
        # One scan for every phrase: a group each, the replacement looked up by the group.
        self._phrase_words = {f"p{i}": p.replace for i, p in enumerate(lexicon.phrases)}
        self._phrases = re.compile(
            "|".join(f"(?P<p{i}>{p.pattern})" for i, p in enumerate(lexicon.phrases)) or r"(?!)",
            re.I,
        )
        # Implicit words (the article's year) qualify every fact alike, so they tell none apart.
        self.stopwords = {
            lang: {w.lower() for w in getattr(lexicon.stopwords, lang)} | set(implicit)
            for lang in ("ru", "en")
        }
        self.synonyms = {
            k.lower().replace("ё", "е"): v.lower().replace("ё", "е")
            for k, v in lexicon.synonyms.items()
        }
        # Each member of a synonym group stands for the group's first word, by stem.
        self.canon: dict[str, str] = {}
        groups = [[w.lower().replace("ё", "е") for w in g] for g in lexicon.synonym_groups]
        for group in groups:
            head = stem(group[0])
            for w in group:
                self.canon.setdefault(stem(w), head)
        vocab = {w for w in vocabulary if w} | {w for g in groups for w in g}
        self.vocab = frozenset(vocab)
        self.stems = frozenset(stem(w) for w in vocab)
        self._squashed: dict[str, str] = {}
        for w in sorted(vocab):
            if scripts.CYRILLIC_RE.search(w):
                self._squashed.setdefault(scripts.squash_ru(w), w)
        self._by_first: dict[str, list[str]] = {}
        # Stop words are targets too, so a misspelt filler ("actualy") is dropped, not unknown.
        for w in sorted(vocab | self.stopwords["ru"] | self.stopwords["en"]):
            if len(w) >= 3 and not w[0].isdigit():
                self._by_first.setdefault(w[0], []).append(w)
        self._correct = lru_cache(maxsize=65536)(self._correct_uncached)

    # -- words ---------------------------------------------------------------

    def words(self, text: str) -> list[str]:
        return [w.replace(",", ".") for w in _WORD.findall(text.lower().replace("ё", "е"))]

    def vocabulary_words(self, text: str) -> list[str]:
        """Words of knowledge-base text, as the vocabulary stores them (and as rephrased)."""
        cleaned = clean(text)
        words = self.words(cleaned)
        rephrased = self.rephrase(cleaned)
        if rephrased != cleaned:
            words += self.words(rephrased)
        return [self.synonyms.get(w, w) for w in words]

    def _correct_uncached(self, word: str, translit: bool) -> str | None:
        if len(word) < 4 or word.isdigit():
            return None
        cyr = bool(scripts.CYRILLIC_RE.search(word))
        if cyr:
            hit = self._squashed.get(scripts.squash_ru(word))
            if hit:
                return hit
        limit = 1 if len(word) <= 8 else 2
        # Typos rarely hit the first letter; real words that differ there ("teach" and
        # "reach") are other words, not misspellings.
        choices = self._by_first.get(word[0], ())
        best = process.extractOne(
            word, choices, scorer=DamerauLevenshtein.distance, score_cutoff=limit
        )
        if best is None:
            return None
        if translit and cyr:
            # Transliteration loses soft signs and vowels' shades, not whole letters.
            squashed = process.extractOne(
                scripts.squash_ru(word),
                [scripts.squash_ru(best[0])],
                scorer=DamerauLevenshtein.distance,
                score_cutoff=1,
            )
            if squashed is None:
                return None
        return best[0]

    def token(
        self, word: str, *, proper: bool, translit: bool, value: bool = False
    ) -> Token | None:
        lang: Lang = "ru" if scripts.CYRILLIC_RE.search(word) else "en"
        word = self.synonyms.get(word, word)
        if word in self.stopwords[lang] or word in self.chatter[lang]:
            return None
        tok = self._token(word, lang, proper=proper, translit=translit)
        if value and tok is not None and not word[:1].isdigit():
            # A stated value ("Африку", "ярда"): the claim check reads it, it is not a name.
            return replace(tok, known=True, figure=True)
        return tok

    def _token(self, word: str, lang: Lang, *, proper: bool, translit: bool) -> Token | None:
        if word[:1].isdigit():
            if _YEAR.fullmatch(word):
                # A year says when, not what: the engine's year rules read it, and the matcher
                # gives it no weight (it still tells "экспорт 2019" from "экспорт").
                return Token(word, word, known=True, figure=True, year=True)
            word = word.replace(",", ".")
            return Token(word, word, known=True, figure=True) if word in self.vocab else None
        st = stem(word)
        figure = bool(self.number_words and self.number_words.fullmatch(word))
        if word in self.vocab or st in self.stems:
            return Token(self.canon.get(st, st), word, known=True, proper=proper, figure=figure)
        if figure or word in self.filler[lang]:
            return None
        # A real word of its language is itself, not a typo of the knowledge base's ("поднял"
        # is not "понял", "teach" not "tech"): wordfreq for both languages, and for English
        # also the spell checker's longer list.
        zipf = self.frequency.zipf(word) if self.frequency else 0.0
        real = not translit and (
            zipf >= REAL_WORD_NOT_TYPO or (lang == "en" and is_english_word(word))
        )
        fixed = None if (proper and not translit) or real else self._correct(word, translit)
        if fixed is not None:
            fixed = self.synonyms.get(fixed, fixed)
            if fixed in self.stopwords[lang] or fixed in self.chatter[lang]:
                return None
            st = stem(fixed)
            return Token(self.canon.get(st, st), fixed, known=True, corrected=True, proper=proper)
        return Token(st, word, known=False, proper=proper, zipf=zipf)

    # -- readings ------------------------------------------------------------

    def _reading(self, text: str, how: str, values: frozenset[str] = frozenset()) -> Reading:
        translit = how == "translit"
        raw_words = _WORD.findall(text)
        tokens: list[Token] = []
        recognized = 0.0
        sentence_start = True
        pos = 0
        for raw in raw_words:
            start = text.find(raw, pos)
            between = text[pos:start]
            if re.search(r"[.!?]", between):
                sentence_start = True
            pos = start + len(raw)
            word = raw.lower().replace("ё", "е")
            proper = (
                how == "as_written"
                and not sentence_start
                and raw[:1].isupper()
                and not raw.isupper()
            )
            proper = proper or (
                how == "as_written" and len(raw) > 1 and raw.isupper() and not raw.isdigit()
            )
            sentence_start = False
            tok = self.token(
                word.replace(",", "."), proper=proper, translit=translit, value=word in values
            )
            if tok is None:
                recognized += 1
            else:
                tokens.append(tok)
                if tok.known:
                    recognized += 0.8 if tok.corrected else 1
                elif tok.zipf >= REAL_WORD:
                    recognized += 0.5  # a word of the language, if not of the knowledge base
        cyr, lat = scripts.script_counts(text)
        script_lang: Lang | None = None if cyr == lat == 0 else ("ru" if cyr >= lat else "en")
        fit = recognized / len(raw_words) if raw_words else 0.0
        return Reading(text=text, script_lang=script_lang, how=how, tokens=tuple(tokens), fit=fit)

    def rephrase(self, text: str) -> str:
        """Colloquial phrases to the knowledge base's words ("за бугор" -> "за рубеж")."""
        return self._phrases.sub(lambda m: self._phrase_words[m.lastgroup or ""], text)

    def reread(self, reading: Reading, values: frozenset[str]) -> Reading:
        """The same reading with `values` (words of stated values, lowercased) marked as such."""
        return self._reading(reading.text, reading.how, values)

    def read(self, text: str) -> Reading:
        """The most plausible reading of a cleaned question."""
        text = self.rephrase(text)
        as_written = self._reading(text, "as_written")
        cyr, lat = scripts.script_counts(text)
        if as_written.fit >= 0.99 or (cyr and lat) or not (cyr or lat):
            return as_written
        if lat:
            others = [
                self._reading(scripts.translit_to_ru(text), "translit"),
                self._reading(scripts.layout_to_ru(text), "layout"),
            ]
        else:
            others = [self._reading(scripts.layout_to_en(text), "layout")]
        others = [
            r if r.text == (t := self.rephrase(r.text)) else self._reading(t, r.how) for r in others
        ]
        best = max(others, key=lambda r: r.fit)
        return best if best.fit >= as_written.fit + 0.25 else as_written
