"""Watch mode: whether an unasked group message states a value the article contradicts.

A part of AnswerEngine (its methods use the engine's reading, matching and verdicts); kept
apart because its bars and its silence rules are their own concern.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from itertools import pairwise

from bot.engine.claims import NAMED, WHO, Verdict
from bot.engine.message import Message
from bot.engine.normalize import Token
from bot.engine.types import Answer

# Watch mode corrects unasked: a refuted claim must also be this confident.
WATCH_THRESHOLD = 16.0
# ... in a message that does not name technopolis, a site or a person
WATCH_UNNAMED_THRESHOLD = 20.0
# ... when the value it refutes is a site ("аренда на площадке МИЭТ": not where the technopark is)
WATCH_REFUTED_SITE_THRESHOLD = 30.0
# ... and when the only value it states is one of the technopolis's sites
WATCH_SITE_THRESHOLD = 35.0
# ... and a stretch between commas of a message that names none of them: the middle of the bars
# (30-50) that corrected no chatter on the development files.
UNNAMED_STRETCH = 40.0
# An amount this many times below or above the article's is not a figure of it.
AMOUNTS_APART = 1000


def _out_of_scale(verdict: Verdict) -> bool:
    """ "Прохоров про почти 500 млн сказал, а у меня 500 рублей до зарплаты": an amount a
    thousand times off the article's is of something else, not a wrong figure of it."""
    if verdict.spec.kind != "money" or not verdict.spec.value:
        return False
    amounts = [s.value for s in verdict.stated if s.kind == "money" and s.value]
    least = verdict.spec.value / AMOUNTS_APART
    return bool(amounts) and all(a < least or a > verdict.spec.value * AMOUNTS_APART for a in amounts)


def _of_who_only(ans: Answer, msg: Message) -> bool:
    """A correction of who said it or holds a title, and of nothing else."""
    said = set(ans.claim.stated) if ans.claim else set()
    return bool(said) and all(s.kind in WHO for s in msg.stated if s.raw in said)


def _all_who(msg: Message) -> bool:
    """A message that states who and what title only ("Degtev heads the investment
    department"): the title is the claim, no part of it states another."""
    return all(s.kind in WHO for s in msg.stated)


def _only_confirmed(ans: Answer, confirmed: frozenset[str]) -> bool:
    """A part's correction that is about nothing but values the whole confirms."""
    return ans.claim is not None and set(ans.claim.stated) <= confirmed


def _confirmed(whole: Answer | None) -> frozenset[str]:
    """The values the article confirms as the whole message states them: "Ефимов в Зеленограде
    был, там 4 площадки" puts the four in Zelenograd, which the stretch "там 4 площадки" alone
    would read as the total."""
    if whole is None or whole.claim is None or whole.claim.confirmed is not True:
        return frozenset()
    return frozenset(whole.claim.stated)


