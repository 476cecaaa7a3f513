"""The fake Bot API must catch what Telegram would reject, or the end-to-end tests prove nothing.

Tests that provoke a violation assert it was recorded, then clear ``violations`` so the
``fake_api`` fixture's teardown check (no violations) stays meaningful for everything else.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramBadRequest,
    TelegramNetworkError,
    TelegramRetryAfter,
)
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    LinkPreviewOptions,
    Message,
    ReplyParameters,
)

from . import updates
from .bot_api import FakeBotAPI
from .spec import check_call, check_object
from .telegram_html import check_html, html_to_text

KEYBOARD = {"inline_keyboard": [[{"text": "Ещё", "callback_data": "more:1"}]]}


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


class LoopbackSession(AiohttpSession):
    """Skips aiogram's 250 ms close delay, which exists for TLS; the fake is plain HTTP."""

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()


@pytest.fixture
async def bot(fake_api: FakeBotAPI) -> AsyncIterator[Bot]:
    session = LoopbackSession(api=TelegramAPIServer.from_base(fake_api.url))
    bot = Bot(fake_api.token, session=session, default=DefaultBotProperties(parse_mode="HTML"))
    yield bot
    await bot.session.close()


async def post(
    http: aiohttp.ClientSession,
    api: FakeBotAPI,
    method: str,
    token: str | None = None,
    **params: Any,
) -> tuple[int, Any]:
    """A form-encoded call with JSON-encoded nested values, the way aiogram sends them."""
    form = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    url = f"{api.url}/bot{token or api.token}/{method}"
    async with http.post(url, data=form) as response:
        body = await response.text()
        is_json = response.content_type == "application/json"
        return response.status, json.loads(body) if is_json else body


def take_violations(api: FakeBotAPI) -> list[str]:
    found = list(api.violations)
    api.violations.clear()
    return found


# --------------------------------------------------------------------------- protocol


async def test_unknown_method_is_404_and_a_violation(fake_api, http) -> None:
    status, body = await post(http, fake_api, "sendMesage", chat_id=1, text="hi")
    assert status == 404
    assert body == {"ok": False, "error_code": 404, "description": "Not Found"}
    assert take_violations(fake_api) == ["sendMesage: unknown method"]


