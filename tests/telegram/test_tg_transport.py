"""What keeps each update cheap: JSON request bodies, parametrized Response models kept alive,
filters that run on the event loop instead of a worker thread, a garbage collector that does
not run every few updates (bench/e2e.py measures it)."""

from __future__ import annotations

import gc
import json
import weakref

from aiogram import Bot, F
from aiogram.dispatcher.event.handler import FilterObject
from aiogram.methods import SendDocument, SendMessage
from aiogram.methods.base import Response
from aiogram.types import (
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from aiohttp import FormData
from aiohttp.payload import JsonPayload
from fakes.updates import private_text

from bot.config import Settings
from bot.telegram.factory import build_bot, build_dispatcher
from bot.telegram.filters import AwaitedF
from bot.telegram.runners import GC_YOUNG_THRESHOLD, tune_gc

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


def settings() -> Settings:
    return Settings(_env_file=None, bot_token=TOKEN)  # type: ignore[call-arg]


def html_bot() -> Bot:
    """The bot as shipped: HTML by default, previews off, the BotSession."""
    return build_bot(settings())


def test_a_message_goes_as_one_json_body_with_defaults_filled_in() -> None:
    bot = html_bot()
    keyboard = InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="Экспорт?", callback_data="ask:x:ru")]]
    )
    method = SendMessage(chat_id=42, text="Ответ <b>1,2</b> & «цитата»", reply_markup=keyboard)
    body = bot.session.build_form_data(bot, method)
    assert isinstance(body, JsonPayload)
    assert body.content_type == "application/json"
    sent = json.loads(body._value)
    assert sent == {
        "chat_id": 42,
        "text": "Ответ <b>1,2</b> & «цитата»",
        "parse_mode": "HTML",
        "link_preview_options": {"is_disabled": True},
        "reply_markup": {"inline_keyboard": [[{"text": "Экспорт?", "callback_data": "ask:x:ru"}]]},
    }
    assert "Ответ".encode() in body._value  # UTF-8 as is, not \u escapes


def test_false_is_sent_and_none_is_left_out() -> None:
    bot = html_bot()
    method = SendMessage(chat_id=1, text="t", disable_notification=False, message_thread_id=None)
    sent = json.loads(bot.session.build_form_data(bot, method)._value)
    assert sent["disable_notification"] is False
    assert "message_thread_id" not in sent


def test_an_upload_still_goes_as_multipart_form() -> None:
    bot = html_bot()
    method = SendDocument(chat_id=1, document=BufferedInputFile(b"data", filename="a.txt"))
    assert isinstance(bot.session.build_form_data(bot, method), FormData)


def test_response_models_survive_the_garbage_collector() -> None:
    """pydantic caches Response[Message] weakly: unpinned, it is rebuilt after every gc."""
    bot = html_bot()
    method = SendMessage(chat_id=1, text="hi")
    content = json.dumps(
        {
            "ok": True,
            "result": {
                "message_id": 7,
                "date": 1,
                "chat": {"id": 1, "type": "private", "first_name": "A"},
                "text": "hi",
            },
        }
    )
    result = bot.session.check_response(bot, method, 200, content).result
    assert isinstance(result, Message) and result.message_id == 7
    kept = weakref.ref(Response[Message])
    gc.collect()
    assert kept() is not None
    assert Response[Message] is kept()


async def test_magic_checks_f_expressions_in_place() -> None:
    private = Message.model_validate(private_text("вопрос", user_id=1)["message"])
    assert await AwaitedF(F.text, F.chat.type == "private")(private) is True
    assert await AwaitedF(F.text, F.chat.type == "group")(private) is False
    assert await AwaitedF(~F.text)(private) is False
    assert FilterObject(AwaitedF(F.text)).awaitable  # aiogram awaits it instead of to_thread


def test_no_filter_of_the_bot_runs_in_a_worker_thread(engine) -> None:
    """aiogram hands every non-async filter to asyncio.to_thread: a bare F filter added to a
    router would cost a thread hop per update. Router-level and handler filters alike."""
    dp = build_dispatcher(settings(), engine)
    checked = 0
    for router in dp.chain_tail:
        for observer in router.observers.values():
            filters: list[FilterObject] = list(observer._handler.filters or [])
            for handler in observer.handlers:
                filters.extend(handler.filters or [])
            for f in filters:
                checked += 1
                assert f.awaitable, f"{router.name}: {f.callback!r} would run in a thread"
    assert checked >= 10


def test_start_up_objects_are_frozen_and_the_young_generation_is_larger() -> None:
    before = gc.get_threshold()
    try:
        tune_gc()
        assert gc.get_freeze_count() > 10_000  # aiogram's models, the engine, this process
        assert gc.get_threshold() == (GC_YOUNG_THRESHOLD, *before[1:])
        kept = weakref.ref(_Node())  # a cycle: still collected, only in larger batches
        gc.collect()
        assert kept() is None
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


class _Node:
    def __init__(self) -> None:
        self.me = self
