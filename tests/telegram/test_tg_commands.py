"""Commands and the command menus."""

from __future__ import annotations

import json

from fakes import updates
from fakes.telegram_html import html_to_text
from tg_harness import buttons


async def test_start_greets_and_offers_three_examples(tg, engine) -> None:
    call = await tg.reply(updates.private_text("/start", user_id=31))
    text = html_to_text(call.params["text"])
    assert text.startswith("Здравствуйте!")
    assert engine.kb.article.title in text
    offered = buttons(call)
    assert [b["text"] for b in offered] == [s.question for s in engine.featured("ru")[:3]]


async def test_start_in_english_for_an_english_client(tg, engine) -> None:
    call = await tg.reply(updates.private_text("/start", user_id=32, language_code="en-US"))
    text = html_to_text(call.params["text"])
    assert text.startswith("Hello!")
    assert engine.kb.article.title_en in text


async def test_start_deep_link_answers_that_intent(tg) -> None:
    call = await tg.reply(updates.private_text("/start growth", user_id=33))
    assert "вырос в три раза" in call.params["text"]
    assert "<blockquote>" in call.params["text"]


async def test_start_with_an_unknown_payload_just_greets(tg) -> None:
    call = await tg.reply(updates.private_text("/start inline", user_id=34))
    assert html_to_text(call.params["text"]).startswith("Здравствуйте!")


async def test_help_names_the_commands_and_the_bot(tg) -> None:
    call = await tg.reply(updates.private_text("/help", user_id=35))
    text = html_to_text(call.params["text"])
    assert "/topics" in text and "/lang ru|en" in text
    assert "@technopolis_test_bot" in text


async def test_topics_lists_everything_as_buttons(tg, engine) -> None:
    call = await tg.reply(updates.private_text("/topics", user_id=36))
    offered = buttons(call)
    assert [b["text"] for b in offered] == [s.question for s in engine.topics("ru")]
    assert all(len(b["callback_data"].encode()) <= 64 for b in offered)


async def test_source_describes_the_article(tg) -> None:
    call = await tg.reply(updates.private_text("/source", user_id=37))
    text = html_to_text(call.params["text"])
    assert "Карина Камалова" in text
    assert "Владимир Ефимов, заместитель мэра Москвы" in text
    assert "Геннадий Дегтев" in text and "Александр Прохоров" in text


async def test_lang_en_makes_russian_questions_answer_in_english(tg) -> None:
    done = await tg.reply(updates.private_text("/lang en", user_id=38))
    assert html_to_text(done.params["text"]) == "I'll answer in English from now on."
    call = await tg.reply(
        updates.private_text("На какую сумму резиденты экспортировали?", user_id=38)
    )
    assert "1.2 billion roubles" in call.params["text"]
    source = await tg.reply(updates.private_text("/source", user_id=38))
    assert "Karina Kamalova" in source.params["text"]
    await tg.reply(updates.private_text("/lang ru", user_id=38))
    back = await tg.reply(updates.private_text("What was the export volume in 2020?", user_id=38))
    assert "1,2 млрд рублей" in back.params["text"]


async def test_lang_choice_is_per_user(tg) -> None:
    await tg.reply(updates.private_text("/lang en", user_id=39))
    other = await tg.reply(updates.private_text("Каков объём экспорта?", user_id=40))
    assert "1,2 млрд рублей" in other.params["text"]


async def test_lang_without_a_valid_choice_explains(tg) -> None:
    call = await tg.reply(updates.private_text("/lang de", user_id=41))
    assert html_to_text(call.params["text"]) == "Укажите язык: /lang ru или /lang en"


async def test_menus_are_registered_in_both_languages_for_both_scopes(tg) -> None:
    await tg.reply(updates.private_text("/help", user_id=42))  # start-up has finished
    private = json.dumps({"type": "all_private_chats"}, sort_keys=True)
    groups = json.dumps({"type": "all_group_chats"}, sort_keys=True)
    menus = tg.api.commands
    for scope in (private, groups):
        for lang in ("ru", "en"):
            assert (scope, lang) in menus, f"no {lang} menu for {scope}"
    assert {c["command"] for c in menus[(private, "ru")]} >= {
        "start",
        "help",
        "topics",
        "source",
        "lang",
    }
    assert "ask" in {c["command"] for c in menus[(groups, "en")]}
    assert {c["description"] for c in menus[(private, "en")]} >= {"Help", "Topics"}
    assert {c["description"] for c in menus[(private, "ru")]} >= {"Помощь", "Темы"}