async def test_wrong_token_is_401(fake_api, http) -> None:
    status, body = await post(http, fake_api, "getMe", token="999:wrong")
    assert (status, body) == (401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
    assert fake_api.calls[-1].status == 401


async def test_missing_required_field(fake_api, http) -> None:
    status, body = await post(http, fake_api, "sendMessage", text="hi")
    assert status == 400
    assert body["description"].startswith("Bad Request: ")
    assert "chat_id: required field missing" in body["description"]
    assert take_violations(fake_api) == [
        "sendMessage: chat_id: required field missing in sendMessage"
    ]


async def test_unknown_field(fake_api, http) -> None:
    status, _ = await post(http, fake_api, "sendMessage", chat_id=1, text="hi", reply_to=5)
    assert status == 400
    assert take_violations(fake_api) == ["sendMessage: reply_to: unknown field for sendMessage"]


async def test_type_mismatch_after_decoding_form_strings(fake_api, http) -> None:
    status, _ = await post(
        http, fake_api, "sendMessage", chat_id="1", text="hi", disable_notification="yes"
    )
    assert status == 400
    assert "disable_notification: expected Boolean" in take_violations(fake_api)[0]


async def test_callback_data_is_limited_to_64_utf8_bytes(fake_api, http) -> None:
    data_65 = "ж" * 32 + "x"  # 33 characters, 65 bytes
    markup = {"inline_keyboard": [[{"text": "go", "callback_data": data_65}]]}
    status, _ = await post(http, fake_api, "sendMessage", chat_id=1, text="hi", reply_markup=markup)
    assert status == 400
    assert take_violations(fake_api) == [
        "sendMessage: reply_markup.inline_keyboard[0][0].callback_data: "
        "must be 1-64 bytes in UTF-8, got 65"
    ]
    markup["inline_keyboard"][0][0]["callback_data"] = data_65[:-1]
    status, _ = await post(http, fake_api, "sendMessage", chat_id=1, text="hi", reply_markup=markup)
    assert status == 200


async def test_nested_objects_are_checked(fake_api, http) -> None:
    markup = {"inline_keyboard": [[{"text": "go", "callback_data": "x", "colour": "red"}]]}
    await post(http, fake_api, "sendMessage", chat_id=1, text="hi", reply_markup=markup)
    await post(http, fake_api, "setMyCommands", commands=[{"command": "Start"}])
    await post(http, fake_api, "setMyCommands", commands=[], scope={"type": "chat"})
    await post(http, fake_api, "sendMessage", chat_id=1, text="x", reply_parameters={"id": 1})
    assert take_violations(fake_api) == [
        "sendMessage: reply_markup.inline_keyboard[0][0].colour: "
        "unknown field for InlineKeyboardButton",
        "setMyCommands: commands[0].description: required field missing in BotCommand",
        "setMyCommands: commands[0].command: must be 1-32 chars of a-z, 0-9 and _, got 'Start'",
        "setMyCommands: scope.chat_id: required field missing in BotCommandScopeChat",
        "sendMessage: reply_parameters.id: unknown field for ReplyParameters",
        "sendMessage: reply_parameters.message_id: required field missing in ReplyParameters",
    ]


def test_check_call_and_check_object_directly() -> None:
    assert check_call("getUpdates", {"offset": "5", "timeout": "10"}) == []
    assert check_call("sendMessage", {"chat_id": 1, "text": "x", "parse_mode": "HTML"}) == []
    assert check_call("sendMessage", {"chat_id": 1, "text": "x", "parse_mode": "htm"}) == [
        "parse_mode: unsupported parse mode 'htm'"
    ]
    assert check_object("Update", {"update_id": 1, **updates.private_text("/start")}) == []
    bad = {"update_id": 1, "message": {"message_id": 1, "date": 0, "chat": {"id": "1"}}}
    assert check_object("Update", bad) == [
        "Update.message.chat.type: required field missing in Chat",
        'Update.message.chat.id: expected Integer, got String "1"',
    ]


# --------------------------------------------------------------------------- HTML


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("<b>x", 'can\'t find end tag for start tag "b"'),
        ("a < b", "unescaped '<'"),
        ("<div>x</div>", 'unsupported start tag "div"'),
        ("&nbsp;", "unsupported named entity &nbsp;"),
        ("a & b", "unescaped '&'"),
        ('<span class="x">s</span>', 'must have class "tg-spoiler"'),
        ("<a>link</a>", "non-empty href"),
        ("<b>a</i></b>", 'unmatched end tag "i"'),
        ("<pre><b>x</b></pre>", 'inside "pre"'),
        ("<b> </b>", "message text is empty"),
    ],
)
async def test_broken_html_is_rejected(fake_api, http, text: str, problem: str) -> None:
    status, body = await post(
        http, fake_api, "sendMessage", chat_id=1, text=text, parse_mode="HTML"
    )
    assert status == 400
    assert problem in body["description"]
    [violation] = take_violations(fake_api)
    assert violation.startswith("sendMessage: text: ") and problem in violation


async def test_valid_html_passes_and_the_message_shows_plain_text(fake_api, http) -> None:
    text = '<b>a</b> &lt; <blockquote>q</blockquote> <a href="https://x.ru/?a=1&amp;b=2">л</a>'
    status, body = await post(
        http, fake_api, "sendMessage", chat_id=1, text=text, parse_mode="HTML"
    )
    assert (status, body["result"]["text"]) == (200, "a < q л")


def test_html_checker_accepts_every_documented_tag() -> None:
    text = (
        "<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>i</ins><s>s</s>"
        '<strike>s</strike><del>d</del><span class="tg-spoiler">sp</span><tg-spoiler>t</tg-spoiler>'
        '<a href="tg://user?id=1">m</a><tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>'
        '<tg-time unix="1647531900" format="wDT">22:45</tg-time><code>c</code>'
        '<pre><code class="language-python">p</code></pre><blockquote expandable>q</blockquote>'
        "&#33;&#x21;&quot;&gt;"
    )
    assert check_html(text) == []
    assert html_to_text("<i>x</i>&quot;&#x21;") == 'x"!'


@pytest.mark.parametrize("parse_mode", [None, "HTML"])
async def test_text_over_4096_characters_is_rejected(fake_api, http, parse_mode) -> None:
    extra = {"parse_mode": parse_mode} if parse_mode else {}
    status, body = await post(http, fake_api, "sendMessage", chat_id=1, text="я" * 4097, **extra)
    assert status == 400
    assert "message is too long" in body["description"]
    assert len(take_violations(fake_api)) == 1
    # UTF-16 units count: 2048 emoji are 4096 units and fit, one more does not.
    status, _ = await post(http, fake_api, "sendMessage", chat_id=1, text="😀" * 2048, **extra)
    assert status == 200


