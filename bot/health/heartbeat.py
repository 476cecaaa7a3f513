"""A liveness file for polling mode: what the Docker HEALTHCHECK reads when no port is open.

Polling needs no listening port, and METRICS_PORT is off by default, so there is nothing to
ask over HTTP. Instead the bot writes its /healthz report to DATA_DIR/health-<bot id>.json
every few seconds; `python -m bot.health.check` calls it healthy while the file is fresh
and says "ok". A hung event loop stops the writes, a polling loop that cannot reach Telegram
writes "unhealthy" (the same rule as /healthz), and a stop deletes the file.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import time
from pathlib import Path

from bot.health.state import Health

log = logging.getLogger(__name__)

EVERY = 5.0  # seconds between writes
STALE_AFTER = 30.0  # a file older than this means the process is stuck or gone


def health_file(data_dir: Path, bot_id: int | str) -> Path:
    return data_dir / f"health-{bot_id}.json"


def write(path: Path, health: Health) -> None:
    ok, report = health.check()
    body = json.dumps({"ok": ok, "written": time.time(), "report": report})
    tmp = path.with_suffix(".tmp")
    tmp.write_text(body, encoding="utf-8")
    os.replace(tmp, path)  # a reader never sees half a file


async def beat(path: Path, health: Health) -> None:
    """Write the report every EVERY seconds until cancelled; then delete the file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            try:
                write(path, health)
            except OSError as exc:  # a full or read-only disk: the check will say so
                log.warning("cannot write the health file %s (%s)", path, exc)
            await asyncio.sleep(EVERY)
    finally:
        with contextlib.suppress(OSError):
            path.unlink()


def read(path: Path, now: float | None = None) -> tuple[bool, str]:
    """(healthy, why) from the file `beat` writes."""
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
        age = (now if now is not None else time.time()) - float(saved["written"])
        ok = bool(saved["ok"])
        report = saved.get("report", {})
    except (OSError, ValueError, KeyError, TypeError) as exc:
        return False, f"no health file {path} ({type(exc).__name__})"
    if age > STALE_AFTER:
        return False, f"health file {age:.0f}s old: the bot is stuck or stopped"
    if not ok:
        return False, f"unhealthy: {', '.join(report.get('problems', [])) or 'see /healthz'}"
    return True, f"ok ({report.get('transport')}, written {age:.0f}s ago)"
