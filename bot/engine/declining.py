"""Deciding to decline: each rule names why a message gets "the article doesn't say".

A part of AnswerEngine (its rules read the engine's message, candidates and verdict); the
confidence bars and the evidence that lowers them are here too.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cached_property
from typing import NamedTuple

from bot.engine.claims import WHO, Stated, Verdict
from bot.engine.figures import Figure, contains_figure
from bot.engine.matcher import Scored
from bot.engine.message import Decline, Message
from bot.engine.models import ValueLexicon
from bot.engine.normalize import Token

Rule = Callable[[Message, list[Scored], Verdict | None], Decline | None]
MONEY_WITHOUT_CURRENCY = 10_000_000
# The kinds of value the article gives for the residents in all, and for a product or a site
# only where that product's or site's own fact says so (see _one_part_figure).
PART_KINDS = frozenset({"money", "multiplier", "share"})
# A best intent that accounts for this much of the question's weight and leads the runner-up
# by this much confidence is the topic, though the question's other words dilute its score
# ("I need a primary source link, not a repost. Which portal originally carried his words?").
# Swept on the development files: 0.8 and 15 answer 8 more fact questions and decline every
# out-of-scope one; 0.7 and 10 answer 19 more and 5 out-of-scope ones too.
LEAD_COVERAGE = 0.8
LEAD_MARGIN = 15.0


class _Unanswered(NamedTuple):
    """values.yaml's words of what the article has no answer for, compiled once."""

    conversion: re.Pattern[str] | None
    itself: re.Pattern[str] | None
    portfolio: re.Pattern[str] | None  # captures the portfolio's word
    exports_of: re.Pattern[str] | None  # searched for up to a country's name
    exports_after: re.Pattern[str] | None  # matched from the end of its name
    venues: re.Pattern[str] | None
    members: re.Pattern[str] | None

    @classmethod
    def of(cls, values: ValueLexicon) -> _Unanswered:
        def words(pattern: str) -> re.Pattern[str] | None:
            return re.compile(rf"(?<!\w)(?:{pattern})(?!\w)", re.I) if pattern else None

        return cls(
            conversion=words(values.conversion),
            itself=words(values.itself),
            portfolio=(
                re.compile(rf"\s+(?:{values.portfolio})\s+([^\W\d_]+)", re.I)
                if values.portfolio
                else None
            ),
            exports_of=(
                re.compile(rf"(?<!\w)(?:{values.exports_of})\s+$", re.I) if values.exports_of else None
            ),
            exports_after=(
                re.compile(rf"(?:{values.exports_after})(?!\w)", re.I) if values.exports_after else None
            ),
            venues=words(values.venues),
            members=words(values.members),
        )


def _has_money(stated: Iterable[Stated]) -> bool:
    """An amount in a currency, or of tens of millions ("около ярда"); without a currency a
    smaller one may be an area ("на полмиллиона квадратов", "150 тыс. кв. м" split at a dot)."""
    return any(
        s.kind == "money" and (s.unit is not None or (s.value or 0) >= MONEY_WITHOUT_CURRENCY)
        for s in stated
    )