# --------------------------------------------------------------------------- long polling


async def test_long_polling_returns_a_pushed_update_and_respects_offset(fake_api, http) -> None:
    started = time.monotonic()
    poll = asyncio.create_task(post(http, fake_api, "getUpdates", timeout=5))
    await asyncio.sleep(0.05)
    assert not poll.done(), "getUpdates must wait for an update"
    update_id = fake_api.push(updates.private_text("привет"))
    status, body = await poll
    assert status == 200 and time.monotonic() - started < 1
    [update] = body["result"]
    assert update["update_id"] == update_id
    assert update["message"]["text"] == "привет"

    # Not confirmed yet: delivered again. Confirmed by offset: gone.
    _, again = await post(http, fake_api, "getUpdates")
    assert [u["update_id"] for u in again["result"]] == [update_id]
    status, body = await post(http, fake_api, "getUpdates", offset=update_id + 1, timeout=0)
    assert (status, body["result"]) == (200, [])
    assert fake_api.pending_updates == []


async def test_get_updates_honours_limit_and_allowed_updates(fake_api, http) -> None:
    first = fake_api.push(updates.private_text("1"))
    fake_api.push(updates.private_text("2"))
    fake_api.push(updates.inline("q"))
    _, body = await post(http, fake_api, "getUpdates", limit=1)
    assert [u["update_id"] for u in body["result"]] == [first]
    _, body = await post(http, fake_api, "getUpdates", allowed_updates=["message"])
    assert [u["message"]["text"] for u in body["result"]] == ["1", "2"]
    assert ["inline_query" in u for u in fake_api.dropped_updates] == [True]


async def test_long_poll_times_out_empty_and_stop_releases_pollers(http) -> None:
    async with FakeBotAPI() as api:
        started = time.monotonic()
        status, body = await post(http, api, "getUpdates", timeout=1)
        assert (status, body["result"]) == (200, [])
        assert 0.9 < time.monotonic() - started < 2
        poll = asyncio.create_task(post(http, api, "getUpdates", timeout=30))
        await asyncio.sleep(0.05)
        started = time.monotonic()
    status, body = await poll
    assert (status, body["result"]) == (200, [])
    assert time.monotonic() - started < 1


async def test_a_second_poller_terminates_the_first_with_409(fake_api, http) -> None:
    first = asyncio.create_task(post(http, fake_api, "getUpdates", timeout=5))
    await asyncio.sleep(0.05)
    second = asyncio.create_task(post(http, fake_api, "getUpdates", timeout=5))
    status, body = await first
    assert status == 409 and "terminated by other getUpdates request" in body["description"]
    fake_api.push(updates.private_text("x"))
    assert (await second)[0] == 200


def test_push_rejects_an_invalid_update() -> None:
    api = FakeBotAPI()
    with pytest.raises(ValueError, match="required field missing in Chat"):
        api.push({"message": {"message_id": 1, "date": 0, "chat": {"id": 5}, "text": "x"}})
    with pytest.raises(ValueError, match="unknown field for Message"):
        api.push({"message": {**updates.private_text("x")["message"], "txt": "x"}})


# --------------------------------------------------------------------------- faults


async def test_fault_429_carries_retry_after(fake_api, http, bot) -> None:
    fake_api.fail("sendMessage", status=429, retry_after=3)
    status, body = await post(http, fake_api, "sendMessage", chat_id=1, text="hi")
    assert status == 429
    assert body == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 3",
        "parameters": {"retry_after": 3},
    }
    fake_api.fail("sendMessage", status=429, retry_after=7)
    with pytest.raises(TelegramRetryAfter) as caught:
        await bot.send_message(1, "hi")
    assert caught.value.retry_after == 7
    await bot.send_message(1, "hi")  # the fault was used up
    assert [c.status for c in fake_api.calls] == [429, 429, 200]


async def test_fault_502_is_an_html_page_from_the_proxy(fake_api, http, bot) -> None:
    fake_api.fail("getMe", status=502, times=2)
    status, body = await post(http, fake_api, "getMe")
    assert status == 502 and "<h1>502 Bad Gateway</h1>" in body
    with pytest.raises(ClientDecodeError):
        await bot.get_me()
    assert (await bot.get_me()).username == "technopolis_test_bot"


