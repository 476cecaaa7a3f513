"""Telegram's limits and failures: floods, 429, 5xx, dropped connections, refusals, bugs."""

from __future__ import annotations

import asyncio
import logging

import pytest
from fakes import updates
from fakes.telegram_html import html_to_text
from tg_harness import buttons

QUESTION = "Каков объём экспорта резидентов в 2020 году?"


async def ask_in_chats(tg, chats: list[int]) -> None:
    for chat in chats:
        tg.api.push(updates.private_text(QUESTION, user_id=chat))


async def assert_each_answered_once(tg, chats: list[int]) -> None:
    for chat in chats:
        await tg.sent_to(chat, 1, timeout=10)
    await tg.settle()
    for chat in chats:
        sent = tg.api.sent_messages(chat)
        assert len(sent) == 1, f"chat {chat} got {len(sent)} answers"
        assert "1,2 млрд рублей" in sent[0]["text"]


@pytest.mark.parametrize(
    ("status", "times"),
    [(429, 2), (502, 3), (0, 2)],
    ids=["429-retry-after", "502-from-proxy", "connection-dropped"],
)
async def test_failed_sends_are_retried_and_each_update_answered_once(tg, status, times) -> None:
    chats = [301, 302, 303]
    tg.api.fail("sendMessage", status=status, times=times, retry_after=1)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await ask_in_chats(tg, chats)
    await assert_each_answered_once(tg, chats)
    failed = [c for c in tg.api.calls if c.method == "sendMessage" and not c.ok]
    assert len(failed) == times
    if status == 429:
        assert loop.time() - started >= 1.0  # retry_after was honoured


async def test_getupdates_429_is_waited_out_and_polling_goes_on(tg) -> None:
    tg.api.fail("getUpdates", status=429, retry_after=1)
    tg.api.push(updates.private_text(QUESTION, user_id=311))
    await tg.sent_to(311)
    polls = [c for c in tg.api.calls if c.method == "getUpdates"]
    assert polls[0].status == 429
    assert polls[1].ok


async def test_polling_survives_server_errors_and_lost_connections(tg) -> None:
    tg.api.fail("getUpdates", status=502, times=1)
    tg.api.fail("getUpdates", status=0, times=1)
    tg.api.push(updates.private_text(QUESTION, user_id=312))
    call = (await tg.sent_to(312, timeout=10))[0]
    assert "1,2 млрд рублей" in call.params["text"]


async def test_a_blocked_user_is_logged_and_the_bot_goes_on(tg, caplog) -> None:
    caplog.set_level(logging.INFO, logger="bot.telegram")
    tg.api.fail("sendMessage", status=403, description="Forbidden: bot was blocked by the user")
    tg.api.push(updates.private_text(QUESTION, user_id=313))
    await tg.settle()
    await tg.reply(updates.private_text(QUESTION, user_id=314))
    assert "failed update=message" in caplog.text
    assert "TelegramForbiddenError" in caplog.text
    assert tg.api.sent_messages(313) == []  # no apology into a chat that refuses messages


async def test_a_flooding_user_is_throttled(launch) -> None:
    tg = await launch(throttle_rate=0.2, throttle_burst=2)
    for i in range(6):
        tg.api.push(updates.private_text(f"{QUESTION} {i}", user_id=321))
    tg.api.push(updates.private_text(QUESTION, user_id=322))  # others are not affected
    await tg.settle()
    texts = [html_to_text(m["text"]) for m in tg.api.sent_messages(321)]
    assert len(texts) == 3
    assert texts[2] == "Слишком много сообщений подряд, подождите немного."
    assert len(tg.api.sent_messages(322)) == 1


async def test_every_press_of_a_flooding_user_is_answered_once(launch) -> None:
    """Throttled presses too: the spinner stops, the first refusal says why."""
    tg = await launch(throttle_rate=0.01, throttle_burst=1)
    call = await tg.reply(updates.private_text("какая погода в Москве?", user_id=323))
    under = updates.message_from_call(call)
    presses = [updates.callback("a:no_such_intent:ru", under, user_id=323) for _ in range(3)]
    for press in presses:
        tg.api.push(press)
    answered = await tg.api.wait_for("answerCallbackQuery", 3)
    await tg.settle()
    assert len(tg.api.delivered("answerCallbackQuery")) == 3
    tries = [c for c in tg.api.calls if c.method == "answerCallbackQuery"]
    assert len(tries) == 3, "a press was answered twice"
    ids = [a.params["callback_query_id"] for a in answered]
    assert sorted(ids) == sorted(p["callback_query"]["id"] for p in presses)
    texts = [a.params.get("text") for a in answered]
    assert texts.count("Слишком много сообщений подряд, подождите немного.") == 1
    assert len(tg.api.sent_messages(323)) == 1  # only the first answer: no press got through


class Broken:
    """The real engine, except that one of its methods fails (a bug in a handler's path)."""

    def __init__(self, engine, method: str, message: str) -> None:
        self._engine, self._method, self._message = engine, method, message

    def __getattr__(self, name):
        if name != self._method:
            return getattr(self._engine, name)

        def broken(*args, **kwargs):
            raise RuntimeError(self._message)

        return broken


async def test_a_handler_error_gets_a_short_apology_not_a_traceback(launch, engine, caplog) -> None:
    caplog.set_level(logging.INFO, logger="bot.telegram")
    tg = await launch(engine_=Broken(engine, "answer", "engine exploded"))
    call = await tg.reply(updates.private_text(QUESTION, user_id=331))
    text = html_to_text(call.params["text"])
    assert text.startswith("Что-то пошло не так")
    assert "Traceback" not in text and "exploded" not in text
    assert "engine exploded" in caplog.text  # the details go to the log
    # the next update is still served
    ok = await tg.reply(updates.private_text("/help", user_id=332))
    assert "/topics" in ok.params["text"]


async def test_stopping_lets_an_answer_in_flight_finish(tg) -> None:
    tg.api.fail("sendMessage", status=429, retry_after=1)
    tg.api.push(updates.private_text(QUESTION, user_id=341))
    await tg.api.wait_for("sendMessage", 0)  # nothing delivered yet...
    while not any(c.method == "sendMessage" for c in tg.api.calls):
        await asyncio.sleep(0.01)  # ...but the first try got its 429
    await tg.shutdown()
    assert len(tg.api.sent_messages(341)) == 1


async def test_a_failing_button_is_answered_once_and_apologised_for(launch, engine, caplog) -> None:
    """dp.errors apologises in the chat; aiogram's CallbackAnswerMiddleware still stops the
    button's spinner, exactly once."""
    caplog.set_level(logging.INFO, logger="bot.telegram")
    tg = await launch(engine_=Broken(engine, "answer_intent", "button exploded"))
    call = await tg.reply(updates.private_text("какая погода в Москве?", user_id=335))
    press = updates.callback(
        buttons(call)[0]["callback_data"], updates.message_from_call(call), user_id=335
    )
    apology = await tg.reply(press)
    assert html_to_text(apology.params["text"]).startswith("Что-то пошло не так")
    [answered] = await tg.api.wait_for("answerCallbackQuery")
    assert answered.params["callback_query_id"] == press["callback_query"]["id"]
    await tg.settle()
    assert len(tg.api.delivered("answerCallbackQuery")) == 1
    assert "button exploded" in caplog.text
