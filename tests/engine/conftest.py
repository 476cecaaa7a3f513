from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.engine import AnswerEngine
from bot.engine.knowledge import default_knowledge_dir


@pytest.fixture(scope="session")
def engine() -> AnswerEngine:
    return AnswerEngine.load()


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped knowledge base, for breaking it on purpose."""
    dest = tmp_path / "knowledge"
    shutil.copytree(default_knowledge_dir(), dest)
    return dest
