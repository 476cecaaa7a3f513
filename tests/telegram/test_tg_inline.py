"""Inline mode: up to five ready-to-send answers."""

from __future__ import annotations

import html

from fakes import updates
from fakes.telegram_html import check_html, html_to_text


async def inline_answer(tg, query: str, **kwargs) -> dict:
    update = updates.inline(query, **kwargs)
    tg.api.push(update)
    query_id = update["inline_query"]["id"]
    [call] = await tg.api.wait_for(
        "answerInlineQuery", predicate=lambda c: c.params["inline_query_id"] == query_id
    )
    return call.params


async def test_query_offers_its_answer_first_then_related(tg, engine) -> None:
    params = await inline_answer(tg, "экспорт", user_id=51)
    results = params["results"]
    assert 1 <= len(results) <= 5
    assert len({r["id"] for r in results}) == len(results)
    expected = engine.answer("экспорт", user_lang="ru")
    first = results[0]["input_message_content"]
    assert first["parse_mode"] == "HTML"
    assert html.escape(expected.text, quote=False) in first["message_text"]
    for result in results:
        content = result["input_message_content"]["message_text"]
        assert check_html(content) == []
        assert "<blockquote>" in content and "\n— " in content
    assert params["is_personal"] is False  # Cyrillic decides the language: cacheable
    assert params["cache_time"] == tg.settings.inline_cache_time


async def test_a_refuted_figure_is_corrected_inline(tg) -> None:
    params = await inline_answer(tg, "экспорт вырос в 5 раз?", user_id=52)
    first = html_to_text(params["results"][0]["input_message_content"]["message_text"])
    assert first.startswith("Нет: по статье — в три раза") and "2019" in first


async def test_empty_query_offers_featured_facts(tg, engine) -> None:
    params = await inline_answer(tg, "", user_id=53, language_code="en")
    titles = [r["title"] for r in params["results"]]
    assert titles == [s.question for s in engine.featured("en")][:5]
    assert len(titles) >= 3
    assert all(
        "<blockquote>" in r["input_message_content"]["message_text"] for r in params["results"]
    )
    assert params["is_personal"] is True  # language from language_code


async def test_out_of_scope_query_gives_one_result(tg) -> None:
    params = await inline_answer(tg, "what is the weather on Mars?", user_id=54)
    [result] = params["results"]
    assert html_to_text(result["input_message_content"]["message_text"]) == (
        "The article doesn't say."
    )


async def test_lang_choice_makes_inline_results_personal(tg) -> None:
    await tg.reply(updates.private_text("/lang en", user_id=55))
    params = await inline_answer(tg, "экспорт", user_id=55)
    assert params["is_personal"] is True
    assert "billion" in params["results"][0]["input_message_content"]["message_text"]
