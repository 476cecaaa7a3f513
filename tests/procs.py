"""`technopolis-bot run` as a child process against a FakeBotAPI: what the process tests share.

The bot runs the code of this checkout (PYTHONPATH), not an installed copy, with a clean
environment: only what a test passes reaches its settings.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import IO

from fakes.bot_api import FakeBotAPI

import bot

# Well-formed, as BotFather gives it: `run --require-token` checks the format first.
TOKEN = "123456:" + "AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGhI"
STARTUP_TIMEOUT = 20.0
MENU_CALLS = 4  # setMyCommands at start-up (RU/EN x private/groups): then polling begins
CHECKOUT = Path(bot.__file__).resolve().parents[1]

Output = int | IO[bytes] | None  # asyncio.subprocess.PIPE / DEVNULL, or an open file


def bot_env(api: FakeBotAPI, home: Path, token: str = TOKEN, **settings: str) -> dict[str, str]:
    """The child's whole environment: the fake's URL, the token, then `settings` (NAME=value)."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "PYTHONPATH": str(CHECKOUT),
        "PYTHONUNBUFFERED": "1",
        "BOT_TOKEN": token,
        "TELEGRAM_API_URL": api.url,
        **settings,
    }


def run_cli(
    *args: str, env: dict[str, str], cwd: Path, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """`technopolis-bot ARGS` to completion, its output captured (a minute at most)."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=cwd,
    )


async def spawn_bot(
    api: FakeBotAPI,
    cwd: Path,
    *,
    token: str = TOKEN,
    stdout: Output = asyncio.subprocess.DEVNULL,
    stderr: Output = asyncio.subprocess.PIPE,
    **settings: str,
) -> asyncio.subprocess.Process:
    """Start `python -m bot run --require-token` in `cwd`; it does not wait for start-up."""
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        "--require-token",
        cwd=cwd,
        env=bot_env(api, cwd, token, **settings),
        stdin=asyncio.subprocess.DEVNULL,
        stdout=stdout,
        stderr=stderr,
    )


async def wait_ready(api: FakeBotAPI, timeout: float = STARTUP_TIMEOUT) -> None:
    """Until the bot has registered its menus, the last step before it starts polling."""
    await api.wait_for("setMyCommands", MENU_CALLS, timeout=timeout)


async def reap(proc: asyncio.subprocess.Process) -> None:
    """Kill the bot if a test left it running (a failed assertion, a timeout)."""
    if proc.returncode is None:
        proc.kill()
        await proc.wait()


@contextlib.asynccontextmanager
async def bot_process(
    api: FakeBotAPI,
    cwd: Path,
    *,
    token: str = TOKEN,
    stdout: Output = asyncio.subprocess.DEVNULL,
    stderr: Output = asyncio.subprocess.PIPE,
    **settings: str,
) -> AsyncIterator[asyncio.subprocess.Process]:
    """`spawn_bot(...)`, killed on the way out if it is still running."""
    proc = await spawn_bot(api, cwd, token=token, stdout=stdout, stderr=stderr, **settings)
    try:
        yield proc
    finally:
        await reap(proc)


def rss_kib(pid: int) -> int:
    """Resident set size of a live process (VmRSS in /proc), in KiB."""
    return _status_kib(pid, "VmRSS")


def peak_rss_kib(pid: int) -> int:
    """Peak resident set size so far (VmHWM), in KiB."""
    return _status_kib(pid, "VmHWM")


def _status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise LookupError(f"{field} not in /proc/{pid}/status")


def free_port() -> int:
    """A loopback port nothing listens on right now (for webhook and Redis servers)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def wait_listening(port: int, timeout: float = 5.0) -> None:
    """Until something accepts connections on the loopback `port`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            if loop.time() > deadline:
                raise
            await asyncio.sleep(0.02)
        else:
            writer.close()
            await writer.wait_closed()
            return
