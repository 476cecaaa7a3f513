"""The aiogram internals bot/telegram/transport.py, bot/telegram/webhook.py and
bot/storage/memory.py rely on.

Each test fails when an aiogram release changes one of them (a private keyword, what
`make_request` posts, how a response is parsed, a private attribute), so an upgrade past the
pinned minor release (pyproject.toml) shows here first, not as a slower or wrong bot.
"""

from __future__ import annotations

import inspect
from collections import defaultdict
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.session.middlewares.base import BaseRequestMiddleware
from aiogram.exceptions import ClientDecodeError, TelegramNetworkError
from aiogram.fsm.storage.base import StorageKey
from aiogram.fsm.storage.memory import MemoryStorage, MemoryStorageRecord
from aiogram.methods import GetMe, GetUpdates, SendMessage
from aiogram.methods.base import Response
from aiogram.types import BufferedInputFile, Message, Update
from aiohttp.payload import JsonPayload

from bot.telegram.transport import BotSession

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
SENT = '{"ok":true,"result":{"message_id":7,"date":1,"chat":{"id":1,"type":"private"},"text":"hi"}}'


def test_prepare_value_has_the_private_dumps_json_keyword() -> None:
    parameter = inspect.signature(BaseSession.prepare_value).parameters["_dumps_json"]
    assert parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD
    assert parameter.default is True


def test_prepare_value_leaves_objects_unserialized_when_told_and_collects_files() -> None:
    session, bot = AiohttpSession(), Bot(TOKEN)
    value = {"a": [1, "б", None], "b": {"c": False}}
    assert session.prepare_value(value, bot=bot, files={}, _dumps_json=False) == {
        "a": [1, "б"],
        "b": {"c": False},
    }
    assert isinstance(session.prepare_value(value, bot=bot, files={}), str)  # aiogram's default
    files: dict[str, Any] = {}
    upload = BufferedInputFile(b"x", filename="a.txt")
    attached = session.prepare_value(upload, bot=bot, files=files, _dumps_json=False)
    assert attached.startswith("attach://") and list(files.values()) == [upload]


class _Answer:
    """What `ClientSession.post(...)` gives `make_request`: an async context manager."""

    def __init__(self, error: BaseException | None) -> None:
        self.error, self.status = error, 200

    async def __aenter__(self) -> _Answer:
        if self.error is not None:
            raise self.error
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    async def text(self) -> str:
        return SENT


class _ClientSession:
    """Stands in for aiohttp's ClientSession: records what `make_request` posts."""

    def __init__(self, error: BaseException | None = None) -> None:
        self.error = error
        self.posted: list[dict[str, Any]] = []
        self.closed = False

    def post(self, url: str, **kwargs: Any) -> _Answer:
        self.posted.append(kwargs)
        return _Answer(self.error)


def _session_posting_to(client: _ClientSession) -> BotSession:
    session = BotSession()

    async def create_session() -> Any:
        return client

    session.create_session = create_session  # type: ignore[method-assign]
    return session


async def test_make_request_posts_what_build_form_data_returns() -> None:
    client = _ClientSession()
    session = _session_posting_to(client)
    result = await session.make_request(Bot(TOKEN), SendMessage(chat_id=1, text="hi"))
    assert isinstance(result, Message) and result.message_id == 7
    [posted] = client.posted
    assert isinstance(posted["data"], JsonPayload)  # our body went out as it was built


async def test_a_timeout_is_a_network_error_caused_by_asyncio_timeout() -> None:
    """Retries tells a timeout (Telegram may have acted) by the error's __cause__."""
    session = _session_posting_to(_ClientSession(TimeoutError()))
    with pytest.raises(TelegramNetworkError) as caught:
        await session.make_request(Bot(TOKEN), SendMessage(chat_id=1, text="hi"))
    assert isinstance(caught.value.__cause__, TimeoutError)


def test_check_response_builds_response_of_the_methods_returning_type() -> None:
    """BotSession keeps `Response[method.__returning__]` alive: the very class aiogram uses."""
    assert SendMessage.__returning__ is Message
    assert GetUpdates.__returning__ == list[Update]
    assert SendMessage.__api_method__ == "sendMessage"
    response = AiohttpSession().check_response(
        Bot(TOKEN), SendMessage(chat_id=1, text="hi"), 200, SENT
    )
    assert type(response) is Response[Message]
    assert "Response[method.__returning__]" in inspect.getsource(BaseSession.check_response)


def test_an_undecodable_5xx_body_is_a_client_decode_error_in_aiogram() -> None:
    """What BotSession turns into a server error, so that it is retried."""
    with pytest.raises(ClientDecodeError):
        AiohttpSession().check_response(Bot(TOKEN), GetMe(), 502, "<html>502</html>")


async def test_the_aiohttp_session_is_the_private_session_attribute() -> None:
    session = AiohttpSession()
    assert session._session is None
    client = await session.create_session()
    assert session._session is client
    assert session.api.base.startswith("https://")
    await client.close()


def test_a_request_middleware_is_called_with_make_request_bot_and_method() -> None:
    parameters = list(inspect.signature(BaseRequestMiddleware.__call__).parameters)
    assert parameters == ["self", "make_request", "bot", "method"]


async def test_memory_storage_keeps_records_in_a_defaultdict() -> None:
    """LeanMemoryStorage reads `storage` without creating the record aiogram's reads create."""
    storage = MemoryStorage()
    assert isinstance(storage.storage, defaultdict)
    key = StorageKey(bot_id=1, chat_id=2, user_id=3)
    await storage.get_data(key)
    assert isinstance(storage.storage.get(key), MemoryStorageRecord)  # aiogram's read made one
    await storage.set_state(key, "s")
    await storage.set_data(key, {"lang": "en"})
    assert (storage.storage[key].state, storage.storage[key].data) == ("s", {"lang": "en"})


def test_the_webhook_handler_calls_the_private_handle_request_hook_after_the_secret() -> None:
    """bot/telegram/webhook.py's UpdateHandler overrides `_handle_request`, which aiogram's
    `handle` calls once the secret matched, unless handle_in_background is set."""
    from aiogram.webhook.aiohttp_server import BaseRequestHandler, SimpleRequestHandler

    hook = inspect.signature(BaseRequestHandler._handle_request)
    assert list(hook.parameters) == ["self", "bot", "request"]
    handle = inspect.getsource(BaseRequestHandler.handle)
    assert "verify_secret" in handle and "self._handle_request(" in handle
    assert handle.index("verify_secret") < handle.index("self._handle_request(")
    assert issubclass(SimpleRequestHandler, BaseRequestHandler)
