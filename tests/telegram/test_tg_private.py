"""Private chats end to end: questions, buttons, non-text messages, hostile input."""

from __future__ import annotations

import html

from fakes import updates
from fakes.telegram_html import check_html, html_to_text, utf16_len
from tg_harness import buttons

RU_QUESTION = "На какую сумму резиденты экспортировали продукцию?"
EN_QUESTION = "What was the export volume of Technopolis residents in 2020?"
QUOTE_RU = "экспортировали свою продукцию за рубеж на 1,2 миллиарда рублей"


async def test_russian_question_gets_answer_and_quote_with_speaker(tg) -> None:
    call = await tg.reply(updates.private_text(RU_QUESTION, user_id=11))
    text = call.params["text"]
    assert call.params["parse_mode"] == "HTML"
    assert call.params["link_preview_options"] == {"is_disabled": True}
    assert "1,2 млрд рублей" in text.split("<blockquote>")[0]
    assert f"{QUOTE_RU}\n— Владимир Ефимов, заместитель мэра Москвы</blockquote>" in text
    assert "reply_parameters" not in call.params  # private chats: no reply threading


async def test_english_question_is_answered_in_english(tg) -> None:
    call = await tg.reply(updates.private_text(EN_QUESTION, user_id=12, language_code="en"))
    text = call.params["text"]
    assert "1.2 billion roubles" in text
    assert "— Vladimir Efimov, Deputy Mayor of Moscow</blockquote>" in text
    assert QUOTE_RU in text  # the quote stays verbatim (the article is Russian)


async def test_out_of_scope_offers_buttons_and_pressing_one_answers(tg, engine) -> None:
    call = await tg.reply(updates.private_text("какая погода в Москве?", user_id=13))
    visible = html_to_text(call.params["text"])
    assert visible.startswith("В статье об этом не говорится")
    offered = buttons(call)
    none_of_these = offered.pop()  # the misses log's "none of these" comes last
    assert none_of_these["callback_data"].startswith("n:")
    assert len(offered) == 3
    for button in offered:
        assert button["callback_data"].startswith("a:")
        assert len(button["callback_data"].encode()) <= 64

    data = offered[0]["callback_data"]
    _, intent, lang = data.split(":")
    expected = engine.answer_intent(intent, lang)
    press = updates.callback(data, updates.message_from_call(call), user_id=13)
    answer = await tg.reply(press)
    assert html.escape(expected.text, quote=False) in answer.params["text"]
    assert answer.params["text"].count("<blockquote>") == len(expected.sources) > 0
    [ack] = await tg.api.wait_for("answerCallbackQuery")  # answered once the handler is done
    assert ack.params["callback_query_id"] == press["callback_query"]["id"]


async def test_button_answer_follows_the_lang_choice(tg) -> None:
    await tg.reply(updates.private_text("/lang en", user_id=14))
    call = await tg.reply(updates.private_text("/start", user_id=14))
    first = buttons(call)[0]["callback_data"]
    answer = await tg.reply(updates.callback(first, updates.message_from_call(call), user_id=14))
    assert "1.2 billion roubles" in answer.params["text"]


async def test_unknown_button_data_only_stops_the_spinner(tg) -> None:
    call = await tg.reply(updates.private_text(RU_QUESTION, user_id=15))
    tg.api.push(updates.callback("zz:old", updates.message_from_call(call), user_id=15))
    await tg.api.wait_for("answerCallbackQuery")
    await tg.settle()
    assert len(tg.api.sent_messages(15)) == 1


async def test_small_talk_gets_featured_questions(tg) -> None:
    call = await tg.reply(updates.private_text("привет", user_id=16))
    assert "Здравствуйте" in call.params["text"]
    assert len(buttons(call)) == 3


async def test_sticker_and_photo_get_the_hint(tg) -> None:
    sticker = await tg.reply(updates.sticker(user_id=17))
    photo = await tg.reply(updates.photo(user_id=17, caption="экспорт"))
    hint = "Я понимаю только текст. Напишите вопрос о статье словами."
    assert html_to_text(sticker.params["text"]) == hint
    assert html_to_text(photo.params["text"]) == hint


async def test_english_user_gets_the_hint_in_english(tg) -> None:
    call = await tg.reply(updates.sticker(user_id=18, language_code="en"))
    assert "I only understand text" in call.params["text"]


async def test_markup_in_the_question_cannot_break_the_reply(tg) -> None:
    hostile = "<b>&</b> <script>alert(1)</script> &amp; экспорт?"
    call = await tg.reply(updates.private_text(hostile, user_id=19))
    assert check_html(call.params["text"]) == []
    assert "<script>" not in call.params["text"]


async def test_a_4096_character_message_gets_a_valid_answer(tg, engine) -> None:
    question = ("Каков объём экспорта резидентов? " * 200)[:4096]
    assert utf16_len(question) == 4096
    call = await tg.reply(updates.private_text(question, user_id=20))
    assert check_html(call.params["text"]) == []
    expected = engine.answer(question, user_lang="ru").text
    assert html_to_text(call.params["text"]).startswith(expected)


async def test_long_emoji_message_is_answered(tg) -> None:
    question = "😀" * 2048  # 4096 UTF-16 units, nothing to answer
    call = await tg.reply(updates.private_text(question, user_id=21))
    assert check_html(call.params["text"]) == []
    assert "Задайте вопрос о статье" in call.params["text"]
