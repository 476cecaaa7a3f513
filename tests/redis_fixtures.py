"""Fixtures for the tests against a real Redis (a pytest plugin, see tests/conftest.py): each
test gets its own redis-server.

Without the redis-server program (Debian's package) the tests that need one are skipped,
with the reason; .ci/run installs it so CI always runs them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from redis_harness import REDIS_SERVER, SKIP_REASON, RedisServer

from bot.redis.connection import RedisConnection


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A running redis-server on a free loopback port; stopped at teardown."""
    if REDIS_SERVER is None:
        pytest.skip(SKIP_REASON)
    server = RedisServer(tmp_path / "redis")
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def redis_module(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """One redis-server for a whole module (the replica tests start processes once)."""
    if REDIS_SERVER is None:
        pytest.skip(SKIP_REASON)
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
async def links(redis_server: RedisServer) -> AsyncIterator[list[RedisConnection]]:
    """Links to `redis_server` a test opens (`links.append(RedisConnection(url))`); closed after."""
    opened: list[RedisConnection] = []
    yield opened
    for link in opened:
        await link.close()
