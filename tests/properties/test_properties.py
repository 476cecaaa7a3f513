"""Property-based tests: any Unicode text, up to 10,000 characters, never breaks the engine or
the HTML renderer, and what they return stays within its bounds.

Bounds here are about shape (valid HTML, 4096 characters, scores 0-100), never about time:
speed is measured by the benchmarks, not asserted by tests.
"""

from __future__ import annotations

import pytest
from fakes.telegram_html import check_html
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.engine import Answer, AnswerEngine, AnswerKind, Source, Suggestion
from bot.engine.normalize import clean
from bot.telegram.render import render_answer, render_inline

ENGINE = AnswerEngine.load()

# Any code point (surrogates excluded: they cannot be sent as text), biased towards the
# characters that matter here: Cyrillic, Latin, digits, markup and entity characters.
ANY_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(
            list("абвгдеёжзийклмнопрстуфхцчшщъыьэюяABCxyz0123456789<>&;\"'/@ ,.?!-_\n")
        ),
    ),
    max_size=10_000,
)
COMMON = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@COMMON
@given(ANY_TEXT)
def test_normalizer_never_raises(text: str) -> None:
    reading = ENGINE.normalizer.read(clean(text))
    assert reading.how in ("as_written", "translit", "layout")
    assert 0.0 <= reading.fit <= 1.0
    assert all(tok.stem for tok in reading.tokens)


@COMMON
@given(
    ANY_TEXT, st.sampled_from([None, "ru", "en"]), st.sampled_from([None, "ru", "en-US", "de", ""])
)
def test_engine_always_answers_within_bounds(
    text: str, lang: str | None, user_lang: str | None
) -> None:
    ans = ENGINE.answer(text, lang=lang, user_lang=user_lang)  # type: ignore[arg-type]
    assert ans.lang in ("ru", "en")
    assert ans.text.strip()
    assert 0.0 <= ans.score <= 100.0
    assert len(ans.suggestions) <= 3
    if lang is not None:
        assert ans.lang == lang
    if ans.kind is AnswerKind.FACT:
        assert ans.sources and ans.intent in ENGINE.kb.intents


@COMMON
@given(ANY_TEXT)
def test_rendered_answer_is_valid_telegram_html(text: str) -> None:
    ans = ENGINE.answer(text)
    for group in (False, True):
        reply = render_answer(ENGINE, ans, group=group)
        assert check_html(reply.html) == []
    assert check_html(render_inline(ENGINE, ans)) == []


@COMMON
@given(
    text=ANY_TEXT.filter(lambda t: t.strip()),
    quote=ANY_TEXT.filter(lambda t: t.strip()),
    speaker=st.one_of(st.none(), ANY_TEXT.filter(lambda t: t.strip())),
    question=st.text(max_size=200).filter(lambda t: t.strip()),
)
def test_renderer_escapes_and_fits_anything(
    text: str, quote: str, speaker: str | None, question: str
) -> None:
    """Even hostile content in the knowledge base cannot produce a message Telegram rejects."""
    ans = Answer(
        question=question,
        lang="ru",
        kind=AnswerKind.FACT,
        text=text,
        intent="export_volume",
        score=50.0,
        sources=(Source(quote, speaker),),
        suggestions=(Suggestion("growth", question[:60]),),
    )
    for group in (False, True):
        assert check_html(render_answer(ENGINE, ans, group=group).html) == []
    assert check_html(render_inline(ENGINE, ans)) == []


@pytest.mark.parametrize("size", [4095, 4096, 4097, 10_000])
def test_longest_messages(size: int) -> None:
    ans = ENGINE.answer("экспорт " + "ж" * size)
    assert check_html(render_answer(ENGINE, ans).html) == []
