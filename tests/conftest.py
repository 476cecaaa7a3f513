"""Shared fixtures. ``fake_api`` fails any test whose bot sent a call Telegram would reject."""

from collections.abc import AsyncIterator, Iterator

import pytest
from fakes.bot_api import FakeBotAPI
from procs import TOKEN

# redis_server, redis_module, links: the fixtures of the tests against a real Redis
pytest_plugins = ["redis_fixtures"]


@pytest.fixture
async def fake_api() -> AsyncIterator[FakeBotAPI]:
    """A running fake Bot API; at teardown every recorded call must have met the spec."""
    async with FakeBotAPI() as api:
        yield api
    assert api.violations == [], "Bot API violations:\n" + "\n".join(api.violations)


@pytest.fixture
async def process_api() -> AsyncIterator[FakeBotAPI]:
    """``fake_api`` for the bot run as a child process (procs.py): its token is well-formed,
    as `run --require-token` checks."""
    async with FakeBotAPI(token=TOKEN) as api:
        yield api
    assert api.violations == [], "Bot API violations:\n" + "\n".join(api.violations)


@pytest.fixture(autouse=True, scope="session")
def _data_dir(tmp_path_factory) -> Iterator[None]:
    """DATA_DIR (the misses log) in a temporary folder: no test writes into the checkout."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DATA_DIR", str(tmp_path_factory.mktemp("data")))
        yield
