"""Fact-checking in groups over real HTTP: /check on any message, /factcheck, watch mode."""

from __future__ import annotations

import time
from typing import Any

import pytest
from fakes import updates
from fakes.telegram_html import html_to_text
from tg_harness import buttons

GROUP = -1009876543210
ADMIN = 7001
MEMBER = 7002
WRONG = "технополис в прошлом году экспорт вдвое поднял 🔥"


def chat_member(admins: set[int]) -> Any:
    """getChatMember as Telegram answers it: owner for `admins`, member for anyone else."""

    def answer(params: dict[str, Any]) -> dict[str, Any]:
        user = {"id": params["user_id"], "is_bot": False, "first_name": "U"}
        if params["user_id"] in admins:
            return {"status": "creator", "user": user, "is_anonymous": False}
        return {"status": "member", "user": user}

    return answer


@pytest.fixture
async def tg(launch, fake_api):
    fake_api.set_result("getChatMember", chat_member({ADMIN}))
    return await launch()


async def say(tg, text: str, chat_id: int = GROUP, user_id: int = MEMBER, **kw: Any) -> dict:
    update = updates.group_text(text, chat_id=chat_id, user_id=user_id, **kw)
    tg.api.push(update)
    return update


async def silent(tg, chat_id: int, before: int) -> bool:
    await tg.settle()
    return len(tg.api.sent_messages(chat_id)) == before


async def test_check_as_a_reply_checks_the_replied_message(tg) -> None:
    target = await say(tg, WRONG, chat_id=GROUP - 1, entities=[])
    assert await silent(tg, GROUP - 1, 0)  # watch mode is off: ordinary messages are left alone
    call = await tg.reply(
        updates.group_text("/check", chat_id=GROUP - 1, reply_to=target["message"])
    )
    assert call.params["reply_parameters"]["message_id"] == target["message"]["message_id"]
    text = html_to_text(call.params["text"])
    assert text.startswith("Нет: по статье — в три раза") and "Владимир Ефимов" in text


async def test_check_in_a_forum_topic_answers_in_the_topic(tg) -> None:
    target = await say(tg, WRONG, chat_id=GROUP - 2, entities=[], thread_id=55)
    await tg.settle()
    call = await tg.reply(
        updates.group_text(
            "/check@technopolis_test_bot",
            chat_id=GROUP - 2,
            reply_to=target["message"],
            thread_id=55,
        )
    )
    assert call.params["message_thread_id"] == 55
    assert html_to_text(call.params["text"]).startswith("Нет: по статье")


async def test_check_finds_nothing_in_chatter_and_answers_a_question(tg) -> None:
    chatter = await say(tg, "пойду пообедаю, кто со мной?", chat_id=GROUP - 3, entities=[])
    await tg.settle()
    nothing = await tg.reply(
        updates.group_text("/check", chat_id=GROUP - 3, reply_to=chatter["message"])
    )
    assert (
        html_to_text(nothing.params["text"])
        == "В этом сообщении нет ничего, о чём говорится в статье."
    )
    question = await tg.reply(
        updates.group_text("/check сколько резидентов в технополисе?", chat_id=GROUP - 3)
    )
    assert "180" in question.params["text"]


async def test_bare_check_explains_itself(tg) -> None:
    call = await tg.reply(updates.group_text("/check", chat_id=GROUP - 4))
    assert html_to_text(call.params["text"]).startswith("Ответьте командой /check")


async def test_private_forwarded_message_is_checked(tg) -> None:
    forwarded = updates.private_text("в технополисе всего 50 резидентов", user_id=7100)
    forwarded["message"]["forward_origin"] = {
        "type": "user",
        "date": int(time.time()) - 60,
        "sender_user": {"id": 7200, "is_bot": False, "first_name": "Bob"},
    }
    call = await tg.reply(forwarded)
    text = html_to_text(call.params["text"])
    assert text.startswith("Нет: по статье — более 180 компаний")
    reply = updates.private_text("/check", user_id=7100)
    reply["message"]["reply_to_message"] = forwarded["message"]
    again = await tg.reply(reply)
    assert html_to_text(again.params["text"]).startswith("Нет: по статье — более 180 компаний")


