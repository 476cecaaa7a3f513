"""REDIS_URL: unset keeps everything in-process (the default); a malformed one fails at start."""

from __future__ import annotations

import subprocess
import sys

import pytest
from aiogram.fsm.storage.memory import MemoryStorage
from pydantic import ValidationError

from bot.cli import main
from bot.config import Settings
from bot.engine import AnswerEngine
from bot.redis.connection import RedisConnection
from bot.redis.keys import redact_url
from bot.storage.redis import FallbackStorage
from bot.telegram.factory import build_dispatcher

TOKEN = "123456:" + "AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGhI"


def settings(**values: object) -> Settings:
    return Settings(_env_file=None, bot_token=TOKEN, **values)  # type: ignore[call-arg]


@pytest.mark.parametrize("url", ["", "  "])
def test_an_empty_redis_url_is_unset(url: str) -> None:
    assert settings(redis_url=url).redis_url is None


@pytest.mark.parametrize(
    "url", ["redis://redis:6379/0", "rediss://:pw@cache.example.com:6380/2", "unix:///run/r.sock"]
)
def test_redis_urls_are_accepted(url: str) -> None:
    assert settings(redis_url=url).redis_url == url


def test_a_malformed_redis_url_is_one_line_without_the_url(monkeypatch, capsys) -> None:
    monkeypatch.setenv("REDIS_URL", "cache.example.com:6379:hunter2")
    with pytest.raises(ValidationError):
        Settings(_env_file=None)  # type: ignore[call-arg]
    assert main(["misses"]) == 2
    err = capsys.readouterr().err
    assert "REDIS_URL" in err and "redis://" in err and "hunter2" not in err


def test_the_log_never_shows_a_password() -> None:
    assert redact_url("redis://:hunter2@cache:6380/3") == "cache:6380/3"
    assert redact_url("redis://localhost") == "localhost:6379/0"


async def test_the_fsm_storage_follows_redis_url() -> None:
    engine = AnswerEngine.load()
    assert isinstance(build_dispatcher(settings(), engine).storage, MemoryStorage)
    link = RedisConnection("redis://127.0.0.1:1/0")  # never reached: building connects to nothing
    try:
        dp = build_dispatcher(settings(redis_url=link.url), engine, link)
        assert isinstance(dp.storage, FallbackStorage)
    finally:
        await link.close()


def test_without_redis_url_redis_py_is_never_loaded(tmp_path) -> None:
    """redis-py costs about 6 MB of memory: only a bot with REDIS_URL loads it. A fresh
    process, since this one has loaded it for the other tests."""
    code = f"""
import asyncio, sys
from bot.config import Settings
from bot.engine import AnswerEngine
from bot.misses.store import open_misses, read_misses
from bot.telegram.factory import build_dispatcher
s = Settings(_env_file=None, bot_token={TOKEN!r}, data_dir={str(tmp_path)!r})
build_dispatcher(s, AnswerEngine.load())
open_misses(s).close()
read_misses(s.data_dir, None)
print(sorted(m for m in sys.modules if m == "redis" or m.startswith("redis.")))
"""
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
