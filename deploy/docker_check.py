"""The Docker check's steps (run it through deploy/docker-check, which checks the prerequisites).

The fake Bot API (tests/fakes) runs in this process, listening on every interface; the
containers reach it as host.docker.internal (Docker's host-gateway). This process also plays
Telegram for the webhook replicas: it posts updates through the compose stack's Caddy and
delivers again whatever was not answered 200, as Telegram does. Exit code 0 when every step
held, 1 with the reason otherwise; the stack and containers are removed either way.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from fakes import updates  # noqa: E402 - the test fakes live under tests/
from fakes.bot_api import FakeBotAPI  # noqa: E402

IMAGE = "technopolis-bot:check"
PROJECT = "technopolis-check"
TOKEN = "123456:" + "AbCdEfGhIjKlMnOpQrStUvWxYzAbCdEfGhI"
SECRET = "docker_check_Secret-1"
HEADER = "X-Telegram-Bot-Api-Secret-Token"
HOST_GATEWAY = "host.docker.internal:host-gateway"
QUESTION = "Каков объём экспорта резидентов?"
BACKLOG = (  # three facts, three different answers: a doubled answer shows as a repeat
    QUESTION,
    "Во сколько стран экспортировали продукцию?",
    "Сколько компаний являются резидентами технополиса?",
)
ANSWER = "1,2 млрд рублей"
STOP_WITHIN = 10.0
HEALTHY_WITHIN = 90.0


class CheckFailed(Exception):
    pass


def expect(condition: bool, what: str) -> None:
    if not condition:
        raise CheckFailed(what)
    print(f"docker-check: ok: {what}", flush=True)


def docker(*args: str, stdin: str | None = None, check: bool = True) -> str:
    res = subprocess.run(
        ["docker", *args], input=stdin, capture_output=True, text=True, timeout=600
    )
    if check and res.returncode != 0:
        raise CheckFailed(f"docker {' '.join(args[:3])}... failed:\n{res.stderr[-2000:]}")
    return res.stdout


def compose(*args: str, env: dict[str, str], check: bool = True) -> str:
    res = subprocess.run(
        ["docker", "compose", "-p", PROJECT, "-f", "docker-compose.yml",
         "-f", "deploy/compose.check.yml", *args],
        capture_output=True, text=True, timeout=900, cwd=ROOT, env={**os.environ, **env},
    )  # fmt: skip
    if check and res.returncode != 0:
        raise CheckFailed(f"docker compose {' '.join(args[:2])} failed:\n{res.stderr[-2000:]}")
    return res.stdout


class PublicFake(FakeBotAPI):
    """The fake Bot API on every interface, so containers reach it through the host gateway."""

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        runner = web.AppRunner(app, access_log=None, handler_cancellation=True)
        await runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("0.0.0.0", 0))
        self._port = sock.getsockname()[1]
        await web.SockSite(runner, sock).start()
        self._runner = runner
        self._stopping = False

    @property
    def port(self) -> int:
        assert self._port is not None
        return self._port


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def wait_healthy(container: str, timeout: float = HEALTHY_WITHIN) -> None:
    """Until Docker's HEALTHCHECK calls `container` healthy."""
    deadline = time.monotonic() + timeout
    while True:
        state = docker("inspect", "--format", "{{.State.Health.Status}}", container).strip()
        if state == "healthy":
            return
        if time.monotonic() > deadline:
            raise CheckFailed(f"{container} not healthy after {timeout:.0f}s ({state})")
        await asyncio.sleep(1)


def timed_stop(container: str) -> tuple[float, int]:
    started = time.monotonic()
    docker("stop", container)
    elapsed = time.monotonic() - started
    code = int(docker("inspect", "--format", "{{.State.ExitCode}}", container).strip())
    return elapsed, code


# ------------------------------------------------------------------------------ the steps


def build() -> None:
    base = os.environ.get("BASE_IMAGE", "python:3.11-slim")
    docker("build", "--pull=false", "--build-arg", f"BASE_IMAGE={base}", "-t", IMAGE, str(ROOT))
    expect(True, f"image {IMAGE} built from {base}")


def env_example_answers() -> None:
    """`cp .env.example .env` then `docker run --env-file .env`: the terminal chat answers."""
    with tempfile.TemporaryDirectory() as tmp:
        env_file = Path(tmp) / ".env"
        shutil.copy(ROOT / ".env.example", env_file)
        out = docker(
            "run", "--rm", "-i", "--env-file", str(env_file), IMAGE, "technopolis-bot", "run",
            stdin=QUESTION + "\n",
        )  # fmt: skip
    expect(ANSWER in out, "docker run --env-file .env (copied from .env.example) answers")


