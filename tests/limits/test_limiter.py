"""The one limiter both directions use, without Redis: in-process buckets and warn-once."""

from __future__ import annotations

import pytest

from bot.limits.limiter import Limit, Limiter
from bot.limits.redis import Decision


async def test_refusals_warn_once_per_streak_and_keys_do_not_share() -> None:
    limiter, per_user = Limiter(), Limit("throttle", rate=0.001, burst=2)
    takes = [await limiter.take(per_user, (1, 7)) for _ in range(4)]
    assert takes == [Decision(True), Decision(True), Decision(False, warn=True), Decision(False)]
    assert (await limiter.take(per_user, (1, 8))).allowed


async def test_the_strictest_of_the_reserved_buckets_sets_the_wait() -> None:
    limiter = Limiter()
    chat, group = Limit("chat", 1.0, 1), Limit("group", 0.5, 1)
    assert await limiter.reserve([(chat, (1, -100)), (group, (1, -100))]) == 0.0
    wait = await limiter.reserve([(chat, (1, -100)), (group, (1, -100))])
    assert wait == pytest.approx(2.0, abs=0.05)


def test_a_bucket_is_named_in_redis_by_its_limit_and_key() -> None:
    spec = Limit("chat", 2.0, 3).spec((42, -100))
    assert (spec.name, spec.rate, spec.burst) == ("chat:42:-100", 2.0, 3)
