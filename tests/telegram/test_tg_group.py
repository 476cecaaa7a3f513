"""Groups: answer only when addressed, as a reply, in the same forum topic."""

from __future__ import annotations

from fakes import updates
from fakes.telegram_html import html_to_text

BOT = "@technopolis_test_bot"
GROUP = -1001234567890
QUESTION = "Каков объём экспорта резидентов в 2020 году?"


def assert_reply_to(call, update) -> None:
    assert call.params["reply_parameters"]["message_id"] == update["message"]["message_id"]


async def test_mention_is_answered_as_a_reply(tg) -> None:
    update = updates.group_text(f"{BOT} {QUESTION}", chat_id=GROUP)
    call = await tg.reply(update)
    assert_reply_to(call, update)
    assert "1,2 млрд рублей" in call.params["text"]
    assert "— Владимир Ефимов, заместитель мэра Москвы</blockquote>" in call.params["text"]


async def test_mention_in_the_middle_and_in_other_case(tg) -> None:
    update = updates.group_text(f"{QUESTION} {BOT.upper()}", chat_id=GROUP - 1)
    call = await tg.reply(update)
    assert "1,2 млрд рублей" in call.params["text"]


async def test_reply_to_the_bots_message_is_answered(tg) -> None:
    first = await tg.reply(updates.group_text(f"/ask {QUESTION}", chat_id=GROUP - 2))
    follow_up = updates.group_text(
        "а во сколько раз он вырос?",
        chat_id=GROUP - 2,
        reply_to=updates.message_from_call(first),
        entities=[],
    )
    call = await tg.reply(follow_up)
    assert_reply_to(call, follow_up)
    assert "в три раза" in call.params["text"]


async def test_ask_and_ask_with_our_name(tg) -> None:
    plain = updates.group_text(f"/ask {QUESTION}", chat_id=GROUP - 3)
    named = updates.group_text(f"/ask{BOT} во сколько раз вырос экспорт?", chat_id=GROUP - 3)
    first = await tg.reply(plain)
    second = await tg.reply(named)
    assert_reply_to(first, plain)
    assert_reply_to(second, named)
    assert "1,2 млрд рублей" in first.params["text"]
    assert "в три раза" in second.params["text"]


async def test_bare_ask_explains_itself(tg) -> None:
    call = await tg.reply(updates.group_text("/ask", chat_id=GROUP - 4))
    assert html_to_text(call.params["text"]).startswith("Напишите вопрос после команды")


async def test_bare_ask_in_reply_asks_the_replied_message(tg) -> None:
    chat = GROUP - 5
    question = updates.group_text(QUESTION, chat_id=chat, user_id=2001)
    tg.api.push(question)
    ask = updates.group_text("/ask", chat_id=chat, reply_to=question["message"])
    call = await tg.reply(ask)
    assert "1,2 млрд рублей" in call.params["text"]


async def test_not_addressed_gets_nothing(tg) -> None:
    chat = GROUP - 6
    for text in (
        "экспорт вырос",
        QUESTION,
        f"/ask@other_helper_bot {QUESTION}",
        f"@someone_else {QUESTION}",
        "/help@other_helper_bot",
    ):
        tg.api.push(updates.group_text(text, chat_id=chat))
    someone = updates.group_text("кто знает про экспорт?", chat_id=chat, user_id=2002)
    tg.api.push(someone)
    tg.api.push(
        updates.group_text(QUESTION, chat_id=chat, reply_to=someone["message"], entities=[])
    )  # a reply, but to a person
    await tg.settle()
    assert tg.api.sent_messages(chat) == []
    assert tg.api.violations == []


async def test_forum_topic_is_kept(tg) -> None:
    update = updates.group_text(f"{BOT} {QUESTION}", chat_id=GROUP - 7, thread_id=77)
    call = await tg.reply(update)
    assert call.params["message_thread_id"] == 77
    assert_reply_to(call, update)


async def test_out_of_scope_in_a_group_is_one_short_line(tg) -> None:
    call = await tg.reply(updates.group_text("/ask какая погода в Москве?", chat_id=GROUP - 8))
    assert html_to_text(call.params["text"]) == "В статье об этом не говорится."
    assert "reply_markup" not in call.params


async def test_wrong_figure_is_corrected(tg) -> None:
    call = await tg.reply(updates.group_text("/ask экспорт вырос в 5 раз?", chat_id=GROUP - 9))
    text = html_to_text(call.params["text"])
    assert text.startswith("Нет: по статье — в три раза")
    assert "в три раза" in text
    assert "<blockquote>" in call.params["text"] and "в три раза превышает" in text


async def test_commands_work_in_groups_too(tg) -> None:
    update = updates.group_text(f"/source{BOT}", chat_id=GROUP - 10)
    call = await tg.reply(update)
    assert "Карина Камалова" in call.params["text"]
    assert_reply_to(call, update)


async def test_a_bare_mention_gets_the_how_to_ask_hint(tg) -> None:
    call = await tg.reply(updates.group_text(BOT, chat_id=GROUP - 11))
    assert html_to_text(call.params["text"]).startswith("Задайте вопрос о статье")
    assert "reply_markup" not in call.params  # groups stay quiet: no featured buttons
