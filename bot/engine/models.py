"""Pydantic models of the knowledge files: the shape is checked here, cross-references in loader."""

from __future__ import annotations

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


class Intent(Strict):
    id: IntentId
    kind: Literal["fact", "chitchat"] = "fact"
    question: Localized
    examples: LocalizedList
    answer: Localized
    sources: list[SourceSpec] = []
    derived: list[Derived] = []
    related: list[IntentId] = []

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


class Lexicon(Strict):
    stopwords: LocalizedList
    synonyms: dict[NonEmpty, NonEmpty] = {}
    synonym_groups: list[list[NonEmpty]] = []
    qualified_terms: list[QualifiedTerm] = []
    number_words: list[NumberWord] = []
    scale_words: list[NumberWord] = []


class UiStrings(Strict):
    ru: dict[str, str]
    en: dict[str, str]
