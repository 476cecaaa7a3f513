"""Shared fixtures. ``fake_api`` fails any test whose bot sent a call Telegram would reject."""

from collections.abc import AsyncIterator

import pytest
from fakes.bot_api import FakeBotAPI


@pytest.fixture
async def fake_api() -> AsyncIterator[FakeBotAPI]:
    """A running fake Bot API; at teardown every recorded call must have met the spec."""
    async with FakeBotAPI() as api:
        yield api
    assert api.violations == [], "Bot API violations:\n" + "\n".join(api.violations)