class Declining:
    """AnswerEngine's decline rules."""

    @cached_property
    def _unanswered(self) -> _Unanswered:
        return _Unanswered.of(self.kb.values)

    @property
    def decline_rules(self) -> tuple[Rule, ...]:
        """Each rule names why a message gets "the article doesn't say", or passes it on."""
        return (
            self._unknown_year,
            self._asks_when,
            self._asks_price,
            self._asks_conversion,
            self._asks_venues,
            self._asks_members,
            self._one_product_money,
            self._another_portfolio,
            self._another_zone,
            self._exports_of_a_country,
            self._nothing_shared,
            self._unknown_name,
            self._foreign_name,
            self._year_of_another_fact,
            self._bare_term,
            self._one_site_area,
            self._one_site_money,
            self._one_part_figure,
            self._uncounted,
            self._low_confidence,
            self._chitchat_figure,
        )

    def _unknown_year(
        self, msg: Message, scored: list[Scored], verdict: Verdict | None
    ) -> Decline | None:
        years = [f for f in msg.figures if f.is_year and f.value not in self.article_years]
        if not years or (verdict is not None and verdict.year):
            return None
        return Decline("year", self.texts(msg.lang, "out_of_scope_year", year=years[0].raw))

    def _another_zone(
        self, msg: Message, scored: list[Scored], verdict: Verdict | None
    ) -> Decline | None:
        """Skolkovo, Innopolis, Alabuga: the article gives figures for no other zone."""
        zones = [s.raw for s in msg.stated if s.kind == "zone"]
        if not zones or self._zone_aside(msg):
            return None
        return Decline(f"another zone: {zones[0]}")

    def _exports_of_a_country(
        self, msg: Message, scored: list[Scored], verdict: Verdict | None
    ) -> Decline | None:
        """ "Russia's total exports were 300 bn dollars", "экспорт России": a country's own
        exports, not the residents'; "экспорт в Китай" is where theirs went."""
        # in a long message, its questions: "…пример экспорта микроэлектроники из России. Куда
        # продавали чипы из технополиса?" asks of the technopolis
        home = self._home_words
        named_home = home is not None and home.search(msg.cleaned) is not None
        if not (msg.states("place") or named_home):
            return None
        for part in msg.questions() or [msg.cleaned]:
            source = self._source(part)
            whose = self._country_exporting(msg, source) or (
                self._home_exporting(source, part) if named_home else None
            )
            if whose:
                return Decline(f"the exports of {whose}")
        return None

    def _country_exporting(self, msg: Message, source: str) -> str | None:
        if not msg.states("place"):
            return None
        return next(
            (
                st.raw
                for st in self.claims.read(source)
                if st.kind == "place" and self._exports_of(source, st.start, st.end)
            ),
            None,
        )

    def _home_exporting(self, source: str, part: str) -> str | None:
        """ "какой общий экспорт Москвы?": the city's, where the technopolis is not named."""
        home = self._home_words
        if home is None or self._names_subject(self.normalizer.read(part).tokens):
            return None
        return next(
            (m.group(0) for m in home.finditer(source) if self._exports_of(source, m.start(), m.end())),
            None,
        )

    def _exports_of(self, source: str, start: int, end: int) -> bool:
        words = self._unanswered
        before = words.exports_of and words.exports_of.search(source, 0, start)
        return bool(before or (words.exports_after and words.exports_after.match(source, end)))

    @cached_property
    def _home_words(self) -> re.Pattern[str] | None:
        """article.yaml `home`, as whole words."""
        words = "|".join(re.escape(w) for w in self.kb.article.home)
        return re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.I) if words else None

    def _zone_aside(self, msg: Message) -> bool:
        """ "Сравниваю Иннополис и московские площадки. … по данным статьи, за счёт чего вырос
        экспорт?": the other zone is the asker's context when the questions of a long message
        name the article or its subject, and not that zone."""
        asked = " ".join(msg.questions())
        if not asked or any(s.kind == "zone" for s in self.claims.read(asked)):
            return False
        tokens = self.normalizer.read(asked).tokens
        return self._names_subject(tokens) or any(t.stem in self.meta for t in tokens)

    def _year_of_another_fact(
        self, msg: Message, scored: list[Scored], verdict: Verdict | None
    ) -> Decline | None:
        """A year the article has figures for, but not this fact's ("residents in 2019")."""
        if verdict is not None and verdict.year:
            return None  # a right value said of that year: refuted for it
        years = self.years_not_of(scored[0].intent, msg.figures)
        if not years:
            return None
        return Decline("year", self.texts(msg.lang, "out_of_scope_year", year=years[0].raw))

    def years_not_of(self, intent_id: str, figures: Iterable[Figure]) -> list[Figure]:
        """The years among `figures` that the fact's quotes do not give, the article's own
        year aside (its figures are that year's)."""
        own = list(self.kb.figures.get(intent_id, ()))
        year = self.kb.article.year
        return [f for f in figures if f.is_year and f.value != year and not contains_figure(own, f)]

    def _asks_when(
        self, msg: Message, scored: list[Scored], verdict: Verdict | None
    ) -> Decline | None:
        """The article dates nothing but its year: "когда", "when" ask what it does not say.

        In a long message only its questions count: "говорят, скоро будет технопарк. Где?"
        asks where, not when.
        """
        asked = msg.questions() or [msg.reading.text]
        return Decline("asks when") if any(self._first_asks_when(q) for q in asked) else None

    def _first_asks_when(self, question: str) -> bool:
        """The question's first question word asks when: in "how much land do the sites cover
        when you add them up?" "when" joins a clause to what "how much" asks."""
        chat = self.chatter
        first = next((w for w in self.normalizer.words(question) if w in chat.asks | chat.when), "")
        return first in chat.when

    def _asks_price(
        self, msg: Message, scored: list[Scored], verdict: Verdict | None
    ) -> Decline | None:
        """The article gives no prices: "почём батареи?", "сколько стоит аренда", "price of
        their batteries?"."""
        asked = " ".join(msg.questions() or [msg.reading.text])
        words = self.normalizer.words(asked)
        if self.chatter.price.isdisjoint(words) and not self._costs(words):
            return None
        if any(t.stem == self.growth_stem for t in msg.reading.tokens):
            return None  # "почем экспорт вырос?": "почему" mistyped, no price of a growth
        return Decline("asks a price", self.texts(msg.lang, "out_of_scope_price"))

    def _costs(self, words: list[str]) -> bool:
        """ "сколько стоит аренда", "скока батарейка стоит"; "где стоит оборудование" asks where."""
        chat = self.chatter
        return any(
            w in chat.how_much and not chat.costs.isdisjoint(words[i + 1 : i + 3])
            for i, w in enumerate(words)
        )

    def _nothing_shared(
        self, msg: Message, scored: list[Scored], verdict: Verdict | None
    ) -> Decline | None:
        return Decline("no shared words") if not scored else None

    def _unknown_name(
        self, msg: Message, scored: list[Scored], verdict: Verdict | None
    ) -> Decline | None:
        best = scored[0].intent
        vocab = self.index.intent_vocab[best]
        fitting = self._fitting_words(msg, best)
        asked = self._asked_words(msg)
        names = [
            t.surface
            for t in msg.reading.tokens
            if t.proper
            and t.surface not in fitting
            and (asked is None or t.surface in asked)
            and self._not_its_name(t, vocab, verdict)
        ]
        return Decline(f"unknown name: {names[0]}") if names else None

    @staticmethod
    def _not_its_name(t: Token, vocab: frozenset[str], verdict: Verdict | None) -> bool:
        """Unknown, or a stated value no verdict reads that the intent does not mention."""
        return not t.known or (t.figure and verdict is None and t.stem not in vocab)

    def _asked_words(self, msg: Message) -> set[str] | None:
        """In a long message, the words of its questions: a name in the context around them
        ("our Friday newsletter", "a fund from Munich") is not what it asks about. None: the
        whole message counts."""
        asked = msg.questions()
        if not asked:
            return None
        return {t.surface for c in asked for t in self.normalizer.read(c).tokens}

    def _fitting_words(self, msg: Message, intent_id: str) -> set[str]:
        """Words of the stated values of a kind the intent's answer gives.

        A place or person the message names is the claim check's business when there is a
        claim, and fits a question whose answer is of its kind ("куда, в Казахстан?");
        otherwise it is a name the answer does not speak of ("экспорт в Индию?").
        """
        kinds = self._claim_kinds(intent_id)
        return {w for st in msg.stated if st.kind in kinds for w in self.normalizer.words(st.raw)}

    def _claim_kinds(self, intent_id: str) -> set[str]:
        return {c.kind for c in self.kb.intents[intent_id].claims}

    def _foreign_name(
        self, msg: Message, scored: list[Scored], verdict: Verdict | None
    ) -> Decline | None:
        best = scored[0].intent
        known = self.index.intent_vocab[best] | self.home
        asked = self._asked_words(msg)
        guessed = self._guessed_words(msg, best) | self._speaker_words(msg, best)
        foreign = [
            t.surface
            for t in msg.reading.tokens
            # a name the claim states is the claim's, checked or not ("deputy mayor Degtev
            # said chips went to SE Asia": the person and the role decide)
            if not (verdict is not None and t.figure)
            and t.surface not in guessed
            and (asked is None or t.surface in asked)
            and t.stem in self.entities
            and t.stem not in known
        ]
        return Decline(f"{foreign[0]} is not what {best} is about") if foreign else None

    def _speaker_words(self, msg: Message, intent_id: str) -> set[str]:
        """The names of whoever the article quotes for the fact: "Efimov said something about
        the all-time total, what was the share?" asks the fact he gave."""
        speakers = {src.speaker for src in self.kb.intents[intent_id].sources}
        return {
            w
            for st in msg.stated
            if st.kind == "person" and st.entity in speakers
            for w in self.normalizer.words(st.raw)
        }

    def _guessed_words(self, msg: Message, intent_id: str) -> set[str]:
        """ "куда везут батареи, в Европу или в Азию?": names guessed where a question asks
        for a value of their kind."""
        if not msg.asks_for & self._claim_kinds(intent_id):
            return set()
        return self._fitting_words(msg, intent_id)

    def _bare_term(
        self, msg: Message, scored: list[Scored], verdict: Verdict | None
    ) -> Decline | None:
        stems = {t.stem for t in msg.reading.tokens}
        checked = self._title_is_checked(msg)
        bare = [
            t.surface
            for t in msg.reading.tokens
            for term, quals in self.qualified_terms
            if term.fullmatch(t.surface) and not stems & quals and not (t.figure and checked)
        ]
        return Decline(f"{bare[0]} without its qualifier") if bare else None

    def _one_site_area(
        self, msg: Message, scored: list[Scored], verdict: Verdict | None
    ) -> Decline | None:
        """The article gives the five sites' area together, not one's ("the Pechatniki site is
        50 ha?", "площадь площадки в Печатниках"): a site named beside an area."""
        top = scored[0].intent
        if (
            self._has_area_of_a_place(top)
            and not self._says(self._unanswered.itself, msg)
            and self._names_more_than_site(msg, top)
        ):
            return None  # the new technopark's area, at Alabushevo; not "the site itself"
        sites = self._single_sites(msg.stated)
        if not sites or not self._asks_area(msg):
            return None
        return Decline(f"the area of one site: {sites[0]}")

    def _names_more_than_site(self, msg: Message, intent_id: str) -> bool:
        """Beside the site and its area, a word of the intent's own ("технопарк", "построят"):
        "какая площадь у площадки Алабушево?" asks of the site, not of what is built there."""
        vocab = self.index.intent_vocab[intent_id]
        site_words = self._site_words
        named = self._value_words(list(msg.stated))
        return any(
            t.stem in vocab
            and t.stem not in self.area_stems
            and t.surface not in named
            and not (site_words and site_words.fullmatch(t.surface))
            for t in msg.reading.tokens
        )

    @cached_property
    def _site_words(self) -> re.Pattern[str] | None:
        sites = self.kb.values.counted.get("sites")
        return re.compile(sites, re.I) if sites else None

    def _one_product_money(
        self, msg: Message, scored: list[Scored], verdict: Verdict | None
    ) -> Decline | None:
        """ "How much did the disinfection units alone bring in?": the article sums three
        products' exports, and gives no one product's."""
        if not scored or not self._asks_of_one(msg):
            return None
        products = {s.entity for s in msg.stated if s.kind == "product"}
        if len(products) != 1:
            return None
        summed = self._products_summed(scored[0].intent)
        if len(summed) > 1 and products <= summed:
            return Decline(f"the money of one product: {next(iter(products))}")
        return None

    @staticmethod
    def _asks_of_one(msg: Message) -> bool:
        """A question, not of who said it, with no sum in it: "кто говорил про батареи и почти
        500 лямов?" names the sum's fact by one of its products."""
        return (
            msg.asks
            and not msg.claims
            and "person" not in msg.asks_for
            and not _has_money(msg.stated)
        )

    def _products_summed(self, intent_id: str) -> frozenset[str]:
        """The products an intent's sum is of (the other leaders' almost 500 million)."""
        if not any(c.kind == "money" for c in self.kb.intents[intent_id].claims):
            return frozenset()
        return self._answer_products[intent_id]

    def _asks_conversion(
        self, msg: Message, scored: list[Scored], verdict: Verdict | None
    ) -> Decline | None:
        """ "How much is 1.2 bn rubles in euros?": the article gives roubles, and no rates."""
        if msg.claims or not msg.asks or not self._says(self._unanswered.conversion, msg):
            return None
        return Decline("asks a conversion")

    def _asks_venues(
        self, msg: Message, scored: list[Scored], verdict: Verdict | None
    ) -> Decline | None:
        """ "which airports in India use the scanners?": the article names the kinds of
        places the equipment works in, and none of them."""
        venues = self._unanswered.venues
        if msg.claims or not msg.asks or venues is None:
            return None
        asked = msg.questions() or [msg.cleaned]
        return Decline("asks venues by name") if any(venues.search(q) for q in asked) else None

    def _asks_members(
        self, msg: Message, scored: list[Scored], verdict: Verdict | None
    ) -> Decline | None:
        """ "в какие именно пять стран поехали установки?": the article names a region (the
        post-Soviet countries, the CIS), not the countries in it; where it names a country
        ("in particular India and China") the answer gives them."""
        members = self._unanswered.members
        if msg.claims or not msg.asks or members is None or not scored:
            return None
        asked = msg.questions() or [msg.cleaned]
        if not any(members.search(q) for q in asked):
            return None
        return None if self._names_a_country(scored[0].intent) else Decline("asks countries by name")

    @cached_property
    def _regions(self) -> frozenset[str]:
        """The places others lie within (values.yaml `within`): the CIS, South-East Asia…"""
        return frozenset(r for e in self.kb.values.entities.values() for r in e.within)

    def _names_a_country(self, intent_id: str) -> bool:
        """One of the places the intent's answer gives is no region: nothing lies within it."""
        return any(
            v not in self._regions
            for c in self.kb.intents[intent_id].claims
            if c.kind == "place"
            for v in c.values
        )

    def _another_portfolio(
        self, msg: Message, scored: list[Scored], verdict: Verdict | None
    ) -> Decline | None:
        """ "Who is the deputy mayor for transport?": a job title with a portfolio the
        holder's fact does not name is someone else's."""
        roles = [s for s in msg.stated if s.kind == "role" and s.entity in self.index.intent_vocab]
        if not roles:
            return None
        source = self._source(msg.cleaned)
        for st in roles:
            portfolio = self._unanswered.portfolio
            m = portfolio.match(source, st.end) if portfolio else None
            if (
                m
                and self.normalizer.canonical_stem(m.group(1).lower())
                not in self.index.intent_vocab[st.entity]
            ):
                return Decline(f"another portfolio: {m.group(1)}")
        return None

    def _one_site_money(
        self, msg: Message, scored: list[Scored], verdict: Verdict | None
    ) -> Decline | None:
        """The article gives the residents' exports together, no one company's ("у Микрона
        выручка около ярда", "Angstrem exported 2 bn"): a site named beside an amount."""
        if not (_has_money(msg.stated) and self._single_sites(msg.stated)):
            return None
        # in one stretch: "…на 12 млрд рублей, мне сосед с Микрона сказал" names a workplace
        for part in msg.stretches(min_words=1) or [msg.cleaned]:
            stated = self.claims.read(self.normalizer.rephrase(part))
            sites = self._single_sites(stated)
            if sites and _has_money(stated):
                return Decline(f"the money of one site: {sites[0]}")
        return None

    def _one_part_figure(
        self, msg: Message, scored: list[Scored], verdict: Verdict | None
    ) -> Decline | None:
        """ "во сколько раз вырос экспорт микроэлектроники?", "Mikron's share of the exports?":
        the article gives the growth, the sum and the shares of the residents' exports in all;
        of one product or site only where that one's fact does (the chips' almost half)."""
        top = scored[0].intent
        given = self._claim_kinds(top)
        # "в какие страны ушла основная часть чипов?" asks where, which the top gives
        if msg.claims or not msg.asks or (msg.asks_for - PART_KINDS) & given:
            return None
        kinds = (msg.asks_for | given) & PART_KINDS
        parts = self._parts_asked(msg)
        if not kinds or len(parts) != 1:
            return None
        own = kinds & given and parts <= self._answer_products[top] | self._answer_sites[top]
        return None if own else Decline(f"the {min(kinds)} of one part: {next(iter(parts))}")

    def _parts_asked(self, msg: Message) -> set[str]:
        """The products and single sites a message's questions name."""
        if not (msg.states("product") or msg.states("site")):
            return set()
        asked = msg.questions()
        stated = self.claims.read(self._source(" ".join(asked))) if asked else msg.stated
        return {s.entity or "" for s in stated if s.kind == "product"} | set(
            self._single_sites(stated)
        )

    def _uncounted(
        self, msg: Message, scored: list[Scored], verdict: Verdict | None
    ) -> Decline | None:
        """ "How many people work for the residents", "сколько лет технополису": a count the
        article gives none of (values.yaml `uncounted`)."""
        if not msg.asks:
            return None
        kind = self.claims.asked_count(self._as_read(msg))
        return Decline(f"a count of {kind}") if kind in self.kb.values.uncounted else None

    def _single_sites(self, stated: Iterable[Stated]) -> list[str]:
        """The sites named that are one of the five, not a district."""
        named = {s.entity for s in stated if s.kind == "site" and s.entity}
        return sorted(named - self.districts)

    @staticmethod
    def _says(pattern: re.Pattern[str] | None, msg: Message) -> bool:
        return bool(pattern and pattern.search(msg.cleaned))

    def _has_area_of_a_place(self, intent_id: str) -> bool:
        return any(c.kind == "area" and c.where for c in self.kb.intents[intent_id].claims)

    def _asks_area(self, msg: Message) -> bool:
        if msg.states("area"):
            return True
        return any(t.stem in self.area_stems for t in msg.reading.tokens)

    def _title_is_checked(self, msg: Message) -> bool:
        """A job title a claim states is the claim check's when the claim is of someone in
        the article ("mayor Efimov": he is the deputy) or of one of its facts ("mayor Sobyanin
        gave the 1.2 bn"); "the mayor is Sobyanin" is about nothing the article says."""
        people = self.kb.article.people
        if any((s.kind == "person" and s.entity in people) or s.kind not in WHO for s in msg.stated):
            return True
        # "the export numbers were announced by mayor Sobyanin": who said one of its facts
        said = not self.chatter.speech.isdisjoint(self.normalizer.words(msg.cleaned))
        return said and msg.claims and msg.states("person")

    def _low_confidence(
        self, msg: Message, scored: list[Scored], verdict: Verdict | None
    ) -> Decline | None:
        bar = self.bar(self._evidence(msg, scored, verdict))
        return Decline("low confidence") if self._confidence(scored, verdict) < bar else None

    @staticmethod
    def _confidence(scored: list[Scored], verdict: Verdict | None) -> float:
        """ "Прохоров, глава технополиса, назвал…": a job title said of a person is about both
        the title's holder and the person named; the better matched of the two."""
        best = scored[0].confidence
        if verdict is None or not any(s.kind == "role" for s in verdict.stated):
            return best
        people = {s.entity for s in verdict.stated if s.kind in WHO}
        return max([best] + [s.confidence for s in scored if s.intent in people])

    def bar(self, evidence: str | None) -> float:
        """The confidence a match needs: evidence that the intent is the topic lowers it (see
        _evidence)."""
        return {
            None: self.threshold,
            "claim": self.claim_threshold,
            "kind": self.kind_threshold,
            "top": self.top_threshold,
            "lead": self.lead_threshold,
        }[evidence]

    def _evidence(self, msg: Message, scored: list[Scored], verdict: Verdict | None) -> str | None:
        """What, besides confidence, says the best intent is the topic: a verdict on one of
        its values, a question asking for the kind of value its answer gives ("кто …?" and a
        person), or a lead over every other intent with the question's words all but
        accounted for (see LEAD_THRESHOLD)."""
        intent_id = scored[0].intent
        found = self._evidence_of(msg, intent_id, verdict)
        if found is None and self._leads(scored):
            return "lead"
        return found

    @staticmethod
    def _leads(scored: list[Scored]) -> bool:
        second = scored[1].confidence if len(scored) > 1 else 0.0
        top = scored[0]
        return top.coverage >= LEAD_COVERAGE and top.confidence - second >= LEAD_MARGIN

    def _evidence_of(self, msg: Message, intent_id: str, verdict: Verdict | None) -> str | None:
        # a question may state the value it doubts: "вырос впятеро, а я балерина. сколько на
        # самом деле?"; a value it takes as given ("1,2 ярда понятно, а выручка?") is no topic
        if verdict is not None and (msg.claims or verdict.confirmed is False):
            return "top" if self._claim_form_names(msg, intent_id, verdict) else "claim"
        # "кто назвал цифру про 20 стран?": the figure, the article's own, says which fact
        if self._asks_whose(msg) and self._figure_of(intent_id, self._figures(msg)):
            return "claim"
        if msg.asks_for & self._claim_kinds(intent_id) or self._asks_its_count(msg, intent_id):
            return "kind"
        return None

    def _claim_form_names(self, msg: Message, intent_id: str, verdict: Verdict) -> bool:
        """The claim's form, not its words, says it is this fact's: another product said to
        sell best, a kind only this fact claims, or its figure said by someone."""
        return (
            self._wrong_top(msg, intent_id, verdict)
            or verdict.spec.kind in self.sole_claims
            or (verdict.spec.kind == "person" and intent_id == self._said_holder(msg))
        )

    def _wrong_top(self, msg: Message, intent_id: str, verdict: Verdict) -> bool:
        """Another product said to be the best-selling, beside a word of exporting (see
        TOP_THRESHOLD)."""
        if verdict.confirmed is not False or not msg.claims or verdict.spec.kind != "product":
            return False
        exporting = any(t.stem in self.abroad for t in msg.reading.tokens)
        return exporting and verdict.spec.top and intent_id == self._top_holder(msg)

    def _asks_its_count(self, msg: Message, intent_id: str) -> bool:
        """ "how many countries …": the question asks for the count the intent's answer gives."""
        unit = self.claims.asked_count(self._as_read(msg))
        return unit is not None and self._counts(intent_id, unit)

    def _chitchat_figure(
        self, msg: Message, scored: list[Scored], verdict: Verdict | None
    ) -> Decline | None:
        if self.kb.intents[scored[0].intent].kind != "chitchat":
            return None
        stray = [
            f
            for f in msg.figures
            if not f.is_year and not contains_figure(list(self.kb.article_figures), f)
        ]
        return Decline("figure outside the article") if stray else None
