"""Question text -> weighted word stems the matcher compares, and the language it is written in.

Steps: clean (Unicode, control characters, a leading mention or /ask); read the script, and for
Latin or Cyrillic text that looks like the other language typed on the wrong keyboard layout or
transliterated, convert it; split into words; drop stop words; map synonyms; correct spelling
against the knowledge base's own vocabulary; stem (Snowball).
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache

import snowballstemmer
from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

import bot.engine.scripts as scripts
from bot.engine.dictionary import is_english_word
from bot.engine.figures import NUMBER_ENDINGS
from bot.engine.frequency import WordFrequency
from bot.engine.models import Lexicon, Phrase
from bot.engine.types import Lang

_CONTROL = re.compile(
    r"[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]"
)
_LEADING = re.compile(r"^\s*(?:/ask(?:@\w+)?\b|@\w+[,:]?)\s*", re.I)
_MENTION = re.compile(r"(?<!\w)@\w{3,}")
_URL = re.compile(r"https?://\S+|www\.\S+", re.I)
_ORDINAL = re.compile(rf"(\d)[-‐](?:{NUMBER_ENDINGS})(?!\w)", re.I)
_YEAR = re.compile(r"(?:19|20)\d\d")
_WORD = re.compile(r"\d+(?:[.,]\d+)?|[^\W\d_]+", re.U)
# A case or ordinal ending typed onto a number ("к 19му году", "2019-го", "90х", "5th"): part
# of the number, not a word of its own
_NUMBER_ENDING = re.compile(rf"(?<=\d)-?(?:{NUMBER_ENDINGS}|st|nd|rd|th)(?![^\W\d_])", re.I)


def _without_number_endings(text: str) -> str:
    """Same length, so positions in the text still hold."""
    return _NUMBER_ENDING.sub(lambda m: " " * len(m.group(0)), text)
_SENTENCE_END = re.compile(r"[.!?]")
_CLAUSE_END = re.compile(r"[.!?,;:()\"«»—–]|\s-\s")

REAL_WORD = 2.5  # zipf: a word this common is a word of its language, not a typing accident
REAL_WORD_NOT_TYPO = 4.0  # ... and this common (once in 100,000 words), never "corrected"
MIN_NAME_STEM = 5  # a name's stem this long or more may be found in another case
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
    zipf: float = 0.0  # how common the word is in the language at large (0: unseen)
    # in a stretch about the asker, not the question ("я еду в маршрутке", "saw cranes there")
    aside: bool = False


@dataclass(frozen=True, slots=True)
class Reading:
    """One way of reading the question: as written, transliterated, or on the wrong layout."""

    text: str
    script_lang: Lang | None  # the language its script says, None for no letters
    how: str  # "as_written" | "translit" | "layout"
    tokens: tuple[Token, ...]
    fit: float  # share of words recognized: stop words, the knowledge base's words, real words


_CAPITALIZED = re.compile(r"(?<![^\W\d_])[A-ZА-ЯЁ][^\W\d_]{3,}")
_LETTERS = re.compile(r"[^\W\d_]{3,}")
KNOWN_HEAD = 8  # a known stem this long at the start of an unknown word is what it is made from
KNOWN_HEAD_SHARE = 0.6  # ... when it is this much of the word
SHORT_WORD = 3  # a word this long is corrected only to a stop word (see _short_typo)
REPHRASED_KEPT = 16  # a message's own texts, not a cache across messages
GLUED_PREPOSITIONS = "вску"  # one-letter prepositions typed onto the next word
# What Latin letters cannot tell: a word's first "e" ("eto": "это", "esli": "если") and a
# soft sign at its end ("stat": "стать", not "стат", the stem of "статья"). The other spelling
# is the word meant when it is this much (zipf) more common; "брат", "стал", "Ефимов" stay.
SPELLING_GAIN = 1.0
_CYRILLIC_WORD = re.compile(r"[а-яё]+")
_HARD_CONSONANTS = frozenset("бвгджзклмнпрстфхцчшщ")


def _short(words: Iterable[str]) -> list[str]:
    """The words a short word can be a slip of: one letter longer at most."""
    return sorted(w for w in words if len(w) <= SHORT_WORD + 1)


@dataclass(frozen=True, slots=True)
class Asides:
    """Words that mark a stretch of a message as about the asker (chatter.yaml's `context`:
    reported speech introduces what was said, which is the claim), and the words that open a
    new stretch: question words, which open the question itself, and chatter.yaml's
    `clause_openers` ("что", "that"): "я еду в маршрутке и хотел спросить, сколько…"."""

    markers: frozenset[str] = frozenset()
    asks: frozenset[str] = frozenset()
    openers: frozenset[str] = frozenset()


NO_ASIDES = Asides()


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
        names: Iterable[str] = (),
        asides: Asides = NO_ASIDES,
    ) -> None:
        self.number_words = number_words
        self.asides = asides
        # Words around the question ("в чате пишут", "fr?"): dropped unless the knowledge base
        # uses them itself, so they neither pull coverage down nor look like an unknown name.
        self.chatter = chatter or _no_words()
        self.filler = filler or _no_words()  # only when unknown
        self.frequency = frequency
        self.names = frozenset(names)  # stems of the knowledge base's names ("прохоров")
        self._phrase_words, self._phrases = _phrase_scanner(lexicon.phrases)
        self._rephrased: dict[str, str] = {}
        self.stopwords = _stopwords(lexicon, implicit)
        self.synonyms = {_fold(k): _fold(v) for k, v in lexicon.synonyms.items()}
        groups = [[_fold(w) for w in g] for g in lexicon.synonym_groups]
        self.canon = _canon(groups)
        vocab = {w for w in vocabulary if w}.union(*groups)
        self.vocab = frozenset(vocab)
        self.stems = frozenset(stem(w) for w in vocab)
        self._squashed = _squashed(vocab)
        # Stop and chatter words are targets too, so a misspelt filler ("actualy", "правилно")
        # is dropped, not unknown.
        chat = set().union(*self.chatter.values(), *self.filler.values())
        self._by_first = _by_first_letter(
            vocab | self.stopwords["ru"] | self.stopwords["en"] | chat
        )
        self._correct = lru_cache(maxsize=65536)(self._correct_uncached)
        stop = self.stopwords["ru"] | self.stopwords["en"]
        self._known_words = self.vocab | stop
        self._short_vocab = _short(vocab - stop)
        self._short_stop = {lang: _short(words) for lang, words in self.stopwords.items()}

    # -- words ---------------------------------------------------------------

    def words(self, text: str) -> list[str]:
        text = _without_number_endings(text.lower().replace("ё", "е"))
        return [w.replace(",", ".") for w in _WORD.findall(text)]

    def is_stopword(self, word: str) -> bool:
        return word in self.stopwords["ru"] or word in self.stopwords["en"]

    def canonical_stem(self, word: str) -> str:
        """The stem the matcher compares: a synonym group's members share its first word's."""
        st = stem(word)
        return self.canon.get(st, st)

    def vocabulary_words(self, text: str) -> list[str]:
        """Words of knowledge-base text, as the vocabulary stores them (and as rephrased)."""
        cleaned = clean(text)
        words = self.words(cleaned)
        rephrased = self.rephrase(cleaned)
        if rephrased != cleaned:
            words += self.words(rephrased)
        return [self.synonyms.get(w, w) for w in words]

    def _correct_uncached(self, word: str, translit: bool) -> str | None:
        if word.isdigit():
            return None
        if len(word) < 4:
            return self._short_typo(word)
        cyr = bool(scripts.CYRILLIC_RE.search(word))
        if cyr and (hit := self._squashed.get(scripts.squash_ru(word))):
            return hit
        best = self._nearest(word)
        if best is None:
            return self._glued(word, translit) if cyr else None
        return best if self._slip_allowed(word, best, cyr, translit) else None

    @staticmethod
    def _slip_allowed(word: str, fixed: str, cyr: bool, translit: bool) -> bool:
        """Transliteration loses soft signs and vowels' shades, not whole letters."""
        if not (translit and cyr):
            return True
        squashed = scripts.squash_ru(word), scripts.squash_ru(fixed)
        return DamerauLevenshtein.distance(*squashed, score_cutoff=1) <= 1

    def _nearest(self, word: str) -> str | None:
        """The knowledge base's word a slip or two away, with the same first letter: typos
        rarely hit it, and real words that differ there ("teach", "reach") are other words."""
        limit = 1 if len(word) <= 8 else 2
        choices = self._by_first.get(_first_letter(word), ())
        best = process.extractOne(
            word, choices, scorer=DamerauLevenshtein.distance, score_cutoff=limit
        )
        return best[0] if best is not None else None

    def _glued(self, word: str, translit: bool) -> str | None:
        """A one-letter preposition typed onto its word ("вскольк стран": "в скольк…"): the
        word meant, when the rest is, or is a slip from, a word of the knowledge base; or a
        stop word typed onto one ("какаяпродукция"), when the rest is one as written."""
        for n in range(len(word) - SHORT_WORD - 1, 1, -1):
            if word[:n] in self.stopwords["ru"] and word[n:] in self.vocab:
                return word[n:]
        if word[0] not in GLUED_PREPOSITIONS or len(word) < SHORT_WORD + 2:
            return None
        rest = word[1:]
        if rest in self.vocab:
            return rest
        # one slip at most, and no second preposition: "вввв…" is no word
        fixed = self._squashed.get(scripts.squash_ru(rest)) or self._nearest(rest)
        return fixed if fixed and self._slip_allowed(rest, fixed, True, translit) else None

    def _short_typo(self, word: str) -> str | None:
        """A three-letter word one slip from a single word of the knowledge base ("ище":
        "еще") or from stop words only is that word; among several, the one spelt alike but
        for a shade ("ето": "это", see _alike), then a stop word with two neighbouring
        letters swapped ("teh": "the", not "tech"), then the one word a letter longer ("mny":
        "many")."""
        if len(word) != SHORT_WORD:
            return None
        lang = "ru" if scripts.CYRILLIC_RE.search(word) else "en"
        stop = self._near(word, self._short_stop[lang])
        other = self._near(word, self._short_vocab)
        if len(stop) + len(other) == 1:
            return (stop or other)[0]
        return _alike(word, stop + other) or self._likeliest(word, lang, stop, other)

    def _likeliest(self, word: str, lang: Lang, stop: list[str], other: list[str]) -> str | None:
        if stop and not other:
            return stop[0]
        swaps = {word[1] + word[0] + word[2], word[0] + word[2] + word[1]}
        hits = sorted(swaps & self.stopwords[lang])
        return hits[0] if hits else _one_letter_longer(stop + other)

    @staticmethod
    def _near(word: str, choices: list[str]) -> list[str]:
        found = process.extract(
            word, choices, scorer=DamerauLevenshtein.distance, score_cutoff=1, limit=None
        )
        return [w for w, _, _ in found]

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
            return self._number_token(word)
        st = stem(word)
        figure = bool(self.number_words and self.number_words.fullmatch(word))
        if word in self.vocab or st in self.stems:
            zipf = self.frequency.zipf(word) if self.frequency else 0.0
            return Token(
                self.canon.get(st, st), word, known=True, proper=proper, figure=figure, zipf=zipf
            )
        if figure or word in self.filler[lang]:
            return None
        return self._unknown_token(word, st, lang, proper=proper, translit=translit)

    def _number_token(self, word: str) -> Token | None:
        """A number is a token only when the knowledge base has it, or when it is a year."""
        if _YEAR.fullmatch(word):
            # A year says when, not what: the engine's year rules read it, and the matcher
            # gives it no weight (it still tells "экспорт 2019" from "экспорт").
            return Token(word, word, known=True, figure=True, year=True)
        word = word.replace(",", ".")
        return Token(word, word, known=True, figure=True) if word in self.vocab else None

    def _unknown_token(
        self, word: str, st: str, lang: Lang, *, proper: bool, translit: bool
    ) -> Token | None:
        """A word the knowledge base lacks: a misspelling of one of its words, or itself."""
        zipf = self.frequency.zipf(word) if self.frequency else 0.0
        base = self._inflected_name(st) if proper else None
        if base is not None:
            return Token(base, word, known=True, proper=proper, zipf=zipf)
        fixed = self._fixed(word, lang, zipf, proper=proper, translit=translit)
        if fixed is None:
            head = self._known_head(st)
            if head is not None:
                return Token(head, word, known=True, proper=proper, zipf=zipf)
            return Token(st, word, known=False, proper=proper, zipf=zipf)
        fixed = self.synonyms.get(fixed, fixed)
        if fixed in self.stopwords[lang] or fixed in self.chatter[lang]:
            return None  # a misspelt stop word or chatter word is dropped like one
        return Token(self.canonical_stem(fixed), fixed, known=True, corrected=True, proper=proper)

    def _known_head(self, st: str) -> str | None:
        """A word made from one of the knowledge base's by a suffix ("микроэлектронщиков":
        "микроэлектрон"): that word's stem, when it is most of this one."""
        for cut in range(len(st) - 1, KNOWN_HEAD - 1, -1):
            head = st[:cut]
            if head in self.stems:
                return self.canon.get(head, head) if cut >= KNOWN_HEAD_SHARE * len(st) else None
        return None

    def _fixed(
        self, word: str, lang: Lang, zipf: float, *, proper: bool, translit: bool
    ) -> str | None:
        """The word meant, or None: the word is itself."""
        if not self._is_itself(word, lang, zipf, proper=proper, translit=translit):
            return self._correct(word, translit)
        if proper and zipf < REAL_WORD_NOT_TYPO:
            return self._misspelt_name(word, translit)
        return None

    def with_names_fixed(self, text: str) -> str:
        """The text with its names a letter off the knowledge base's written as those ("кто
        такой Дектев" -> "Дегтев"), for the claim reader, which knows names as spelt."""
        if not self.names:
            return text
        return _CAPITALIZED.sub(self._fixed_name, text)

    def _fixed_name(self, m: re.Match[str]) -> str:
        word = m.group(0)
        low = word.lower().replace("ё", "е")
        st = stem(low)
        if low in self.vocab or st in self.stems or self._inflected_name(st) is not None:
            return word  # known, or a name in another case ("Ангстреме"), not a misspelling
        lang: Lang = "ru" if scripts.CYRILLIC_RE.search(low) else "en"
        zipf = self.frequency.zipf(low) if self.frequency else 0.0
        fixed = self._fixed(low, lang, zipf, proper=True, translit=False)
        return fixed.capitalize() if fixed else word

    def _misspelt_name(self, word: str, translit: bool) -> str | None:
        """A name written a letter off one of the knowledge base's ("Prohorov", "Дектев"):
        that name. Toward any other word a name is itself ("Munich" is not "much")."""
        fixed = self._correct(word, translit)
        return fixed if fixed is not None and stem(fixed) in self.names else None

    def _inflected_name(self, st: str) -> str | None:
        """A name in another case than the knowledge base has it: Snowball stems "Ангстрем"
        to "ангстр" but "Ангстреме" to "ангстрем"; the known stem it extends by a letter or
        two."""
        for cut in (1, 2):
            base = st[:-cut]
            if len(base) >= MIN_NAME_STEM and base in self.stems:
                return self.canon.get(base, base)
        return None

    @staticmethod
    def _is_itself(word: str, lang: Lang, zipf: float, *, proper: bool, translit: bool) -> bool:
        """A word not to correct: a name as written, or a real word of its language.

        A real word is itself, not a typo of the knowledge base's ("поднял" is not "понял",
        "teach" not "tech"): wordfreq for both languages, and for English also the spell
        checker's longer list. Transliterated text is never real as it stands.
        """
        if translit:
            return False
        return proper or zipf >= REAL_WORD_NOT_TYPO or (lang == "en" and is_english_word(word))

    # -- readings ------------------------------------------------------------

    def _reading(self, text: str, how: str, values: frozenset[str] = frozenset()) -> Reading:
        tokens, fit = self._tokens(text, how, values)
        return Reading(text=text, script_lang=_script_lang(text), how=how, tokens=tokens, fit=fit)

    def _tokens(
        self, text: str, how: str, values: frozenset[str]
    ) -> tuple[tuple[Token, ...], float]:
        """The words' tokens, and the share of words recognized (`Reading.fit`).

        Capitals mark a name only as written: inside a sentence, or a whole word in capitals
        ("МИЭТ"); converted text has lost them, and a message typed in capitals ("HOW MANY
        SITES") says nothing by them.
        """
        translit = how == "translit"
        as_written = how == "as_written" and not _shouted(text)
        tokens: list[Token] = []
        clause = _Clause(self.asides)
        recognized = 0.0
        count = 0
        sentence_start = True
        pos = 0
        text = _without_number_endings(text)
        for m in _WORD.finditer(text):
            raw = m.group(0)
            word = raw.lower().replace("ё", "е")
            if clause.ends(text[pos : m.start()], word):
                tokens += clause.close()
            if _SENTENCE_END.search(text, pos, m.start()):
                sentence_start = True
            pos = m.end()
            count += 1
            proper = as_written and _capitalized(raw, sentence_start)
            sentence_start = False
            tok = self.token(
                word.replace(",", "."), proper=proper, translit=translit, value=word in values
            )
            recognized += _recognized(tok)
            clause.add(word, tok)
        clause.ends(text[pos:], "")
        tokens += clause.close()
        if not clause.asked:
            # a statement's every word is what it states: watch mode reads "сдаю комнату 14
            # квадратов" as about rooms, whoever rents it
            tokens = [replace(t, aside=False) if t.aside else t for t in tokens]
        return tuple(tokens), recognized / max(count, 1)

    def _joined(self, text: str) -> str:
        """A word of the knowledge base typed in two ("техно полис", "Zeleno grad"): joined,
        when neither half is a word it knows."""
        if " " not in text:
            return text
        known = self._known_words
        words = list(_LETTERS.finditer(text))
        out, last = [], 0
        for a, b in itertools.pairwise(words):
            left, right = a.group(0).lower(), b.group(0).lower()
            gap = text[a.end() : b.start()]
            if gap == " " and (left + right).replace("ё", "е") in self.vocab and not (
                {left, right} & known
            ):
                out.append(text[last : a.end()])
                last = b.start()
        out.append(text[last:])
        return "".join(out)

    def rephrase(self, text: str) -> str:
        """Colloquial phrases to the knowledge base's words ("за бугор" -> "за рубеж").

        One message is rephrased several times on its way (read, the claim reader, the
        decline rules): the last few results are kept."""
        memo = self._rephrased
        out = memo.get(text)
        if out is None:
            out = self._phrases.sub(lambda m: self._phrase_words[m.lastgroup or ""], text)
            if len(memo) >= REPHRASED_KEPT:
                del memo[next(iter(memo))]
            memo[text] = out
        return out

    def _spelled(self, text: str) -> str:
        """A transliteration's words as the language spells them most often (SPELLING_GAIN)."""
        freq = self.frequency
        if freq is None:
            return text

        def likelier(w: str) -> str:
            starts = (w, "э" + w[1:]) if w[0] == "е" else (w,)
            ends = ("", "ь") if w[-1] in _HARD_CONSONANTS else ("",)
            best = max((s + e for s in starts for e in ends), key=freq.zipf)
            return best if freq.zipf(best) >= freq.zipf(w) + SPELLING_GAIN else w

        return _CYRILLIC_WORD.sub(lambda m: likelier(m.group(0)), text)

    def reread(self, reading: Reading, values: frozenset[str]) -> Reading:
        """The same reading with `values` (words of stated values, lowercased) marked as such."""
        return self._reading(reading.text, reading.how, values)

    def read(self, text: str) -> Reading:
        """The most plausible reading of a cleaned question."""
        text = self._joined(self.rephrase(text))
        as_written = self._reading(text, "as_written")
        cyr, lat = scripts.script_counts(text)
        if as_written.fit >= 0.99 or (cyr and lat) or not (cyr or lat):
            return as_written
        if lat:
            others = [
                self._reading(self._spelled(scripts.translit_to_ru(text)), "translit"),
                self._reading(scripts.layout_to_ru(text), "layout"),
            ]
        else:
            others = [self._reading(scripts.layout_to_en(text), "layout")]
        others = [
            r if r.text == (t := self.rephrase(r.text)) else self._reading(t, r.how) for r in others
        ]
        best = max(others, key=lambda r: r.fit)
        return best if best.fit >= as_written.fit + 0.25 else as_written


