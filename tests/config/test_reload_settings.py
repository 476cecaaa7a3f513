"""ADMIN_IDS and METRICS_PORT as written in the environment or .env."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.config import Settings


@pytest.mark.parametrize(
    ("raw", "ids"),
    [
        ("", frozenset()),
        ("   ", frozenset()),
        ("42", frozenset({42})),
        ("1,2", frozenset({1, 2})),
        (" 1 , 2;3  4,", frozenset({1, 2, 3, 4})),
    ],
)
def test_admin_ids_are_read_robustly(monkeypatch, raw: str, ids: frozenset[int]) -> None:
    monkeypatch.setenv("ADMIN_IDS", raw)
    assert Settings(_env_file=None).admin_ids == ids  # type: ignore[call-arg]


@pytest.mark.parametrize("raw", ["@alice", "12a", "-5", "0", "1.5", "١٢"])
def test_anything_but_user_ids_is_refused_with_the_offending_part(monkeypatch, raw: str) -> None:
    monkeypatch.setenv("ADMIN_IDS", f"7, {raw}")
    with pytest.raises(ValidationError) as info:
        Settings(_env_file=None)  # type: ignore[call-arg]
    assert "admin_ids" in str(info.value) and repr(raw) in str(info.value)


def test_nobody_is_an_admin_and_no_metrics_server_by_default(monkeypatch) -> None:
    monkeypatch.delenv("ADMIN_IDS", raising=False)
    monkeypatch.setenv("METRICS_PORT", "")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.admin_ids == frozenset()
    assert settings.metrics_port is None
    assert settings.metrics_host == "0.0.0.0"
