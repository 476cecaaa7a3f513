"""`technopolis-bot run`, with only the bot's global send limit lifted: the throughput run.

As shipped, the bot paces everything it sends to Telegram's 30 messages a second overall,
so 5,000 answers would take 167 s whatever the bot costs: the run would measure that limit.
This lifts it through its setting, SEND_RATE_LIMIT, and nothing else (per-chat limits,
throttling, retries stay), then runs the same `main(["run"])` the console script runs.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

from bot.telegram.transport import Limits

GLOBAL_RATE = 1e9


@dataclass(frozen=True)
class LiftedLimits(Limits):
    """The echo bot's session limits: the same policy, the same lifted global rate."""

    global_rate: float = GLOBAL_RATE
    global_burst: float = GLOBAL_RATE


def main() -> int:
    os.environ["SEND_RATE_LIMIT"] = str(GLOBAL_RATE)
    from bot.cli import main as cli_main

    return cli_main(["run", "--require-token"])


if __name__ == "__main__":
    sys.exit(main())