class _Clause:
    """The tokens of one stretch of a message, until punctuation or an opener ends it."""

    def __init__(self, asides: Asides) -> None:
        self.asides = asides
        self.tokens: list[Token] = []
        self.aside = False
        self.asking = False  # opened by a question word: the question, whatever it mentions
        self.asked = False  # some stretch of the message asked

    def ends(self, gap: str, word: str) -> bool:
        if "?" in gap:
            self.asking = self.asked = True
        return bool(_CLAUSE_END.search(gap)) or word in self.asides.openers or (
            word in self.asides.asks
        )

    def add(self, word: str, tok: Token | None) -> None:
        if word in self.asides.asks:
            self.asked = self.asking = True  # a question word always opens its stretch
        self.aside = self.aside or word in self.asides.markers
        if tok is not None:
            self.tokens.append(tok)

    def close(self) -> list[Token]:
        """The stretch's tokens, marked when the stretch is an aside (stated values aside)."""
        out = self.tokens
        if self.aside and not self.asking:
            out = [t if t.figure else replace(t, aside=True) for t in out]
        self.tokens, self.aside, self.asking = [], False, False
        return out


def _one_letter_longer(near: list[str]) -> str | None:
    """A letter left out is the likeliest slip: "mny" is "many", not "my" or "any"."""
    longer = [w for w in near if len(w) == SHORT_WORD + 1]
    return longer[0] if len(longer) == 1 else None


