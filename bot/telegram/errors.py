"""What a user sees when handling their update fails: one short apology, never a traceback.

aiogram's own way (`dp.errors`, `ExceptionTypeFilter`, as in its examples/error_handling.py):
UpdateLog has already logged the failure with its details; this router only answers the user.
"""

from __future__ import annotations

import contextlib

from aiogram import Router
from aiogram.exceptions import TelegramAPIError
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent, Message

from bot.telegram.delivery import GivenBack
from bot.telegram.responder import Responder


async def give_back(event: ErrorEvent) -> None:
    """Not a failure: the update goes back to Telegram for the next process to answer."""
    raise event.exception


async def refused(event: ErrorEvent) -> None:
    """Telegram refused a call (bot blocked, chat gone): an apology would fail the same way."""


async def apologise(event: ErrorEvent, responder: Responder | None = None) -> None:
    """A bug on our side: one line in the user's language, in the chat they wrote in."""
    if responder is None:  # failed before the update had an engine: nothing to say it with
        return
    update = event.update
    message = update.message or (update.callback_query and update.callback_query.message)
    if not isinstance(message, Message):
        return
    with contextlib.suppress(Exception):  # the apology is best effort; the log has the rest
        await responder.say(message, "error")


def build() -> Router:
    router = Router(name="errors")
    router.errors.register(give_back, ExceptionTypeFilter(GivenBack))
    router.errors.register(refused, ExceptionTypeFilter(TelegramAPIError))
    router.errors.register(apologise)
    return router
