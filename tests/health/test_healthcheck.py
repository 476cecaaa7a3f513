"""`python -m bot.health.check`, the Docker HEALTHCHECK, against a real `technopolis-bot
run` in both modes with no setting of its own: healthy while the bot runs, unhealthy once
it stopped (or hangs: a stale file)."""

from __future__ import annotations

import asyncio
import json
import signal
import sys
import time
from pathlib import Path

from fakes.bot_api import FakeBotAPI
from procs import TOKEN, bot_env, bot_process, free_port, wait_ready

from bot.health.heartbeat import STALE_AFTER, health_file, read

CHECK_TIMEOUT = 20.0


async def healthcheck(env: dict[str, str], cwd: Path) -> tuple[int, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.health.check",
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await asyncio.wait_for(proc.communicate(), CHECK_TIMEOUT)
    assert proc.returncode is not None
    return proc.returncode, out.decode(errors="replace")


async def until_healthy(env: dict[str, str], cwd: Path, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    while True:
        code, out = await healthcheck(env, cwd)
        if code == 0:
            return out
        assert time.monotonic() < deadline, out
        await asyncio.sleep(0.3)


async def test_polling_is_checked_through_the_health_file(
    process_api: FakeBotAPI, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    settings = {"DATA_DIR": str(data)}
    env = bot_env(process_api, tmp_path, **settings)
    async with bot_process(process_api, tmp_path, **settings) as proc:
        await wait_ready(process_api)
        out = await until_healthy(env, tmp_path)
        assert "ok (polling" in out
        proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(proc.wait(), 15)
    assert not health_file(data, TOKEN.split(":")[0]).exists()  # a stop removes it
    code, out = await healthcheck(env, tmp_path)
    assert code == 1 and "no health file" in out


async def test_webhook_is_checked_on_its_own_healthz(
    process_api: FakeBotAPI, tmp_path: Path
) -> None:
    port = free_port()
    settings = {
        "WEBHOOK_URL": f"http://127.0.0.1:{port}/tg",
        "WEBHOOK_HOST": "0.0.0.0",
        "WEBHOOK_PORT": str(port),
        "WEBHOOK_SECRET": "health_Secret-1",
    }
    env = bot_env(process_api, tmp_path, **settings)
    async with bot_process(process_api, tmp_path, **settings) as proc:
        out = await until_healthy(env, tmp_path)
        assert f"127.0.0.1:{port}/healthz: 200" in out
        proc.send_signal(signal.SIGTERM)
        await asyncio.wait_for(proc.wait(), 15)
    code, out = await healthcheck(env, tmp_path)
    assert code == 1 and "/healthz" in out


def test_a_stale_or_unhealthy_file_is_unhealthy(tmp_path: Path) -> None:
    path = tmp_path / "health-1.json"
    now = time.time()
    report = {"transport": "polling", "status": "ok"}
    path.write_text(json.dumps({"ok": True, "written": now, "report": report}))
    assert read(path, now + 1)[0] is True
    assert read(path, now + STALE_AFTER + 1) == (
        False,
        f"health file {STALE_AFTER + 1:.0f}s old: the bot is stuck or stopped",
    )
    bad = {"transport": "polling", "problems": ["no successful getUpdates recently"]}
    path.write_text(json.dumps({"ok": False, "written": now, "report": bad}))
    assert read(path, now) == (False, "unhealthy: no successful getUpdates recently")
