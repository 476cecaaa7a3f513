"""Coverage: which words count against an intent, and how much."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.engine import AnswerEngine, AnswerKind
from bot.engine.matcher import IntentIndex, MatchParams, Scored


def scored(engine: AnswerEngine, text: str, intent: str, index: IntentIndex | None = None) -> Scored:
    tokens = engine.normalizer.read(text).tokens
    return next(s for s in (index or engine.index).score(tokens) if s.intent == intent)


@pytest.mark.parametrize(
    ("plain", "chatty"),
    [
        ("во сколько раз вырос экспорт?", "Привет всем! Во сколько раз вырос экспорт? Заранее спасибо"),
        ("what share of exports was microelectronics", "what share of exports was microelectronics, per the article"),
        ("сколько стран", "сколько стран, какая там цифра в статье"),
    ],
)
def test_greetings_and_words_about_the_article_do_not_count_against_a_fact(
    engine: AnswerEngine, plain: str, chatty: str
) -> None:
    intent = engine.answer(plain).intent
    assert intent is not None
    assert scored(engine, chatty, intent).coverage == pytest.approx(
        scored(engine, plain, intent).coverage
    )


def test_a_common_known_word_counts_less_than_its_weight(engine: AnswerEngine) -> None:
    text = "what share of exports was microelectronics, is it a lot"
    params = replace(engine.index.params, known_common_share=1.0)
    full = IntentIndex.__new__(IntentIndex)
    full.__dict__.update(engine.index.__dict__)
    full.params = params
    assert scored(engine, text, "microelectronics").coverage > scored(
        engine, text, "microelectronics", full
    ).coverage
    assert MatchParams().known_common_share < 1.0


def test_where_the_technopolis_is_is_context_not_the_topic(engine: AnswerEngine) -> None:
    ans = engine.answer("микросхемы из Зеленограда куда в основном продавали?")
    assert ans.kind is AnswerKind.FACT and ans.intent == "me_destination"


def test_a_long_message_asks_when_only_in_its_questions(engine: AnswerEngine) -> None:
    text = (
        "Мы присматриваем помещение под производство, знакомый сказал, что в технополисе скоро "
        "будет новое пространство. Где появится новый технопарк и какой он площади?"
    )
    assert engine.answer(text).intent == "new_technopark"
    assert engine.answer("когда откроют новый технопарк?").kind is AnswerKind.OUT_OF_SCOPE