class Watching:
    """AnswerEngine's watch mode."""

    def watch(self, text: str, *, user_lang: str | None = None) -> Answer | None:
        """A correction for a message that states a value the article contradicts, or None.

        For watch mode in groups, where nobody asked: silent on questions, on bare numbers, on
        right or partly right values, and on anything the engine is not confident of; more
        so when the message does not name the article's subject (technopolis, its sites, its
        people).
        """
        self._new_message()
        whole = self._read(text, None, user_lang, assume_claim=True)
        if self._imagines(whole):
            return None
        considered = self._considered(text, whole)
        if considered is not None and self._corrects(whole, considered):
            correction: Answer | None = considered
            if _of_who_only(considered, whole) and not _all_who(whole):
                # "Degtev, the deputy mayor, said most chips went to Africa": the figure is
                # the claim, the title an aside (the quote's speaker shows who holds it)
                correction = self._watch_parts(whole, frozenset(), user_lang) or considered
        else:
            correction = self._watch_parts(whole, _confirmed(considered), user_lang)
        if correction is None or self._part_confirms(whole, correction, user_lang):
            return None
        return correction

    def _part_confirms(self, whole: Message, correction: Answer, user_lang: str | None) -> bool:
        """A stretch of the message that states the same value and matches, surer than the
        whole, a fact the article gives it for ("ярд двести лямов экспорта у ОЭЗ, Ефимов
        рассказывал", which the whole matched to the other leaders' 500 million): the message
        may well mean that fact, and a right figure corrected is the worst correction."""
        refuted = set(correction.claim.stated) if correction.claim else set()
        # a name alone is right of some fact or other ("установки для дезинфекции"): figures
        # only, each where the whole puts it ("все пять площадок — в Зеленограде" is no total)
        said = {(s.raw, s.where) for s in whole.stated if s.kind not in NAMED and s.raw in refuted}
        if not said:
            return False
        return any(
            said <= self._confirmed_in(part, whole, user_lang, correction.score)
            for part in whole.clauses(min_words=0) + self._stretches(whole)
        )

    def _confirmed_in(
        self, part: str, whole: Message, user_lang: str | None, above: float
    ) -> set[tuple[str, str | None]]:
        """The values a part states that the article confirms, matched surer than `above`."""
        msg = self._read(part, whole.lang, user_lang, assume_claim=True)
        ans = self._considered(part, msg)
        if ans is None or ans.claim is None or ans.claim.confirmed is not True or ans.score <= above:
            return set()
        return {(s.raw, s.where) for s in msg.stated if s.raw in ans.claim.stated}

    def _watch_parts(
        self, whole: Message, confirmed: frozenset[str], user_lang: str | None
    ) -> Answer | None:
        """ "…наэкспортировали на 12 млрд, препод аж прослезился. Кто записал дз?": the claim
        is one sentence of several, the question another, or one stretch of a sentence."""
        named = self._names_subject(whole.reading.tokens)
        for part in whole.clauses(min_words=0):
            msg = self._read(part, whole.lang, user_lang, assume_claim=True)
            ans = self._watch_one(part, msg, whole)
            if ans is not None and not _only_confirmed(ans, confirmed):
                return ans
        # a stretch of a message that names no subject needs the surest match
        floor = 0.0 if named else UNNAMED_STRETCH
        for part in self._stretches(whole):
            ans = self._watch_stretch(part, whole, floor, user_lang)
            if ans is not None and not _only_confirmed(ans, confirmed):
                return ans
        return self._watch_windows(whole, confirmed, floor, user_lang)

    def _watch_windows(
        self, whole: Message, confirmed: frozenset[str], floor: float, user_lang: str | None
    ) -> Answer | None:
        """A run-on's runs of words; a run may cut a value in two ("…тысяч квадратов"), so it
        may correct only the whole's own values."""
        said = frozenset(s.raw for s in whole.stated) - confirmed
        for part in self._windows(whole):
            ans = self._watch_stretch(part, whole, floor, user_lang)
            if ans is not None and ans.claim is not None and set(ans.claim.stated) <= said:
                return ans
        return None

    def _watch_stretch(
        self, part: str, whole: Message, floor: float, user_lang: str | None
    ) -> Answer | None:
        msg = self._read(part, whole.lang, user_lang, assume_claim=True)
        ans = self._watch_one(part, msg, whole)
        return ans if ans is not None and ans.score >= floor else None

    def _stretches(self, whole: Message) -> list[str]:
        """Stretches of a message that may hold a claim said in passing; none when the whole is
        about something else (another zone, a year the article does not cover, the speaker's
        own company), which a stretch would lose. Without the subject named anywhere, watch
        mode holds a stretch to UNNAMED_STRETCH."""
        named = self._names_subject(whole.reading.tokens)
        if self._about_something_else(whole, named):
            return []
        # "помнишь технополис? так вот у них экспорт вырос…"
        return self._not_continuing_own(whole.dashed() + whole.stretches())

    def _windows(self, whole: Message) -> list[str]:
        """Runs of a long run-on message, held to the same rules as its stretches."""
        named = self._names_subject(whole.reading.tokens)
        if self._about_something_else(whole, named) or self._own(whole):
            return []
        return whole.windows()

    def _not_continuing_own(self, stretches: list[str]) -> list[str]:
        """Leaves out a stretch that goes on about the speaker's own things ("наш завод не в
        технополисе, но мы тоже экспортируем, в прошлом году на 50 млн") without naming the
        subject itself."""
        out: list[str] = []
        own_before = False
        for part in stretches:
            words = self.normalizer.words(part)
            named = any(self.normalizer.canonical_stem(w) in self.subject for w in words)
            if named or not own_before:
                out.append(part)
            own_before = self._owns_thing(words) or (own_before and not named)
        return out

    def _about_something_else(self, whole: Message, named: bool) -> bool:
        if whole.states("zone"):
            return True
        if self._own(whole) and not named:
            return True
        return any(f.is_year and f.value not in self.article_years for f in whole.figures)

    def _imagines(self, msg: Message) -> bool:
        """ "Если бы экспорт вырос вдесятеро, Ефимов бы…", "if exports had grown tenfold…": a
        what-if claims nothing (chatter.yaml conditional and irrealis)."""
        words = self.normalizer.words(msg.cleaned)
        fillers = self.chatter.conditional_fillers
        conditional = any(
            w in self.chatter.conditional and (i + 1 == len(words) or words[i + 1] not in fillers)
            for i, w in enumerate(words)
        )
        return conditional and not self.chatter.irrealis.isdisjoint(words)

    def _says_exporting(self, tokens: Iterable[Token]) -> bool:
        return any(t.stem == self.export_stem for t in tokens)

    def _says_earning(self, msg: Message) -> bool:
        """A product sold, or a word of earning ("принесли", "выручка", "revenue")."""
        earning = any(t.stem == self.earning_stem for t in msg.reading.tokens)
        return msg.states("product") or earning

    def _names_subject(self, tokens: Iterable[Token]) -> bool:
        """Names technopolis, one of its sites or people (article.yaml `subject`)."""
        return any(t.stem in self.subject for t in tokens)

    def _own(self, msg: Message) -> bool:
        return bool(set(self.normalizer.words(msg.cleaned)) & self.chatter.own)

    def _speakers_own(self, msg: Message, named: bool) -> bool:
        return (not named and (self._own(msg) or self._another_company(msg))) or self._own_thing(msg)

    def _another_company(self, msg: Message) -> bool:
        """ "a neighbour company shipped disinfection units to …": another organisation's."""
        words = self.normalizer.words(msg.cleaned)
        return any(
            w in self.chatter.others and nxt in self.chatter.companies
            for w, nxt in pairwise(words)
        )

    def _own_thing(self, msg: Message) -> bool:
        """ "наш завод не в технополисе, но мы тоже экспортируем…", "our office in technopolis
        is 120 sq m": the speaker's own plant, office or exports, not the technopolis's ("наш
        технополис", "у нас в технополисе" are the subject's)."""
        return self._owns_thing(self.normalizer.words(msg.cleaned))

    def _owns_thing(self, words: list[str]) -> bool:
        for i, w in enumerate(words):
            if w not in self.chatter.own:
                continue
            after = [x for x in words[i + 1 :] if not self.normalizer.is_stopword(x)]
            if not after or self._whose_words(after):
                continue
            stem = self.normalizer.canonical_stem(after[0])
            if stem not in self.subject or stem in self.generic:
                return True  # "наш завод", "наш технопарк в Новосибирске"
        return False

    def _whose_words(self, after: list[str]) -> bool:
        """ "наш главврач рассказывал, что…": who said it, not the speaker's thing ("в нашем
        чате каждый второй из Зеленограда" is)."""
        return after[0] in self.chatter.reported and not self.chatter.speech.isdisjoint(after[1:])

    def _watch_one(self, text: str, msg: Message, whole: Message) -> Answer | None:
        ans = self._considered(text, msg)
        return ans if ans is not None and self._corrects(msg, ans, whole) else None

    def _considered(self, text: str, msg: Message) -> Answer | None:
        """The answer to a statement watch mode may correct; None for a question or a
        message with no value, or only bare numbers ("ходили 2 часа"), too often about
        something else."""
        # "Prokhorov was the one who announced…": "who" inside a statement asks nothing
        if msg.opens_asking or "?" in msg.cleaned or not msg.stated:
            return None
        if all(s.kind == "number" for s in msg.stated):
            return None
        return self._answer(text, msg)

    def _corrects(self, msg: Message, ans: Answer, whole: Message | None = None) -> bool:
        """`whole`: the message msg is a part of, which may name what the part leaves out."""
        refuted = ans.claim is not None and ans.claim.confirmed is False
        return refuted and ans.score >= self._watch_bar(msg, ans, whole or msg)

    def _watch_bar(self, msg: Message, ans: Answer, whole: Message) -> float:
        """How confident a correction must be: more so when the message does not name the
        subject or when what it gets wrong is a site (sites are where people meet and rent:
        "аренда на площадке МИЭТ"), and most when all it states is a site ("встречаемся у
        Микрона"); never for the speaker's own things, a value of nothing the article speaks
        of, or a verdict that rests on what the message does not say (_unsaid)."""
        named = self._names_subject(msg.reading.tokens)
        if self._of_nothing_here(msg, ans, named, whole):
            return math.inf
        bar = self.watch_threshold if named else self.watch_unnamed_threshold
        verdict = self._verdict(msg, ans.intent) if ans.intent else None
        if verdict is None or not ans.intent:
            return max(bar, self._site_bar(msg, verdict))
        return self._verdict_bar(msg, ans.intent, whole, verdict, bar)

    def _verdict_bar(
        self, msg: Message, intent_id: str, whole: Message, verdict: Verdict, bar: float
    ) -> float:
        """The bar as what the verdict rests on sets it."""
        if any(s.where for s in verdict.stated):
            return bar  # "the MIET site is in Pechatniki": said where, a claim beyond doubt
        if self._unsaid(msg, whole, verdict) or _out_of_scale(verdict):
            return math.inf
        if self._of_another_time(whole, intent_id, verdict):
            return math.inf
        if self._share_of_unnamed(whole, intent_id, verdict):
            return math.inf
        if verdict.spec.kind == "area" and self.verdicts.at_another_site(verdict.spec, list(whole.stated)):
            return math.inf  # "В Печатниках открыли ТЦ, говорят 40 тысяч квадратов"
        if self._wrong_top(msg, intent_id, verdict):
            return self.top_threshold  # its form says what it is of, as in a question
        return max(bar, self._site_bar(msg, verdict))

    def _share_of_unnamed(self, whole: Message, intent_id: str, verdict: Verdict) -> bool:
        """A share of a product's fact in a message that names no product ("экспорт за 2020 —
        треть от прошлогоднего": a third of something, not the chips' half)."""
        if verdict.spec.kind != "share":
            return False
        of_product = any(c.kind == "product" for c in self.kb.intents[intent_id].claims)
        return of_product and not whole.states("product")

    def _of_another_time(self, whole: Message, intent_id: str, verdict: Verdict) -> bool:
        """Said of another year than the fact's, unless that year is what the verdict refutes
        ("exported 1.2 bn back in 2017")."""
        return not verdict.year and self._another_year(whole, intent_id)

    def _another_year(self, whole: Message, intent_id: str) -> bool:
        """ "В 2019 у технополиса экспорт был где-то 400 млн": a year said of the subject or
        its exports that the article speaks of, but not in this fact (it gives 2019 only as
        what 2020 is compared with); "moved to Berlin in 2019" is the speaker's own."""
        return any(
            self._of_subject(part)
            for part in whole.stretches(min_words=1) or [whole.cleaned]
            if self.years_not_of(intent_id, self.reader.read(part))
        )

    def _of_subject(self, part: str) -> bool:
        """Names the subject or says exporting."""
        tokens = self.normalizer.read(part).tokens
        return self._names_subject(tokens) or self._says_exporting(tokens)

    def _of_nothing_here(self, msg: Message, ans: Answer, named: bool, whole: Message) -> bool:
        """ "у нас на предприятии экспорт 40%": someone's own company; "я был в 5 странах":
        nothing but the value says what it is of."""
        if self._speakers_own(msg, named) or self._one_residents(whole):
            return True
        if named or self._names_subject(whole.reading.tokens):
            return False
        return self._placed_elsewhere(whole, ans.intent) or not self._topic_besides_values(
            msg, ans.intent
        )

    def _placed_elsewhere(self, msg: Message, intent_id: str | None) -> bool:
        """ "the free zone in Germany has 3,000 companies": something in a place (values.yaml
        `in_place`), beside a fact that gives no place, in a message that does not name the
        subject: that place's thing, not the article's."""
        if intent_id is None or any(c.kind == "place" for c in self.kb.intents[intent_id].claims):
            return False
        return any(
            s.kind == "place" and not s.denied and self.claims.said_in(msg.cleaned, s.raw)
            for s in msg.stated
        )

    def _one_residents(self, msg: Message) -> bool:
        """ "знакомая в резиденте технополиса работает, у них экспорт в 2 страны": one
        company's own figures (values.yaml one_resident); a share of the residents is theirs,
        and one who says something ("one of the residents said…") reports the article's."""
        if self.one_resident is None or msg.states("share"):
            return False
        if not self.chatter.speech.isdisjoint(self.normalizer.words(msg.cleaned)):
            return False
        return self.one_resident.search(msg.cleaned) is not None

    def _topic_besides_values(self, msg: Message, intent_id: str | None) -> bool:
        """A word of the intent's own beside what the values say ("резиденты", "экспорт"), and
        not one of time or people ("за год"): "в 10 странах я был" counts countries, but of
        nothing the article speaks of."""
        if intent_id is None:
            return False
        # a name is a topic ("microelectronics was almost all of it, 95%"), an amount is not
        said = {w for s in msg.stated if s.kind not in NAMED for w in self.normalizer.words(s.raw)}
        vocab = self.index.intent_vocab[intent_id]
        return any(
            t.stem in vocab
            and t.surface not in said
            and not self.claims.is_uncounted_word(t.surface)
            for t in msg.reading.tokens
        )

    def _unsaid(self, msg: Message, whole: Message, verdict: Verdict) -> bool:
        """What a refuted verdict rests on that the message does not say: a bare number ("на
        2 курсе": watch mode corrects only a value said with what it is); a place with no word
        of exporting and no product in the whole message ("по Индии ставка фрахта 3500$":
        where, not where goods went), or only where the technopolis is (_only_home); a growth
        with no word of exporting ("rent went up by 20%"); a venue with no subject."""
        if any(s.kind == "number" for s in verdict.stated):
            return True
        exporting = self._says_exporting(whole.reading.tokens)
        if verdict.spec.kind == "multiplier":
            return not exporting  # "зарплаты у резидентов выросли на 10%": not the exports
        if verdict.spec.kind == "money":
            return not (exporting or self._says_earning(whole))  # "нам нужно 15 лямов"
        if verdict.spec.kind == "venue":
            return not self._names_subject(whole.reading.tokens)  # "в садике дезинфекция"
        if verdict.spec.kind != "place":
            return False
        return self._place_unsaid(msg, whole, verdict, exporting=exporting)

    def _place_unsaid(
        self, msg: Message, whole: Message, verdict: Verdict, *, exporting: bool
    ) -> bool:
        """A place with no product named and no subject ("Возим оборудование в Армению": whose
        equipment, nothing says), or with no product and no word of exporting."""
        if whole.states("product"):
            return self._only_home(msg, verdict)
        if not self._names_subject(whole.reading.tokens) or not exporting:
            return True
        return self._only_home(msg, verdict)

    def _only_home(self, msg: Message, verdict: Verdict) -> bool:
        """A place claim naming only where the technopolis is, beside one of its sites and
        with no word of exporting: where the site is, not where goods went."""
        if verdict.spec.kind != "place" or not msg.states("site"):
            return False
        home = all(
            self.normalizer.canonical_stem(w) in self.home
            for s in verdict.stated
            for w in self.normalizer.words(s.raw)
        )
        return home and not self._says_exporting(msg.reading.tokens)

    def _site_bar(self, msg: Message, verdict: Verdict | None) -> float:
        if all(s.kind in ("number", "site") for s in msg.stated):
            return self.watch_site_threshold
        if verdict is not None and verdict.spec.kind == "site":
            return self.watch_refuted_site_threshold
        return 0.0