async def test_fault_drop_connection(fake_api, bot) -> None:
    fake_api.fail("sendChatAction", status=0)
    with pytest.raises(TelegramNetworkError):
        await bot.send_chat_action(1, "typing")
    assert await bot.send_chat_action(1, "typing") is True
    assert [c.status for c in fake_api.calls] == [0, 200]


async def test_random_faults_are_reproducible(http) -> None:
    statuses: list[list[int]] = []
    for _ in range(2):
        async with FakeBotAPI() as api:
            api.fail_rate("getMe", rate=0.5, status=503, seed=42)
            statuses.append([(await post(http, api, "getMe"))[0] for _ in range(12)])
            api.clear_faults()
            assert (await post(http, api, "getMe"))[0] == 200
    assert statuses[0] == statuses[1]
    assert {200, 503} == set(statuses[0])


async def test_fault_rates_for_different_statuses_add_up(fake_api, http) -> None:
    fake_api.fail_rate("getMe", rate=0.3, status=429, seed=1)
    fake_api.fail_rate("getMe", rate=0.3, status=502, seed=2)
    fake_api.fail_rate("getMe", rate=0.3, status=503, seed=3)
    fake_api.fail_rate("getMe", rate=0.0, status=503, seed=3)  # same status: replaced
    statuses = {(await post(http, fake_api, "getMe"))[0] for _ in range(40)}
    assert statuses == {200, 429, 502}


async def test_keyed_fault_rates_do_not_depend_on_call_order(http) -> None:
    """A request fails on the same attempts whichever order concurrent requests come in."""

    async def attempts(order: list[int]) -> dict[int, list[int]]:
        seen: dict[int, list[int]] = {n: [] for n in order}
        async with FakeBotAPI() as api:
            api.fail_rate("sendMessage", 0.5, status=502, seed=7, key=lambda p: p["chat_id"])
            for n in order * 4:
                status, _ = await post(http, api, "sendMessage", chat_id=n, text="hi")
                seen[n].append(status)
        return seen

    forward = await attempts(list(range(1, 9)))
    backward = await attempts(list(range(8, 0, -1)))
    assert forward == backward
    assert {s for statuses in forward.values() for s in statuses} == {200, 502}


async def test_wait_for_times_out_with_a_useful_dump(fake_api, http) -> None:
    await post(http, fake_api, "getMe")
    with pytest.raises(AssertionError, match=r"(?s)expected 1 delivered sendMessage.*200 getMe"):
        await fake_api.wait_for("sendMessage", timeout=0.05)


# --------------------------------------------------------------------------- real aiogram


async def test_aiogram_bot_against_the_fake(fake_api, bot) -> None:
    me = await bot.get_me()
    assert (me.username, me.is_bot, me.supports_inline_queries) == (
        "technopolis_test_bot",
        True,
        True,
    )
    update = updates.private_text("/start")
    fake_api.push(update)
    user_message = update["message"]
    markup = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Источник", callback_data="src:1")]]
    )
    sent = await bot.send_message(
        user_message["chat"]["id"],
        "<b>Экспорт</b> &lt;Технополис&gt;",
        reply_markup=markup,
        reply_parameters=ReplyParameters(message_id=user_message["message_id"]),
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )
    assert sent.chat.type == "private"
    assert sent.text == "Экспорт <Технополис>"
    assert sent.message_id > user_message["message_id"]
    assert sent.reply_to_message is not None
    assert sent.reply_to_message.text == "/start"
    assert sent.reply_markup is not None
    assert sent.reply_markup.model_dump() == markup.model_dump()
    [call] = await fake_api.wait_for("sendMessage")
    assert call.params["reply_markup"] == {
        "inline_keyboard": [[{"text": "Источник", "callback_data": "src:1"}]]
    }
    assert call.params["parse_mode"] == "HTML"


