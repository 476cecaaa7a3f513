"""In-process matcher speed and command-line start-up, each next to a floor measured now.

The matcher's reference is one rapidfuzz `process.extractOne` over the same example strings:
the least any fuzzy matcher over these examples costs. Start-up's reference is a bare
interpreter start, which tracks how loaded the machine is at the moment.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from bench.baselines import example_strings
from bot.config import Settings
from bot.engine import AnswerEngine

WARMUP_ROUNDS = 2
SUBPROCESS_TIMEOUT = 60.0
ASK_QUESTION = "Каков объём экспорта технополиса?"


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile: the value `pct`% of the samples do not exceed."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def cli() -> str:
    """The installed `technopolis-bot` next to this interpreter (the venv's)."""
    here = Path(sys.executable).with_name("technopolis-bot")
    found = str(here) if here.exists() else shutil.which("technopolis-bot")
    if found is None:
        raise RuntimeError("technopolis-bot is not installed (run `make bench`)")
    return found


def clean_env(**extra: str) -> dict[str, str]:
    """The environment for a child process: none of the bot's settings, so it runs as shipped."""
    drop = {name.upper() for name in Settings.model_fields}
    env = {k: v for k, v in os.environ.items() if k.upper() not in drop}
    return {**env, "PYTHONUNBUFFERED": "1", **extra}


@dataclass
class MatcherSpeed:
    questions: int
    repeats: int
    examples: int
    median_us: float
    p99_us: float
    extract_one_repeats: int
    extract_one_median_us: float
    extract_one_p99_us: float

    @property
    def ratio(self) -> float:
        return self.median_us / self.extract_one_median_us


def _timed(fn: Callable[[str], object], questions: list[str], repeats: int) -> list[float]:
    """Microseconds per call, every question `repeats` times, after a warm-up."""
    for _ in range(WARMUP_ROUNDS):
        for q in questions:
            fn(q)
    samples = []
    clock = time.perf_counter_ns
    for _ in range(repeats):
        for q in questions:
            start = clock()
            fn(q)
            samples.append((clock() - start) / 1000)
    return samples


def matcher_speed(
    engine: AnswerEngine, questions: list[str], repeats: int, extract_repeats: int
) -> MatcherSpeed:
    texts, _ = example_strings(engine.kb)
    mine = _timed(engine.answer, questions, repeats)
    floor = _timed(
        lambda q: process.extractOne(q.lower(), texts, scorer=fuzz.WRatio),
        questions,
        extract_repeats,
    )
    return MatcherSpeed(
        len(questions),
        repeats,
        len(texts),
        statistics.median(mine),
        percentile(mine, 99),
        extract_repeats,
        statistics.median(floor),
        percentile(floor, 99),
    )


@dataclass
class Startup:
    runs: int
    python_s: float  # `python -c pass` to exit: the reference
    ask_s: float  # `technopolis-bot ask "..."` to its first line of output
    ask_json_100_s: float  # `technopolis-bot ask --json` with 100 questions on stdin, to exit
    ask_json_answers: int


async def _first_line(cmd: list[str], cwd: str) -> float:
    start = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(
        *cmd,
        cwd=cwd,
        env=clean_env(),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    assert proc.stdout is not None
    try:
        line = await asyncio.wait_for(proc.stdout.readline(), SUBPROCESS_TIMEOUT)
        took = time.perf_counter() - start
        await asyncio.wait_for(proc.communicate(), SUBPROCESS_TIMEOUT)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    if not line or proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed (exit {proc.returncode})")
    return took


async def _to_exit(cmd: list[str], cwd: str, stdin: bytes) -> tuple[float, bytes]:
    start = time.perf_counter()
    proc = await asyncio.create_subprocess_exec(
        *cmd,
        cwd=cwd,
        env=clean_env(),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        out, _ = await asyncio.wait_for(proc.communicate(stdin), SUBPROCESS_TIMEOUT)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    took = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed (exit {proc.returncode})")
    return took, out


async def _startup(questions: list[str], runs: int) -> Startup:
    bot = cli()
    piped = "\n".join((questions * (100 // len(questions) + 1))[:100]).encode() + b"\n"
    python, ask, ask_json = [], [], []
    answers = 0
    # A temporary working directory: no .env of the repository leaks into the children.
    with tempfile.TemporaryDirectory(prefix="bench-") as cwd:
        await _first_line([bot, "ask", ASK_QUESTION], cwd)  # warm the file cache once
        for _ in range(runs):  # interleaved, so a load spike hits all three alike
            python.append((await _to_exit([sys.executable, "-c", "pass"], cwd, b""))[0])
            ask.append(await _first_line([bot, "ask", ASK_QUESTION], cwd))
            took, out = await _to_exit([bot, "ask", "--json"], cwd, piped)
            ask_json.append(took)
            answers = len(out.splitlines())
    return Startup(
        runs,
        statistics.median(python),
        statistics.median(ask),
        statistics.median(ask_json),
        answers,
    )


def startup(questions: list[str], runs: int) -> Startup:
    return asyncio.run(_startup(questions, runs))
