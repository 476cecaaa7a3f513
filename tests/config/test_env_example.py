""".env.example copied as it is (`cp .env.example .env`, the README's first step) must start
the bot: every empty setting means its default. Real processes, the checkout's code."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from procs import CHECKOUT, run_cli

from bot.config import Settings

EXAMPLE = CHECKOUT / ".env.example"


def _clean_env(home: Path) -> dict[str, str]:
    """Nothing from the test's own environment reaches the bot's settings: only the .env."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "PYTHONPATH": str(CHECKOUT),
        "PYTHONUNBUFFERED": "1",
    }


def _example_settings() -> list[tuple[str, str]]:
    pairs = []
    for line in EXAMPLE.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            pairs.append((name.strip(), value.strip()))
    return pairs


def test_every_empty_line_of_the_example_means_the_default(tmp_path: Path, monkeypatch) -> None:
    """The settings read from the copied file equal the defaults for every empty line."""
    shutil.copy(EXAMPLE, tmp_path / ".env")
    monkeypatch.chdir(tmp_path)
    for name, _ in _example_settings():
        monkeypatch.delenv(name, raising=False)
    from_file = Settings()
    defaults = Settings(_env_file=None)  # type: ignore[call-arg]
    empty = [name for name, value in _example_settings() if value == ""]
    assert "KNOWLEDGE_DIR" in empty and "METRICS_PORT" in empty  # the ones that broke things
    for name in empty:
        field = name.lower()
        if field in Settings.model_fields:
            assert getattr(from_file, field) == getattr(defaults, field), name


def test_the_copied_example_starts_the_terminal_chat_and_answers(tmp_path: Path) -> None:
    """`cp .env.example .env && technopolis-bot run`, a question piped in: it answers."""
    res = _run_with_copied_example(tmp_path, "run", stdin="сколько экспортировали резиденты?\n")
    assert res.returncode == 0, res.stderr
    assert "terminal chat" in res.stderr
    assert "1,2 млрд рублей" in res.stdout, res.stdout + res.stderr


def test_the_copied_example_serves_ask_too(tmp_path: Path) -> None:
    res = _run_with_copied_example(tmp_path, "ask", "how much did residents export?")
    assert res.returncode == 0, res.stderr
    assert "1.2 billion" in res.stdout


def _run_with_copied_example(
    folder: Path, *args: str, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """`cp .env.example .env`, then `technopolis-bot ARGS` in that folder."""
    shutil.copy(EXAMPLE, folder / ".env")
    return run_cli(*args, env=_clean_env(folder), cwd=folder, stdin=stdin)