def _capitalized(raw: str, sentence_start: bool) -> bool:
    """A name by its capitals: a whole word in capitals ("МИЭТ"), or one inside a sentence."""
    if raw.isupper():
        return len(raw) > 1
    return not sentence_start and raw[:1].isupper()


def _recognized(tok: Token | None) -> float:
    """How much a word says the reading is right (`Reading.fit`): a dropped word (a stop word,
    chatter) fully, a corrected one less, a word of the language not in the knowledge base half."""
    if tok is None:
        return 1.0
    if tok.known:
        return 0.8 if tok.corrected else 1.0
    return 0.5 if tok.zipf >= REAL_WORD else 0.0


def _shouted(text: str) -> bool:
    """Typed in capitals: most of its letters, in words of several, are upper case."""
    letters = [ch for w in _WORD.findall(text) if len(w) > 3 for ch in w if ch.isalpha()]
    return len(letters) >= 12 and sum(ch.isupper() for ch in letters) > 0.8 * len(letters)


def _fold(word: str) -> str:
    """Lowercase, and ё as е: how the vocabulary stores a word."""
    return word.lower().replace("ё", "е")


def _no_words() -> dict[str, frozenset[str]]:
    return {"ru": frozenset(), "en": frozenset()}


def _stopwords(lexicon: Lexicon, implicit: Iterable[str]) -> dict[str, set[str]]:
    """The lexicon's stop words, and the implicit ones (the article's year): those qualify
    every fact alike, so they tell none apart."""
    return {
        lang: {w.lower() for w in getattr(lexicon.stopwords, lang)} | set(implicit)
        for lang in ("ru", "en")
    }


