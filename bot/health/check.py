"""`python -m bot.health.check`: exit 0 if the bot running here is healthy, 1 if not.

The Docker HEALTHCHECK, in both modes and with no extra setting: it reads the same settings
(environment, .env) as the bot. In webhook mode it asks the bot's own /healthz on the webhook
port (served by default there); while polling, which opens no port, it reads the health file
the bot keeps fresh in DATA_DIR (bot/health/heartbeat.py). Only the standard library and the
settings are loaded, so a check costs a fraction of a second and little memory.

A module rather than a `technopolis-bot health` subcommand because bot/cli.py is being
changed elsewhere; the subcommand can call `main()` later.
"""

from __future__ import annotations

import sys
import urllib.error
import urllib.request

from bot.config import Settings
from bot.health.heartbeat import health_file, read

TIMEOUT = 3.0
ANY_ADDRESS = ("", "0.0.0.0", "::")


def check(settings: Settings) -> tuple[bool, str]:
    """(healthy, one line saying why) for the bot these settings run."""
    if settings.webhook_url:
        host = "127.0.0.1" if settings.webhook_host in ANY_ADDRESS else settings.webhook_host
        url = f"http://{host}:{settings.webhook_port}/healthz"
        try:
            with urllib.request.urlopen(url, timeout=TIMEOUT) as resp:
                return resp.status == 200, f"{url}: {resp.status}"
        except urllib.error.HTTPError as exc:
            return False, f"{url}: {exc.code}"
        except OSError as exc:
            return False, f"{url}: {type(exc).__name__}"
    if settings.bot_token is None:
        return False, "BOT_TOKEN is not set: no bot is talking to Telegram"
    bot_id = settings.bot_token.get_secret_value().strip().split(":", 1)[0]
    return read(health_file(settings.data_dir, bot_id))


def main() -> int:
    ok, why = check(Settings())
    print(why, file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