async def polling_container(api: PublicFake) -> None:
    name = f"{PROJECT}-polling"
    docker("rm", "-f", "-v", name, check=False)
    docker(
        "run", "-d", "--name", name, "--add-host", HOST_GATEWAY,
        "-e", f"BOT_TOKEN={TOKEN}", "-e", f"TELEGRAM_API_URL=http://host.docker.internal:{api.port}",
        IMAGE,
    )  # fmt: skip
    try:
        api.push(updates.private_text(QUESTION, user_id=4001))
        [call] = await api.wait_for("sendMessage", timeout=60)
        expect(ANSWER in call.params["text"], "a polling container answers")
        await wait_healthy(name)
        expect(True, "the polling container is healthy (HEALTHCHECK: the health file)")
        # A backlog at the stop: 40 users x 3 questions, at one message a second per chat
        # and 30 a second overall, takes over 2 s to answer; the stop comes after 0.5 s.
        for question in BACKLOG:
            for n in range(40):
                api.push(updates.private_text(question, user_id=4100 + n))
        total = 40 * len(BACKLOG)
        await asyncio.sleep(0.5)
        elapsed, code = await asyncio.to_thread(timed_stop, name)  # the fake answers meanwhile
        expect(code == 0 and elapsed < STOP_WITHIN, f"docker stop took {elapsed:.1f}s, exit {code}")
        left = len(api.pending_updates)
        before = sum(len(api.sent_messages(4100 + n)) for n in range(40))
        docker("start", name)  # the same container again: it takes over what was left
        await api.wait_for("sendMessage", 1 + total, timeout=60)
        await asyncio.sleep(1.5)
        texts = [[m["text"] for m in api.sent_messages(4100 + n)] for n in range(40)]
        expect(
            all(len(t) == len(BACKLOG) == len(set(t)) for t in texts),
            f"after the restart each of {total} answered once ({before} before the stop, "
            f"{left} left queued)",
        )
    finally:
        docker("rm", "-f", "-v", name, check=False)  # -v: its anonymous /app/data volume too


class Telegram:
    """Posts updates through Caddy; anything but 200 is delivered again (as Telegram does)."""

    def __init__(self, http: aiohttp.ClientSession, url: str) -> None:
        self.http, self.url = http, url
        self.redeliveries = 0
        self._ids = itertools.count(80_001)

    def update(self, user_id: int) -> dict[str, Any]:
        return {"update_id": next(self._ids), **updates.private_text(QUESTION, user_id=user_id)}

    async def post(self, update: dict[str, Any]) -> int:
        try:
            async with self.http.post(
                self.url, json=update, headers={HEADER: SECRET, "Host": "localhost"}
            ) as resp:
                return resp.status
        except aiohttp.ClientError:
            return 0

    async def deliver(self, update: dict[str, Any]) -> None:
        for _ in range(200):
            if await self.post(update) == 200:
                return
            self.redeliveries += 1
            await asyncio.sleep(0.25)
        raise CheckFailed(f"update {update['update_id']} never answered 200")


async def compose_stack(api: PublicFake) -> None:
    http_port, https_port = free_port(), free_port()
    env = {
        "BOT_DOMAIN": "localhost",
        "WEBHOOK_SECRET": SECRET,
        "CHECK_BOT_TOKEN": TOKEN,
        "FAKE_API_PORT": str(api.port),
        "PROXY_HTTP_PORT": str(http_port),
        "PROXY_HTTPS_PORT": str(https_port),
    }
    try:
        # In a thread: the replicas turn healthy only once the fake Bot API (this event loop)
        # has answered their getMe and setWebhook. Inside the try, so a stack that never
        # turned healthy is removed too.
        await asyncio.to_thread(
            compose, "up", "-d", "--wait", "--wait-timeout", str(int(HEALTHY_WITHIN)), env=env
        )
        replicas = compose("ps", "-q", "bot", env=env).split()
        expect(len(replicas) == 2, "two replicas of bot are up and healthy, Redis and Caddy too")
        status = compose(
            "exec", "-T", "--index", "1", "bot", "python", "-m", "bot.health.check", env=env
        )
        expect("/healthz: 200" in status, f"/healthz answers ({status.strip()})")
        async with aiohttp.ClientSession() as http:
            telegram = Telegram(http, f"http://127.0.0.1:{http_port}/telegram")
            first = [telegram.update(5000 + n) for n in range(20)]
            await asyncio.gather(*(telegram.deliver(u) for u in first))
            twice = telegram.update(5100)
            for _ in range(3):  # round robin: both replicas get it
                await telegram.deliver(twice)
            await api.wait_for("sendMessage", 1 + 40 + 21, timeout=60)
            logs = [  # the bot logs to stderr
                subprocess.run(["docker", "logs", c], capture_output=True, text=True).stderr
                for c in replicas
            ]
            answered = [log.count("answered update=") for log in logs]
            expect(all(n > 0 for n in answered), f"both replicas answered ({answered})")
            expect(
                len(api.sent_messages(5100)) == 1, "an update delivered three times: answered once"
            )

            burst = [telegram.update(6000 + n) for n in range(150)]
            slots = asyncio.Semaphore(40)

            async def deliver(update: dict[str, Any]) -> None:
                async with slots:
                    await telegram.deliver(update)

            deliveries = asyncio.gather(*(deliver(u) for u in burst))
            await asyncio.sleep(2.0)
            elapsed, code = await asyncio.to_thread(timed_stop, replicas[0])
            expect(code == 0 and elapsed < STOP_WITHIN, f"docker stop of a replica mid-burst: {elapsed:.1f}s, exit {code}")  # fmt: skip
            await asyncio.wait_for(deliveries, 120)
            await asyncio.sleep(2.0)
            counts = [len(api.sent_messages(6000 + n)) for n in range(150)]
            expect(
                counts == [1] * 150,
                f"150 questions, one replica stopped mid-burst: each answered once "
                f"({telegram.redeliveries} redeliveries)",
            )
    finally:
        compose("down", "-v", "--remove-orphans", env=env, check=False)


async def main() -> int:
    try:
        build()
        env_example_answers()
        async with PublicFake(token=TOKEN) as api:
            await polling_container(api)
            api.clear_faults()
            await compose_stack(api)
            violations = api.violations
        expect(violations == [], "no call the Bot API would refuse")
    except CheckFailed as exc:
        print(f"docker-check: FAILED: {exc}", file=sys.stderr)
        return 1
    print("docker-check: PASSED")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
