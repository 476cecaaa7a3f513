"""LiveEngine: a reload swaps in a sound knowledge base and refuses a broken one."""

from __future__ import annotations

import asyncio
import logging
import shutil
import threading
import time
from pathlib import Path

import pytest

from bot.engine import AnswerEngine
from bot.engine.knowledge import default_knowledge_dir
from bot.health.metrics import Metrics
from bot.reload.live import LiveEngine

QUESTION = "Каков объём экспорта резидентов в 2020 году?"
EXPORT = "intents/export.yaml"
OLD = "В 2020 году резиденты технополиса «Москва» экспортировали продукцию на 1,2 млрд рублей."
NEW = "Резиденты технополиса «Москва» за 2020 год экспортировали продукцию на 1,2 млрд рублей."
QUOTE = "по итогам прошлого года экспортировали свою продукцию"
NOT_IN_ARTICLE = "по итогам прошлого года продали свою продукцию"


@pytest.fixture
def kb(tmp_path: Path) -> Path:
    return Path(shutil.copytree(default_knowledge_dir(), tmp_path / "knowledge"))


def edit(kb: Path, old: str, new: str) -> None:
    path = kb / EXPORT
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


async def test_a_sound_knowledge_base_is_swapped_in(kb: Path) -> None:
    metrics = Metrics()
    old = AnswerEngine.load(kb)
    holder = LiveEngine(old, kb, metrics=metrics)
    edit(kb, OLD, NEW)
    result = await holder.reload()
    assert result.ok and result.problems == ()
    assert result.intents == len(old.kb.intents)
    assert holder.current is not old
    assert holder.current.answer(QUESTION).text == NEW
    # whoever still holds the old engine (an update in flight) keeps its answers
    assert old.answer(QUESTION).text == OLD
    assert metrics.registry.get_sample_value("knowledge_reloads_total", {"result": "ok"}) == 1


async def test_a_broken_knowledge_base_is_refused_and_the_old_one_serves(kb: Path, caplog) -> None:
    caplog.set_level(logging.INFO, logger="bot.reload.live")
    metrics = Metrics()
    old = AnswerEngine.load(kb)
    holder = LiveEngine(old, kb, metrics=metrics)
    edit(kb, OLD, NEW)
    edit(kb, QUOTE, NOT_IN_ARTICLE)

    result = await holder.reload("test")
    assert not result.ok
    assert any("export_volume" in p and "not verbatim" in p for p in result.problems)
    assert holder.current is old
    assert holder.current.answer(QUESTION).text == OLD
    assert metrics.registry.get_sample_value("knowledge_reloads_total", {"result": "refused"}) == 1
    # each problem is a log line of its own, after the line that says what happened
    messages = [r.getMessage() for r in caplog.records]
    assert any("test: knowledge base refused" in m for m in messages)
    for problem in result.problems:
        assert f"  {problem}" in messages

    edit(kb, NOT_IN_ARTICLE, QUOTE)
    fixed = await holder.reload()
    assert fixed.ok
    assert holder.current.answer(QUESTION).text == NEW


async def test_a_missing_folder_is_refused(tmp_path: Path) -> None:
    engine = AnswerEngine.load()
    holder = LiveEngine(engine, tmp_path / "nowhere")
    result = await holder.reload()
    assert not result.ok
    assert "does not exist" in result.problems[0]
    assert holder.current is engine


async def test_an_unexpected_error_while_loading_is_a_refusal_not_a_crash() -> None:
    def explode(_: Path | None) -> AnswerEngine:
        raise RuntimeError("disk on fire")

    engine = AnswerEngine.load()
    holder = LiveEngine(engine, None, loader=explode)
    result = await holder.reload()
    assert not result.ok
    assert result.problems == ("RuntimeError: disk on fire",)
    assert holder.current is engine


async def test_reloads_do_not_overlap_and_the_loop_keeps_running() -> None:
    engine = AnswerEngine.load()
    running = 0
    most = 0
    guard = threading.Lock()

    def slow_load(_: Path | None) -> AnswerEngine:
        nonlocal running, most
        with guard:
            running += 1
            most = max(most, running)
        time.sleep(0.15)  # blocking, as parsing YAML is: it must not stall the event loop
        with guard:
            running -= 1
        return engine

    holder = LiveEngine(engine, None, loader=slow_load)
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticker = asyncio.create_task(tick())
    results = await asyncio.gather(*(holder.reload() for _ in range(3)))
    ticker.cancel()
    assert all(r.ok for r in results)
    assert most == 1  # one at a time: the lock
    assert ticks >= 10  # ~0.45 s of loading in threads, and the loop went on meanwhile
