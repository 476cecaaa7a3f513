"""Builders of valid Update payloads (without update_id) for ``FakeBotAPI.push``.

They fill what real Telegram fills (entities with UTF-16 offsets, chat types, forum flags), so
the bot under test sees the same shapes it will see in production. ``push`` validates them
against the spec anyway.
"""

from __future__ import annotations

import copy
import itertools
import re
import time
from typing import TYPE_CHECKING, Any

from .telegram_html import utf16_len

if TYPE_CHECKING:
    from .bot_api import Call

JsonDict = dict[str, Any]

_message_ids = itertools.count(1)
_query_ids = itertools.count(1)
_file_ids = itertools.count(1)
_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w@])")
_MENTION = re.compile(r"(?<![\w@/])@[A-Za-z0-9_]{4,32}(?![\w@])")


def text_entities(text: str) -> list[JsonDict]:
    """bot_command for a leading "/cmd[@bot]" and mention for each "@username"."""
    entities: list[JsonDict] = []
    command = _COMMAND.match(text)
    start = 0
    if command:
        entities.append({"type": "bot_command", "offset": 0, "length": utf16_len(command[0])})
        start = command.end()
    for mention in _MENTION.finditer(text, start):
        offset = utf16_len(text[: mention.start()])
        entities.append({"type": "mention", "offset": offset, "length": utf16_len(mention[0])})
    return entities


def user(
    user_id: int = 1001,
    first_name: str = "Ann",
    language_code: str | None = "ru",
    username: str | None = None,
) -> JsonDict:
    """A human User object."""
    result: JsonDict = {"id": user_id, "is_bot": False, "first_name": first_name}
    if username:
        result["username"] = username
    if language_code:
        result["language_code"] = language_code
    return result


def _private_chat(sender: JsonDict) -> JsonDict:
    chat = {"id": sender["id"], "type": "private", "first_name": sender["first_name"]}
    if "username" in sender:
        chat["username"] = sender["username"]
    return chat


def _message(chat: JsonDict, sender: JsonDict, **fields: Any) -> JsonDict:
    return {
        "message_id": next(_message_ids),
        "from": sender,
        "chat": chat,
        "date": int(time.time()),
        **fields,
    }


def _with_text(message: JsonDict, text: str, entities: list[JsonDict] | None) -> JsonDict:
    message["text"] = text
    found = text_entities(text) if entities is None else entities
    if found:
        message["entities"] = found
    return message


def private_text(
    text: str,
    user_id: int = 1001,
    language_code: str | None = "ru",
    first_name: str = "Ann",
    username: str | None = None,
) -> JsonDict:
    """A text message from a user in their private chat with the bot."""
    sender = user(user_id, first_name, language_code, username)
    return {"message": _with_text(_message(_private_chat(sender), sender), text, None)}


def group_text(
    text: str,
    chat_id: int = -100500,
    user_id: int = 1001,
    chat_type: str = "supergroup",
    entities: list[JsonDict] | None = None,
    reply_to: JsonDict | None = None,
    thread_id: int | None = None,
    language_code: str | None = "ru",
    first_name: str = "Ann",
    title: str = "Technopolis test group",
) -> JsonDict:
    """A text message in a group; ``thread_id`` puts it in a forum topic.

    ``entities=None`` computes bot_command/mention entities; pass [] for none.
    ``reply_to`` is a Message dict (e.g. ``message_from_call(call)`` for a bot message).
    """
    if chat_type not in ("group", "supergroup"):
        raise ValueError(f"chat_type must be group or supergroup, got {chat_type!r}")
    if thread_id is not None and chat_type != "supergroup":
        raise ValueError("forum topics exist only in supergroups")
    chat: JsonDict = {"id": chat_id, "type": chat_type, "title": title}
    extra: JsonDict = {}
    if thread_id is not None:
        chat["is_forum"] = True
        extra = {"message_thread_id": thread_id, "is_topic_message": True}
    if reply_to is not None:
        extra["reply_to_message"] = {
            k: v for k, v in copy.deepcopy(reply_to).items() if k != "reply_to_message"
        }
    sender = user(user_id, first_name, language_code)
    return {"message": _with_text(_message(chat, sender, **extra), text, entities)}


def callback(
    data: str,
    message: JsonDict,
    user_id: int = 1001,
    language_code: str | None = "ru",
    first_name: str = "Ann",
) -> JsonDict:
    """A press on an inline button with ``data`` under ``message`` (the bot's message)."""
    query = {
        "id": f"cbq-{next(_query_ids)}",
        "from": user(user_id, first_name, language_code),
        "message": copy.deepcopy(message),
        "chat_instance": f"ci{message['chat']['id']}",
        "data": data,
    }
    return {"callback_query": query}


def inline(
    query: str,
    user_id: int = 1001,
    language_code: str | None = "ru",
    offset: str = "",
    first_name: str = "Ann",
    chat_type: str | None = "private",
) -> JsonDict:
    """An inline query "@bot query" typed by a user."""
    payload: JsonDict = {
        "id": f"iq-{next(_query_ids)}",
        "from": user(user_id, first_name, language_code),
        "query": query,
        "offset": offset,
    }
    if chat_type:
        payload["chat_type"] = chat_type
    return {"inline_query": payload}


def _file(prefix: str) -> JsonDict:
    n = next(_file_ids)
    return {"file_id": f"{prefix}-file-{n}", "file_unique_id": f"{prefix}-u{n}"}


def sticker(
    user_id: int = 1001,
    language_code: str | None = "ru",
    first_name: str = "Ann",
    emoji: str = "👍",
) -> JsonDict:
    """A sticker in the user's private chat (a non-text message the bot must cope with)."""
    sender = user(user_id, first_name, language_code)
    item = {
        **_file("sticker"),
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": emoji,
    }
    return {"message": _message(_private_chat(sender), sender, sticker=item)}


def photo(
    user_id: int = 1001,
    language_code: str | None = "ru",
    first_name: str = "Ann",
    caption: str | None = None,
) -> JsonDict:
    """A photo (two sizes, optional caption) in the user's private chat."""
    sender = user(user_id, first_name, language_code)
    sizes = [{**_file("photo"), "width": w, "height": w * 3 // 4} for w in (320, 1280)]
    fields: JsonDict = {"photo": sizes}
    if caption is not None:
        fields["caption"] = caption
        if entities := text_entities(caption):
            fields["caption_entities"] = entities
    return {"message": _message(_private_chat(sender), sender, **fields)}


def message_from_call(call: Call) -> JsonDict:
    """The Message a successful send*/edit* call returned, for ``reply_to`` or ``callback``."""
    result = call.result
    if not call.ok or not isinstance(result, dict) or "message_id" not in result:
        raise ValueError(f"{call.method} call (status {call.status}) returned no Message")
    return copy.deepcopy(result)
