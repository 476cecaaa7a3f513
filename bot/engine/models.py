"""Pydantic models of the knowledge files: the shape is checked here, cross-references in loader."""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
IntentId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")]


class Strict(BaseModel):
    """Unknown keys are errors: a typo in a key must not silently drop content."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Localized(Strict):
    ru: NonEmpty
    en: NonEmpty


class LocalizedList(Strict):
    ru: list[NonEmpty]
    en: list[NonEmpty]


class SourceSpec(Strict):
    quote: NonEmpty
    speaker: str | None = None


class Derived(Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    figure: NonEmpty
    from_: NonEmpty = Field(alias="from")


ClaimKind = Literal[
    "money",
    "multiplier",
    "share",
    "count",
    "area",
    "place",
    "site",
    "person",
    "product",
    "source",
    "status",
    "reason",
    "venue",
]
Qualifier = Literal["exact", "about", "almost", "more_than", "less_than"]
NUMERIC_KINDS = ("money", "multiplier", "share", "count", "area")


class ClaimSpec(Strict):
    """A value the intent's answer states, which a message may confirm or contradict.

    Numeric kinds carry `value` (and `unit`: the currency, the area unit, or what a count
    counts); the others list entity ids (values.yaml) under `values`. `says` is the value as
    the answer words it, for the verdict line ("в три раза").
    """

    kind: ClaimKind
    value: Fraction | None = None
    unit: str | None = None
    qualifier: Qualifier = "exact"
    values: list[NonEmpty] = []
    of: str | None = None  # for a share: what it is a share of (values.yaml share_of)
    where: str | None = None  # the place (entity id) a count or an area is of; None: in all
    top: bool = False  # for a product: the best-selling one, not one of the leaders
    says: Localized
    # the period the value is of, as the verdict words it ("за 2020 год"): a year said beside
    # the value that none of its quotes gives ("1,2 ярда ещё за 2018-й") is refuted
    when: Localized | None = None

    @field_validator("value", mode="before")
    @classmethod
    def _fraction(cls, value: object) -> Fraction | None:
        if value is None:
            return None
        try:
            return Fraction(str(value))
        except (ValueError, ZeroDivisionError) as exc:
            raise ValueError(f"not a number or fraction: {value!r}") from exc


class Intent(Strict):
    id: IntentId
    kind: Literal["fact", "chitchat"] = "fact"
    question: Localized
    examples: LocalizedList
    answer: Localized
    sources: list[SourceSpec] = []
    derived: list[Derived] = []
    related: list[IntentId] = []
    claims: list[ClaimSpec] = []

    @field_validator("question")
    @classmethod
    def _short_question(cls, value: Localized) -> Localized:
        for lang in ("ru", "en"):
            if len(getattr(value, lang)) > 60:
                raise ValueError(f"question.{lang} is longer than 60 characters (it is a button)")
        return value


class IntentFile(Strict):
    intents: list[dict[str, object]]


class Person(Strict):
    name: Localized
    role: Localized
    published_on: str | None = None


class ArticleMeta(Strict):
    title: NonEmpty
    title_en: NonEmpty
    rubric: NonEmpty
    year: int = Field(ge=1990, le=2100)
    text_file: NonEmpty
    author: Localized
    people: dict[IntentId, Person]
    featured: list[IntentId] = []  # the most asked facts: /start examples, empty inline query
    subject: list[NonEmpty] = []  # words that name what the article is about (watch mode)
    generic: list[NonEmpty] = []  # ... of them, common nouns: "наш технопарк" is the speaker's
    home: list[NonEmpty] = []  # where the subject is: context in a question, not its topic
    abroad: list[NonEmpty] = []  # words that, like "export", say goods went abroad


class NumberWord(Strict):
    value: Fraction
    pattern: NonEmpty

    @field_validator("value", mode="before")
    @classmethod
    def _fraction(cls, value: object) -> Fraction:
        try:
            return Fraction(str(value))
        except (ValueError, ZeroDivisionError) as exc:
            raise ValueError(f"not a number or fraction: {value!r}") from exc


class QualifiedTerm(Strict):
    term: NonEmpty  # regular expression of the word's forms
    qualifiers: list[NonEmpty]


class Phrase(Strict):
    pattern: NonEmpty  # regular expression, matched case-insensitively
    replace: str


class Lexicon(Strict):
    stopwords: LocalizedList
    phrases: list[Phrase] = []
    synonyms: dict[NonEmpty, NonEmpty] = {}
    synonym_groups: list[list[NonEmpty]] = []
    qualified_terms: list[QualifiedTerm] = []
    number_words: list[NumberWord] = []
    scale_words: list[NumberWord] = []
    decimal_point: str = ""  # a decimal point said in words ("one point two")
    area_words: list[NonEmpty] = []  # words that ask for an area ("площадь", "how big")
    # after two digits, a year said short ("в 21-м году" is 2021); a regular expression
    year_words: str = ""


class ValueForm(Strict):
    """Patterns that state a multiplier or a share; without `value`, {n} gives the number."""

    value: Fraction | None = None
    down: bool = False
    percent: bool = False  # {n} is a growth in percent: the multiplier is 1 + n/100
    forms: list[NonEmpty]

    _fraction = field_validator("value", mode="before")(ClaimSpec._fraction.__func__)


class ScaleWord(Strict):
    value: Fraction
    pattern: NonEmpty
    before: bool = False
    money: bool = False  # said only of money ("190k", "косарей"): never an area

    _fraction = field_validator("value", mode="before")(ClaimSpec._fraction.__func__)


class EntitySpec(Strict):
    kind: Literal[
        "place", "site", "person", "product", "source", "zone", "status", "reason", "venue"
    ]
    pattern: NonEmpty
    within: list[NonEmpty] = []
    # stands for all the sites ("все площадки", "all the sites"): checked only where a message
    # puts it ("all the sites are in Zelenograd"), never one of the five
    every: bool = False
    # a place the knowledge base does not name ("одна площадка в Троицке"): its pattern reads a
    # name in that spot (write it case-sensitive), tried after every named entity, and only in
    # a sentence that speaks of the sites
    unnamed: bool = False
    # what saying it is not this one says it is ("технополис не ОЭЗ": then a mere business park):
    # an entity of the same kind
    opposite: str | None = None


class ValueLexicon(Strict):
    """values.yaml: how people state values, for the claim reader."""

    multipliers: list[ValueForm]
    shares: list[ValueForm]
    scale: list[ScaleWord]
    currencies: dict[NonEmpty, NonEmpty]
    units: dict[NonEmpty, NonEmpty]
    counted: dict[NonEmpty, NonEmpty]
    # what `counted` the article gives no count of, and the words that ask for a count: "how
    # many people work there" gets "the article doesn't say", not the number of residents
    uncounted: list[NonEmpty] = []
    count_question: str = ""
    compared: str = ""  # between a how-many and its noun: a point compared with ("vs the year")
    share_of: dict[NonEmpty, NonEmpty] = {}
    time_of_day: str = ""  # words before a bare number that make it a time ("at 11", "в 7")
    clock: str = ""  # words after a bare number that make it a time ("5 o'clock", "в 7 утра")
    over_after: str = ""  # words after a number that make it "more than" it ("180 с лишним")
    one_resident: str = ""  # one resident company spoken of ("в резиденте", "a resident firm")
    other_measure: str = ""  # words before an amount that make it another sum ("revenue 3bn")
    per_unit: str = ""  # words after an amount that make it a price or a rate ("в час", "a sq m")
    in_place: str = ""  # words just before a place's name ("в", "in")
    located: str = ""  # words between a count and its place ("одна площадка в Печатниках")
    hosts: str = ""  # words between a place and the sites it holds ("Zelenograd hosts Mikron")
    another_subject: str = ""  # between a site and a place: not its place ("Pechatniki and …")
    count_filler: str = ""  # words between a place and its count ("в Зеленограде всего две")
    one_scale: str = ""  # a scale word that says one of it ("миллиард", "ярд": "ярд двести")
    part_of: str = ""  # before a count that is a whole, not the part placed ("four of the five")
    excepted: str = ""  # before a site left out of a placement ("все кроме Печатников в …")
    top: str = ""  # words that make a product the best-selling one ("больше всего", "top")
    others: str = ""  # words before `top` that make it the best of the rest ("other top")
    top_market: str = ""  # words after `top` that make it the best market ("biggest buyer")
    # what the article has no answer for, by its words (Declining): see values.yaml
    conversion: str = ""  # a sum asked in another currency ("in euros", "в долларах")
    itself: str = ""  # a site asked of on its own ("the Alabushevo site itself")
    portfolio: str = ""  # between a job title and its portfolio ("deputy mayor for transport")
    exports_of: str = ""  # before a country that make the exports its own ("экспорт России")
    exports_after: str = ""  # after a country that do ("Russia's total exports")
    venues: str = ""  # which venues asked by name ("which airports in India"): none named
    site_is: str = ""  # between a site and a district it is said to be ("Печатники — это Зеленоград")
    members: str = ""  # which countries asked by name ("какие именно пять стран"): regions only
    negation: str = ""  # words before a name that deny it ("not chips", "а не микросхемы")
    only: str = ""  # words before a name that make it the only one ("only to Europe")
    negation_after: str = ""  # words just after a name that deny it ("companies didn't grow")
    # a denial of going there, just after a place or a venue ("в Азию их не возят")
    place_negation_after: str = ""
    share_of_names: str = ""  # names between a share and what it is of ("of Technopolis residents")
    # the words between a title and a name that says who holds it ("гендиректор технополиса —
    # Андрей Петров", "the author is Ivan Petrov"), after the title and before it
    holder_after: str = ""
    holder_before: str = ""
    not_people: str = ""  # capitalized words that name no one ("Technopolis", "Москва", "This")
    counted_prefix: str = ""  # words before a counted noun's one adjective ("ten former Soviet states")
    status_said: str = ""  # before a status that say it of something ("это ОЭЗ", "is an SEZ")
    reason_said: str = ""  # in a sentence with a reason, make it one for a growth ("из-за")
    attribution: str = ""  # words before a source that cite it ("если верить mos.ru")
    qualifiers: dict[Qualifier, NonEmpty]
    entities: dict[NonEmpty, EntitySpec]
    roles: dict[NonEmpty, NonEmpty]  # person id -> pattern of the job title they hold

    @property
    def unnamed(self) -> frozenset[str]:
        """The entities that stand for a place none of the others name (`unnamed: true`)."""
        return frozenset(eid for eid, e in self.entities.items() if e.unnamed)

    @property
    def unnamed_site(self) -> str | None:
        """The site entity that stands for a place the article has no site in."""
        return min((eid for eid in self.unnamed if self.entities[eid].kind == "site"), default=None)


_ONE_WORD = re.compile(r"[^\W\d_]+")  # a word as the normalizer splits words (normalize._WORD)


class ChatterKind(Strict):
    ru: list[NonEmpty]
    en: list[NonEmpty]

    @field_validator("ru", "en")
    @classmethod
    def _single_words(cls, words: list[str]) -> list[str]:
        """Chatter is matched word by word: "who's" or "кто-то" would never match, and a word
        listed twice hides a typo in the list."""
        wrong = [
            f"{w!r} is not one word (list its parts, or leave it out)"
            for w in words
            if not _ONE_WORD.fullmatch(w)
        ]
        repeated = sorted({w for w in words if words.count(w) > 1})
        if repeated:
            wrong.append(f"listed twice: {', '.join(repeated)}")
        if wrong:
            raise ValueError("; ".join(wrong))
        return words


class Chatter(Strict):
    """chatter.yaml: what a message says around its question, by kind."""

    reported: ChatterKind
    tags: ChatterKind
    opening_tags: ChatterKind
    own: ChatterKind
    # "a neighbour company", "соседняя фирма": another organisation's things (the word before
    # one of `companies`)
    others: ChatterKind = ChatterKind(ru=[], en=[])
    companies: ChatterKind = ChatterKind(ru=[], en=[])
    conditional: ChatterKind = ChatterKind(ru=[], en=[])
    irrealis: ChatterKind = ChatterKind(ru=[], en=[])
    conditional_fillers: ChatterKind = ChatterKind(ru=[], en=[])
    greetings: ChatterKind
    context: ChatterKind
    hedges: ChatterKind
    meta: ChatterKind
    asks: ChatterKind
    asks_person: ChatterKind
    asks_title: ChatterKind = ChatterKind(ru=[], en=[])
    opening_asks: ChatterKind = ChatterKind(ru=[], en=[])
    asks_place: ChatterKind
    asks_product: ChatterKind
    asks_share: ChatterKind = ChatterKind(ru=[], en=[])
    asks_multiplier: ChatterKind = ChatterKind(ru=[], en=[])
    asks_reason: ChatterKind = ChatterKind(ru=[], en=[])
    asks_area: ChatterKind = ChatterKind(ru=[], en=[])
    asks_money: ChatterKind = ChatterKind(ru=[], en=[])
    speech: ChatterKind = ChatterKind(ru=[], en=[])
    speakers: ChatterKind = ChatterKind(ru=[], en=[])
    when: ChatterKind
    price: ChatterKind = ChatterKind(ru=[], en=[])
    how_much: ChatterKind = ChatterKind(ru=[], en=[])
    costs: ChatterKind = ChatterKind(ru=[], en=[])
    clause_openers: ChatterKind = ChatterKind(ru=[], en=[])


class UiStrings(Strict):
    ru: dict[str, str]
    en: dict[str, str]
