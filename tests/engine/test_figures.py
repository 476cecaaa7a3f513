"""Numbers written in different ways read as the same figure."""

from __future__ import annotations

from fractions import Fraction

import pytest

from bot.engine import AnswerEngine
from bot.engine.figures import Figure


def values(engine: AnswerEngine, text: str) -> list[Fraction]:
    return [f.value for f in engine.reader.read(text)]


@pytest.mark.parametrize("text", ["1,2 млрд", "1.2 bn", "1.2 billion", "1,2 миллиарда", "1.2bn"])
def test_billions(engine: AnswerEngine, text: str) -> None:
    assert values(engine, text) == [Fraction(12, 10) * 10**9]


@pytest.mark.parametrize(
    "text", ["втрое", "tripled", "3x", "в три раза", "three times", "threefold"]
)
def test_three_times(engine: AnswerEngine, text: str) -> None:
    assert values(engine, text) == [3]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("около 150 тысяч", 150_000),
        ("150,000", 150_000),
        ("150 000", 150_000),
        ("223,3 гектара", Fraction(2233, 10)),
        ("почти половина", Fraction(1, 2)),
        ("50%", Fraction(1, 2)),
        ("треть", Fraction(1, 3)),
        ("каждый седьмой", Fraction(1, 7)),
        ("every seventh", Fraction(1, 7)),
    ],
)
def test_other_forms(engine: AnswerEngine, text: str, value: Fraction) -> None:
    assert values(engine, text) == [value]


def test_years_are_years(engine: AnswerEngine) -> None:
    figs = engine.reader.read("в 2019 году и 2,5 млрд")
    assert [f.is_year for f in figs] == [True, False]


@pytest.mark.parametrize(
    ("text", "year"),
    [("в 21-м году", 2021), ("к 19му году", 2019), ("в 21 году", 2021), ("в 98-м году", 1998)],
)
def test_a_year_said_in_two_digits_before_the_word_for_year_is_that_year(
    engine: AnswerEngine, text: str, year: int
) -> None:
    (fig,) = engine.reader.read(text)
    assert fig.is_year and fig.value == year and fig.raw == str(year)


def test_two_digits_without_the_word_for_year_are_no_year(engine: AnswerEngine) -> None:
    assert [f.is_year for f in engine.reader.read("21 страна, в 90-х годах")] == [False, False]


def test_bare_number_matches_scaled_one() -> None:
    scaled = Figure("1,2 млрд", Fraction(12, 10) * 10**9, Fraction(12, 10), scaled=True)
    assert Figure("1.2", Fraction(12, 10), Fraction(12, 10)).same_as(scaled)
    assert not Figure("2 bn", Fraction(2 * 10**9), Fraction(2), scaled=True).same_as(scaled)
