"""A fake Telegram Bot API server for end-to-end tests of the real bot over real HTTP.

The bot is pointed at it with ``TelegramAPIServer.from_base(fake.url)``. Every request is
checked against the vendored Bot API description (spec.py) and Telegram's HTML rules
(telegram_html.py): a bad request gets the 400 Telegram would send *and* lands in
``violations``, which the ``fake_api`` fixture asserts to be empty. Updates are fed with
``push()`` and fetched by the bot through genuine long polling; faults (429, 5xx from a proxy,
dropped connections) can be injected per method.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import random
import socket
import time
from collections import Counter, deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, Self

from aiohttp import web

from .spec import Upload, canonical_method, check_call, check_object, decode_params, methods
from .telegram_html import check_html, check_text_length, html_to_text

JsonDict = dict[str, Any]
Handler = Callable[[JsonDict], Any]

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
# Update kinds Telegram leaves out unless allowed_updates names them explicitly.
_OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_ERROR_TEXT = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running",
}
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a content and reply markup of the current message"
)
_QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"


@dataclass
class Call:
    """One request the bot made: decoded params, the HTTP status sent back, and the result."""

    method: str
    params: JsonDict
    status: int
    result: Any = None
    description: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == HTTPStatus.OK


@dataclass(frozen=True)
class _Fault:
    status: int
    retry_after: int
    description: str | None


@dataclass
class _RateRule:
    """One ``fail_rate`` rule: ``fault`` with probability ``rate`` per valid call."""

    rate: float
    fault: _Fault
    seed: int
    key: Callable[[JsonDict], object] | None = None
    rng: random.Random = field(init=False)
    seen: Counter[str] = field(default_factory=Counter, init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def fires(self, params: JsonDict) -> bool:
        """Unkeyed: the next draw of one seeded stream, so which call fails depends on the
        order calls arrive in. Keyed: a draw of its own for the n-th attempt of a request."""
        if self.key is None:
            return self.rng.random() < self.rate
        request = repr(self.key(params))
        attempt = self.seen[request]
        self.seen[request] += 1
        draw = random.Random(f"{self.seed}:{self.fault.status}:{request}:{attempt}")
        return draw.random() < self.rate


class _ApiError(Exception):
    """A Telegram-style error answer (not a spec violation: the real API can say it too)."""

    def __init__(self, status: int, description: str) -> None:
        super().__init__(description)
        self.status = status
        self.description = description


class FakeBotAPI:
    """In-process Bot API server on 127.0.0.1 that records, validates and answers calls."""

    def __init__(
        self,
        token: str = "123456:TEST-token",
        bot_username: str = "technopolis_test_bot",
        can_read_all_group_messages: bool = True,
        bot_first_name: str = "Technopolis Test Bot",
    ) -> None:
        self.token = token
        bot_id = token.split(":", 1)[0]
        self.bot_user: JsonDict = {
            "id": int(bot_id) if bot_id.isdigit() else 123456,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": can_read_all_group_messages,
            "supports_inline_queries": True,
        }
        self.calls: list[Call] = []
        self.violations: list[str] = []
        self.webhook: JsonDict = {}
        self.commands: dict[tuple[str, str], list[JsonDict]] = {}
        self.menu_buttons: dict[int | None, JsonDict] = {}
        self.allowed_updates: list[str] | None = None
        self.dropped_updates: list[JsonDict] = []  # filtered out by allowed_updates
        self._updates: list[JsonDict] = []
        self._next_update_id = 1
        self._chats: dict[int, JsonDict] = {}
        self._messages: dict[tuple[int, int], JsonDict] = {}
        self._content: dict[tuple[int, int], tuple[Any, ...]] = {}
        self._last_message_id: dict[int, int] = {}
        self._open_queries: set[str] = set()
        self._faults: dict[str, deque[_Fault]] = {}
        self._fault_rates: dict[str, list[_RateRule]] = {}
        self._results: dict[str, Any] = {}
        self._updates_changed = asyncio.Event()
        self._calls_changed = asyncio.Event()
        self._poll_generation = 0
        self._stopping = False
        self._runner: web.AppRunner | None = None
        self._port: int | None = None

    # ------------------------------------------------------------------ lifecycle

    @property
    def url(self) -> str:
        """Base URL for ``TelegramAPIServer.from_base``."""
        if self._port is None:
            raise RuntimeError("FakeBotAPI is not started")
        return f"http://127.0.0.1:{self._port}"

    async def start(self) -> None:
        """Listen on a free loopback port (pytest-socket allows only loopback)."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        # handler_cancellation: a poller that hangs up stops waiting instead of lingering.
        runner = web.AppRunner(
            app, access_log=None, handler_cancellation=True, shutdown_timeout=2.0
        )
        await runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        self._port = sock.getsockname()[1]
        await web.SockSite(runner, sock).start()
        self._runner = runner
        self._stopping = False

    async def stop(self) -> None:
        """Release waiting getUpdates calls (they answer at once), then shut the server."""
        self._stopping = True
        self._notify_updates()
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # ------------------------------------------------------------------ test-facing API

    def push(self, update: Mapping[str, Any]) -> int:
        """Queue an Update for getUpdates; assign update_id if missing. Raises if invalid."""
        update = copy.deepcopy(dict(update))
        update.setdefault("update_id", self._next_update_id)
        errors = check_object("Update", update)
        if errors:
            raise ValueError("invalid Update built by the test:\n  " + "\n  ".join(errors))
        update_id: int = update["update_id"]
        self._next_update_id = max(self._next_update_id, update_id + 1)
        self._remember(update)
        for kind in ("callback_query", "inline_query"):
            if kind in update:
                self._open_queries.add(update[kind]["id"])
        self._updates.append(update)
        self._notify_updates()
        return update_id

    def delivered(self, method: str | None = None) -> list[Call]:
        """Calls answered with 200, optionally of one method."""
        name = self._method_name(method) if method else None
        return [c for c in self.calls if c.ok and (name is None or c.method == name)]

    async def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,
        predicate: Callable[[Call], bool] | None = None,
    ) -> list[Call]:
        """Wait until ``count`` successful ``method`` calls (matching ``predicate``) exist.

        Returns all matching calls so far (at least ``count``), oldest first.
        """
        name = self._method_name(method)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            event = self._calls_changed
            found = [c for c in self.delivered(name) if predicate is None or predicate(c)]
            remaining = deadline - loop.time()
            if len(found) >= count:
                return found
            if remaining <= 0:
                raise AssertionError(self._dump(name, count, len(found), timeout))
            await _wait(event, remaining)

    def fail(
        self,
        method: str,
        status: int = 429,
        times: int = 1,
        retry_after: int = 1,
        description: str | None = None,
    ) -> None:
        """Make the next ``times`` valid calls of ``method`` ("*" = any) fail.

        429 -> Telegram flood-wait JSON; 5xx -> HTML page as from a reverse proxy;
        0 -> connection dropped without a response; other 4xx -> Telegram error JSON.
        """
        key = self._fault_key(method)
        fault = _Fault(status, retry_after, description)
        self._faults.setdefault(key, deque()).extend([fault] * times)

    def fail_rate(
        self,
        method: str,
        rate: float,
        status: int = 502,
        seed: int = 0,
        retry_after: int = 1,
        key: Callable[[JsonDict], object] | None = None,
    ) -> None:
        """Fail each valid call of ``method`` ("*" = any) with probability ``rate`` (seeded).

        Rules with different statuses add up (5% 429 and 5% 502 on one method: tried in the
        order they were set); a rule for a status already set replaces it. With ``key``
        (request params -> identity, e.g. chat and text), whether the n-th attempt of a
        request fails depends on the request alone, not on the order concurrent calls
        arrive in, so the same requests fail the same number of times in every run.
        """
        rule = _RateRule(rate, _Fault(status, retry_after, None), seed, key)
        rules = self._fault_rates.setdefault(self._fault_key(method), [])
        rules[:] = [r for r in rules if r.fault.status != status] + [rule]

    def clear_faults(self) -> None:
        self._faults.clear()
        self._fault_rates.clear()

    def set_result(self, method: str, result: Any | Handler) -> None:
        """Answer ``method`` with ``result`` (or ``result(params)`` if callable) from now on."""
        self._results[self._method_name(method)] = result

    def sent_messages(self, chat_id: int | None = None) -> list[JsonDict]:
        """Message objects returned by successful sendMessage calls, oldest first."""
        return [
            c.result
            for c in self.delivered("sendMessage")
            if chat_id is None or c.result["chat"]["id"] == chat_id
        ]

    @property
    def pending_updates(self) -> list[JsonDict]:
        """Updates not yet confirmed by a getUpdates offset."""
        return list(self._updates)

    # ------------------------------------------------------------------ HTTP

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        raw_method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return self._answer(Call(raw_method, {}, 401, description="Unauthorized"))
        try:
            raw = await _read_params(request)
        except (ValueError, UnicodeDecodeError) as exc:
            return self._reject(raw_method, {}, [f"can't parse request body: {exc}"])
        method = canonical_method(raw_method)
        if method is None:
            self.violations.append(f"{raw_method}: unknown method")
            return self._answer(Call(raw_method, raw, 404, description="Not Found"))
        params, _ = decode_params(method, raw)
        problems = check_call(method, raw) + _text_problems(method, params)
        if problems:
            return self._reject(method, params, problems)
        fault = self._take_fault(method, params)
        if fault is not None:
            return await self._fault_response(request, Call(method, params, fault.status), fault)
        try:
            result = await self._dispatch(method, params)
        except _ApiError as err:
            return self._answer(Call(method, params, err.status, description=err.description))
        return self._answer(Call(method, params, 200, result=result))

    def _reject(self, method: str, params: JsonDict, problems: list[str]) -> web.Response:
        self.violations.extend(f"{method}: {p}" for p in problems)
        description = "Bad Request: " + "; ".join(problems)
        return self._answer(Call(method, params, 400, description=description))

    def _record(self, call: Call) -> None:
        self.calls.append(call)
        self._calls_changed.set()
        self._calls_changed = asyncio.Event()

    def _answer(self, call: Call, parameters: JsonDict | None = None) -> web.Response:
        self._record(call)
        if call.ok:
            return web.json_response({"ok": True, "result": call.result})
        body: JsonDict = {"ok": False, "error_code": call.status, "description": call.description}
        if parameters:
            body["parameters"] = parameters
        return web.json_response(body, status=call.status)

    async def _fault_response(
        self, request: web.Request, call: Call, fault: _Fault
    ) -> web.StreamResponse:
        if fault.status == 0:
            self._record(call)
            if request.transport is not None:
                request.transport.abort()
            await asyncio.sleep(1)  # handler_cancellation ends this as the connection is lost
            return web.Response(status=500)
        if fault.status == HTTPStatus.TOO_MANY_REQUESTS:
            call.description = f"Too Many Requests: retry after {fault.retry_after}"
            return self._answer(call, {"retry_after": fault.retry_after})
        if fault.status >= 500:
            self._record(call)
            phrase = f"{fault.status} {HTTPStatus(fault.status).phrase}"
            page = (
                f"<html>\r\n<head><title>{phrase}</title></head>\r\n<body>\r\n"
                f"<center><h1>{phrase}</h1></center>\r\n<hr><center>nginx</center>\r\n"
                "</body>\r\n</html>\r\n"
            )
            return web.Response(status=fault.status, text=page, content_type="text/html")
        call.description = fault.description or _ERROR_TEXT.get(fault.status, "Bad Request")
        return self._answer(call)

    # ------------------------------------------------------------------ faults

    def _method_name(self, method: str) -> str:
        name = canonical_method(method)
        if name is None:
            raise ValueError(f"{method!r} is not a Bot API method")
        return name

    def _fault_key(self, method: str) -> str:
        return "*" if method == "*" else self._method_name(method)

    def _take_fault(self, method: str, params: JsonDict) -> _Fault | None:
        for key in (method, "*"):
            queue = self._faults.get(key)
            if queue:
                return queue.popleft()
        for key in (method, "*"):
            for rule in self._fault_rates.get(key, ()):
                if rule.fires(params):
                    return rule.fault
        return None

    # ------------------------------------------------------------------ methods

    async def _dispatch(self, method: str, params: JsonDict) -> Any:
        if method in self._results:
            result = self._results[method]
            return result(params) if callable(result) else copy.deepcopy(result)
        if method == "getUpdates":
            return await self._get_updates(params)
        handler = getattr(self, f"_m_{method}", None)
        if handler is not None:
            return handler(params)
        if methods()[method]["returns"] == ["Message"]:
            return self._new_message(params)
        return True

    def _m_getMe(self, params: JsonDict) -> JsonDict:
        return dict(self.bot_user)

    def _m_sendMessage(self, params: JsonDict) -> JsonDict:
        return self._new_message(params)

    def _m_editMessageText(self, params: JsonDict) -> JsonDict | bool:
        return self._edit(params, ("text", "parse_mode", "reply_markup"))

    def _m_editMessageReplyMarkup(self, params: JsonDict) -> JsonDict | bool:
        return self._edit(params, ("reply_markup",))

    def _m_deleteMessage(self, params: JsonDict) -> bool:
        key = (self._chat_for(params["chat_id"])["id"], params["message_id"])
        if self._messages.pop(key, None) is None:
            raise _ApiError(400, "Bad Request: message to delete not found")
        return True

    def _m_answerCallbackQuery(self, params: JsonDict) -> bool:
        return self._close_query(params["callback_query_id"])

    def _m_answerInlineQuery(self, params: JsonDict) -> bool:
        return self._close_query(params["inline_query_id"])

    def _m_setMyCommands(self, params: JsonDict) -> bool:
        self.commands[_commands_key(params)] = params["commands"]
        return True

    def _m_getMyCommands(self, params: JsonDict) -> list[JsonDict]:
        return self.commands.get(_commands_key(params), [])

    def _m_deleteMyCommands(self, params: JsonDict) -> bool:
        self.commands.pop(_commands_key(params), None)
        return True

    def _m_setChatMenuButton(self, params: JsonDict) -> bool:
        self.menu_buttons[params.get("chat_id")] = params.get("menu_button", {"type": "default"})
        return True

    def _m_getChatMenuButton(self, params: JsonDict) -> JsonDict:
        return self.menu_buttons.get(params.get("chat_id"), {"type": "default"})

    def _m_setWebhook(self, params: JsonDict) -> bool:
        if params.get("drop_pending_updates"):
            self._updates.clear()
        keep = ("url", "secret_token", "allowed_updates", "max_connections", "ip_address")
        self.webhook = {k: params[k] for k in keep if k in params and params[k] != ""}
        return True

    def _m_deleteWebhook(self, params: JsonDict) -> bool:
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self.webhook = {}
        return True

    def _m_getWebhookInfo(self, params: JsonDict) -> JsonDict:
        info: JsonDict = {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        for key in ("allowed_updates", "max_connections", "ip_address"):
            if key in self.webhook:
                info[key] = self.webhook[key]
        return info

    def _close_query(self, query_id: str) -> bool:
        if query_id not in self._open_queries:
            raise _ApiError(400, f"Bad Request: {_QUERY_INVALID}")
        self._open_queries.discard(query_id)
        return True

    async def _get_updates(self, params: JsonDict) -> list[JsonDict]:
        """Long polling as Telegram does it: offset confirms, waits up to ``timeout`` seconds."""
        if self.webhook.get("url"):
            raise _ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        if "allowed_updates" in params:
            self.allowed_updates = params["allowed_updates"] or None
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify_updates()  # an older poller still waiting gets its 409 now
        offset: int | None = params.get("offset")
        limit: int = params.get("limit", 100)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + params.get("timeout", 0)
        while True:
            event = self._updates_changed
            if generation != self._poll_generation:
                raise _ApiError(409, f"Conflict: {_ERROR_TEXT[409].split(': ', 1)[1]}")
            ready = self._select_updates(offset, limit)
            remaining = deadline - loop.time()
            if ready or self._stopping or remaining <= 0:
                return ready
            await _wait(event, remaining)

    def _select_updates(self, offset: int | None, limit: int) -> list[JsonDict]:
        if offset is not None and offset < 0:
            self._updates = self._updates[offset:]
        elif offset is not None:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        allowed = set(self.allowed_updates or ())
        kept: list[JsonDict] = []
        for update in self._updates:
            kind = next(k for k in update if k != "update_id")
            if (kind in allowed) if allowed else (kind not in _OPT_IN_UPDATES):
                kept.append(update)
            else:
                self.dropped_updates.append(update)
        self._updates = kept
        return copy.deepcopy(kept[:limit])

    def _notify_updates(self) -> None:
        self._updates_changed.set()
        self._updates_changed = asyncio.Event()

    # ------------------------------------------------------------------ messages

    def _remember(self, obj: Any) -> None:
        """Learn chats and messages from pushed updates (chat types, ids, reply targets)."""
        if isinstance(obj, dict):
            chat = obj.get("chat")
            if isinstance(chat, dict) and "message_id" in obj and "date" in obj:
                chat_id, message_id = chat["id"], obj["message_id"]
                self._chats[chat_id] = {**self._chats.get(chat_id, {}), **chat}
                self._messages.setdefault((chat_id, message_id), obj)
                last = self._last_message_id.get(chat_id, 0)
                self._last_message_id[chat_id] = max(last, message_id)
            for value in obj.values():
                self._remember(value)
        elif isinstance(obj, list):
            for item in obj:
                self._remember(item)

    def _chat_for(self, chat_id: int | str) -> JsonDict:
        if isinstance(chat_id, str):
            username = chat_id.removeprefix("@")
            for chat in self._chats.values():
                if chat.get("username") == username:
                    return dict(chat)
            raise _ApiError(400, "Bad Request: chat not found")
        if chat_id in self._chats:
            return dict(self._chats[chat_id])
        if chat_id > 0:
            chat_type = "private"
        else:
            chat_type = "supergroup" if chat_id <= -1_000_000_000_000 else "group"
        return {"id": chat_id, "type": chat_type}

    def _bot_as_sender(self) -> JsonDict:
        keys = ("id", "is_bot", "first_name", "username")
        return {k: self.bot_user[k] for k in keys}

    def _new_message(self, params: JsonDict) -> JsonDict:
        """A realistic Message for a send* call; stored so replies and edits can find it."""
        chat = self._chat_for(params["chat_id"])
        chat_id = chat["id"]
        message_id = self._last_message_id.get(chat_id, 0) + 1
        self._last_message_id[chat_id] = message_id
        message: JsonDict = {
            "message_id": message_id,
            "from": self._bot_as_sender(),
            "chat": chat,
            "date": int(time.time()),
        }
        if "message_thread_id" in params:
            message["message_thread_id"] = params["message_thread_id"]
            if chat.get("is_forum"):
                message["is_topic_message"] = True
        reply = params.get("reply_parameters")
        if isinstance(reply, dict):
            message["reply_to_message"] = self._reply_target(reply, chat)
        for key in ("text", "caption"):
            if key in params:
                message[key] = _visible_text(params[key], params.get("parse_mode"))
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        if isinstance(params.get("link_preview_options"), dict):
            message["link_preview_options"] = params["link_preview_options"]
        self._messages[(chat_id, message_id)] = message
        self._content[(chat_id, message_id)] = _content_of(params)
        return copy.deepcopy(message)

    def _reply_target(self, reply: JsonDict, chat: JsonDict) -> JsonDict:
        target_chat = self._chat_for(reply["chat_id"]) if "chat_id" in reply else chat
        found = self._messages.get((target_chat["id"], reply["message_id"]))
        if found is None:  # unknown to the fake (not pushed): a minimal stand-in
            found = {"message_id": reply["message_id"], "date": int(time.time()), "chat": chat}
        return {k: v for k, v in copy.deepcopy(found).items() if k != "reply_to_message"}

    def _edit(self, params: JsonDict, fields: tuple[str, ...]) -> JsonDict | bool:
        if "inline_message_id" in params:
            return True
        if "chat_id" not in params or "message_id" not in params:
            problem = "chat_id and message_id (or inline_message_id) are required"
            raise _ApiError(400, f"Bad Request: {problem}")
        key = (self._chat_for(params["chat_id"])["id"], params["message_id"])
        message = self._messages.get(key)
        if message is None:
            raise _ApiError(400, "Bad Request: message to edit not found")
        if message.get("from", {}).get("id") != self.bot_user["id"]:
            raise _ApiError(400, "Bad Request: message can't be edited")
        old = self._content.get(key)
        new = _content_of({**_params_of(old), **{f: params.get(f) for f in fields}})
        if old == new:
            raise _ApiError(400, f"Bad Request: {_NOT_MODIFIED}")
        message = copy.deepcopy(message)
        if "text" in fields and "text" in params:
            message["text"] = _visible_text(params["text"], params.get("parse_mode"))
        if isinstance(params.get("reply_markup"), dict):
            message["reply_markup"] = params["reply_markup"]
        else:  # an edit without reply_markup removes the inline keyboard
            message.pop("reply_markup", None)
        message["edit_date"] = int(time.time())
        self._messages[key] = message
        self._content[key] = new
        return copy.deepcopy(message)

    def _dump(self, method: str, count: int, found: int, timeout: float) -> str:
        lines = [
            f"expected {count} delivered {method} call(s) within {timeout}s, got {found}.",
            f"last calls ({len(self.calls)} in total):",
        ]
        for call in self.calls[-25:]:
            params = json.dumps(call.params, ensure_ascii=False, default=str)
            note = f" -> {call.description}" if call.description else ""
            lines.append(f"  {call.status} {call.method} {params[:300]}{note}")
        lines.append(f"violations: {self.violations or 'none'}")
        lines.append(f"pending updates: {len(self._updates)}, dropped: {len(self.dropped_updates)}")
        return "\n".join(lines)


# ---------------------------------------------------------------------- helpers


async def _wait(event: asyncio.Event, timeout: float) -> None:
    """Wait for ``event`` at most ``timeout`` seconds; callers re-check their condition."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(event.wait(), timeout)


async def _read_params(request: web.Request) -> JsonDict:
    """Query string plus a JSON, urlencoded or multipart body, as aiogram and curl send them."""
    params: JsonDict = dict(request.query)
    if not request.body_exists:
        return params
    if request.content_type == "application/json":
        body = await request.json()
        if not isinstance(body, dict):
            raise ValueError("JSON body must be an object")
        params.update(body)
        return params
    form = await request.post()
    uploads: dict[str, Upload] = {}
    for key, value in form.items():
        if isinstance(value, web.FileField):
            size = len(value.file.read())
            uploads[key] = Upload(value.filename, value.content_type, size)
        else:
            params[key] = value
    texts = [v for v in params.values() if isinstance(v, str)]
    for key, upload in uploads.items():
        ref = f"attach://{key}"
        params.update({k: upload for k, v in params.items() if v == ref})
        if not any(ref in text for text in texts):
            params[key] = upload  # sent directly as the field's value
    return params


def _visible_text(text: str, parse_mode: Any) -> str:
    is_html = isinstance(parse_mode, str) and parse_mode.lower() == "html"
    return html_to_text(text) if is_html else text


def _content_of(params: Mapping[str, Any]) -> tuple[Any, ...]:
    """What "message is not modified" compares: source text, parse mode and inline keyboard."""
    return tuple(
        json.dumps(params.get(k), sort_keys=True) for k in ("text", "parse_mode", "reply_markup")
    )


def _params_of(content: tuple[Any, ...] | None) -> JsonDict:
    if content is None:
        return {}
    return dict(zip(("text", "parse_mode", "reply_markup"), map(json.loads, content), strict=True))


def _commands_key(params: Mapping[str, Any]) -> tuple[str, str]:
    scope = params.get("scope") or {"type": "default"}
    return json.dumps(scope, sort_keys=True), params.get("language_code") or ""


def _text_problems(method: str, params: JsonDict) -> list[str]:
    """Message text/caption rules: HTML validity under parse_mode=HTML, and length limits."""
    fields = {f["name"] for f in methods()[method].get("fields", [])}
    problems: list[str] = []
    if "parse_mode" in fields:
        problems += _check_text(params, "text", TEXT_LIMIT)
        problems += _check_text(params, "caption", CAPTION_LIMIT)
    results = params.get("results") if method == "answerInlineQuery" else None
    for i, result in enumerate(results if isinstance(results, list) else []):
        if not isinstance(result, dict):
            continue
        where = f"results[{i}]."
        problems += [where + p for p in _check_text(result, "caption", CAPTION_LIMIT)]
        content = result.get("input_message_content")
        if isinstance(content, dict):
            where += "input_message_content."
            problems += [where + p for p in _check_text(content, "message_text", TEXT_LIMIT)]
    return problems


def _check_text(container: Mapping[str, Any], key: str, limit: int) -> list[str]:
    text = container.get(key)
    if not isinstance(text, str) or (key == "caption" and text == ""):
        return []
    mode = container.get("parse_mode")
    if isinstance(mode, str) and mode.lower() == "html":
        errors = check_html(text, limit)
    elif not mode:
        errors = check_text_length(text, limit)
    else:  # Markdown modes are not checked beyond the spec
        errors = []
    return [f"{key}: {e}" for e in errors]