async def test_group_forum_reply_edit_and_callback(fake_api, bot) -> None:
    fake_api.push(updates.group_text("/ask@technopolis_test_bot что?", thread_id=7))
    sent = await bot.send_message(-100500, "Ответ", message_thread_id=7, reply_markup=KEYBOARD)
    assert (sent.chat.type, sent.chat.is_forum, sent.is_topic_message) == ("supergroup", True, True)
    [call] = fake_api.delivered("sendMessage")
    press = fake_api.push(updates.callback("more:1", updates.message_from_call(call)))
    assert press > 0
    query_id = fake_api.pending_updates[-1]["callback_query"]["id"]
    assert await bot.answer_callback_query(query_id, text="Готово")
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(query_id)
    edited = await bot.edit_message_text("Ответ 2", chat_id=-100500, message_id=sent.message_id)
    assert edited.text == "Ответ 2" and edited.reply_markup is None
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text("Ответ 2", chat_id=-100500, message_id=sent.message_id)
    reply = updates.group_text("ещё", reply_to=updates.message_from_call(call))
    fake_api.push(reply)
    assert reply["message"]["reply_to_message"]["from"]["is_bot"] is True


async def test_commands_and_inline_answers_through_aiogram(fake_api, bot) -> None:
    scope = BotCommandScopeChat(chat_id=-100500)
    commands = [BotCommand(command="ask", description="Задать вопрос")]
    assert await bot.set_my_commands(commands, scope=scope, language_code="ru")
    stored = await bot.get_my_commands(scope=scope, language_code="ru")
    assert [c.model_dump() for c in stored] == [c.model_dump() for c in commands]
    assert await bot.get_my_commands() == []

    fake_api.push(updates.inline("экспорт"))
    query_id = fake_api.pending_updates[-1]["inline_query"]["id"]
    good = InlineQueryResultArticle(
        id="1",
        title="Экспорт",
        input_message_content=InputTextMessageContent(message_text="<i>ok</i>"),
    )
    bad = InlineQueryResultArticle(
        id="2",
        title="Сломано",
        input_message_content=InputTextMessageContent(message_text="<i>oops"),
    )
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.answer_inline_query(query_id, [good, bad])
    assert take_violations(fake_api) == [
        "answerInlineQuery: results[1].input_message_content.message_text: can't parse "
        'entities: can\'t find end tag for start tag "i" at byte offset 0'
    ]
    assert await bot.answer_inline_query(query_id, [good])


def test_builders_compute_utf16_entities() -> None:
    text = "/ask@technopolis_test_bot 😀 спроси @someone_else"
    message = updates.group_text(text)["message"]
    assert message["entities"] == [
        {"type": "bot_command", "offset": 0, "length": 25},
        {"type": "mention", "offset": 36, "length": 13},
    ]
    for update in (
        updates.group_text(text),
        updates.private_text("hi"),
        updates.sticker(),
        updates.photo(caption="фото"),
        updates.inline("q", offset="10"),
    ):
        assert check_object("Update", {"update_id": 1, **update}) == []


async def test_aiogram_dispatcher_long_polls_the_fake(fake_api, bot) -> None:
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def echo(message: Message) -> None:
        await message.answer(f"<i>{message.text}</i>")

    polling = asyncio.create_task(
        dispatcher.start_polling(bot, handle_signals=False, close_bot_session=False)
    )
    try:
        fake_api.push(updates.private_text("эхо"))
        [call] = await fake_api.wait_for("sendMessage")
        assert (call.params["chat_id"], call.result["text"]) == (1001, "эхо")
        assert fake_api.delivered("getUpdates")[0].params["timeout"] == 10
    finally:
        await dispatcher.stop_polling()
        await polling


async def test_json_bodies_and_query_strings_are_accepted(fake_api, http) -> None:
    url = f"{fake_api.url}/bot{fake_api.token}"
    payload = {"chat_id": 5, "text": "hi", "reply_markup": KEYBOARD}
    async with http.post(f"{url}/sendMessage", json=payload) as response:
        body = await response.json()
    assert body["ok"] and body["result"]["reply_markup"] == KEYBOARD
    async with http.get(f"{url}/getMyCommands?language_code=ru") as response:
        assert (await response.json()) == {"ok": True, "result": []}
    assert check_object("User", fake_api.bot_user) == []
    assert check_object("Message", body["result"]) == []


async def test_webhook_settings_are_stored_and_block_polling(fake_api, bot, http) -> None:
    assert await bot.set_webhook("https://example.org/hook", secret_token="s3cret_-")
    assert fake_api.webhook == {"url": "https://example.org/hook", "secret_token": "s3cret_-"}
    assert (await bot.get_webhook_info()).url == "https://example.org/hook"
    status, body = await post(http, fake_api, "getUpdates")
    assert status == 409 and "webhook is active" in body["description"]
    assert await bot.delete_webhook(drop_pending_updates=True)
    assert (await bot.get_webhook_info()).url == ""