async def test_factcheck_is_for_admins(tg) -> None:
    refused = await tg.reply(updates.group_text("/factcheck on", chat_id=GROUP - 5, user_id=MEMBER))
    assert "только администраторы" in html_to_text(refused.params["text"])
    status = await tg.reply(updates.group_text("/factcheck status", chat_id=GROUP - 5))
    assert html_to_text(status.params["text"]) == "Проверка цифр в этом чате выключена."
    on = await tg.reply(updates.group_text("/factcheck on", chat_id=GROUP - 5, user_id=ADMIN))
    assert html_to_text(on.params["text"]).startswith("Проверка цифр включена")
    status = await tg.reply(updates.group_text("/factcheck status", chat_id=GROUP - 5))
    assert html_to_text(status.params["text"]) == "Проверка цифр в этом чате включена."


async def test_watch_mode_corrects_once_and_stays_silent_otherwise(tg) -> None:
    chat = GROUP - 6
    await tg.reply(updates.group_text("/factcheck on", chat_id=chat, user_id=ADMIN))
    sent = len(tg.api.sent_messages(chat))
    for quiet in (
        "технополис экспорт втрое поднял, красавцы",  # right
        "встречаемся в 5 у Зеленограда, возьми 2 пиццы",  # numbers about other things
        "экспорт технополиса вырос вдвое?",  # a question to the group, not to the bot
    ):
        await say(tg, quiet, chat_id=chat, entities=[])
    assert await silent(tg, chat, sent)
    wrong = await say(tg, WRONG, chat_id=chat, entities=[])
    (call,) = (await tg.sent_to(chat, sent + 1))[sent:]
    assert call.params["reply_parameters"]["message_id"] == wrong["message"]["message_id"]
    text = html_to_text(call.params["text"])
    assert text.startswith("По статье — в три раза больше, чем в 2019 году, а не «вдвое».")
    assert "Владимир Ефимов" in text
    urls = [b.get("url") for b in buttons(call)]
    assert "https://t.me/technopolis_test_bot?start=growth" in urls
    assert any(b.get("callback_data") for b in buttons(call))
    # the same correction at most once per chat per hour
    await say(tg, "технополис экспорт вчетверо нарастил", chat_id=chat, entities=[])
    assert await silent(tg, chat, sent + 1)
    # another fact is another correction
    await say(tg, "у технополиса всего 50 резидентов", chat_id=chat, entities=[])
    (other,) = (await tg.sent_to(chat, sent + 2))[sent + 1 :]
    assert "более 180 компаний" in html_to_text(other.params["text"])


async def test_switch_off_button_is_for_admins(tg) -> None:
    chat = GROUP - 7
    await tg.reply(updates.group_text("/factcheck on", chat_id=chat, user_id=ADMIN))
    await say(tg, WRONG, chat_id=chat, entities=[])
    correction = (await tg.sent_to(chat, 2))[1]
    data = next(b["callback_data"] for b in buttons(correction) if b.get("callback_data"))
    message = updates.message_from_call(correction)
    tg.api.push(updates.callback(data, message, user_id=MEMBER))
    tg.api.push(updates.callback(data, message, user_id=ADMIN))
    answers = await tg.api.wait_for("answerCallbackQuery", 2)
    texts = [a.params.get("text") for a in answers[-2:]]
    assert "Включать и выключать проверку могут только администраторы группы." in texts
    assert "Проверка цифр выключена." in texts
    status = await tg.reply(updates.group_text("/factcheck status", chat_id=chat))
    assert html_to_text(status.params["text"]) == "Проверка цифр в этом чате выключена."


async def test_factcheck_on_says_when_the_bot_cannot_see_the_group(launch, fake_api) -> None:
    fake_api.bot_user["can_read_all_group_messages"] = False  # privacy mode on, not an admin
    fake_api.set_result("getChatMember", chat_member({ADMIN}))
    tg = await launch()
    call = await tg.reply(updates.group_text("/factcheck on", chat_id=GROUP - 8, user_id=ADMIN))
    text = html_to_text(call.params["text"])
    assert "обычных сообщений группы я не вижу" in text and "/setprivacy" in text