def _script_lang(text: str) -> Lang | None:
    """The language the script says: the more letters win, Cyrillic on a tie; None: no letters."""
    cyr, lat = scripts.script_counts(text)
    if cyr == lat == 0:
        return None
    return "ru" if cyr >= lat else "en"


def _phrase_scanner(phrases: list[Phrase]) -> tuple[dict[str, str], re.Pattern[str]]:
    """One scan for every phrase: a group each, the replacement looked up by the group's name."""
    replacements = {f"p{i}": p.replace for i, p in enumerate(phrases)}
    alternatives = "|".join(f"(?P<p{i}>{p.pattern})" for i, p in enumerate(phrases))
    # Phrases are whole words (lexicon.yaml): the word start, checked once before the
    # alternation, fails most positions at once (the scan is three times faster).
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})" if phrases else r"(?!)", re.I)
    return replacements, pattern


def _canon(groups: list[list[str]]) -> dict[str, str]:
    """Each member of a synonym group stands for the group's first word, by stem."""
    canon: dict[str, str] = {}
    for group in groups:
        head = stem(group[0])
        for w in group:
            canon.setdefault(stem(w), head)
    return canon


def _squashed(vocab: set[str]) -> dict[str, str]:
    """Russian words by their squashed spelling (see scripts.squash_ru), the first one sorted."""
    squashed: dict[str, str] = {}
    for w in sorted(vocab):
        if scripts.CYRILLIC_RE.search(w):
            squashed.setdefault(scripts.squash_ru(w), w)
    return squashed


def _alike(word: str, near: list[str]) -> str | None:
    """The one word of `near` spelt as `word` but for what transliteration confuses."""
    alike = [w for w in near if scripts.squash_ru(w) == scripts.squash_ru(word)]
    return alike[0] if len(alike) == 1 else None


def _by_first_letter(words: set[str]) -> dict[str, list[str]]:
    """Correction targets by first letter (typos rarely hit it); short words and numbers never."""
    by_first: dict[str, list[str]] = {}
    for w in sorted(words):
        if len(w) >= 3 and not w[0].isdigit():
            by_first.setdefault(_first_letter(w), []).append(w)
    return by_first


# Э and Е (and Ё) are one letter to whoever types fast or in Latin letters: "експорт", "eto"
_SAME_FIRST = str.maketrans("эё", "ее")


def _first_letter(word: str) -> str:
    return word[0].translate(_SAME_FIRST)
