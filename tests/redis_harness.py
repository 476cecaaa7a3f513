"""A real redis-server for the tests: Debian's package, on a free loopback port.

Started with no persistence (`--save "" --appendonly no`), so stopping it loses everything,
as a crashed Redis without a volume would; `start()` again brings it back on the same port.
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import time
from pathlib import Path

import redis
from procs import free_port

from bot.redis.connection import RedisConnection

REDIS_SERVER = shutil.which("redis-server")
__all__ = ["REDIS_SERVER", "SKIP_REASON", "RedisServer", "free_port", "wait_link_up"]

SKIP_REASON = "redis-server is not installed (Debian's redis-server package; .ci/run installs it)"


class RedisServer:
    """One redis-server process on 127.0.0.1:`port`, its files in `workdir`."""

    def __init__(self, workdir: Path, port: int | None = None) -> None:
        assert REDIS_SERVER is not None, SKIP_REASON
        self.workdir = workdir
        self.port = port or free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2.0)

    def start(self, timeout: float = 10.0) -> None:
        """Start it and wait until it answers PING."""
        assert self.proc is None or self.proc.poll() is not None, "already running"
        self.workdir.mkdir(parents=True, exist_ok=True)
        args = [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1"]
        args += ["--save", "", "--appendonly", "no", "--dir", str(self.workdir)]
        args += ["--logfile", str(self.workdir / "redis.log")]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        with self.client() as client:
            while True:
                try:
                    if client.ping():
                        return
                except redis.ConnectionError:
                    pass
                if self.proc.poll() is not None:
                    log = (self.workdir / "redis.log").read_text(errors="replace")[-2000:]
                    raise RuntimeError(f"redis-server exited with {self.proc.returncode}:\n{log}")
                if time.monotonic() > deadline:
                    raise TimeoutError("redis-server did not answer PING")
                time.sleep(0.01)

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM, as `docker stop` or systemd would; killed if it lingers."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    async def astart(self) -> None:
        """`start` without blocking the event loop (the fake Bot API lives on it)."""
        await asyncio.to_thread(self.start)

    async def astop(self) -> None:
        await asyncio.to_thread(self.stop)


async def wait_link_up(link: RedisConnection, timeout: float = 10.0) -> None:
    """Until the connection has noticed its server is back."""
    deadline = time.monotonic() + timeout
    while link.outage.down:
        assert time.monotonic() < deadline, "the link did not notice Redis was back"
        await asyncio.sleep(0.05)
