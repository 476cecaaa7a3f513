"""Names in Redis: every key under this bot's prefix, and a Redis URL as the log shows it.

Free of redis-py, like bot/redis/outage.py, so the bot imports redis-py only with REDIS_URL.
"""

from __future__ import annotations

from urllib.parse import urlsplit

PREFIX = "technopolis-bot"  # every key this bot writes starts with it


def redact_url(url: str) -> str:
    """`host:port/db` for the log: never the password a URL may carry."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        return parts.path
    db = parts.path.lstrip("/") or "0"
    return f"{parts.hostname or 'localhost'}:{parts.port or 6379}/{db}"


def key(*parts: object) -> str:
    """A key under this bot's prefix: key("throttle", 42, 7) -> "technopolis-bot:throttle:42:7"."""
    return ":".join([PREFIX, *map(str, parts)])
