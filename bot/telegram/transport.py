"""The HTTP session to the Bot API: outgoing rate limits and retries, below every handler.

Handlers just send; this layer makes sure Telegram's limits hold (about one message a second
per chat, 20 a minute per group, 30 a second overall), waits out a 429's retry_after and
sends again, and retries 5xx answers and dropped connections with backoff, so no answer is
lost to a transient failure. A request is only repeated when Telegram cannot have acted on
it (an error status, or a connection that failed or was cut): a timeout while waiting for an
answer is not retried for sending methods, which could otherwise deliver a message twice.

With REDIS_URL set the limits are counted in Redis (bot/limits/limiter.py), so replicas of one
bot keep to them together; while Redis is down each replica falls back to its own buckets.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
from collections.abc import Awaitable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, TypeVar, cast

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import GetUpdates, TelegramMethod
from aiogram.methods.base import Response, TelegramType
from aiogram.types import InputFile
from aiohttp import FormData
from aiohttp.payload import JsonPayload

from bot.health.metrics import Metrics
from bot.health.state import Health
from bot.limits.limiter import Limit, Limiter
from bot.limits.redis import RedisLimiter
from bot.telegram.delivery import pace

log = logging.getLogger(__name__)

T = TypeVar("T")

_SENDING_PREFIXES = ("send", "copy", "forward", "edit")
_compact_json = functools.partial(json.dumps, ensure_ascii=False, separators=(",", ":"))
# Strong references to the parametrized Response models (see BotSession): a few dozen at most.
_RESPONSE_TYPES: dict[Any, type[Response[Any]]] = {}


@dataclass(frozen=True)
class Limits:
    """Outgoing limits (Telegram's published ones) and the retry policy."""

    per_chat_rate: float = 1.0  # messages per second in one chat...
    per_chat_burst: float = 3.0  # ...after a short burst
    per_group_rate: float = 20 / 60
    per_group_burst: float = 20.0
    global_rate: float = 30.0
    global_burst: float = 30.0
    # 5xx and network failures: an answer is given up only after about a minute of them
    # (0.5, 1, 2, 4, 8, then every 10 s), so a flapping proxy does not lose answers.
    retries: int = 10
    backoff: float = 0.5  # first retry delay, doubled each time...
    max_backoff: float = 10.0  # ...up to this
    max_retry_after: float = 120.0  # a longer flood wait is given up, not slept through
    retry_after_attempts: int = 5


class BotSession(AiohttpSession):
    """aiogram's AiohttpSession with four pieces of our own, each said below with what
    aiogram does instead and the figure that justifies ours.

    They lean on aiogram internals (the private `_dumps_json` keyword of `prepare_value`,
    `make_request` posting whatever `build_form_data` returns, `check_response` building
    `Response[method.__returning__]`, the private `_session`), so pyproject.toml pins aiogram
    to the minor release we test and tests/telegram/test_aiogram_internals.py fails when one
    of them changes.

    `metrics` and `health` (set by `observe`) hear of every failed answer, with its HTTP
    status, and of every successful getUpdates; both stay None for a bare session.
    """

    metrics: Metrics | None = None
    health: Health | None = None

    def check_response(
        self, bot: Bot, method: TelegramMethod[TelegramType], status_code: int, content: str
    ) -> Response[TelegramType]:
        """aiogram's, with every `Response[T]` it has used kept alive and 5xx pages read.

        aiogram parametrizes the generic Response model for each answer, and pydantic caches
        parametrized models only weakly, so once the garbage collector has run, the next
        answer builds the class again: 7.6 ms for `Response[Message]` (against 0.04 ms from
        the cache), 1.77 ms of CPU per update in bench/e2e.py before the fix, 1.55 after.
        Failed answers are counted in `metrics`.
        """
        returning = method.__returning__
        if returning not in _RESPONSE_TYPES:
            _RESPONSE_TYPES[returning] = Response[returning]  # type: ignore[valid-type]
        try:
            return self._check(bot, method, status_code, content)
        except (TelegramAPIError, ClientDecodeError):
            if self.metrics is not None:
                self.metrics.api_error(status_code)
            raise

    def build_form_data(  # type: ignore[override]
        self, bot: Bot, method: TelegramMethod[TelegramType]
    ) -> FormData | JsonPayload:
        """One JSON body (Telegram takes application/json) for a request without uploads.

        aiogram sends every request as an urlencoded form, where every Cyrillic letter of an
        answer is percent-encoded byte by byte and every nested object is a JSON string of
        its own: a 600-character answer with three buttons is 3,099 bytes built in 138 µs,
        as JSON 1,157 bytes in 38 µs; bench/e2e.py: 1.36 ms of CPU per update before, 1.26
        after. Values are prepared by aiogram's `prepare_value` (defaults, files, enums,
        dates), told by its private `_dumps_json=False` to leave objects unserialized.
        """
        files: dict[str, InputFile] = {}
        body: dict[str, Any] = {}
        for key, value in method.model_dump(warnings=False).items():
            prepared = self.prepare_value(value, bot=bot, files=files, _dumps_json=False)
            if prepared is not None and prepared != "":  # what aiogram's form leaves out
                body[key] = prepared
        if files:
            return super().build_form_data(bot, method)
        return JsonPayload(body, dumps=_compact_json)

    def _check(
        self, bot: Bot, method: TelegramMethod[TelegramType], status_code: int, content: str
    ) -> Response[TelegramType]:
        """A 5xx answer without a JSON body (a proxy's error page) is a server error.

        aiogram raises ClientDecodeError for any undecodable body, which hides that the
        request was refused and may be retried. No speed figure: without this a 502 from a
        proxy loses the answer instead of being retried (tests/telegram/test_tg_units.py).
        """
        try:
            return super().check_response(bot, method, status_code, content)
        except ClientDecodeError:
            if status_code >= HTTPStatus.INTERNAL_SERVER_ERROR:
                message = f"HTTP {status_code} without a JSON body"
                raise TelegramServerError(method, message) from None
            raise

    async def close(self) -> None:
        """Closes at once over plain HTTP (a local Bot API server, the tests' fake).

        aiogram sleeps 250 ms after closing, for SSL connections to wind down, which plain
        HTTP has none of: 251 ms per close against 0.1 ms here (every stop, every test).
        Reads aiogram's private `_session`.
        """
        if self.api.base.startswith("http://"):
            if self._session is not None and not self._session.closed:
                await self._session.close()
            return
        await super().close()


def _chat_id(method: TelegramMethod[Any]) -> int | str | None:
    """The chat a sending method writes to (its per-chat limit); None for other methods."""
    if not _is_sending(method):
        return None
    return cast(int | str | None, getattr(method, "chat_id", None))


def _is_sending(method: TelegramMethod[Any]) -> bool:
    return method.__api_method__.startswith(_SENDING_PREFIXES)


def _never_reached_telegram(exc: TelegramNetworkError) -> bool:
    """A refused or cut connection: Telegram did not act on the request."""
    return not isinstance(exc.__cause__, asyncio.TimeoutError)


def _is_group(chat_id: int | str) -> bool:
    return isinstance(chat_id, str) or chat_id < 0


class SendLimits:
    """Telegram's outgoing limits as buckets of a Limiter: per chat, per group, per bot.

    Counted in Redis for every replica when `shared` is given (Telegram's limits are per bot,
    hence the bot id in the keys), in process when it is None or Redis is unavailable.
    """

    def __init__(self, limits: Limits, shared: RedisLimiter | None = None) -> None:
        self.limiter = Limiter(shared)
        self.per_chat = Limit("chat", limits.per_chat_rate, limits.per_chat_burst)
        self.per_group = Limit("group", limits.per_group_rate, limits.per_group_burst)
        self.per_bot = Limit("global", limits.global_rate, limits.global_burst)

    async def delay(self, bot_id: int, chat_id: int | str) -> float:
        """Seconds to wait before sending into `chat_id` (a slot is reserved in each bucket)."""
        chat = (bot_id, chat_id)
        wanted = [(self.per_chat, chat), (self.per_bot, (bot_id,))]
        if _is_group(chat_id):
            wanted.append((self.per_group, chat))
        return await self.limiter.reserve(wanted)


class Retries:
    """Sends a request again after a flood wait (429) or a transient failure (5xx, network).

    A failure is only retried when Telegram cannot have acted on it (see the module doc);
    getUpdates is never retried here: polling has its own backoff and must stay responsive
    to a stop. `metrics` counts each retry and each network failure.
    """

    def __init__(self, limits: Limits) -> None:
        self.limits = limits

    async def send(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
        metrics: Metrics | None,
    ) -> Response[TelegramType]:
        failures = flood_waits = 0
        while True:
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                flood_waits += 1
                if not self._may_wait(exc, flood_waits):
                    raise
                wait: float = exc.retry_after
                log.warning(
                    "429 on %s: waiting %ss, then sending again",
                    method.__api_method__,
                    exc.retry_after,
                )
            except (TelegramServerError, TelegramNetworkError) as exc:
                if isinstance(exc, TelegramNetworkError) and metrics is not None:
                    metrics.api_error("network")  # no HTTP answer, so check_response never saw it
                failures += 1
                if not self._may_retry(exc, method, failures):
                    raise
                wait = self._backoff(failures)
                log.warning(
                    "%s on %s (%s): retry %d in %.1fs",
                    type(exc).__name__,
                    method.__api_method__,
                    exc.message,
                    failures,
                    wait,
                )
            await asyncio.sleep(wait)
            if metrics is not None:
                metrics.retry(method.__api_method__)

    def _may_wait(self, exc: TelegramRetryAfter, flood_waits: int) -> bool:
        """A flood wait is slept through unless it is too long or one of too many in a row."""
        lim = self.limits
        return exc.retry_after <= lim.max_retry_after and flood_waits <= lim.retry_after_attempts

    def _may_retry(
        self,
        exc: TelegramServerError | TelegramNetworkError,
        method: TelegramMethod[Any],
        failures: int,
    ) -> bool:
        if isinstance(method, GetUpdates) or failures > self.limits.retries:
            return False
        if isinstance(exc, TelegramServerError):
            return True
        return not _is_sending(method) or _never_reached_telegram(exc)

    def _backoff(self, failures: int) -> float:
        return min(self.limits.max_backoff, self.limits.backoff * 2 ** (failures - 1))


async def _polled(health: Health, request: Awaitable[T]) -> T:
    """`await request`, a getUpdates, reported to `health` as started and as finished."""
    health.poll_started()
    try:
        response = await request
    except Exception:
        health.polled(ok=False)
        raise
    health.polled()
    return response


class RequestPolicy(BaseRequestMiddleware):
    """Every request to the Bot API: paced by the outgoing limits (`SendLimits`), sent again
    after transient failures (`Retries`), and reported to the session's metrics and health.

    `shared` counts the limits in Redis for all replicas; the in-process buckets serve when
    it is None or Redis is unavailable.
    """

    def __init__(self, limits: Limits | None = None, shared: RedisLimiter | None = None) -> None:
        self.limits = limits or Limits()
        self.send_limits = SendLimits(self.limits, shared)
        self.retries = Retries(self.limits)

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        chat_id = _chat_id(method)
        delay = await self.send_limits.delay(bot.id, chat_id) if chat_id is not None else 0.0
        if delay > 0:
            log.debug("rate limit: %s waits %.2fs", method.__api_method__, delay)
        # During a stop, an update whose first request would go out after the deadline is
        # given back here (GivenBack), before anything was sent (bot/telegram/delivery.py).
        await pace(delay, effective=not method.__api_method__.startswith("get"))
        session = bot.session if isinstance(bot.session, BotSession) else None
        metrics = session.metrics if session is not None else None
        health = session.health if session is not None else None
        request = self.retries.send(make_request, bot, method, metrics)
        if health is None or not isinstance(method, GetUpdates):
            return await request
        return await _polled(health, request)


def observe(bot: Bot, metrics: Metrics, health: Health) -> None:
    """Report the bot's Bot API errors, retries and polls to `metrics` and `health`."""
    if isinstance(bot.session, BotSession):
        bot.session.metrics, bot.session.health = metrics, health


def build_session(
    api_url: str | None, limits: Limits | None = None, shared: RedisLimiter | None = None
) -> BotSession:
    """The bot's session, pointed at another Bot API server when `api_url` is set; `shared`
    counts the outgoing limits in Redis."""
    session = BotSession(api=TelegramAPIServer.from_base(api_url)) if api_url else BotSession()
    session.middleware(RequestPolicy(limits, shared))
    return session
